#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and packages KimchiNet.

.DESCRIPTION
    Named tasks, run in the order given:
      Bootstrap  installs what is missing: Debian packages (as root), the local dotnet tools, Pester.
      Clean      removes build output.
      Build      publishes the module into bin/ and its help into en-US/ (beside KimchiNet.psd1).
      Docs       builds only the help (en-US/KimchiNet.dll-Help.xml) from docs/en-US/*.md.
      Test       Bootstrap + Build, then xUnit and Pester; prints one "N passed, N failed, N skipped" line.
      Demo       Bootstrap + Build, then the demo on the embedded demo host (no daemon, no root).
      Pack       out/KimchiNet/ and out/KimchiNetDsc/ (the module folders) and their .nupkg files in out/repo/, from the last build.
      Package    Build, then Pack.
      LabUp      starts isolated lab hosts (-LabName; root) and prints their libvirt URIs; see tests/lab/README.md.
      LabDown    stops them (or every lab host with -LabName *).
      FreshMachine  the README's two commands in a bare Debian 12 root built with mmdebstrap (root;
                 minutes; not part of Test): proves that nothing installed by hand is needed.

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Bootstrap', 'Clean', 'Build', 'Docs', 'Test', 'Demo', 'Pack', 'Package', 'LabUp', 'LabDown', 'Bench', 'Fuzz', 'FreshMachine')]
    [string[]] $Task = 'Build',

    # The lab hosts LabUp starts and LabDown stops (network namespaces kn-NAME with their own libvirtd).
    [string[]] $LabName = @('lab1'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
# From a shell (pwsh -File), '-LabName a,b' arrives as one string.
$LabName = @($LabName -split ',' | Where-Object { $_ })
$Version = (Import-PowerShellDataFile (Join-Path $Root 'KimchiNet.psd1')).ModuleVersion
$Solution = Join-Path $Root 'src/KimchiNet.slnx'
$BinDir = Join-Path $Root 'bin'
$HelpDir = Join-Path $Root 'en-US'
$ResultsDir = Join-Path $Root 'out/test-results'
# The pwsh of this very session (the dotnet tool's apphost), for child runs that must load the module fresh.
$Pwsh = Join-Path $PSHOME 'pwsh'

# What a machine needs beyond Debian's base system and the .NET SDK: the Debian packages of the
# demo and of the tests, and every external program that src/ and tests/ start with the package
# that provides it (tests/KimchiNet.Tests/Dependencies.Tests.ps1 keeps that list complete).
$Dependencies = Import-PowerShellDataFile (Join-Path $Root 'tests/tools/Dependencies.psd1')
$BootstrapLog = Join-Path $Root 'out/bootstrap.log'

function Invoke-Native {
    <# Runs a program with an argument list and throws when it exits non-zero. #>
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    Write-Verbose "> $FilePath $($ArgumentList -join ' ')"
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-PesterModulePath {
    $packages = (& dotnet nuget locals global-packages --list --force-english-output) -replace '^global-packages:\s*', ''
    Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
}

function Invoke-Step {
    <#
        Runs one set-up step as one line on the screen. The program's whole output goes to
        out/bootstrap.log; when the step fails, the log's tail is shown and the step throws.
    #>
    param([Parameter(Mandatory)] [string] $Title, [Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    New-Item -ItemType Directory -Force (Split-Path $BootstrapLog) | Out-Null
    Add-Content -LiteralPath $BootstrapLog -Value "`n> $FilePath $($ArgumentList -join ' ')"
    Write-Host -NoNewline "$Title ... "
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $FilePath @ArgumentList *>> $BootstrapLog
    $exit = $LASTEXITCODE
    if ($exit -ne 0) {
        Write-Host 'failed'
        Get-Content -LiteralPath $BootstrapLog -Tail 40 | ForEach-Object { Write-Host "    $_" }
        throw "$Title failed ('$FilePath $($ArgumentList -join ' ')' exited with $exit); the whole log is $BootstrapLog."
    }
    Write-Host ('done ({0:N0} s)' -f $watch.Elapsed.TotalSeconds)
}

function Get-MissingDebianPackage {
    param([string[]] $Name)
    @($Name | Where-Object {
            $status = & dpkg-query -W -f='${Status}' $_ 2>$null
            $LASTEXITCODE -ne 0 -or $status -notmatch 'install ok installed'
        })
}

function Assert-ProgramsOnPath {
    <# Every program the code starts must resolve on PATH (or be at its OffPath path); names the missing ones and their packages. #>
    $missing = foreach ($entry in $Dependencies.Programs.GetEnumerator()) {
        # A program started by its absolute path outside PATH (OffPath) must be at that path.
        $offPath = $Dependencies['OffPath'] ? $Dependencies.OffPath[$entry.Key] : $null
        $found = if ($offPath) { Test-Path -LiteralPath $offPath -PathType Leaf } else { [bool](Get-Command -Name $entry.Key -CommandType Application -ErrorAction Ignore) }
        if (-not $found) {
            "$($entry.Key) (Debian package $($entry.Value))"
        }
    }
    if ($missing) {
        throw "Not found on PATH after Bootstrap: $($missing -join ', '). tests/tools/Dependencies.psd1 names the packages; install them or fix the list."
    }
    Write-Host "Programs: all $($Dependencies.Programs.Count) that src/ and tests/ start are on PATH"
}

function Install-DebianPackage {
    <# Installs the packages of -Name that are missing (as root; otherwise throws with the apt-get line to run), and checks they are there. #>
    param([Parameter(Mandatory)] [string[]] $Name)
    $missing = @(Get-MissingDebianPackage $Name)
    if (-not $missing) { return }
    if ((& id -u) -ne '0') {
        throw "Missing Debian packages: $($missing -join ' '). Run as root: apt-get update && apt-get install -y --no-install-recommends $($missing -join ' ')"
    }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Step 'apt-get update' apt-get @('update')
    Invoke-Step "Installing $($missing.Count) Debian packages: $($missing -join ' ')" apt-get (@('install', '-y', '--no-install-recommends') + $missing)
    $still = @(Get-MissingDebianPackage $missing)
    if ($still) { throw "apt-get did not install: $($still -join ' '); see $BootstrapLog." }
}

function Invoke-Bootstrap {
    <# -For Demo installs what the demo needs; -For Test what the build and every test need. #>
    param([ValidateSet('Demo', 'Test')] [string] $For = 'Test')
    Write-Host "dotnet $(& dotnet --version), PowerShell $($PSVersionTable.PSVersion)"
    Install-DebianPackage @($Dependencies[$For])
    Invoke-Step 'dotnet tool restore' dotnet @('tool', 'restore')
    if ($For -eq 'Test') {
        if (-not (Test-Path (Get-PesterModulePath))) {
            Invoke-Step 'Pester 5.7.1 from the NuGet feed' dotnet @('restore', (Join-Path $Root 'tests/tools/Pester.proj'))
        }
        Assert-ProgramsOnPath
    }
}

function Invoke-Clean {
    foreach ($dir in $BinDir, $HelpDir, (Join-Path $Root 'out')) {
        if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    }
    Invoke-Native dotnet @('clean', $Solution, '-c', $Configuration, '--nologo', '-v', 'q')
}

function Invoke-Build {
    Invoke-Native dotnet @('build', $Solution, '-c', $Configuration, "-p:Version=$Version", '--nologo', '-v', 'q')
    # Publish adds to a folder: start empty so that nothing a source tree no longer has is shipped.
    if (Test-Path $BinDir) { Remove-Item -Recurse -Force $BinDir }
    Invoke-Native dotnet @(
        'publish', (Join-Path $Root 'src/KimchiNet/KimchiNet.csproj'), '-c', $Configuration,
        "-p:Version=$Version", '-o', $BinDir, '--no-build', '--nologo', '-v', 'q')
    Invoke-Docs
}

function Invoke-Docs {
    $builder = Join-Path $Root 'src/KimchiNet.HelpBuilder/KimchiNet.HelpBuilder.csproj'
    Invoke-Native dotnet @('run', '--project', $builder, '-c', $Configuration, '--no-build', '--',
        (Join-Path $Root 'docs/en-US'), $HelpDir)
    if (-not (Test-Path (Join-Path $HelpDir 'KimchiNet.dll-Help.xml'))) {
        throw 'The help builder ran but en-US/KimchiNet.dll-Help.xml is missing.'
    }
}

function Get-TrxCounts {
    param([string] $Folder)
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($file in Get-ChildItem -Path $Folder -Filter *.trx -Recurse -ErrorAction SilentlyContinue) {
        $ns = @{ t = 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010' }
        $counters = (Select-Xml -LiteralPath $file.FullName -XPath '//t:ResultSummary/t:Counters' -Namespace $ns).Node
        $counts.Passed += [int]$counters.passed
        $counts.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        # xUnit skips show as tests counted but not executed.
        $counts.Skipped += [int]$counters.total - [int]$counters.executed
    }
    $counts
}

function Invoke-Test {
    $started = Get-Date
    if (Test-Path $ResultsDir) { Remove-Item -Recurse -Force $ResultsDir }
    New-Item -ItemType Directory -Force $ResultsDir | Out-Null

    Write-Host "`n=== xUnit ===" -ForegroundColor Cyan
    & dotnet test $Solution -c $Configuration --no-build --nologo `
        --logger 'trx' --logger 'console;verbosity=minimal' --results-directory (Join-Path $ResultsDir 'xunit')
    $xunitExit = $LASTEXITCODE
    $xunit = Get-TrxCounts (Join-Path $ResultsDir 'xunit')
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) {
        # dotnet test failed without a failed test (a crash, a build error): count it as one failure.
        $xunit.Failed = 1
    }

    Write-Host "`n=== Pester ===" -ForegroundColor Cyan
    $pesterJson = Join-Path $ResultsDir 'pester.json'
    # Pester runs in a child pwsh so the module under test loads fresh, as a user's session would.
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Invoke-PesterTests.ps1') `
        -PesterPath (Get-PesterModulePath) -TestPath (Join-Path $Root 'tests/KimchiNet.Tests') -ResultPath $pesterJson
    $pesterExit = $LASTEXITCODE
    $pester = if (Test-Path $pesterJson) { Get-Content $pesterJson -Raw | ConvertFrom-Json } else { $null }
    if ($null -eq $pester) {
        $pester = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    elseif ($pesterExit -ne 0 -and $pester.Failed -eq 0) {
        $pester.Failed = 1
    }

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    Write-Host ("`nxUnit: {0} passed, {1} failed, {2} skipped; Pester: {3} passed, {4} failed, {5} skipped; {6:N0} s in all" -f `
            $xunit.Passed, $xunit.Failed, $xunit.Skipped, $pester.Passed, $pester.Failed, $pester.Skipped, ((Get-Date) - $started).TotalSeconds)
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'docs/demo.ps1')
    if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
}

function Invoke-Pack {
    <#
        Lays out the two module folders as a user receives them, and publishes each to a local file
        repository as a .nupkg: out/KimchiNet (the module as the repository root has it, with
        docs/package/README.md as its README, and docs/concurrency.md, docs/host-networking.md and docs/fleet/, which its help names) and
        out/KimchiNetDsc (src/KimchiNetDsc, the DSC resource, which requires KimchiNet, with
        docs/dsc/README.md and the sample configuration KimchiNetworkConfiguration.ps1).
    #>
    if (-not (Test-Path (Join-Path $BinDir 'KimchiNet.dll'))) { throw 'Nothing to pack: run the Build task first.' }
    $dscSource = Join-Path $Root 'src/KimchiNetDsc'
    $dscVersion = (Import-PowerShellDataFile (Join-Path $dscSource 'KimchiNetDsc.psd1')).ModuleVersion
    if ($dscVersion -ne $Version) { throw "KimchiNetDsc.psd1 has version $dscVersion and KimchiNet.psd1 ${Version}: release them together." }
    $out = Join-Path $Root 'out'
    $moduleDir = Join-Path $out 'KimchiNet'
    $dscDir = Join-Path $out 'KimchiNetDsc'
    $repo = Join-Path $out 'repo'
    foreach ($dir in $moduleDir, $dscDir, $repo) {
        if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
        New-Item -ItemType Directory -Force $dir | Out-Null
    }
    # Every path the packaged READMEs and the help name is in the package (Package.Tests.ps1 checks).
    foreach ($item in 'KimchiNet.psd1', 'bin', 'en-US', 'docs/LICENSE') {
        Copy-Item -Recurse -Path (Join-Path $Root $item) -Destination $moduleDir
    }
    Copy-Item -Path (Join-Path $Root 'docs/package/README.md') -Destination (Join-Path $moduleDir 'README.md')
    New-Item -ItemType Directory (Join-Path $moduleDir 'docs') | Out-Null
    Copy-Item -Path (Join-Path $Root 'docs/concurrency.md') -Destination (Join-Path $moduleDir 'docs')
    # what each network manager gets for a bridge network on a NIC, and how to undo it by hand (the help names it)
    Copy-Item -Path (Join-Path $Root 'docs/host-networking.md') -Destination (Join-Path $moduleDir 'docs')
    # the sample fleet configurations that Invoke-KimchiConfiguration's help names
    Copy-Item -Path (Join-Path $Root 'docs/fleet') -Destination (Join-Path $moduleDir 'docs') -Recurse
    foreach ($item in 'src/KimchiNetDsc/KimchiNetDsc.psd1', 'src/KimchiNetDsc/KimchiNetDsc.psm1', 'docs/LICENSE', 'docs/dsc/KimchiNetworkConfiguration.ps1') {
        Copy-Item -Path (Join-Path $Root $item) -Destination $dscDir
    }
    Copy-Item -Path (Join-Path $Root 'docs/dsc/README.md') -Destination (Join-Path $dscDir 'README.md')
    $name = "KimchiNetPack$PID"
    $savedModulePath = $env:PSModulePath
    Register-PSResourceRepository -Name $name -Uri $repo -Trusted
    try {
        Publish-PSResource -Path $moduleDir -Repository $name
        # Publishing checks KimchiNetDsc's manifest, whose RequiredModules must be found by name:
        # out/ now holds KimchiNet as an installed module folder.
        $env:PSModulePath = $out + [IO.Path]::PathSeparator + $env:PSModulePath
        Publish-PSResource -Path $dscDir -Repository $name
    }
    finally {
        $env:PSModulePath = $savedModulePath
        Unregister-PSResourceRepository -Name $name
    }
    Write-Host "Module folders: $moduleDir, $dscDir"
    Get-ChildItem $repo -Filter *.nupkg | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

function Invoke-Fuzz {
    <#
        The fuzz properties of tests/KimchiNet.Core.Tests/Fuzz with a large budget (KIMCHINET_FUZZ_ITER
        cases per property, default 200,000; the megabyte ones run 1 % of it), printing how many cases
        each ran. With KIMCHINET_LEAK_CYCLES set (e.g. 2000), also the leak measurement of
        tests/reliability/Measure-Leaks.ps1 on a lab host of its own (root).
    #>
    Invoke-Native dotnet @('build', (Join-Path $Root 'tests/KimchiNet.Core.Tests/KimchiNet.Core.Tests.csproj'), '-c', $Configuration, '--nologo', '-v', 'q')
    $report = Join-Path $Root 'out/fuzz-report.txt'
    New-Item -ItemType Directory -Force (Split-Path $report) | Out-Null
    Remove-Item -LiteralPath $report -ErrorAction SilentlyContinue
    $saved = @{ Iter = $env:KIMCHINET_FUZZ_ITER; Report = $env:KIMCHINET_FUZZ_REPORT }
    if (-not $env:KIMCHINET_FUZZ_ITER) { $env:KIMCHINET_FUZZ_ITER = '200000' }
    $env:KIMCHINET_FUZZ_REPORT = $report
    $started = Get-Date
    try {
        & dotnet test (Join-Path $Root 'tests/KimchiNet.Core.Tests/KimchiNet.Core.Tests.csproj') -c $Configuration --no-build --nologo `
            --filter 'FullyQualifiedName~KimchiNet.Tests.Fuzz' --logger 'console;verbosity=minimal'
        $fuzzExit = $LASTEXITCODE
    }
    finally {
        $env:KIMCHINET_FUZZ_ITER = $saved.Iter
        $env:KIMCHINET_FUZZ_REPORT = $saved.Report
    }
    $lines = if (Test-Path $report) { @(Get-Content -LiteralPath $report) } else { @() }
    $lines | ForEach-Object { Write-Host $_ }
    $total = ($lines | ForEach-Object { if ($_ -match ': (\d+) cases') { [long]$Matches[1] } } | Measure-Object -Sum).Sum
    Write-Host ("fuzz: {0:N0} cases in all, {1:N0} s" -f $total, ((Get-Date) - $started).TotalSeconds)
    if ($fuzzExit -ne 0) { throw "A fuzz property failed (its seed is printed above; KIMCHINET_FUZZ_SEED replays it)." }
    if ($env:KIMCHINET_LEAK_CYCLES) {
        & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/reliability/Measure-Leaks.ps1') -Cycles ([int]$env:KIMCHINET_LEAK_CYCLES)
        if ($LASTEXITCODE -ne 0) { throw "Measure-Leaks.ps1 failed with exit code $LASTEXITCODE." }
    }
}

function Invoke-LabUp {
    Import-Module (Join-Path $Root 'tests/lab/KimchiLab.psm1') -Force
    Start-KimchiLab -Name $LabName | Format-Table Name, Uri, StartupSeconds -AutoSize | Out-String | Write-Host
}

function Invoke-LabDown {
    Import-Module (Join-Path $Root 'tests/lab/KimchiLab.psm1') -Force
    if ($LabName -contains '*') { Stop-KimchiLab -All } else { Stop-KimchiLab -Name $LabName }
}

function Invoke-Bench {
    <# BenchmarkDotNet suite, then live measurements on lab hosts (root), then a summary: tests/KimchiNet.Benchmarks/Invoke-Benchmarks.ps1. #>
    $probe = & /usr/bin/python3 -c 'import libvirt' 2>&1
    if ($LASTEXITCODE -ne 0) {
        if ((& id -u) -eq '0') {
            $env:DEBIAN_FRONTEND = 'noninteractive'
            Invoke-Native apt-get @('install', '-y', '-qq', 'python3-libvirt')
        }
        else { Write-Warning "python3-libvirt is missing ($probe): the live baselines need it. Run as root: apt-get install -y python3-libvirt" }
    }
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/KimchiNet.Benchmarks/Invoke-Benchmarks.ps1')
    if ($LASTEXITCODE -ne 0) { throw "The benchmarks could not all run (exit code $LASTEXITCODE): see 'Not run' above." }
}

function Invoke-FreshMachine {
    <#
        A rehearsal on a bare machine. Builds a Debian 12 root with mmdebstrap (Debian's base
        system plus tests/tools/fresh-machine-packages.txt), binds the machine's .NET SDK into it
        read-only, copies a clean clone of HEAD to /root/kimchinet, and runs the README's two
        commands there exactly as written, each as root in new mount and PID namespaces entered
        with pivot_root (tests/tools/fresh-machine-enter). Prints each one's last lines and how
        long each step took; throws when either command fails.
    #>
    if ((& id -u) -ne '0') { throw 'FreshMachine needs root (mmdebstrap, mount and PID namespaces).' }
    $readme = Get-Content -LiteralPath (Join-Path $Root 'README.md')
    $commands = [ordered]@{}
    foreach ($kind in 'Demo', 'Test') {
        $line = @($readme | Where-Object { $_ -match "^dotnet tool restore && dotnet pwsh \./build\.ps1 $kind$" })
        if ($line.Count -ne 1) { throw "README.md must show the $kind command once as a line of its own; found $($line.Count)." }
        $commands[$kind] = $line[0]
    }
    if (& git -C $Root status --porcelain) { Write-Warning 'The work tree has uncommitted changes: the rehearsal runs HEAD only.' }

    Install-DebianPackage 'mmdebstrap'
    $work = Join-Path $Root 'out/fresh-machine'
    $machine = Join-Path $work 'root'
    if (Test-Path $work) { Remove-Item -Recurse -Force $work }
    New-Item -ItemType Directory -Force $work | Out-Null
    $timings = [ordered]@{}
    $watch = [Diagnostics.Stopwatch]::StartNew()

    $include = (Get-Content -LiteralPath (Join-Path $Root 'tests/tools/fresh-machine-packages.txt') | Where-Object { $_ -and $_ -notmatch '^\s*#' }) -join ','
    $mirrors = 'deb http://deb.debian.org/debian bookworm main', 'deb http://deb.debian.org/debian bookworm-updates main',
    'deb http://deb.debian.org/debian-security bookworm-security main'
    Invoke-Step 'mmdebstrap: a bare Debian 12 root' mmdebstrap (@('--variant=important', "--include=$include",
            '--aptopt=Acquire::Check-Valid-Until "false"', 'bookworm', $machine) + $mirrors)
    # What every machine of this kind has that mmdebstrap does not make: the trust store of its
    # package feeds' proxy, its resolver, host name and apt settings; and the SDK on PATH.
    foreach ($file in '/etc/resolv.conf', '/etc/hosts', '/etc/hostname', '/etc/ssl/certs/ca-certificates.crt') { Copy-Item -LiteralPath $file -Destination "$machine$file" -Force }
    Get-ChildItem /usr/local/share/ca-certificates -Filter *.crt -ErrorAction Ignore | Copy-Item -Destination "$machine/usr/local/share/ca-certificates/"
    Get-ChildItem /etc/apt/apt.conf.d -File | Where-Object { -not (Test-Path "$machine/etc/apt/apt.conf.d/$($_.Name)") } |
        Copy-Item -Destination "$machine/etc/apt/apt.conf.d/"
    New-Item -ItemType SymbolicLink -Path "$machine/usr/bin/dotnet" -Target /usr/share/dotnet/dotnet -Force | Out-Null
    Invoke-Step 'A clean clone of HEAD at /root/kimchinet' git @('clone', '--quiet', '--no-local', $Root, "$machine/root/kimchinet")
    $timings['bare root and clone'] = $watch.Elapsed

    # The machine's .NET and NuGet settings (telemetry off, certificate revocation mode), as CI has them.
    $environment = @('CI=true') + @(Get-ChildItem env: | Where-Object Name -Match '^(DOTNET_|NUGET_)' | ForEach-Object { "$($_.Name)=$($_.Value)" })
    $failed = @()
    foreach ($kind in $commands.Keys) {
        $log = Join-Path $work "$($kind.ToLowerInvariant()).log"
        Write-Host -NoNewline "$($commands[$kind])  (as root in the bare root; log: $log) ... "
        $started = $watch.Elapsed
        & unshare --mount --pid --fork --propagation private /bin/bash (Join-Path $Root 'tests/tools/fresh-machine-enter') `
            $machine /root/kimchinet $commands[$kind] @environment *> $log
        $exit = $LASTEXITCODE
        $timings[$kind] = $watch.Elapsed - $started
        Write-Host ('exit {0} after {1:N0} s' -f $exit, $timings[$kind].TotalSeconds)
        Get-Content -LiteralPath $log -Tail 4 | ForEach-Object { Write-Host "    $_" }
        if ($exit -ne 0) { $failed += $kind }
    }
    Write-Host ''
    foreach ($step in $timings.Keys) { Write-Host ('{0,-20} {1,6:N0} s' -f $step, $timings[$step].TotalSeconds) }
    if ($failed) { throw "On a fresh machine, the README's $($failed -join ' and ') command failed: see $work." }
    Write-Host "FreshMachine: both README commands pass on a bare Debian 12 root ($('{0:N0}' -f $watch.Elapsed.TotalSeconds) s in all)."
}

foreach ($name in $Task) {
    Write-Host "=== $name ===" -ForegroundColor Cyan
    switch ($name) {
        'Bootstrap' { Invoke-Bootstrap }
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Docs' { Invoke-Docs }
        'Test' { Invoke-Bootstrap -For Test; Invoke-Build; Invoke-Test }
        'Demo' { Invoke-Bootstrap -For Demo; Invoke-Build; Invoke-Demo }
        'Pack' { Invoke-Pack }
        'Package' { Invoke-Build; Invoke-Pack }
        'LabUp' { Invoke-LabUp }
        'LabDown' { Invoke-LabDown }
        'Bench' { Invoke-Build; Invoke-Bench }
        'Fuzz' { Invoke-Fuzz }
        'FreshMachine' { Invoke-FreshMachine }
    }
}
