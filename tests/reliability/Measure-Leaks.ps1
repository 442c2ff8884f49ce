#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Runs many create/get/start/stop/remove cycles in one PowerShell session against a lab host and
    samples what would grow if something leaked.

.DESCRIPTION
    Starts a lab host of its own (tests/lab/README.md; root), imports the built module (run
    build.ps1 Build first), then repeats -Cycles times, on one isolated network with an explicit
    subnet: New-KimchiNetwork, Get-KimchiNetwork, Start-KimchiNetwork, Stop-KimchiNetwork,
    Remove-KimchiNetwork. Every -SampleEvery cycles (and before the first) it samples:
      Managed   GC.GetTotalMemory(forceFullCollection: true), in KiB
      RssKiB    this process's resident set (VmRSS of /proc/self/status), and its parts:
      RssAnon   private memory (a native leak shows here)
      RssFile   pages of mapped files (libraries touched late)
      RssShmem  shared memory, which holds the JIT's code (memfd:doublemapper)
      Jitted    methods the JIT has compiled (System.Runtime.JitInfo): growth here is code, not a leak
      Fds       open file descriptors of this process (/proc/self/fd)
      Clients   libvirtd's client connections (virt-admin srv-clients-list libvirtd on the lab's admin socket)
      DaemonRss libvirtd's resident set, in KiB
    and prints the table, then whether each series levels off: the growth over the second half of
    the samples compared with the first half (warm-up). It does not fail on growth (no thresholds):
    it reports. It fails only when a cycle fails. Not part of build.ps1 Test; build.ps1 Fuzz runs it
    when KIMCHINET_LEAK_CYCLES is set.

.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh tests/reliability/Measure-Leaks.ps1 -Cycles 2000
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 1000000)] [int] $Cycles = 10000,
    [ValidateRange(1, 1000000)] [int] $SampleEvery = 500,
    [string] $LabName = "leak$PID",
    # Writes the samples as CSV here too.
    [string] $CsvPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
Import-Module (Join-Path $root 'KimchiNet.psd1') -Force
Import-Module (Join-Path $root 'tests/lab/KimchiLab.psm1') -Force
$state = "/run/kimchinet-lab/$LabName"

function Get-Sample([int] $Cycle) {
    $status = Get-Content -LiteralPath /proc/self/status
    $kib = { param($Field) [long](($status | Where-Object { $_ -match "^${Field}:" }) -replace '\D', '') }
    $fds = @(Get-ChildItem -LiteralPath /proc/self/fd -ErrorAction SilentlyContinue).Count
    $admin = Invoke-KimchiLabProcess -FilePath virt-admin -ArgumentList '-c', "libvirtd:///system?socket=$state/sock/libvirt-admin-sock", 'srv-clients-list', 'libvirtd'
    if ($admin.ExitCode -ne 0) { throw "virt-admin failed: $($admin.Error.Trim())" }
    # The table has a header and a dashed line; each further non-empty line is one client.
    $clients = @($admin.Output -split "`n" | Select-Object -Skip 2 | Where-Object { $_.Trim() }).Count
    $daemonPid = (Get-Content -LiteralPath "$state/libvirtd.pid" -Raw).Trim()
    $daemonRss = [long]((Get-Content -LiteralPath "/proc/$daemonPid/status" | Where-Object { $_ -match '^VmRSS:' }) -replace '\D', '')
    [pscustomobject]@{
        Cycle     = $Cycle
        Seconds   = [math]::Round($script:clock.Elapsed.TotalSeconds, 1)
        Managed   = [long]([GC]::GetTotalMemory($true) / 1KB)
        RssKiB    = & $kib VmRSS
        RssAnon   = & $kib RssAnon
        RssFile   = & $kib RssFile
        RssShmem  = & $kib RssShmem
        Jitted    = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
        Fds       = $fds
        Clients   = $clients
        DaemonRss = $daemonRss
    }
}

$lab = Start-KimchiLab -Name $LabName -Nics 1
try {
    $uri = $lab.Uri
    Write-Host "lab $LabName up: $uri; $Cycles cycles, a sample every $SampleEvery"
    $script:clock = [System.Diagnostics.Stopwatch]::StartNew()
    # One call first, so the connection (opened once per session) is in the baseline.
    $null = Get-KimchiNetwork -Uri $uri
    $samples = [System.Collections.Generic.List[object]]::new()
    $samples.Add((Get-Sample 0))
    for ($i = 1; $i -le $Cycles; $i++) {
        $null = New-KimchiNetwork -Uri $uri -Name leak -Connection Isolated -Subnet 10.95.0.0/24
        $got = Get-KimchiNetwork -Uri $uri -Name leak
        if ($got.Name -ne 'leak') { throw "cycle ${i}: Get-KimchiNetwork returned '$($got.Name)'" }
        Start-KimchiNetwork -Uri $uri -Name leak -Confirm:$false
        Stop-KimchiNetwork -Uri $uri -Name leak -Force -Confirm:$false
        Remove-KimchiNetwork -Uri $uri -Name leak -Force -Confirm:$false
        if ($i % $SampleEvery -eq 0) {
            $sample = Get-Sample $i
            $samples.Add($sample)
            Write-Host ($sample | Format-Table -Property * -HideTableHeaders | Out-String -Width 250).Trim()
        }
    }
    $samples | Format-Table -Property * -AutoSize | Out-String -Width 250 | Write-Host
    if ($CsvPath) { $samples | Export-Csv -LiteralPath $CsvPath -NoTypeInformation }

    if ($samples.Count -ge 3) {
        $mid = [int][math]::Floor(($samples.Count - 1) / 2)
        foreach ($series in 'Managed', 'RssKiB', 'RssAnon', 'RssFile', 'RssShmem', 'Jitted', 'Fds', 'Clients', 'DaemonRss') {
            $first = $samples[$mid].$series - $samples[0].$series
            $second = $samples[-1].$series - $samples[$mid].$series
            $verdict = if ($second -le 0) { 'levels off (no growth in the second half)' }
            elseif ($second -lt $first) { 'growth slows down' }
            else { 'keeps growing' }
            Write-Host ("{0,-9} start {1,8}  middle {2,8}  end {3,8}  first half {4,8}  second half {5,8}: {6}" -f
                $series, $samples[0].$series, $samples[$mid].$series, $samples[-1].$series, $first, $second, $verdict)
        }
    }
    Write-Host ("{0} cycles in {1:N0} s ({2:N1} ms a cycle)" -f $Cycles, $script:clock.Elapsed.TotalSeconds, ($script:clock.Elapsed.TotalMilliseconds / $Cycles))
}
finally {
    Stop-KimchiLab -Name $LabName
}
