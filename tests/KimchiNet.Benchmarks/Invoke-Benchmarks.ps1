#Requires -Version 7.2
<#
.SYNOPSIS
    The whole benchmark suite: BenchmarkDotNet micro-benchmarks, then the live measurements on
    lab hosts, then one summary of medians, ratios and growth. `build.ps1 Bench` runs this.

.DESCRIPTION
    1. BenchmarkDotNet (this project, short job): validation + XML writing per connection type,
       XML reading per document, subnet planning with 10 / 1,000 / 10,000 used ranges, each with
       a baseline in the same run. Markdown in OUT/bdn/results/*-report-github.md.
    2. live/Measure-NetworkListing.ps1: Get-KimchiNetwork vs Kimchi's algorithm vs the floor at
       N,M in {50, 500} (N networks, M domains), and N=2000, M=500 once without Kimchi (quadratic).
    3. live/Measure-NetworkScaling.ps1: New-KimchiNetwork with automatic and with explicit subnet
       (median of -Create creations) and Get-KimchiInterface -InUse $true at N = 50, 500, 2000,
       with libvirt's own define + autostart cost.
    4. live/Measure-ModuleImport.ps1: a fresh pwsh importing the module and running one cmdlet
       on the demo host vs bare pwsh, and where that time goes.
    5. live/Measure-Fleet.ps1: a fleet configuration of 5 networks on each of 20 lab hosts applied
       serially and in parallel, a rerun with no changes, a host killed mid-run (docs/fleet.md).

    Steps 2-3 need root and python3-libvirt (build.ps1 Bench installs it as root). Every step
    writes JSON into -OutputDirectory; the summary is printed and written to OUT/summary.md.
    No thresholds: exit code 0 when everything ran, 2 when some step could not run (named).

.EXAMPLE
    dotnet pwsh ./build.ps1 Bench
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/Invoke-Benchmarks.ps1 -SkipLive
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 100)][int] $Repeat = 3,
    [ValidateRange(1, 100)][int] $Create = 5,
    [string] $OutputDirectory,
    [switch] $SkipMicro,
    [switch] $SkipLive,
    [switch] $SkipImport,
    [switch] $SkipFleet
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if (-not $OutputDirectory) { $OutputDirectory = Join-Path $Repo 'out/bench' }
New-Item -ItemType Directory -Force $OutputDirectory | Out-Null
$OutputDirectory = (Resolve-Path $OutputDirectory).Path
$Pwsh = Join-Path $PSHOME 'pwsh'
$Live = Join-Path $PSScriptRoot 'live'
$notRun = [System.Collections.Generic.List[string]]::new()
$inv = [Globalization.CultureInfo]::InvariantCulture

function Invoke-Step([string] $Title, [string] $Script, [string[]] $Arguments) {
    Write-Host "`n=== $Title ===" -ForegroundColor Cyan
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Live $Script) @Arguments
    if ($LASTEXITCODE -ne 0) { $notRun.Add("$Title (exit code $LASTEXITCODE)") }
}

function Read-Json([string] $Name) {
    $path = Join-Path $OutputDirectory $Name
    if (Test-Path $path) { Get-Content -Raw $path | ConvertFrom-Json -AsHashtable } else { $null }
}

function ConvertTo-Number($Value) {
    $d = 0.0
    if ($null -ne $Value -and [double]::TryParse("$Value", [Globalization.NumberStyles]::Float, $inv, [ref]$d) -and -not [double]::IsNaN($d)) { $d } else { $null }
}

function Format-Seconds($Value, [string] $Format = 'N4') { if ($null -eq $Value) { '-' } else { $Value.ToString($Format, $inv) } }
function Format-Ratio($A, $B, [string] $Format = 'N2') { if ($null -eq $A -or $null -eq $B -or $B -eq 0) { '-' } else { ($A / $B).ToString($Format, $inv) } }

$started = Get-Date
# ------------------------------------------------------------------ 1. BenchmarkDotNet
if (-not $SkipMicro) {
    Write-Host "`n=== BenchmarkDotNet (KimchiNet.Benchmarks, short job) ===" -ForegroundColor Cyan
    $project = Join-Path $PSScriptRoot 'KimchiNet.Benchmarks.csproj'
    & dotnet run -c Release --project $project -- --filter '*' --artifacts (Join-Path $OutputDirectory 'bdn')
    if ($LASTEXITCODE -ne 0) { $notRun.Add("BenchmarkDotNet (exit code $LASTEXITCODE)") }
}

# ------------------------------------------------------------------ 2-3. live, on lab hosts
$listingRuns = @(
    @{ N = 50; M = 50; Kimchi = $true }, @{ N = 50; M = 500; Kimchi = $true },
    @{ N = 500; M = 50; Kimchi = $true }, @{ N = 500; M = 500; Kimchi = $true },
    @{ N = 2000; M = 500; Kimchi = $false })
if (-not $SkipLive) {
    foreach ($run in $listingRuns) {
        $arguments = @('-Networks', "$($run.N)", '-Domains', "$($run.M)", '-Repeat', "$Repeat",
            '-OutputPath', (Join-Path $OutputDirectory "listing-$($run.N)-$($run.M).json"))
        if (-not $run.Kimchi) { $arguments += '-SkipKimchi' }
        Invoke-Step "Get-KimchiNetwork, N=$($run.N) networks, M=$($run.M) domains" 'Measure-NetworkListing.ps1' $arguments
    }
    Invoke-Step 'New-KimchiNetwork and Get-KimchiInterface -InUse at N = 50, 500, 2000' 'Measure-NetworkScaling.ps1' @(
        '-Networks', '50,500,2000', '-Create', "$Create", '-Repeat', "$([math]::Max($Repeat, 5))", '-OutputPath', (Join-Path $OutputDirectory 'scaling.json'))
}
if (-not $SkipImport) {
    Invoke-Step 'Import cost (fresh pwsh, demo host)' 'Measure-ModuleImport.ps1' @('-Repeat', "$([math]::Max(3 * $Repeat, 9))", '-OutputPath', (Join-Path $OutputDirectory 'import.json'))
}
if (-not $SkipLive -and -not $SkipFleet) {
    Invoke-Step 'Fleet configuration: 20 hosts x 5 networks, serial vs parallel, a host killed mid-run' 'Measure-Fleet.ps1' @(
        '-Hosts', '20', '-NetworksPerHost', '5', '-OutputPath', (Join-Path $OutputDirectory 'fleet.json'))
}

# ------------------------------------------------------------------ summary
$lines = [System.Collections.Generic.List[string]]::new()
$lines.Add("# KimchiNet benchmark summary, $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm', $inv)) UTC")
$lines.Add('')
$lines.Add("$([Environment]::ProcessorCount) cores; load average at the end: $(((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' '); $((Get-Date) - $started | ForEach-Object { '{0:N0} s' -f $_.TotalSeconds }) in all.")

$listing = [ordered]@{}
foreach ($run in $listingRuns) { $listing["$($run.N)/$($run.M)"] = Read-Json "listing-$($run.N)-$($run.M).json" }
if (@($listing.Values | Where-Object { $_ }).Count) {
    $lines.Add('')
    $lines.Add("## Get-KimchiNetwork (all networks with their VMs), median of $Repeat rounds")
    $lines.Add('')
    $lines.Add('| N networks / M domains | KimchiNet s | Kimchi''s algorithm s | floor s | KimchiNet/Kimchi | KimchiNet/floor | same answer |')
    $lines.Add('|---|---:|---:|---:|---:|---:|---|')
    foreach ($key in $listing.Keys) {
        $j = $listing[$key]
        if (-not $j) { $lines.Add("| $key | not run | | | | | |"); continue }
        $k = ConvertTo-Number $j.Median.KimchiNet; $ki = ConvertTo-Number $j.Median.Kimchi; $f = ConvertTo-Number $j.Median.Floor
        $same = ($j.SameAnswer.Keys | ForEach-Object { "$_ $(if ($j.SameAnswer[$_]) { 'yes' } else { 'NO' })" }) -join ', '
        $lines.Add("| $key | $(Format-Seconds $k) | $(if ($null -eq $ki) { 'skipped' } else { Format-Seconds $ki }) | $(Format-Seconds $f) | $(Format-Ratio $k $ki 'N4') | $(Format-Ratio $k $f) | $same |")
    }
    $lines.Add('')
    $lines.Add('Growth (factor of the median) at M = 500 domains, N = 50 -> 500 -> 2000 networks:')
    $lines.Add('')
    $lines.Add('| | 50/500 | 500/500 | 2000/500 | x 50->500 | x 500->2000 |')
    $lines.Add('|---|---:|---:|---:|---:|---:|')
    foreach ($m in 'KimchiNet', 'Floor', 'Kimchi') {
        $v = @('50/500', '500/500', '2000/500' | ForEach-Object { if ($listing[$_]) { ConvertTo-Number $listing[$_].Median[$m] } else { $null } })
        $lines.Add("| $m | $(Format-Seconds $v[0]) | $(Format-Seconds $v[1]) | $(Format-Seconds $v[2]) | $(Format-Ratio $v[1] $v[0] 'N1') | $(Format-Ratio $v[2] $v[1] 'N1') |")
    }
}

$scaling = Read-Json 'scaling.json'
if ($scaling) {
    $rows = @($scaling.Results)
    $lines.Add('')
    $lines.Add("## Creating one network when N networks exist (median of $Create creations) and listing interfaces")
    $lines.Add('')
    $lines.Add('| N | New-KimchiNetwork, automatic subnet s | New-KimchiNetwork -Subnet s | libvirt define + autostart (floor) s | KimchiNet -Subnet / floor | Get-KimchiInterface -InUse $true s | Get-KimchiNetwork s |')
    $lines.Add('|---:|---:|---:|---:|---:|---:|---:|')
    foreach ($r in $rows) {
        $auto = if ($r.CreateAutoError) { "failed: $($r.CreateAutoError)" } else { Format-Seconds (ConvertTo-Number $r.CreateAutoMedian) }
        $lines.Add("| $($r.Networks) | $auto | $(Format-Seconds (ConvertTo-Number $r.CreateExplicitMedian)) | $(Format-Seconds (ConvertTo-Number $r.LibvirtDefineMedian)) | $(Format-Ratio (ConvertTo-Number $r.CreateExplicitMedian) (ConvertTo-Number $r.LibvirtDefineMedian) 'N1') | $(Format-Seconds (ConvertTo-Number $r.InterfacesInUseMedian)) | $(Format-Seconds (ConvertTo-Number $r.ListingMedian)) |")
    }
    if (@($rows | Where-Object { $_['CreationPhases'] }).Count) {
        $lines.Add('')
        $lines.Add('Where a creation''s planning time goes (core, median s; the define itself is the floor column above):')
        $lines.Add('')
        $lines.Add('| N | ListNetworks (libvirt) | describe every network (.NET XML) | host interfaces | PlanCreate in all |')
        $lines.Add('|---:|---:|---:|---:|---:|')
        foreach ($r in $rows) {
            $p = $r['CreationPhases']
            if (-not $p) { continue }
            $lines.Add("| $($r.Networks) | $(Format-Seconds (ConvertTo-Number $p.ListNetworks)) | $(Format-Seconds (ConvertTo-Number $p.DescribeNetworks)) | $(Format-Seconds (ConvertTo-Number $p.ListInterfaces)) | $(Format-Seconds (ConvertTo-Number $p.PlanCreate)) |")
        }
    }
    if ($rows.Count -ge 2) {
        $lines.Add('')
        $lines.Add('| growth | ' + (($rows | Select-Object -Skip 1 | ForEach-Object { "x N $($rows[0].Networks)->$($_.Networks)" }) -join ' | ') + ' |')
        $lines.Add('|---|' + (($rows | Select-Object -Skip 1 | ForEach-Object { '---:' }) -join '|') + '|')
        foreach ($p in 'CreateAutoMedian', 'CreateExplicitMedian', 'LibvirtDefineMedian', 'InterfacesInUseMedian', 'ListingMedian') {
            $base = ConvertTo-Number $rows[0][$p]
            $lines.Add("| $p | " + (($rows | Select-Object -Skip 1 | ForEach-Object { Format-Ratio (ConvertTo-Number $_[$p]) $base 'N1' }) -join ' | ') + ' |')
        }
    }
}

$import = Read-Json 'import.json'
if ($import) {
    $bare = ConvertTo-Number $import.Median.bare
    $lines.Add('')
    $lines.Add('## Import cost: fresh `pwsh -NoProfile`, median of interleaved runs')
    $lines.Add('')
    $lines.Add('| variant | median s | over bare pwsh ms |')
    $lines.Add('|---|---:|---:|')
    foreach ($k in $import.Median.Keys) {
        $v = ConvertTo-Number $import.Median[$k]
        $lines.Add("| $k | $(Format-Seconds $v 'N3') | $((1000 * ($v - $bare)).ToString('N0', $inv)) |")
    }
    $lines.Add('')
    $lines.Add('| step inside one fresh pwsh, in order | median ms |')
    $lines.Add('|---|---:|')
    foreach ($k in $import.Steps.Keys) { $lines.Add("| $k | $((ConvertTo-Number $import.Steps[$k]).ToString('N1', $inv)) |") }
}

$fleet = Read-Json 'fleet.json'
if ($fleet) {
    $lines.Add('')
    $lines.Add("## Fleet configuration: $($fleet.Hosts) hosts x $($fleet.NetworksPerHost) networks (docs/fleet.md)")
    $lines.Add('')
    $lines.Add("serial / parallel (-ThrottleLimit $($fleet.ThrottleLimit)) from scratch: $($fleet.SerialOverParallel); peak working set $($fleet.PeakWorkingSetMiB) MiB")
    $lines.Add('')
    $lines.Add('| step | s | changed | no change | failed hosts |')
    $lines.Add('|---|---:|---:|---:|---:|')
    foreach ($step in $fleet.Steps) { $lines.Add("| $($step.Step) | $($step.Seconds) | $($step.Changed) | $($step.NoChange) | $(@($step.FailedHosts).Count) |") }
}

$bdn = Join-Path $OutputDirectory 'bdn/results'
if (Test-Path $bdn) {
    $lines.Add('')
    $lines.Add("## BenchmarkDotNet: $bdn/*-report-github.md")
}
if ($notRun.Count) {
    $lines.Add('')
    $lines.Add('## Not run')
    foreach ($n in $notRun) { $lines.Add("- $n") }
}
$summary = Join-Path $OutputDirectory 'summary.md'
$lines | Set-Content -Path $summary -Encoding utf8NoBOM
Write-Host ''
$lines | ForEach-Object { Write-Host $_ }
Write-Host "`nwrote $summary"
if ($notRun.Count) { exit 2 }
exit 0
