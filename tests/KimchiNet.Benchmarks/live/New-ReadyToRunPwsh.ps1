#Requires -Version 7.2
<#
.SYNOPSIS
    Builds a ReadyToRun-compiled copy of a pwsh folder (by default the one running this script,
    e.g. the PowerShell dotnet tool's unix/ folder), so start-up benchmarks can also run against a
    pwsh like the one users install from Microsoft's packages.

.DESCRIPTION
    The PowerShell dotnet (global/local) tool ships IL-only assemblies: every PowerShell code path
    is JIT-compiled at run time. Microsoft's deb/rpm/tar packages are ReadyToRun (R2R) compiled:
    each assembly of the publish output carries precompiled native code next to its IL. This
    script makes such a copy of -Source in -Destination:

      1. gets crossgen2 the way the .NET SDK does: restores a throwaway project (TargetFramework
         of the running runtime, RuntimeIdentifier linux-<arch>, PublishReadyToRun) in a temp
         directory and reads the Microsoft.NETCore.App.Crossgen2.<rid> download dependency (name,
         version, package folder) from its obj/project.assets.json; no version is hard-coded;
      2. copies -Source into a staging directory next to -Destination;
      3. runs crossgen2 once per IL assembly (-O, --targetos/--targetarch, a reference to every
         managed assembly of the runtime directory and of the pwsh folder), in the pwsh folder
         itself and in runtimes/{unix,linux,linux-<arch>}/lib/ (the RID-specific assemblies
         the host loads on Linux); Modules/ only with -IncludeModules (Microsoft's packages
         copy the bundled modules from the Gallery as they are);
      4. skips (and reports) files that are not managed, not IL-only, reference assemblies or
         already R2R; a failed compilation keeps the IL file and is reported;
      5. writes .r2r-stamp.json and moves the staging directory to -Destination.

    Idempotent: when -Destination holds a stamp for the same source files (names, sizes,
    modification times), runtime directory and options, the copy is reused and nothing runs.
    -Force rebuilds. A non-empty -Destination without a stamp is never deleted.

    Run the copy with its own launcher (`<Destination>/pwsh`) or with `dotnet
    <Destination>/pwsh.dll`; both use the installed shared runtime.

    Exit code 0 when the copy is ready (compiled now or reused), 2 when it cannot run (no source,
    no dotnet SDK, restore or crossgen2 not found, System.Management.Automation.dll not compiled).

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/live/New-ReadyToRunPwsh.ps1
    # then: tests/KimchiNet.Benchmarks/live/Measure-ModuleImport.ps1 -Pwsh /tmp/pwsh-r2r-7.6.9/pwsh.dll
#>
[CmdletBinding()]
param(
    # Folder to create (or reuse). Default: <temp>/pwsh-r2r-<PowerShell version>.
    [string] $Destination,
    # The pwsh folder to copy: the one holding pwsh.dll and System.Management.Automation.dll.
    [string] $Source = $PSHOME,
    # The shared runtime to compile against (the one the copy will run on).
    [string] $RuntimeDirectory = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory(),
    # Also compile the assemblies of the bundled modules (Modules/).
    [switch] $IncludeModules,
    # Rebuild even when an up-to-date copy exists.
    [switch] $Force,
    # crossgen2 --parallelism (threads per compilation); 0 = crossgen2's default (all cores).
    [ValidateRange(0, 256)][int] $Parallelism = 0
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# Bumped when what this script produces changes, so older copies are rebuilt.
$FormatVersion = 1

function Stop-CannotRun([string] $Why) {
    [Console]::Error.WriteLine("New-ReadyToRunPwsh: cannot run: $Why")
    exit 2
}

# What kind of PE file this is: NotManaged, NotILOnly, ReferenceAssembly, ReadyToRun or IL.
function Get-AssemblyKind([string] $Path) {
    $stream = $null; $pe = $null
    try {
        $stream = [IO.File]::OpenRead($Path)
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        # PEHeaders throws on a file that is not PE at all (a native .so named .dll); PowerShell
        # may hand that back as $null rather than as the exception, so both mean not managed.
        $headers = $null
        try { $headers = $pe.PEHeaders } catch { $headers = $null }
        if ($null -eq $headers -or $null -eq $headers.CorHeader -or -not $pe.HasMetadata) { return 'NotManaged' }
        $cor = $headers.CorHeader
        if ($cor.ManagedNativeHeaderDirectory.Size -gt 0) { return 'ReadyToRun' }
        if (-not ($cor.Flags -band [System.Reflection.PortableExecutable.CorFlags]::ILOnly)) { return 'NotILOnly' }
        $md = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
        if ($md.IsAssembly) {
            foreach ($h in $md.GetAssemblyDefinition().GetCustomAttributes()) {
                $ctor = $md.GetCustomAttribute($h).Constructor
                if ($ctor.Kind -ne [System.Reflection.Metadata.HandleKind]::MemberReference) { continue }
                $parent = $md.GetMemberReference([System.Reflection.Metadata.MemberReferenceHandle]$ctor).Parent
                if ($parent.Kind -ne [System.Reflection.Metadata.HandleKind]::TypeReference) { continue }
                $type = $md.GetTypeReference([System.Reflection.Metadata.TypeReferenceHandle]$parent)
                if ($md.GetString($type.Name) -eq 'ReferenceAssemblyAttribute') { return 'ReferenceAssembly' }
            }
        }
        else { return 'NotManaged' }   # a bare module (.netmodule), nothing to load
        'IL'
    }
    catch { 'NotManaged' }   # unreadable headers or metadata: nothing crossgen2 could compile
    finally {
        if ($pe) { $pe.Dispose() }
        if ($stream) { $stream.Dispose() }
    }
}

# ---- inputs ---------------------------------------------------------------------------------
if (-not $IsLinux) { Stop-CannotRun 'this script builds a Linux copy and runs on Linux only' }
$arch = switch ([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture) {
    'X64' { 'x64' }
    'Arm64' { 'arm64' }
    default { Stop-CannotRun "unsupported architecture $_" }
}
$rid = "linux-$arch"
if (-not (Test-Path -LiteralPath (Join-Path $Source 'pwsh.dll')) -or
    -not (Test-Path -LiteralPath (Join-Path $Source 'System.Management.Automation.dll'))) {
    Stop-CannotRun "$Source holds no pwsh.dll and System.Management.Automation.dll"
}
$Source = (Resolve-Path -LiteralPath $Source).Path.TrimEnd('/')
if (-not (Test-Path -LiteralPath (Join-Path $RuntimeDirectory 'System.Private.CoreLib.dll'))) {
    Stop-CannotRun "$RuntimeDirectory is not a .NET runtime directory (no System.Private.CoreLib.dll)"
}
$RuntimeDirectory = (Resolve-Path -LiteralPath $RuntimeDirectory).Path.TrimEnd('/')
$runtimeVersion = Split-Path -Leaf $RuntimeDirectory
if (-not $Destination) {
    $Destination = Join-Path ([IO.Path]::GetTempPath()) "pwsh-r2r-$($PSVersionTable.PSVersion)"
}
$Destination = [IO.Path]::GetFullPath($Destination).TrimEnd('/')
if ($Destination -eq $Source -or $Destination.StartsWith("$Source/") -or $Source.StartsWith("$Destination/")) {
    Stop-CannotRun "-Destination $Destination must be outside -Source $Source"
}
$stampPath = Join-Path $Destination '.r2r-stamp.json'

# The source's identity: every file's relative path, size and modification time.
$sha = [System.Security.Cryptography.IncrementalHash]::CreateHash([System.Security.Cryptography.HashAlgorithmName]::SHA256)
foreach ($f in (Get-ChildItem -LiteralPath $Source -Recurse -File -Force | Sort-Object FullName)) {
    $line = '{0}|{1}|{2}' -f $f.FullName.Substring($Source.Length), $f.Length, $f.LastWriteTimeUtc.Ticks
    $sha.AppendData([Text.Encoding]::UTF8.GetBytes("$line`n"))
}
$sourceFingerprint = [Convert]::ToHexString($sha.GetHashAndReset())
$sha.Dispose()
$wanted = [ordered]@{
    FormatVersion     = $FormatVersion
    Source            = $Source
    SourceFingerprint = $sourceFingerprint
    RuntimeDirectory  = $RuntimeDirectory
    Rid               = $rid
    IncludeModules    = [bool]$IncludeModules
}

# ---- reuse ----------------------------------------------------------------------------------
if ((Test-Path -LiteralPath $stampPath) -and -not $Force) {
    $stamp = $null
    try { $stamp = Get-Content -Raw -LiteralPath $stampPath | ConvertFrom-Json -AsHashtable } catch { $stamp = $null }
    $same = $null -ne $stamp
    if ($same) { foreach ($k in $wanted.Keys) { if (-not $stamp.ContainsKey($k) -or "$($stamp[$k])" -ne "$($wanted[$k])") { $same = $false } } }
    $sma = Join-Path $Destination 'System.Management.Automation.dll'
    if ($same -and (Test-Path -LiteralPath $sma) -and (Get-AssemblyKind $sma) -eq 'ReadyToRun') {
        Write-Host "up to date: $Destination (built $($stamp.Date) with crossgen2 $($stamp.Crossgen2Version) from $Source; $(@($stamp.Compiled).Count) assemblies compiled in $($stamp.Seconds) s); -Force rebuilds"
        exit 0
    }
    Write-Host "rebuilding $Destination (its stamp does not match this source, runtime or options)"
}
elseif ((Test-Path -LiteralPath $Destination) -and -not (Test-Path -LiteralPath $stampPath) -and
    @(Get-ChildItem -LiteralPath $Destination -Force).Count -gt 0) {
    Stop-CannotRun "$Destination exists, is not empty and was not made by this script (no .r2r-stamp.json); choose another -Destination"
}

# ---- crossgen2, the SDK's way ---------------------------------------------------------------
$dotnet = (Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
if (-not $dotnet) {
    $candidate = Join-Path (Split-Path ([Environment]::ProcessPath)) 'dotnet'
    if (Test-Path -LiteralPath $candidate) { $dotnet = $candidate } else { Stop-CannotRun 'no dotnet on PATH' }
}
$tfm = 'net{0}.{1}' -f [Environment]::Version.Major, [Environment]::Version.Minor
$probe = Join-Path ([IO.Path]::GetTempPath()) "crossgen2-probe-$PID"
$clock = [Diagnostics.Stopwatch]::StartNew()
try {
    New-Item -ItemType Directory -Force $probe | Out-Null
    # Empty Directory.Build.* so nothing above the temp directory leaks into the probe project.
    Set-Content -LiteralPath (Join-Path $probe 'Directory.Build.props') -Value '<Project />'
    Set-Content -LiteralPath (Join-Path $probe 'Directory.Build.targets') -Value '<Project />'
    Set-Content -LiteralPath (Join-Path $probe 'probe.csproj') -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>$tfm</TargetFramework>
    <RuntimeIdentifier>$rid</RuntimeIdentifier>
    <SelfContained>false</SelfContained>
    <PublishReadyToRun>true</PublishReadyToRun>
  </PropertyGroup>
</Project>
"@
    $restoreOutput = & $dotnet @('restore', (Join-Path $probe 'probe.csproj'), '--nologo', '-v', 'q') 2>&1
    if ($LASTEXITCODE -ne 0) { Stop-CannotRun "dotnet restore of a $tfm/$rid PublishReadyToRun project failed: $($restoreOutput -join "`n")" }
    $assets = Get-Content -Raw -LiteralPath (Join-Path $probe 'obj/project.assets.json') | ConvertFrom-Json -AsHashtable
    $packName = "Microsoft.NETCore.App.Crossgen2.$rid"
    $dependency = @($assets.project.frameworks.Values | ForEach-Object { $_['downloadDependencies'] } |
        Where-Object { $_ -and $_.name -eq $packName }) | Select-Object -First 1
    if (-not $dependency) { Stop-CannotRun "the restore of a PublishReadyToRun project asked for no $packName (SDK $(& $dotnet --version))" }
    $crossgenVersion = $dependency.version -replace '^\[([^,\]]+).*$', '$1'
    $crossgen = $null
    foreach ($folder in $assets.packageFolders.Keys) {
        $candidate = Join-Path $folder "$($packName.ToLowerInvariant())/$crossgenVersion/tools/crossgen2"
        if (Test-Path -LiteralPath $candidate) { $crossgen = $candidate; break }
    }
    if (-not $crossgen) { Stop-CannotRun "$packName $crossgenVersion was restored but tools/crossgen2 is not in $($assets.packageFolders.Keys -join ', ')" }
}
finally {
    Remove-Item -Recurse -Force -LiteralPath $probe -ErrorAction SilentlyContinue
}
Write-Host ("crossgen2 {0}: {1} (restore {2:N1} s)" -f $crossgenVersion, $crossgen, $clock.Elapsed.TotalSeconds)

# ---- copy -----------------------------------------------------------------------------------
$staging = "$Destination.partial-$PID"
$outDir = Join-Path $staging '.r2r-out'
$compiled = [System.Collections.Generic.List[object]]::new()
$skipped = [System.Collections.Generic.List[object]]::new()
$failed = [System.Collections.Generic.List[object]]::new()
$total = [Diagnostics.Stopwatch]::StartNew()
try {
    Remove-Item -Recurse -Force -LiteralPath $staging -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force $staging | Out-Null
    # File.Copy keeps the Unix mode bits, so the copy's pwsh launcher stays executable.
    foreach ($f in Get-ChildItem -LiteralPath $Source -Recurse -Force) {
        $target = Join-Path $staging $f.FullName.Substring($Source.Length + 1)
        if ($f.PSIsContainer) { New-Item -ItemType Directory -Force $target | Out-Null }
        else { [IO.File]::Copy($f.FullName, $target, $true) }
    }
    New-Item -ItemType Directory -Force $outDir | Out-Null

    # The assemblies to compile, relative to the pwsh folder.
    $inputs = [System.Collections.Generic.List[string]]::new()
    foreach ($f in Get-ChildItem -LiteralPath $staging -Filter *.dll -File) { $inputs.Add($f.Name) }
    foreach ($r in 'unix', 'linux', $rid) {
        $lib = Join-Path $staging "runtimes/$r/lib"
        if (Test-Path -LiteralPath $lib) {
            foreach ($f in Get-ChildItem -LiteralPath $lib -Recurse -Filter *.dll -File) { $inputs.Add($f.FullName.Substring($staging.Length + 1)) }
        }
    }
    if ($IncludeModules -and (Test-Path -LiteralPath (Join-Path $staging 'Modules'))) {
        foreach ($f in Get-ChildItem -LiteralPath (Join-Path $staging 'Modules') -Recurse -Filter *.dll -File) { $inputs.Add($f.FullName.Substring($staging.Length + 1)) }
    }

    # References: managed assemblies by simple name; the runtime's first, then the pwsh folder's
    # (the input's own folder is added per input). Same names later in the list are dropped.
    $managedIn = @{}
    function Get-ManagedDll([string] $Dir) {
        if (-not $managedIn.ContainsKey($Dir)) {
            $managedIn[$Dir] = @(Get-ChildItem -LiteralPath $Dir -Filter *.dll -File |
                Where-Object { (Get-AssemblyKind $_.FullName) -ne 'NotManaged' } | ForEach-Object FullName)
        }
        $managedIn[$Dir]
    }
    # Reference the originals in -Source, not the staging files being replaced one by one.
    $baseRefs = @(Get-ManagedDll $RuntimeDirectory) + @(Get-ManagedDll $Source)

    foreach ($rel in $inputs) {
        $path = Join-Path $staging $rel
        $kind = Get-AssemblyKind $path
        if ($kind -ne 'IL') {
            $skipped.Add([pscustomobject]@{ Assembly = $rel; Reason = $kind })
            continue
        }
        $name = [IO.Path]::GetFileNameWithoutExtension($rel)
        $refs = [System.Collections.Generic.List[string]]::new()
        $seen = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
        $null = $seen.Add($name)
        $ownDir = Split-Path (Join-Path $Source $rel)
        foreach ($r in @($baseRefs) + @(if ($ownDir -ne $Source) { Get-ManagedDll $ownDir })) {
            if ($seen.Add([IO.Path]::GetFileNameWithoutExtension($r))) { $refs.Add($r) }
        }
        $out = Join-Path $outDir ([IO.Path]::GetFileName($rel))
        $argv = [System.Collections.Generic.List[string]]::new()
        $argv.Add($path)
        $argv.Add('-o'); $argv.Add($out)
        $argv.Add('-O')
        $argv.Add('--targetos'); $argv.Add('linux')
        $argv.Add('--targetarch'); $argv.Add($arch)
        if ($Parallelism -gt 0) { $argv.Add('--parallelism'); $argv.Add("$Parallelism") }
        foreach ($r in $refs) { $argv.Add('-r'); $argv.Add($r) }

        $psi = [Diagnostics.ProcessStartInfo]::new($crossgen)
        foreach ($a in $argv) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $p = [Diagnostics.Process]::Start($psi)
        $stdout = $p.StandardOutput.ReadToEndAsync()
        $stderr = $p.StandardError.ReadToEndAsync()
        $p.WaitForExit()
        $sw.Stop()
        $exit = $p.ExitCode
        $p.Dispose()
        $message = (($stderr.Result, $stdout.Result) -join "`n").Trim()
        $outKind = if (Test-Path -LiteralPath $out) { Get-AssemblyKind $out } else { 'missing' }
        if ($exit -ne 0 -or $outKind -ne 'ReadyToRun') {
            $first = ($message -split "`n" | Where-Object { $_ -match '\S' } | Select-Object -First 1)
            $failed.Add([pscustomobject]@{ Assembly = $rel; ExitCode = $exit; Output = $outKind; Message = "$first" })
            Write-Host ("  FAILED   {0} (exit {1}, output {2}): {3}" -f $rel, $exit, $outKind, $first)
            Remove-Item -Force -LiteralPath $out -ErrorAction SilentlyContinue
            continue
        }
        $ilSize = (Get-Item -LiteralPath $path).Length
        [IO.File]::Copy($out, $path, $true)
        Remove-Item -Force -LiteralPath $out
        $r2rSize = (Get-Item -LiteralPath $path).Length
        $compiled.Add([pscustomobject]@{ Assembly = $rel; Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 2); ILBytes = $ilSize; R2RBytes = $r2rSize })
        Write-Host ("  compiled {0,-70} {1,6:N1} s  {2,9:N0} -> {3,10:N0} bytes" -f $rel, $sw.Elapsed.TotalSeconds, $ilSize, $r2rSize)
        if ($message -and $message -match '(?i)warning|error') { Write-Verbose "$rel`: $message" }
    }
    Remove-Item -Recurse -Force -LiteralPath $outDir

    if ((Get-AssemblyKind (Join-Path $staging 'System.Management.Automation.dll')) -ne 'ReadyToRun') {
        Stop-CannotRun "System.Management.Automation.dll did not compile; the copy would not be a ReadyToRun pwsh"
    }
    $total.Stop()
    $stamp = [ordered]@{}
    foreach ($k in $wanted.Keys) { $stamp[$k] = $wanted[$k] }
    $stamp.Date = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'
    $stamp.RuntimeVersion = $runtimeVersion
    $stamp.Crossgen2Version = $crossgenVersion
    $stamp.Crossgen2 = $crossgen
    $stamp.Seconds = [math]::Round($total.Elapsed.TotalSeconds, 1)
    $stamp.Compiled = $compiled
    $stamp.Skipped = $skipped
    $stamp.Failed = $failed
    $stamp | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $staging '.r2r-stamp.json') -Encoding utf8NoBOM

    # Swap in: only a directory this script made (stamped) is ever removed.
    if (Test-Path -LiteralPath $Destination) {
        if (-not (Test-Path -LiteralPath $stampPath) -and @(Get-ChildItem -LiteralPath $Destination -Force).Count -gt 0) {
            Stop-CannotRun "$Destination appeared meanwhile and was not made by this script"
        }
        Remove-Item -Recurse -Force -LiteralPath $Destination
    }
    $parent = Split-Path $Destination
    if ($parent -and -not (Test-Path -LiteralPath $parent)) { New-Item -ItemType Directory -Force $parent | Out-Null }
    [IO.Directory]::Move($staging, $Destination)
}
finally {
    if (Test-Path -LiteralPath $staging) { Remove-Item -Recurse -Force -LiteralPath $staging -ErrorAction SilentlyContinue }
}

# ---- report ---------------------------------------------------------------------------------
$compileSeconds = ($compiled | Measure-Object Seconds -Sum).Sum
Write-Host ''
Write-Host ("ReadyToRun pwsh: {0}" -f $Destination)
Write-Host ("  from {0}; runtime {1}; crossgen2 {2} ({3})" -f $Source, $RuntimeDirectory, $crossgenVersion, $rid)
Write-Host ("  compiled {0} assemblies in {1:N1} s of crossgen2 ({2:N1} s in all); IL {3:N1} MB -> R2R {4:N1} MB" -f $compiled.Count, $compileSeconds, $total.Elapsed.TotalSeconds,
    (($compiled | Measure-Object ILBytes -Sum).Sum / 1MB), (($compiled | Measure-Object R2RBytes -Sum).Sum / 1MB))
foreach ($g in ($skipped | Group-Object Reason)) {
    Write-Host ("  skipped {0} ({1}): {2}" -f $g.Count, $g.Name, (($g.Group | ForEach-Object Assembly) -join ', '))
}
if ($failed.Count) {
    Write-Host ("  failed {0}, kept as IL: {1}" -f $failed.Count, (($failed | ForEach-Object { "$($_.Assembly) ($($_.Message))" }) -join '; '))
}
Write-Host ("  run it: dotnet {0}/pwsh.dll   or   {0}/pwsh" -f $Destination)
exit 0
