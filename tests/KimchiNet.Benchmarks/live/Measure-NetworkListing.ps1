#Requires -Version 7.2
<#
.SYNOPSIS
    Times Get-KimchiNetwork on a real libvirtd (a lab host) against Kimchi's algorithm and the
    fewest-calls floor.

.DESCRIPTION
    Starts one lab host (tests/lab), seeds it through libvirt with -Networks isolated networks
    (inactive, each with its own <bridge name='kbnI'/> and a distinct 10.x.y.0/24) and -Domains
    defined (not running) domains with one type='network' NIC each, spread evenly over the
    networks. Then, in -Repeat interleaved rounds, times:

      KimchiNet  Get-KimchiNetwork -Uri <lab> in this (warm) session: module imported, connection
                 open and -Warmup untimed calls made before timing; [Diagnostics.Stopwatch].
      Kimchi     Kimchi's algorithm in python3-libvirt (libvirt_listing.py kimchi): per network a
                 lookup by name, its XML and state, and -KimchiScans scans of every domain's XML.
      floor      The fewest libvirt calls giving the same facts (libvirt_listing.py floor):
                 listAllNetworks + XMLDesc each, three flag-filtered network lists for state,
                 listAllDomains + XMLDesc each, an in-memory join.

    The python baselines open their connection before timing and report their own in-process
    time, so interpreter start-up is never counted. After the rounds it times the phases of the
    core listing (ListNetworks, ListDomains, usage join, network XML reading) and single libvirt
    calls, checks that all three methods found the same users for every network, and prints the
    tables. The lab is always stopped (try/finally).

    Exit code 0 when the measurement ran (whatever the numbers and even if the answers differ;
    that is reported), 2 when it cannot run (not root, no python3-libvirt, no built module, the
    lab does not start).

.PARAMETER ModulePath
    The module manifest to measure (default: the repository's KimchiNet.psd1, built with
    `dotnet pwsh ./build.ps1 Build`). Point it at another build to compare a change.

.PARAMETER SkipKimchi
    Leaves Kimchi's algorithm out (it is quadratic: minutes per round at thousands of objects).

.PARAMETER OutputPath
    Also writes every sample, median and phase as JSON there (for the benchmark suite).

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/live/Measure-NetworkListing.ps1 -Networks 500 -Domains 200 -Repeat 5
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 30000)][int] $Networks = 500,
    [ValidateRange(0, 100000)][int] $Domains = 200,
    [ValidateRange(1, 1000)][int] $Repeat = 5,
    [ValidateRange(0, 100)][int] $Warmup = 2,
    [ValidateRange(1, 2)][int] $KimchiScans = 1,
    [switch] $SkipKimchi,
    [string] $ModulePath,
    [ValidatePattern('^[a-z0-9][a-z0-9_-]{0,30}$')][string] $LabName = 'bench-listing',
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
if (-not $ModulePath) { $ModulePath = Join-Path $Repo 'KimchiNet.psd1' }

function Stop-CannotRun([string] $Message) {
    [Console]::Error.WriteLine("Measure-NetworkListing: cannot run: $Message")
    exit 2
}

function ConvertTo-UsageText($Map) {
    # network -> sorted VM names, one canonical line per network
    (@($Map.Keys | Sort-Object -CaseSensitive | ForEach-Object { "$_=" + ((@($Map[$_]) | Sort-Object -CaseSensitive) -join ',') })) -join "`n"
}

function Get-MachineFacts {
    $mem = (Get-Content /proc/meminfo | Where-Object { $_ -like 'MemTotal:*' }) -replace '\D', ''
    $cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
    $os = (Get-Content /etc/os-release | Where-Object { $_ -like 'PRETTY_NAME=*' }) -replace '^PRETTY_NAME="?|"$', ''
    $libvirtd = (Invoke-KimchiLabProcess -FilePath libvirtd -ArgumentList '--version').Output.Trim()
    $pylibvirt = (Invoke-KimchiLabProcess -FilePath dpkg-query -ArgumentList '-W', '-f=${Version}', 'python3-libvirt').Output.Trim()
    [ordered]@{
        Date           = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'
        Cpus           = [Environment]::ProcessorCount
        Cpu            = $cpu
        MemoryGiB      = [math]::Round([double]$mem / 1MB, 1)
        Kernel         = [Environment]::OSVersion.Version.ToString() + ' (' + (Get-Content /proc/sys/kernel/osrelease) + ')'
        Os             = $os
        Libvirtd       = $libvirtd
        PythonLibvirt  = $pylibvirt
        DotNet         = [Environment]::Version.ToString()
        PowerShell     = $PSVersionTable.PSVersion.ToString()
    }
}

function Get-LoadAverage { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' }

# ------------------------------------------------------------------ prerequisites
Import-Module (Join-Path $Repo 'tests/lab/KimchiLab.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'LiveBench.psm1') -Force
if (-not $IsLinux) { Stop-CannotRun 'needs Linux (lab hosts)' }
if ((id -u) -ne '0') { Stop-CannotRun 'must run as root (lab hosts use namespaces)' }
$problem = Get-ListingHelperProblem
if ($problem) { Stop-CannotRun $problem }
if (-not (Test-Path $ModulePath)) { Stop-CannotRun "$ModulePath not found (build first: dotnet pwsh ./build.ps1 Build)" }
try { Import-Module $ModulePath -Force } catch { Stop-CannotRun "cannot import ${ModulePath}: $_" }

$machine = Get-MachineFacts
$loadBefore = Get-LoadAverage
$lab = $null
$report = $null
$exitCode = 0
try {
    # -------------------------------------------------------------- lab + seed
    try {
        $lab = Start-KimchiLab -Name $LabName -Nics 1
    }
    catch { Stop-CannotRun "lab host '$LabName' did not start (left over? tests/lab/lab-host down $LabName): $_" }
    $uri = $lab.Uri
    Write-Host "lab $LabName up in $($lab.StartupSeconds) s: $uri"
    $seed = Invoke-ListingHelper -TimeoutSeconds 7200 @('seed', '--uri', $uri, '--networks', "$Networks", '--domains', "$Domains")
    Write-Host ("seeded {0} networks in {1} s, {2} domains in {3} s" -f $seed.networks, $seed.network_seconds, $seed.domains, $seed.domain_seconds)

    # -------------------------------------------------------------- warm session
    # the first call loads KimchiNet.Core and opens the pooled connection; then -Warmup more
    $null = Get-KimchiNetwork -Uri $uri
    for ($i = 0; $i -lt $Warmup; $i++) { $null = Get-KimchiNetwork -Uri $uri }

    $samples = [ordered]@{ KimchiNet = [System.Collections.Generic.List[double]]::new(); Kimchi = [System.Collections.Generic.List[double]]::new(); Floor = [System.Collections.Generic.List[double]]::new() }
    $answers = @{}
    $floorPhases = [System.Collections.Generic.List[object]]::new()
    $calls = @{}
    for ($round = 1; $round -le $Repeat; $round++) {
        # interleaved, so a change of machine load hits all three alike
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $found = @(Get-KimchiNetwork -Uri $uri)
        $sw.Stop()
        $samples.KimchiNet.Add($sw.Elapsed.TotalSeconds)
        $answers.KimchiNet = $found

        $floor = Invoke-ListingHelper -TimeoutSeconds 7200 @('floor', '--uri', $uri, '--repeat', '1', '--warmup', '1')
        $samples.Floor.Add($floor.seconds[0])
        $floorPhases.Add($floor.phases)
        $answers.Floor = $floor.result
        $calls.Floor = $floor.calls

        if (-not $SkipKimchi) {
            # no warm-up: one run already is N scans of every domain
            $kimchi = Invoke-ListingHelper -TimeoutSeconds 7200 @('kimchi', '--uri', $uri, '--repeat', '1', '--scans', "$KimchiScans")
            $samples.Kimchi.Add($kimchi.seconds[0])
            $answers.Kimchi = $kimchi.result
            $calls.Kimchi = $kimchi.calls
        }
        Write-Host ("round {0}/{1}: KimchiNet {2:N3} s, floor {3:N3} s{4}" -f $round, $Repeat, $samples.KimchiNet[-1], $samples.Floor[-1],
            $(if ($SkipKimchi) { '' } else { ", Kimchi {0:N3} s" -f $samples.Kimchi[-1] }))
    }

    # -------------------------------------------------------------- same answer?
    $kimchiNetMap = [ordered]@{}
    foreach ($n in $answers.KimchiNet) { $kimchiNetMap[$n.Name] = @($n.VMs) }
    $reference = ConvertTo-UsageText $kimchiNetMap
    $agree = [ordered]@{ Floor = ((ConvertTo-UsageText $answers.Floor) -ceq $reference) }
    if (-not $SkipKimchi) { $agree.Kimchi = ((ConvertTo-UsageText $answers.Kimchi) -ceq $reference) }
    $inUse = @($answers.KimchiNet | Where-Object InUse).Count

    # -------------------------------------------------------------- where KimchiNet's time goes
    $breakdownSource = Get-Content -Raw (Join-Path $PSScriptRoot 'ListingBreakdown.cs')
    $coreAssembly = [KimchiNet.Libvirt.LibvirtConnection].Assembly.Location
    if (-not ('KimchiNet.Benchmarks.Live.ListingBreakdown' -as [type])) {
        Add-Type -TypeDefinition $breakdownSource -ReferencedAssemblies $coreAssembly, 'System.Xml.XDocument', 'System.Private.Xml.Linq' -IgnoreWarnings -WarningAction SilentlyContinue
    }
    $phaseRuns = @(for ($i = 0; $i -lt $Repeat; $i++) { [KimchiNet.Benchmarks.Live.ListingBreakdown]::Measure($uri) })
    $phases = [ordered]@{}
    foreach ($p in 'ListNetworks', 'ListDomains', 'Usage', 'ParseNetworks', 'CoreGet') {
        $phases[$p] = Get-Median @($phaseRuns | ForEach-Object { $_.$p })
    }
    $floorPhase = [ordered]@{}
    foreach ($p in 'networks', 'domains', 'join') { $floorPhase[$p] = Get-Median @($floorPhases | ForEach-Object { $_[$p] }) }
    $callCosts = (Invoke-ListingHelper -TimeoutSeconds 7200 @('calls', '--uri', $uri, '--repeat', "$Repeat")).calls

    # -------------------------------------------------------------- report
    $median = [ordered]@{}
    foreach ($k in $samples.Keys) { $median[$k] = Get-Median $samples[$k].ToArray() }
    # Not measurable from outside the module (not every call is traced): 2 + 5N + 2M is what
    # LibvirtConnection.ListNetworks/ListDomains make at the time of writing (per network XML,
    # active, persistent, autostart, bridge name; per domain XML, active). Shown only for the
    # repository's own build; another -ModulePath shows '?'.
    $ownBuild = (Resolve-Path $ModulePath).Path -eq (Join-Path $Repo 'KimchiNet.psd1')
    $kimchiNetCalls = if ($ownBuild) { 6 + $phaseRuns[0].NetworkCount + $phaseRuns[0].DomainCount } else { '?' }
    $report = [ordered]@{
        Machine       = $machine
        LoadBefore    = $loadBefore
        LoadAfter     = Get-LoadAverage
        Command       = "Measure-NetworkListing.ps1 -Networks $Networks -Domains $Domains -Repeat $Repeat -Warmup $Warmup -KimchiScans $KimchiScans" + $(if ($SkipKimchi) { ' -SkipKimchi' } else { '' })
        Module        = (Get-Module KimchiNet).Path
        Networks      = $Networks
        Domains       = $Domains
        NetworksInUse = $inUse
        Seed          = $seed
        Samples       = $samples
        Median        = $median
        LibvirtCalls  = [ordered]@{ KimchiNet = $kimchiNetCalls; Floor = $calls['Floor']; Kimchi = $calls['Kimchi'] }
        SameAnswer    = $agree
        KimchiNetPhases = $phases
        FloorPhases   = $floorPhase
        CallCosts     = $callCosts
    }

    $fmt = { param($v) if ($null -eq $v -or [double]::IsNaN($v)) { '-' } else { '{0:N3}' -f $v } }
    $ratio = { param($a, $b, $f = 'N2') if ($null -eq $b -or [double]::IsNaN($b) -or $b -eq 0) { '-' } else { ($a / $b).ToString($f, [Globalization.CultureInfo]::InvariantCulture) } }
    Write-Host ''
    Write-Host ("{0} networks ({1} in use), {2} domains; median of {3} rounds; load {4} -> {5}" -f $Networks, $inUse, $Domains, $Repeat, $loadBefore, $report.LoadAfter)
    Write-Host ''
    Write-Host '| method | median s | min s | max s | libvirt round trips | same answer |'
    Write-Host '|---|---:|---:|---:|---:|---|'
    foreach ($k in 'KimchiNet', 'Kimchi', 'Floor') {
        if ($samples[$k].Count -eq 0) { continue }
        $same = if ($k -eq 'KimchiNet') { '(reference)' } elseif ($agree[$k]) { 'yes' } else { 'NO' }
        Write-Host ("| {0} | {1} | {2} | {3} | {4} | {5} |" -f $k, (& $fmt $median[$k]), (& $fmt ($samples[$k] | Measure-Object -Minimum).Minimum), (& $fmt ($samples[$k] | Measure-Object -Maximum).Maximum), $report.LibvirtCalls[$k], $same)
    }
    Write-Host ''
    $vsKimchi = & $ratio $median.KimchiNet $median['Kimchi'] 'N4'
    if ($vsKimchi -ne '-') { $vsKimchi += ' (Kimchi takes {0}x as long)' -f (& $ratio $median['Kimchi'] $median.KimchiNet 'N0') }
    Write-Host ("KimchiNet/Kimchi = {0}   KimchiNet/floor = {1}" -f $vsKimchi, (& $ratio $median.KimchiNet $median.Floor))
    Write-Host ''
    Write-Host '| KimchiNet phase (median s) | s | floor phase (median s) | s |'
    Write-Host '|---|---:|---|---:|'
    Write-Host ("| ListNetworks | {0} | listAllNetworks + XMLDesc + 3 flag lists | {1} |" -f (& $fmt $phases.ListNetworks), (& $fmt $floorPhase.networks))
    Write-Host ("| ListDomains | {0} | listAllDomains + XMLDesc | {1} |" -f (& $fmt $phases.ListDomains), (& $fmt $floorPhase.domains))
    Write-Host ("| NetworkUsage.Compute (join) | {0} | join | {1} |" -f (& $fmt $phases.Usage), (& $fmt $floorPhase.join))
    Write-Host ("| network XML -> info (NetworkXmlReader + NetworkDescriptions) | {0} | | |" -f (& $fmt $phases.ParseNetworks))
    Write-Host ("| NetworkOperations.Get (all of it) | {0} | | |" -f (& $fmt $phases.CoreGet))
    Write-Host ("| Get-KimchiNetwork (cmdlet) | {0} | | |" -f (& $fmt $median.KimchiNet))
    Write-Host ''
    Write-Host '| libvirt call (python3-libvirt, median loop) | count | total s | per call ms |'
    Write-Host '|---|---:|---:|---:|'
    foreach ($c in $callCosts.Keys) {
        $e = $callCosts[$c]
        Write-Host ("| {0} | {1} | {2} | {3:N3} |" -f $c, $e.count, (& $fmt $e.seconds), ($(if ($e.count) { 1000 * $e.seconds / $e.count } else { 0 })))
    }
    foreach ($k in $agree.Keys) {
        if (-not $agree[$k]) { Write-Warning "$k found other users than KimchiNet for some network" }
    }
    if ($OutputPath) {
        $report | ConvertTo-Json -Depth 8 | Set-Content -Path $OutputPath -Encoding utf8NoBOM
        Write-Host "wrote $OutputPath"
    }
}
catch {
    # only failures to run get here (seeding, the helper, the module against the lab)
    [Console]::Error.WriteLine("Measure-NetworkListing: cannot run: $_`n$($_.ScriptStackTrace)")
    $exitCode = 2
}
finally {
    if ($lab) {
        try { Stop-KimchiLab -Name $LabName; Write-Host "lab $LabName stopped" }
        catch { Write-Warning "stopping lab ${LabName}: $_ (run tests/lab/lab-host down $LabName)" }
    }
}
exit $exitCode
