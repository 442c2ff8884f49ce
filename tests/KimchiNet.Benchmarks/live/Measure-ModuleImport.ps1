#Requires -Version 7.2
<#
.SYNOPSIS
    The start-up cost of KimchiNet: a fresh `pwsh -NoProfile` importing the module and running one
    cmdlet on the demo host, against a bare `pwsh -NoProfile -c exit`.

.DESCRIPTION
    Runs every variant below as a new process (the pwsh of this session, `$PSHOME/pwsh`), in
    -Repeat interleaved rounds after one untimed run each (disk cache warm), and prints medians
    and the extra time over bare pwsh. Uses hyperfine's idea without needing it: wall time of
    Process.Start .. WaitForExit with a Stopwatch.

      bare               pwsh -NoProfile -NonInteractive -c exit
      assemblies         [Reflection.Assembly]::LoadFrom of KimchiNet.Core.dll and KimchiNet.dll only
      import             Import-Module KimchiNet.psd1
      import + cmdlet    Import-Module; Connect-KimchiHost -Demo; Get-KimchiNetwork
      no DSC: import     the same, from a throwaway copy of the module whose manifest has no
      no DSC: + cmdlet   NestedModules (the KimchiNetwork DSC class) and no DscResourcesToExport

    The difference between "import" and "no DSC: import" is the DSC class's share.
    Needs no root and no daemon (the demo host is libvirt's test driver). Exit code 2 when it
    cannot run (no built module).

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/live/Measure-ModuleImport.ps1 -Repeat 15
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 1000)][int] $Repeat = 15,
    [string] $ModulePath,
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
if (-not $ModulePath) { $ModulePath = Join-Path $Repo 'KimchiNet.psd1' }
if (-not (Test-Path $ModulePath)) {
    [Console]::Error.WriteLine("Measure-ModuleImport: cannot run: $ModulePath not found (build first: dotnet pwsh ./build.ps1 Build)")
    exit 2
}
$ModulePath = (Resolve-Path $ModulePath).Path
$ModuleDir = Split-Path $ModulePath
$Pwsh = Join-Path $PSHOME 'pwsh'

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $mid = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$mid] }
    ($sorted[$mid - 1] + $sorted[$mid]) / 2
}

function Invoke-Timed([string] $Command) {
    $psi = [Diagnostics.ProcessStartInfo]::new($Pwsh)
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $p = [Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    $p.WaitForExit()
    $sw.Stop()
    if ($p.ExitCode -ne 0) { throw "pwsh -c '$Command' failed ($($p.ExitCode)): $($err.Result)$($out.Result)" }
    $p.Dispose()
    $sw.Elapsed.TotalSeconds
}

# The throwaway copy without the DSC class: same bin/, manifest without NestedModules.
$copy = Join-Path ([IO.Path]::GetTempPath()) "kimchinet-nodsc-$PID"
try {
    New-Item -ItemType Directory -Force $copy | Out-Null
    Copy-Item -Recurse (Join-Path $ModuleDir 'bin') $copy
    if (Test-Path (Join-Path $ModuleDir 'en-US')) { Copy-Item -Recurse (Join-Path $ModuleDir 'en-US') $copy }
    $manifest = Get-Content -Raw $ModulePath
    $manifest = $manifest -replace "(?m)^\s*NestedModules\s*=.*$", '' -replace "(?m)^\s*DscResourcesToExport\s*=.*$", ''
    $noDsc = Join-Path $copy 'KimchiNet.psd1'
    Set-Content -Path $noDsc -Value $manifest -Encoding utf8NoBOM

    $q = { param($p) "'" + ($p -replace "'", "''") + "'" }
    $cmdlet = 'Connect-KimchiHost -Demo | Out-Null; $null = Get-KimchiNetwork'
    $variants = [ordered]@{
        'bare'             = 'exit'
        'assemblies'       = "`$null = [Reflection.Assembly]::LoadFrom($(& $q (Join-Path $ModuleDir 'bin/KimchiNet.Core.dll'))); `$null = [Reflection.Assembly]::LoadFrom($(& $q (Join-Path $ModuleDir 'bin/KimchiNet.dll')))"
        'import'           = "Import-Module $(& $q $ModulePath)"
        'import + cmdlet'  = "Import-Module $(& $q $ModulePath); $cmdlet"
        'no DSC: import'   = "Import-Module $(& $q $noDsc)"
        'no DSC: + cmdlet' = "Import-Module $(& $q $noDsc); $cmdlet"
    }
    # Where the time goes, inside one fresh process: each step timed in order (ms).
    $breakdownCommand = @"
`$t = [Diagnostics.Stopwatch]::StartNew(); `$r = [ordered]@{}
`$null = [Reflection.Assembly]::LoadFrom($(& $q (Join-Path $copy 'bin/KimchiNet.Core.dll'))); `$r.'load KimchiNet.Core.dll' = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
`$null = [Reflection.Assembly]::LoadFrom($(& $q (Join-Path $copy 'bin/KimchiNet.dll'))); `$r.'load KimchiNet.dll' = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
Import-Module $(& $q $noDsc); `$r.'Import-Module (manifest, cmdlets, formats; no DSC)' = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
Import-Module $(& $q (Join-Path $copy 'bin/KimchiNetwork.DscResource.psm1')); `$r.'DSC class (nested psm1: parse + compile class)' = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
Connect-KimchiHost -Demo | Out-Null; `$r.'Connect-KimchiHost -Demo (first cmdlet, libvirt test driver)' = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
`$null = Get-KimchiNetwork; `$r.'Get-KimchiNetwork (first call)' = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
`$null = Get-KimchiNetwork; `$r.'Get-KimchiNetwork (second call)' = `$t.Elapsed.TotalMilliseconds
`$r | ConvertTo-Json -Compress
"@
    $steps = [System.Collections.Generic.List[object]]::new()
    for ($i = 0; $i -le $Repeat; $i++) {
        $o = & $Pwsh -NoProfile -NonInteractive -Command $breakdownCommand
        if ($LASTEXITCODE -ne 0) { throw "breakdown run failed: $o" }
        if ($i -gt 0) { $steps.Add(($o | Select-Object -Last 1 | ConvertFrom-Json -AsHashtable)) }
    }

    $samples = [ordered]@{}
    foreach ($k in $variants.Keys) {
        $null = Invoke-Timed $variants[$k]   # untimed: file cache warm, the variant works
        $samples[$k] = [System.Collections.Generic.List[double]]::new()
    }
    for ($i = 1; $i -le $Repeat; $i++) {
        foreach ($k in $variants.Keys) { $samples[$k].Add((Invoke-Timed $variants[$k])) }
    }
}
catch {
    [Console]::Error.WriteLine("Measure-ModuleImport: cannot run: $_")
    exit 2
}
finally {
    Remove-Item -Recurse -Force $copy -ErrorAction SilentlyContinue
}

$median = [ordered]@{}
foreach ($k in $samples.Keys) { $median[$k] = Get-Median $samples[$k].ToArray() }
$load = ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' '
Write-Host ''
Write-Host ("fresh pwsh -NoProfile ({0}); median of {1} interleaved runs; load {2}" -f $Pwsh, $Repeat, $load)
Write-Host ''
Write-Host '| variant | median s | min s | max s | over bare pwsh ms |'
Write-Host '|---|---:|---:|---:|---:|'
foreach ($k in $samples.Keys) {
    $m = $samples[$k] | Measure-Object -Minimum -Maximum
    Write-Host ("| {0} | {1:N3} | {2:N3} | {3:N3} | {4:N0} |" -f $k, $median[$k], $m.Minimum, $m.Maximum, (1000 * ($median[$k] - $median.bare)))
}
Write-Host ''
Write-Host ("DSC class share of the import: {0:N0} ms (import {1:N3} s - no DSC {2:N3} s)" -f (1000 * ($median.import - $median.'no DSC: import')), $median.import, $median.'no DSC: import')
$stepMedian = [ordered]@{}
foreach ($k in $steps[0].Keys) { $stepMedian[$k] = Get-Median @($steps | ForEach-Object { $_[$k] }) }
Write-Host ''
Write-Host '| step inside one fresh pwsh (in order) | median ms |'
Write-Host '|---|---:|'
foreach ($k in $stepMedian.Keys) { Write-Host ("| {0} | {1:N1} |" -f $k, $stepMedian[$k]) }
if ($OutputPath) {
    [ordered]@{
        Steps   = $stepMedian
        Command = "Measure-ModuleImport.ps1 -Repeat $Repeat"
        Date    = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'
        Pwsh    = $Pwsh
        Median  = $median
        Samples = $samples
    } | ConvertTo-Json -Depth 5 | Set-Content -Path $OutputPath -Encoding utf8NoBOM
    Write-Host "wrote $OutputPath"
}
exit 0
