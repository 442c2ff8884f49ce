#Requires -Version 7.2
<#
.SYNOPSIS
    Scale proof of a fleet configuration (issue 16 item 5): -Hosts lab hosts, each with its own
    libvirtd, and a configuration of -NetworksPerHost networks per host, applied with
    Invoke-KimchiConfiguration serially and in parallel, with a host whose libvirtd is killed mid-run.

.DESCRIPTION
    A benchmark, not a test: it measures and reports, and asserts nothing about time. In order:

      serial apply      the configuration from scratch with -ThrottleLimit 1
      serial rerun      the same, again: every network must report NoChange
      reset             a configuration naming every network Ensure = Absent (applied in parallel)
      parallel apply    from scratch with -ThrottleLimit -ThrottleLimit (default 8)
      parallel rerun    again: every network NoChange
      reset
      kill mid-run      a parallel apply during which one host's libvirtd is killed (SIGKILL, as a
                        crash: lab-host kill-libvirtd) as soon as that host has its first network;
                        only that host must fail
      converge          its libvirtd started again, a rerun: only that host changes, and
                        Test-KimchiConfiguration then finds no drift anywhere

    Pooled libvirt connections are closed before every timed run, so serial and parallel runs both
    pay for opening their connections. Wall time is a Stopwatch around the cmdlet; the ratio serial /
    parallel is of the two from-scratch applies of this same run. Memory is this PowerShell
    process's working set (Process.WorkingSet64 after each step, PeakWorkingSet64 at the end).

    Needs root and lab hosts (tests/lab); the labs are named kfl0..kflN-1 and stopped at the end,
    also on failure. Connections are qemu+unix sockets of the labs' libvirtds (the fan-out is the
    same for qemu+ssh URIs; tests/KimchiNet.Tests/Lab/Lab.Ssh.Tests.ps1 covers SSH).

.EXAMPLE
    dotnet pwsh ./build.ps1 Build
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/live/Measure-Fleet.ps1 -Hosts 20 -NetworksPerHost 5 -OutputPath out/bench/fleet.json
#>
[CmdletBinding()]
param(
    [ValidateRange(2, 60)][int] $Hosts = 20,
    [ValidateRange(1, 50)][int] $NetworksPerHost = 5,
    [ValidateRange(2, 64)][int] $ThrottleLimit = 8,
    # lab hosts started at once (each start runs its own libvirtd and virtlogd)
    [ValidateRange(1, 60)][int] $StartBatch = 5,
    [string] $ModulePath,
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).ProviderPath
if (-not $ModulePath) { $ModulePath = Join-Path $root 'KimchiNet.psd1' }
Import-Module (Join-Path $root 'tests/lab/KimchiLab.psm1') -Force
Import-Module $ModulePath -Force
$process = [System.Diagnostics.Process]::GetCurrentProcess()
$inv = [cultureinfo]::InvariantCulture

function Get-WorkingSetMiB { $process.Refresh(); [math]::Round($process.WorkingSet64 / 1MB, 1) }

function Write-FleetFile([string] $Path, [string[]] $Uris, [switch] $Absent) {
    # A .psd1 fleet configuration: one group holding every host, the same networks on each.
    $networks = foreach ($n in 1..$NetworksPerHost) {
        if ($Absent) { "            @{ Name = 'fleet$n'; Ensure = 'Absent' }" }
        else { "            @{ Name = 'fleet$n'; Connection = 'isolated'; Subnet = '10.77.$n.0/24'; State = 'Active'; Autostart = `$true }" }
    }
    $text = @(
        '@{'
        '    Groups = @('
        '        @{'
        "            Name = 'bench'"
        "            Uris = @($(($Uris | ForEach-Object { "'$_'" }) -join ', '))"
        '            Networks = @('
        $networks
        '            )'
        '        }'
        '    )'
        '}'
    )
    [System.IO.File]::WriteAllLines($Path, [string[]] $text)
}

function Invoke-FleetStep {
    <# Runs one fleet cmdlet with pooled connections closed first; returns its output, errors and wall time. #>
    param([string] $Step, [string] $Command, [hashtable] $Parameters)
    [KimchiNet.Libvirt.LibvirtConnections]::CloseAll()
    [GC]::Collect()
    $errors = $null
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $output = @(& $Command @Parameters -ErrorVariable errors -ErrorAction SilentlyContinue)
    $watch.Stop()
    $changes = @($output | Where-Object { $_ -is [KimchiNet.Operations.FleetNetworkChange] })
    $result = [pscustomobject]@{
        Step         = $Step
        Seconds      = [math]::Round($watch.Elapsed.TotalSeconds, 2)
        Networks     = $changes.Count
        Changed      = @($changes | Where-Object { "$($_.Action)" -ne 'NoChange' }).Count
        NoChange     = @($changes | Where-Object { "$($_.Action)" -eq 'NoChange' }).Count
        FailedHosts  = @(@($output | Where-Object { $_ -is [KimchiNet.Operations.FleetSummary] } | Select-Object -First 1 | ForEach-Object FailedHosts))
        Errors       = @($errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Group-Object | ForEach-Object { "$($_.Name) x$($_.Count)" })
        WorkingSetMiB = Get-WorkingSetMiB
    }
    Write-Host ("{0,-16} {1,8:N2} s  networks {2,4}  changed {3,4}  no change {4,4}  failed hosts {5}  errors {6}  WS {7} MiB" -f
        $Step, $result.Seconds, $result.Networks, $result.Changed, $result.NoChange, $result.FailedHosts.Count, ($result.Errors -join ' '), $result.WorkingSetMiB)
    $result
}

$names = @(0..($Hosts - 1) | ForEach-Object { "kfl$_" })
$work = Join-Path ([System.IO.Path]::GetTempPath()) "kimchinet-fleet-$PID"
New-Item -ItemType Directory -Path $work -Force | Out-Null
$started = [System.Collections.Generic.List[string]]::new()
$steps = [System.Collections.Generic.List[object]]::new()
try {
    $startWatch = [System.Diagnostics.Stopwatch]::StartNew()
    for ($i = 0; $i -lt $names.Count; $i += $StartBatch) {
        $batch = $names[$i..([math]::Min($i + $StartBatch, $names.Count) - 1)]
        $null = Start-KimchiLab -Name $batch -Nics 1 -TimeoutSeconds 300
        $started.AddRange([string[]] $batch)
    }
    $startWatch.Stop()
    Write-Host "$Hosts lab hosts up in $([math]::Round($startWatch.Elapsed.TotalSeconds, 1)) s"
    $uris = @($names | ForEach-Object { Get-KimchiLabUri -Name $_ })
    $fleet = Join-Path $work 'fleet.psd1'
    $absent = Join-Path $work 'fleet-absent.psd1'
    Write-FleetFile -Path $fleet -Uris $uris
    Write-FleetFile -Path $absent -Uris $uris -Absent
    $baseline = Get-WorkingSetMiB

    $steps.Add((Invoke-FleetStep 'serial apply' Invoke-KimchiConfiguration @{ Path = $fleet; ThrottleLimit = 1; Summary = $true }))
    $steps.Add((Invoke-FleetStep 'serial rerun' Invoke-KimchiConfiguration @{ Path = $fleet; ThrottleLimit = 1; Summary = $true }))
    $steps.Add((Invoke-FleetStep 'reset' Invoke-KimchiConfiguration @{ Path = $absent; ThrottleLimit = $ThrottleLimit; Summary = $true }))
    $steps.Add((Invoke-FleetStep 'parallel apply' Invoke-KimchiConfiguration @{ Path = $fleet; ThrottleLimit = $ThrottleLimit; Summary = $true }))
    $steps.Add((Invoke-FleetStep 'parallel rerun' Invoke-KimchiConfiguration @{ Path = $fleet; ThrottleLimit = $ThrottleLimit; Summary = $true }))
    $steps.Add((Invoke-FleetStep 'test (drift)' Test-KimchiConfiguration @{ Path = $fleet; ThrottleLimit = $ThrottleLimit; Summary = $true }))
    $steps.Add((Invoke-FleetStep 'reset' Invoke-KimchiConfiguration @{ Path = $absent; ThrottleLimit = $ThrottleLimit; Summary = $true }))

    # Kill mid-run: the apply runs in a second runspace of this process; this thread watches the victim
    # (the last host) through virsh and kills its libvirtd as soon as it has its first network.
    $victim = $names[-1]
    $victimUri = $uris[-1]
    [KimchiNet.Libvirt.LibvirtConnections]::CloseAll()
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($ModulePath, $Path, $ThrottleLimit)
            Import-Module $ModulePath
            $errors = $null
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $out = @(Invoke-KimchiConfiguration -Path $Path -ThrottleLimit $ThrottleLimit -Summary -ErrorVariable errors -ErrorAction SilentlyContinue)
            $watch.Stop()
            [pscustomobject]@{ Output = $out; Errors = @($errors); Seconds = $watch.Elapsed.TotalSeconds }
        }).AddArgument($ModulePath).AddArgument($fleet).AddArgument($ThrottleLimit)
    $handle = $ps.BeginInvoke()
    $victimNetworksAtKill = -1
    while (-not $handle.IsCompleted) {
        $list = Invoke-KimchiLabVirsh -Name $victim -ArgumentList 'net-list', '--all', '--name'
        $count = @($list.Output -split "`n" | Where-Object { $_.Trim() -like 'fleet*' }).Count
        if ($count -ge 1) {
            Restart-KimchiLabDaemon -Name $victim -KillOnly
            $victimNetworksAtKill = $count
            break
        }
        Start-Sleep -Milliseconds 50
    }
    $killRun = $ps.EndInvoke($handle)[0]
    $ps.Dispose()
    $killChanges = @($killRun.Output | Where-Object { $_ -is [KimchiNet.Operations.FleetNetworkChange] })
    $killSummary = @($killRun.Output | Where-Object { $_ -is [KimchiNet.Operations.FleetSummary] })[0]
    $kill = [pscustomobject]@{
        Step                 = 'kill mid-run'
        Seconds              = [math]::Round($killRun.Seconds, 2)
        Networks             = $killChanges.Count
        Changed              = @($killChanges | Where-Object { "$($_.Action)" -ne 'NoChange' -and -not $_.Error }).Count
        NoChange             = @($killChanges | Where-Object { "$($_.Action)" -eq 'NoChange' }).Count
        FailedHosts          = @($killSummary.FailedHosts)
        Errors               = @($killRun.Errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Group-Object | ForEach-Object { "$($_.Name) x$($_.Count)" })
        WorkingSetMiB        = Get-WorkingSetMiB
        VictimNetworksAtKill = $victimNetworksAtKill
        OnlyVictimFailed     = (@($killSummary.FailedHosts).Count -eq 1 -and @($killSummary.FailedHosts)[0] -eq $victimUri)
    }
    Write-Host ("kill mid-run     {0,8:N2} s  victim {1} killed with {2} of {3} networks defined; failed hosts: {4}; errors {5}" -f
        $kill.Seconds, $victim, $victimNetworksAtKill, $NetworksPerHost, ($kill.FailedHosts -join ', '), ($kill.Errors -join ' '))
    $steps.Add($kill)

    Restart-KimchiLabDaemon -Name $victim -StartOnly
    $converge = Invoke-FleetStep 'converge rerun' Invoke-KimchiConfiguration @{ Path = $fleet; ThrottleLimit = $ThrottleLimit; Summary = $true }
    $steps.Add($converge)
    $steps.Add((Invoke-FleetStep 'test (drift)' Test-KimchiConfiguration @{ Path = $fleet; ThrottleLimit = $ThrottleLimit; Summary = $true }))
    $steps.Add((Invoke-FleetStep 'reset' Invoke-KimchiConfiguration @{ Path = $absent; ThrottleLimit = $ThrottleLimit; Summary = $true }))

    $process.Refresh()
    $serial = ($steps | Where-Object Step -EQ 'serial apply').Seconds
    $parallel = ($steps | Where-Object Step -EQ 'parallel apply').Seconds
    $report = [pscustomobject]@{
        Date                  = [datetime]::UtcNow.ToString('u', $inv)
        Hosts                 = $Hosts
        NetworksPerHost       = $NetworksPerHost
        ThrottleLimit         = $ThrottleLimit
        Cores                 = [Environment]::ProcessorCount
        LoadAverage           = ([System.IO.File]::ReadAllText('/proc/loadavg').Trim() -split ' ')[0..2] -join ' '
        LabStartSeconds       = [math]::Round($startWatch.Elapsed.TotalSeconds, 1)
        SerialOverParallel    = [math]::Round($serial / $parallel, 2)
        BaselineWorkingSetMiB = $baseline
        PeakWorkingSetMiB     = [math]::Round($process.PeakWorkingSet64 / 1MB, 1)
        Steps                 = $steps
    }
    Write-Host "serial / parallel (from scratch): $($report.SerialOverParallel); working set after import $baseline MiB, peak $($report.PeakWorkingSetMiB) MiB; load average $($report.LoadAverage)"
    if ($OutputPath) { $report | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $OutputPath -Encoding utf8 }
    $report
}
finally {
    [KimchiNet.Libvirt.LibvirtConnections]::CloseAll()
    if ($started.Count -gt 0) { Stop-KimchiLab -Name $started.ToArray() }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
