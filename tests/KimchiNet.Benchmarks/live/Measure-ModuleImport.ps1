#Requires -Version 7.2
<#
.SYNOPSIS
    The start-up cost of KimchiNet: a fresh `pwsh -NoProfile` importing the module and running one
    cmdlet on the demo host, against a bare `pwsh -NoProfile -c exit`.

.DESCRIPTION
    Runs every variant below as a new process of one pwsh (-Pwsh; by default the pwsh of this
    session, `$PSHOME/pwsh`), in -Repeat interleaved rounds after one untimed run each (disk cache
    warm), and prints medians and the extra time over bare pwsh. Uses hyperfine's idea without
    needing it: wall time of Process.Start .. WaitForExit with a Stopwatch. Every variant, bare
    included, is started with exactly the same launcher and arguments before -Command.

      bare                   pwsh -NoProfile -NonInteractive -c exit
      assemblies             [Reflection.Assembly]::LoadFrom of KimchiNet.Core.dll and KimchiNet.dll only
      import                 Import-Module KimchiNet.psd1
      import + cmdlet        Import-Module; Connect-KimchiHost -Demo; Get-KimchiNetwork
      import + KimchiNetDsc  Import-Module KimchiNet, then the companion module KimchiNetDsc
                             (src/KimchiNetDsc: the KimchiNetwork DSC class), as DSC users do
      empty manifest: import Import-Module of a manifest with a ModuleVersion only: what PowerShell
                             itself costs for any first import (the floor no module can go below)

    The difference between "import + KimchiNetDsc" and "import" is what the DSC class costs the DSC
    users who load it (it was a nested module of KimchiNet until 2026-11-27, paid by every import).

    Then, inside fresh processes, each step timed in order (Stopwatch) with the JIT work it
    caused (System.Runtime.JitInfo: methods compiled and JIT time on the thread running the
    step, and in the whole process, where background tier-1 recompilation adds to it):
    loading the two assemblies, Import-Module of the manifest, KimchiNetDsc's class, the first
    cmdlets; and, in another process, an empty manifest's import followed by KimchiNet's (the
    split between PowerShell's first-import cost and the module's own).

    -Pwsh chooses the PowerShell: a pwsh.dll (started as `dotnet <pwsh.dll>`), a pwsh
    executable (the apphost next to pwsh.dll, or a link to it) or a folder holding them. The
    output names it and says whether its System.Management.Automation.dll carries ReadyToRun
    code: the PowerShell dotnet tool's does not (everything is JIT-compiled), Microsoft's
    packages' does. New-ReadyToRunPwsh.ps1 makes a ReadyToRun copy of the tool to compare.

    Needs no root and no daemon (the demo host is libvirt's test driver). Exit code 2 when it
    cannot run (no built module, no such pwsh).

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/live/Measure-ModuleImport.ps1 -Repeat 15

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/live/New-ReadyToRunPwsh.ps1 -Destination /tmp/pwsh-r2r
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/live/Measure-ModuleImport.ps1 -Repeat 11 -Pwsh /tmp/pwsh-r2r/pwsh
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 1000)][int] $Repeat = 15,
    [string] $ModulePath,
    [string] $OutputPath,
    # pwsh.dll, a pwsh executable or a folder holding them; default: this session's $PSHOME/pwsh.
    [string] $Pwsh
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'LiveBench.psm1') -Force

function Stop-CannotRun([string] $Why) {
    [Console]::Error.WriteLine("Measure-ModuleImport: cannot run: $Why")
    exit 2
}

# 'ReadyToRun', 'IL only' or why neither (not found, not managed).
function Get-CodeKind([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path)) { return 'not found' }
    $stream = [IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $headers = $null
        try { $headers = $pe.PEHeaders } catch { $headers = $null }   # not a PE file at all
        $cor = if ($headers) { $headers.CorHeader }
        if ($null -eq $cor) { 'not managed' }
        elseif ($cor.ManagedNativeHeaderDirectory.Size -gt 0) { 'ReadyToRun' }
        else { 'IL only' }
        $pe.Dispose()
    }
    catch { 'not managed' }
    finally { $stream.Dispose() }
}

$Repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
if (-not $ModulePath) { $ModulePath = Join-Path $Repo 'KimchiNet.psd1' }
if (-not (Test-Path $ModulePath)) {
    Stop-CannotRun "$ModulePath not found (build first: dotnet pwsh ./build.ps1 Build)"
}
$ModulePath = (Resolve-Path $ModulePath).Path
$ModuleDir = Split-Path $ModulePath

# The launcher: the program started and the arguments before pwsh's own, the same for every run.
if (-not $Pwsh) { $Pwsh = Join-Path $PSHOME 'pwsh' }
if (-not (Test-Path -LiteralPath $Pwsh)) {
    $cmd = Get-Command $Pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $cmd) { Stop-CannotRun "no pwsh at $Pwsh" }
    $Pwsh = $cmd.Source
}
$Pwsh = (Resolve-Path -LiteralPath $Pwsh).Path
if (Test-Path -LiteralPath $Pwsh -PathType Container) {
    if (Test-Path -LiteralPath (Join-Path $Pwsh 'pwsh') -PathType Leaf) { $Pwsh = Join-Path $Pwsh 'pwsh' }
    elseif (Test-Path -LiteralPath (Join-Path $Pwsh 'pwsh.dll') -PathType Leaf) { $Pwsh = Join-Path $Pwsh 'pwsh.dll' }
    else { Stop-CannotRun "$Pwsh holds neither pwsh nor pwsh.dll" }
}
$target = [IO.File]::ResolveLinkTarget($Pwsh, $true)   # /usr/bin/pwsh -> /opt/microsoft/powershell/7/pwsh
$PwshFile = if ($target) { $target.FullName } else { $Pwsh }
$PwshHome = Split-Path $PwshFile
if ($PwshFile.EndsWith('.dll', [StringComparison]::OrdinalIgnoreCase)) {
    $dotnet = if ((Split-Path -Leaf ([Environment]::ProcessPath)) -eq 'dotnet') { [Environment]::ProcessPath }
    else { (Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source }
    if (-not $dotnet) { Stop-CannotRun "no dotnet to start $PwshFile with" }
    $Launcher = $dotnet
    $LauncherArgs = @($PwshFile)
}
else {
    $Launcher = $Pwsh
    $LauncherArgs = @()
}
$LauncherText = (@($Launcher) + $LauncherArgs) -join ' '
$SmaKind = Get-CodeKind (Join-Path $PwshHome 'System.Management.Automation.dll')
$KimchiKind = Get-CodeKind (Join-Path $ModuleDir 'bin/KimchiNet.dll')
$KimchiCoreKind = Get-CodeKind (Join-Path $ModuleDir 'bin/KimchiNet.Core.dll')

# Starts the launcher with -NoProfile -NonInteractive -Command $Command; returns seconds and stdout.
function Invoke-Pwsh([string] $Command) {
    $psi = [Diagnostics.ProcessStartInfo]::new($Launcher)
    foreach ($a in @($LauncherArgs) + @('-NoProfile', '-NonInteractive', '-Command', $Command)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $p = [Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    $p.WaitForExit()
    $sw.Stop()
    if ($p.ExitCode -ne 0) { throw "$LauncherText -c '$Command' failed ($($p.ExitCode)): $($err.Result)$($out.Result)" }
    $p.Dispose()
    [pscustomobject]@{ Seconds = $sw.Elapsed.TotalSeconds; Output = $out.Result }
}

function Invoke-Timed([string] $Command) { (Invoke-Pwsh $Command).Seconds }

# The last line of a run's output, a JSON object of step -> [ms, JIT methods, JIT ms].
function Invoke-Steps([string] $Command) {
    $line = ((Invoke-Pwsh $Command).Output -split "`n" | Where-Object { $_.Trim() } | Select-Object -Last 1)
    $line | ConvertFrom-Json -AsHashtable
}

# A scratch folder for the empty module below.
$copy = Join-Path ([IO.Path]::GetTempPath()) "kimchinet-import-$PID"
$dscPath = Join-Path $Repo 'src/KimchiNetDsc/KimchiNetDsc.psd1'
try {
    New-Item -ItemType Directory -Force $copy | Out-Null
    # An empty module: what any first Import-Module costs in PowerShell itself.
    New-Item -ItemType Directory -Force (Join-Path $copy 'Empty') | Out-Null
    $empty = Join-Path $copy 'Empty/Empty.psd1'
    Set-Content -Path $empty -Value "@{ ModuleVersion = '1.0.0' }" -Encoding utf8NoBOM

    $q = { param($p) "'" + ($p -replace "'", "''") + "'" }
    $cmdlet = 'Connect-KimchiHost -Demo | Out-Null; $null = Get-KimchiNetwork'
    $variants = [ordered]@{
        'bare'                   = 'exit'
        'assemblies'             = "`$null = [Reflection.Assembly]::LoadFrom($(& $q (Join-Path $ModuleDir 'bin/KimchiNet.Core.dll'))); `$null = [Reflection.Assembly]::LoadFrom($(& $q (Join-Path $ModuleDir 'bin/KimchiNet.dll')))"
        'import'                 = "Import-Module $(& $q $ModulePath)"
        'import + cmdlet'        = "Import-Module $(& $q $ModulePath); $cmdlet"
        'import + KimchiNetDsc'  = "Import-Module $(& $q $ModulePath); Import-Module $(& $q $dscPath)"
        'empty manifest: import' = "Import-Module $(& $q $empty)"
    }
    # Where the time goes, inside one fresh process: each step timed in order (ms), with the JIT
    # work it caused: methods compiled and JIT ms on the thread running the step (what adds to
    # its time), and in the whole process (all threads: also tier-1 recompilation in the
    # background, so JIT ms can exceed the step's). Set-Mark runs twice before the first step so
    # that its own compilation is not charged to a step.
    $markFunction = @'
$r = [ordered]@{}; $j0 = 0; $jt0 = 0.0; $a0 = 0; $at0 = 0.0
function Set-Mark([string] $Step) {
    $ms = $t.Elapsed.TotalMilliseconds
    $j = [System.Runtime.JitInfo]::GetCompiledMethodCount($true); $jt = [System.Runtime.JitInfo]::GetCompilationTime($true).TotalMilliseconds
    $a = [System.Runtime.JitInfo]::GetCompiledMethodCount($false); $at = [System.Runtime.JitInfo]::GetCompilationTime($false).TotalMilliseconds
    if ($Step) { $r[$Step] = @($ms, ($j - $script:j0), ($jt - $script:jt0), ($a - $script:a0), ($at - $script:at0)) }
    $script:j0 = $j; $script:jt0 = $jt; $script:a0 = $a; $script:at0 = $at
    $t.Restart()
}
$t = [Diagnostics.Stopwatch]::StartNew(); Set-Mark ''; Set-Mark ''
$r.'JIT before the first step (pwsh start-up)' = @(0, $j0, $jt0, $a0, $at0)
$t.Restart()
'@
    $breakdownCommand = @"
$markFunction
`$null = [Reflection.Assembly]::LoadFrom($(& $q (Join-Path $ModuleDir 'bin/KimchiNet.Core.dll'))); Set-Mark 'load KimchiNet.Core.dll'
`$null = [Reflection.Assembly]::LoadFrom($(& $q (Join-Path $ModuleDir 'bin/KimchiNet.dll'))); Set-Mark 'load KimchiNet.dll'
Import-Module $(& $q $ModulePath); Set-Mark 'Import-Module KimchiNet (manifest, cmdlets, formats)'
Import-Module $(& $q $dscPath); Set-Mark 'Import-Module KimchiNetDsc (DSC users only: parse + compile the class)'
Connect-KimchiHost -Demo | Out-Null; Set-Mark 'Connect-KimchiHost -Demo (first cmdlet, libvirt test driver)'
`$null = Get-KimchiNetwork; Set-Mark 'Get-KimchiNetwork (first call)'
`$null = Get-KimchiNetwork; Set-Mark 'Get-KimchiNetwork (second call)'
`$r | ConvertTo-Json -Compress
"@
    $emptyCommand = @"
$markFunction
Import-Module $(& $q $empty); Set-Mark 'Import-Module of an empty manifest (PowerShell''s first import)'
Import-Module $(& $q $ModulePath); Set-Mark 'then Import-Module KimchiNet: the module''s own share'
`$r | ConvertTo-Json -Compress
"@
    $steps = [System.Collections.Generic.List[object]]::new()
    $emptySteps = [System.Collections.Generic.List[object]]::new()
    for ($i = 0; $i -le $Repeat; $i++) {
        $b = Invoke-Steps $breakdownCommand
        $e = Invoke-Steps $emptyCommand
        if ($i -gt 0) { $steps.Add($b); $emptySteps.Add($e) }   # the first pair untimed
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
    Stop-CannotRun "$_"
}
finally {
    Remove-Item -Recurse -Force $copy -ErrorAction SilentlyContinue
}

# Medians per step of [ms, JIT methods, JIT ms (this thread), JIT methods, JIT ms (all threads)].
function Get-StepMedians([object[]] $Runs) {
    $result = [ordered]@{}
    foreach ($k in $Runs[0].Keys) {
        $result[$k] = @(0, 1, 2, 3, 4 | ForEach-Object { $i = $_; Get-Median @($Runs | ForEach-Object { [double]$_[$k][$i] }) })
    }
    $result
}

$median = [ordered]@{}
foreach ($k in $samples.Keys) { $median[$k] = Get-Median $samples[$k].ToArray() }
$load = ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' '
Write-Host ''
Write-Host ("fresh pwsh -NoProfile ({0}); median of {1} interleaved runs; load {2}" -f $LauncherText, $Repeat, $load)
Write-Host ("pwsh: {0} (PSHOME {1}); its System.Management.Automation.dll: {2}; KimchiNet.dll: {3}, KimchiNet.Core.dll: {4} ({5})" -f
    $PwshFile, $PwshHome, $SmaKind, $KimchiKind, $KimchiCoreKind, $ModuleDir)
Write-Host ''
Write-Host '| variant | median s | min s | max s | over bare pwsh ms |'
Write-Host '|---|---:|---:|---:|---:|'
foreach ($k in $samples.Keys) {
    $m = $samples[$k] | Measure-Object -Minimum -Maximum
    Write-Host ("| {0} | {1:N3} | {2:N3} | {3:N3} | {4:N0} |" -f $k, $median[$k], $m.Minimum, $m.Maximum, (1000 * ($median[$k] - $median.bare)))
}
Write-Host ''
Write-Host ("KimchiNetDsc's class, for DSC users: {0:N0} ms (import + KimchiNetDsc {1:N3} s - import {2:N3} s)" -f (1000 * ($median.'import + KimchiNetDsc' - $median.import)), $median.'import + KimchiNetDsc', $median.import)

$stepAll = Get-StepMedians $steps.ToArray()
$emptyAll = Get-StepMedians $emptySteps.ToArray()
$before = 'JIT before the first step (pwsh start-up)'
$stepMedian = [ordered]@{}
$stepJit = [ordered]@{}
foreach ($k in $stepAll.Keys) {
    if ($k -eq $before) { continue }
    $stepMedian[$k] = $stepAll[$k][0]
    $stepJit[$k] = [ordered]@{ Methods = $stepAll[$k][1]; JitMs = $stepAll[$k][2]; MethodsAllThreads = $stepAll[$k][3]; JitMsAllThreads = $stepAll[$k][4] }
}
$jitHeader = '| median ms | JIT methods | JIT ms | JIT methods, all threads | JIT ms, all threads |'
$jitRule = '|---:|---:|---:|---:|---:|'
Write-Host ''
Write-Host "| step inside one fresh pwsh (in order) $jitHeader"
Write-Host "|---$jitRule"
foreach ($k in $stepMedian.Keys) {
    Write-Host ("| {0} | {1:N1} | {2:N0} | {3:N1} | {4:N0} | {5:N1} |" -f $k, $stepMedian[$k], $stepJit[$k].Methods, $stepJit[$k].JitMs, $stepJit[$k].MethodsAllThreads, $stepJit[$k].JitMsAllThreads)
}
Write-Host ''
Write-Host ("{0}: {1:N0} methods, {2:N0} ms of JIT, all threads (medians)" -f $before, $stepAll[$before][3], $stepAll[$before][4])
$emptyMedian = [ordered]@{}
Write-Host ''
Write-Host "| steps inside another fresh pwsh (in order) $jitHeader"
Write-Host "|---$jitRule"
foreach ($k in $emptyAll.Keys) {
    if ($k -eq $before) { continue }
    $v = $emptyAll[$k]
    $emptyMedian[$k] = [ordered]@{ Ms = $v[0]; Methods = $v[1]; JitMs = $v[2]; MethodsAllThreads = $v[3]; JitMsAllThreads = $v[4] }
    Write-Host ("| {0} | {1:N1} | {2:N0} | {3:N1} | {4:N0} | {5:N1} |" -f $k, $v[0], $v[1], $v[2], $v[3], $v[4])
}
if ($OutputPath) {
    [ordered]@{
        Steps              = $stepMedian
        StepJit            = $stepJit
        StartupJit         = [ordered]@{ MethodsAllThreads = $stepAll[$before][3]; JitMsAllThreads = $stepAll[$before][4] }
        EmptyManifestSteps = $emptyMedian
        Command            = "Measure-ModuleImport.ps1 -Repeat $Repeat" + $(if ($PSBoundParameters.ContainsKey('Pwsh')) { " -Pwsh $Pwsh" }) + $(if ($PSBoundParameters.ContainsKey('ModulePath')) { " -ModulePath $ModulePath" })
        Date               = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'
        Load               = $load
        Pwsh               = $LauncherText
        PwshHome           = $PwshHome
        PwshReadyToRun     = $SmaKind -eq 'ReadyToRun'
        ModuleReadyToRun   = $KimchiKind -eq 'ReadyToRun'
        Median             = $median
        Samples            = $samples
    } | ConvertTo-Json -Depth 5 | Set-Content -Path $OutputPath -Encoding utf8NoBOM
    Write-Host "wrote $OutputPath"
}
exit 0
