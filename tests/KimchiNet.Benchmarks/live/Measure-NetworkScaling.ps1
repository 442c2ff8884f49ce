#Requires -Version 7.2
<#
.SYNOPSIS
    Times New-KimchiNetwork (automatic and explicit subnet) and Get-KimchiInterface -InUse $true
    on a real libvirtd (a lab host) that already holds N networks, for several N.

.DESCRIPTION
    For each N in -Networks: starts a lab host, seeds N isolated inactive networks through
    python3-libvirt (libvirt_listing.py seed: explicit <bridge name='kbnI'/>, since libvirt's own
    virbrN names stop at 256), then in this warm session (module imported, connection open, one
    untimed creation first) times, interleaved, -Create times each:

      auto      New-KimchiNetwork -Name kbn-auto-K -Connection Isolated        (KimchiNet plans the /24)
      explicit  New-KimchiNetwork -Name kbn-subnet-K -Connection Isolated -Subnet 172.20.K.0/24

    then the planning steps in the core (CreationBreakdown.cs: ListNetworks, describing every
    network, the host interfaces, PlanCreate in all), libvirt's own cost of a creation (libvirt_listing.py define: networkDefineXML +
    setAutostart, the 2 round trips New-KimchiNetwork ends with: the floor), and -Repeat calls of
    Get-KimchiInterface -InUse $true and of Get-KimchiNetwork (the listing every creation makes to
    check the name and the subnets in use). The lab is stopped after each N (try/finally).

    Networks KimchiNet creates here get libvirt's automatic virbrN bridge name (KimchiNet names no
    bridge for isolated networks at the time of writing); with the seed on kbnI names, the virbr
    pool is free, so automatic creation also works at N > 256. A failure of a creation is
    reported (not thrown) so the other measurements still run.

    Exit code 0 when it ran, 2 when it cannot run (not root, no python3-libvirt, no module, lab).

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/live/Measure-NetworkScaling.ps1 -Networks 50,500,2000 -Create 5
#>
[CmdletBinding()]
param(
    # Sizes; '50,500,2000' as one string works too (from pwsh -File, where an int[] of "50,500,2000" would read as 505002000).
    [string[]] $Networks = @('50', '500', '2000'),
    [ValidateRange(1, 200)][int] $Create = 5,
    [ValidateRange(1, 1000)][int] $Repeat = 5,
    [string] $ModulePath,
    [ValidatePattern('^[a-z0-9][a-z0-9_-]{0,30}$')][string] $LabName = 'bench-scaling',
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
if (-not $ModulePath) { $ModulePath = Join-Path $Repo 'KimchiNet.psd1' }

function Stop-CannotRun([string] $Message) {
    [Console]::Error.WriteLine("Measure-NetworkScaling: cannot run: $Message")
    exit 2
}

function Measure-Call([scriptblock] $Script) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $null = & $Script
    $sw.Stop()
    $sw.Elapsed.TotalSeconds
}

$Networks = @($Networks -split ',' | Where-Object { $_ })
foreach ($n in $Networks) { if ($n -notmatch '^\d+$' -or [int]$n -lt 1 -or [int]$n -gt 30000) { Stop-CannotRun "-Networks: '$n' is not a size from 1 to 30000" } }
$Sizes = [int[]]$Networks

Import-Module (Join-Path $Repo 'tests/lab/KimchiLab.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'LiveBench.psm1') -Force
if (-not $IsLinux) { Stop-CannotRun 'needs Linux (lab hosts)' }
if ((id -u) -ne '0') { Stop-CannotRun 'must run as root (lab hosts use namespaces)' }
$problem = Get-ListingHelperProblem
if ($problem) { Stop-CannotRun $problem }
if (-not (Test-Path $ModulePath)) { Stop-CannotRun "$ModulePath not found (build first: dotnet pwsh ./build.ps1 Build)" }
try { Import-Module $ModulePath -Force } catch { Stop-CannotRun "cannot import ${ModulePath}: $_" }

$results = [System.Collections.Generic.List[object]]::new()
$exitCode = 0
foreach ($n in $Sizes) {
    $lab = $null
    try {
        try { $lab = Start-KimchiLab -Name $LabName -Nics 1 }
        catch { Stop-CannotRun "lab host '$LabName' did not start (left over? tests/lab/lab-host down $LabName): $_" }
        $uri = $lab.Uri
        $seed = Invoke-ListingHelper @('seed', '--uri', $uri, '--networks', "$n", '--domains', '0')
        Write-Host ("N={0}: lab up in {1} s, seeded in {2} s" -f $n, $lab.StartupSeconds, $seed.network_seconds)

        # warm: assembly loaded, pooled connection open, one creation path jitted
        $null = Get-KimchiNetwork -Uri $uri
        $null = New-KimchiNetwork -Uri $uri -Name 'kbn-warm' -Connection Isolated -Subnet '172.19.0.0/24'
        $null = Get-KimchiInterface -Uri $uri -InUse $true

        $auto = [System.Collections.Generic.List[double]]::new()
        $explicit = [System.Collections.Generic.List[double]]::new()
        $autoError = $null
        for ($k = 1; $k -le $Create; $k++) {
            if (-not $autoError) {
                try { $auto.Add((Measure-Call { New-KimchiNetwork -Uri $uri -Name ('kbn-auto-{0:d3}' -f $k) -Connection Isolated })) }
                catch { $autoError = "$_" ; Write-Warning "N=${n}: automatic-subnet creation failed: $autoError" }
            }
            $explicit.Add((Measure-Call { New-KimchiNetwork -Uri $uri -Name ('kbn-subnet-{0:d3}' -f $k) -Connection Isolated -Subnet ('172.20.{0}.0/24' -f $k) }))
        }
        $define = (Invoke-ListingHelper @('define', '--uri', $uri, '--repeat', "$Create")).seconds
        $interfaces = @(for ($i = 0; $i -lt $Repeat; $i++) { Measure-Call { Get-KimchiInterface -Uri $uri -InUse $true } })
        $listing = @(for ($i = 0; $i -lt $Repeat; $i++) { Measure-Call { Get-KimchiNetwork -Uri $uri } })
        $total = @(Get-KimchiNetwork -Uri $uri).Count
        # where a creation's time goes (planning steps, in the core, no PowerShell loop)
        if (-not ('KimchiNet.Benchmarks.Live.CreationBreakdown' -as [type])) {
            Add-Type -TypeDefinition (Get-Content -Raw (Join-Path $PSScriptRoot 'CreationBreakdown.cs')) `
                -ReferencedAssemblies ([KimchiNet.Libvirt.LibvirtConnection].Assembly.Location), 'System.Xml.XDocument', 'System.Private.Xml.Linq' -IgnoreWarnings -WarningAction SilentlyContinue
        }
        $phaseRuns = @(for ($i = 0; $i -lt $Repeat; $i++) { [KimchiNet.Benchmarks.Live.CreationBreakdown]::Measure($uri, 'kbn-plan-only') })
        $phases = [ordered]@{}
        foreach ($p in 'ListNetworks', 'DescribeNetworks', 'ListInterfaces', 'PlanCreate') { $phases[$p] = Get-Median @($phaseRuns | ForEach-Object { $_.$p }) }

        $row = [ordered]@{
            Networks              = $n
            NetworksAtEnd         = $total
            CreateAutoMedian      = Get-Median $auto.ToArray()
            CreateAutoSamples     = $auto.ToArray()
            CreateAutoError       = $autoError
            CreateExplicitMedian  = Get-Median $explicit.ToArray()
            CreateExplicitSamples = $explicit.ToArray()
            LibvirtDefineMedian   = Get-Median ([double[]]$define)
            LibvirtDefineSamples  = $define
            InterfacesInUseMedian = Get-Median $interfaces
            ListingMedian         = Get-Median $listing
            CreationPhases        = $phases
        }
        $results.Add($row)
        Write-Host ("N={0}: New auto {1:N4} s, New -Subnet {2:N4} s, libvirt define+autostart {3:N4} s, Get-KimchiInterface -InUse {4:N4} s, Get-KimchiNetwork {5:N4} s" -f `
                $n, $row.CreateAutoMedian, $row.CreateExplicitMedian, $row.LibvirtDefineMedian, $row.InterfacesInUseMedian, $row.ListingMedian)
        Write-Host ("N={0}: planning a creation: ListNetworks {1:N4} s, describe every network {2:N4} s, host interfaces {3:N4} s, PlanCreate in all {4:N4} s" -f `
                $n, $phases.ListNetworks, $phases.DescribeNetworks, $phases.ListInterfaces, $phases.PlanCreate)
    }
    catch {
        [Console]::Error.WriteLine("Measure-NetworkScaling: cannot run at N=${n}: $_`n$($_.ScriptStackTrace)")
        $exitCode = 2
    }
    finally {
        if ($lab) {
            try { Stop-KimchiLab -Name $LabName } catch { Write-Warning "stopping lab ${LabName}: $_ (run tests/lab/lab-host down $LabName)" }
        }
    }
}

Write-Host ''
Write-Host "| N networks | New-KimchiNetwork auto subnet s | New-KimchiNetwork -Subnet s | libvirt define+autostart s | Get-KimchiInterface -InUse `$true s | Get-KimchiNetwork s |"
Write-Host '|---:|---:|---:|---:|---:|---:|'
foreach ($r in $results) {
    $autoText = if ($r.CreateAutoError) { 'failed' } else { '{0:N4}' -f $r.CreateAutoMedian }
    Write-Host ("| {0} | {1} | {2:N4} | {3:N4} | {4:N4} | {5:N4} |" -f $r.Networks, $autoText, $r.CreateExplicitMedian, $r.LibvirtDefineMedian, $r.InterfacesInUseMedian, $r.ListingMedian)
}
if ($OutputPath) {
    [ordered]@{ Command = "Measure-NetworkScaling.ps1 -Networks $($Sizes -join ',') -Create $Create -Repeat $Repeat"; Date = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'; Results = $results } |
        ConvertTo-Json -Depth 6 | Set-Content -Path $OutputPath -Encoding utf8NoBOM
    Write-Host "wrote $OutputPath"
}
exit $exitCode
