$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Faults on a real lab host (tests/lab/README.md), checked with virsh and ip, not with the module:
      - libvirtd killed (SIGKILL) while one pipeline of 50 New-KimchiNetwork creates runs in a
        child pwsh: every failing call says KCHNET0103E, the same session's next call reconnects by
        itself, and every network left is complete (definition as asked, autostart on);
      - a host bridge made over a bare NIC whose network definition then fails: the NIC keeps its
        addresses, routes and state, and the bridge is gone.
    An update libvirt rejects is covered in Lab.Tests.ps1 ('Lab: an update libvirt rejects restores
    the original'). docs/reliability.md has what these runs found.
    KIMCHINET_SKIP_LAB=1 skips these on purpose; a machine that cannot run labs fails them.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../../KimchiNet.psd1')).ProviderPath


    function Get-LabNetworkName([string] $Lab) {
        $run = Invoke-KimchiLabVirsh -Name $Lab -ArgumentList 'net-list', '--all', '--name'
        if ($run.ExitCode -ne 0) { return $null }
        @($run.Output -split "`n" | ForEach-Object Trim | Where-Object { $_ })
    }

    function Get-AddressState([string] $Lab, [string] $Device) {
        # What must survive a failed bridge creation: the NIC's addresses (with prefix, broadcast,
        # label, scope), its routes, that it is up and has no master.
        $addr = Invoke-InKimchiLab -Name $Lab -FilePath ip -ArgumentList '-json', 'addr', 'show', 'dev', $Device
        $link = @(Get-KimchiLabLink -Lab $Lab -Device $Device)
        $routes = Invoke-InKimchiLab -Name $Lab -FilePath ip -ArgumentList '-json', 'route', 'show', 'dev', $Device
        $info = @(($addr.Output | ConvertFrom-Json)[0].addr_info | ForEach-Object {
                '{0} {1}/{2} brd={3} label={4} scope={5}' -f $_.family, $_.local, $_.prefixlen,
                ($_.PSObject.Properties['broadcast'] ? $_.broadcast : ''), ($_.PSObject.Properties['label'] ? $_.label : ''), $_.scope
            } | Where-Object { $_ -notmatch '^inet6 fe80' })
        [pscustomobject]@{
            Addresses = $info -join '; '
            Routes    = @(($routes.Output | ConvertFrom-Json) | ForEach-Object { "$($_.dst) $($_.PSObject.Properties['gateway'] ? $_.gateway : '')" }) -join '; '
            Up        = $link[0].flags -contains 'UP'
            Master    = $link[0].PSObject.Properties['master'] ? $link[0].master : $null
        }
    }
}

Describe 'Lab: libvirtd killed during a pipeline of 50 creates' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "ft$PID" -Nics 1
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll {
        Stop-KimchiTestLab
    }

    It 'fails the calls made while it is down with KCHNET0103E, reconnects by itself, and leaves only complete networks' {
        $resultPath = Join-Path $TestDrive 'pipeline.json'
        $resume = Join-Path $TestDrive 'resume'
        $killed = Join-Path $TestDrive 'killed'
        $script = Join-Path $TestDrive 'pipeline.ps1'
        # The child creates fault1..fault50 (isolated, 10.90.N.0/24, autostart on, not started) with
        # one pipeline, waits until this test has restarted the daemon, then makes one more call.
        Set-Content -LiteralPath $script -Encoding utf8 -Value @"
param([string] `$Uri, [string] `$ResultPath, [string] `$Resume, [string] `$Killed)
`$ErrorActionPreference = 'Stop'
Import-Module '$($manifest -replace "'", "''")'
`$errs = `$null
# The 20th input waits until the daemon has been killed: the kill always lands inside the pipeline
# (at whatever step of a create it meets), and later creates always meet the dead daemon.
`$made = @(1..50 | ForEach-Object {
        if (`$_ -eq 20) {
            `$gate = (Get-Date).AddMinutes(2)
            while (-not (Test-Path -LiteralPath `$Killed) -and (Get-Date) -lt `$gate) { Start-Sleep -Milliseconds 20 }
        }
        [pscustomobject]@{ Name = "fault`$_"; Connection = 'Isolated'; Subnet = "10.90.`$_.0/24" } } |
    New-KimchiNetwork -Uri `$Uri -ErrorAction SilentlyContinue -ErrorVariable errs | ForEach-Object Name)
`$failed = @(foreach (`$e in `$errs) { [pscustomobject]@{ Id = `$e.FullyQualifiedErrorId; Target = "`$(`$e.TargetObject)"; Message = `$e.Exception.Message } })
`$deadline = (Get-Date).AddMinutes(3)
while (-not (Test-Path -LiteralPath `$Resume) -and (Get-Date) -lt `$deadline) { Start-Sleep -Milliseconds 100 }
`$nextErrors = `$null
`$listed = @(Get-KimchiNetwork -Uri `$Uri -ErrorAction SilentlyContinue -ErrorVariable nextErrors | ForEach-Object Name)
`$after = New-KimchiNetwork -Uri `$Uri -Name after -Connection Isolated -Subnet 10.91.0.0/24 -ErrorAction SilentlyContinue -ErrorVariable +nextErrors
[pscustomobject]@{
    Made = `$made; Failed = `$failed; Listed = `$listed; After = [bool]`$after
    NextErrors = @(`$nextErrors | ForEach-Object { "`$(`$_.FullyQualifiedErrorId): `$(`$_.Exception.Message)" })
} | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath `$ResultPath -Encoding utf8
"@
        $psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
        foreach ($a in '-NoProfile', '-NonInteractive', '-File', $script, $uri, $resultPath, $resume, $killed) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($psi)
        $stdout = $child.StandardOutput.ReadToEndAsync()
        $stderr = $child.StandardError.ReadToEndAsync()
        try {
            # Kill once some networks exist, i.e. in the middle of the pipeline.
            $deadline = (Get-Date).AddMinutes(2)
            do {
                Start-Sleep -Milliseconds 20
                $existing = @(Get-LabNetworkName $lab)
            } until ($existing.Count -ge 8 -or (Get-Date) -gt $deadline -or $child.HasExited)
            $existing.Count | Should -BeGreaterOrEqual 8 -Because 'the pipeline must be under way when the daemon dies'
            Restart-KimchiLabDaemon -Name $lab -KillOnly
            New-Item -ItemType File -Path $killed | Out-Null
            $atKill = $existing.Count
            Start-Sleep -Seconds 1
            Restart-KimchiLabDaemon -Name $lab -StartOnly
            New-Item -ItemType File -Path $resume | Out-Null
            $child.WaitForExit(180000) | Should -BeTrue -Because 'the child pwsh finishes'
            $child.WaitForExit()
        }
        finally {
            if (-not $child.HasExited) { $child.Kill($true) }
        }
        $child.ExitCode | Should -Be 0 -Because "$($stdout.Result)`n$($stderr.Result)"
        $result = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json

        $made = @($result.Made)
        $failed = @($result.Failed)
        Write-Host ("pipeline: {0} networks existed at the kill; {1} creates succeeded, {2} failed ({3})" -f
            $atKill, $made.Count, $failed.Count, (($failed | Group-Object Id | ForEach-Object { "$($_.Count) x $($_.Name)" }) -join ', '))
        foreach ($f in $failed | Select-Object -First 2) { Write-Host "  e.g. $($f.Target): $($f.Message)" }
        ($made.Count + $failed.Count) | Should -Be 50
        $failed.Count | Should -BeGreaterThan 0 -Because 'calls were made while libvirtd was down'
        foreach ($f in $failed) {
            $f.Id | Should -BeExactly 'KCHNET0103E,KimchiNet.Commands.NewKimchiNetworkCommand' -Because "$($f.Target): $($f.Message)"
        }

        # The same session's next calls reconnect by themselves.
        @($result.NextErrors) | Should -BeNullOrEmpty
        $result.After | Should -BeTrue
        @($result.Listed) | Should -Contain 'fault1'

        # Every network left is complete: what was asked, autostart on; and exactly the ones reported made.
        $left = @(Get-LabNetworkName $lab | Where-Object { $_ -like 'fault*' } | Sort-Object { [int]($_ -replace 'fault', '') })
        Write-Host "left on the host: $($left -join ' ')"
        $halfMade = [System.Collections.Generic.List[string]]::new()
        foreach ($name in $left) {
            $n = [int]($name -replace 'fault', '')
            [xml] $xml = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $name
            $ip = $xml.network.ip
            $info = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-info', $name
            $autostart = ($info -split "`n" | Where-Object { $_ -match '^Autostart:' }) -replace '^Autostart:\s*', ''
            $complete = $null -eq $xml.network.SelectSingleNode('forward') -and $ip.address -eq "10.90.$n.1" -and
                $ip.netmask -eq '255.255.255.0' -and $ip.dhcp.range.start -eq "10.90.$n.128" -and
                $ip.dhcp.range.end -eq "10.90.$n.253" -and $autostart.Trim() -eq 'yes'
            if (-not $complete) { $halfMade.Add("$name (autostart $autostart)") }
        }
        # A create cut off between its define and its autostart cannot undo the define while the daemon
        # is dead; then its error must say exactly what remains (issue 7: undo, or report what remains).
        $reported = @($failed | ForEach-Object { if ($_.Message -match "half-made network '(fault\d+)' may be left") { $Matches[1] } })
        $unreported = @($halfMade | Where-Object { ($_ -split ' ')[0] -notin $reported })
        if ($halfMade.Count) { Write-Host "half-made and reported as possibly left by its failed create: $($halfMade -join ', ')" }
        $unreported | Should -BeNullOrEmpty -Because 'a network left half-made must be named by the error of the create that made it'
        # Every create reported made is there; anything else there was named by its create's error as possibly left.
        $createdButUnread = @($failed | ForEach-Object { if ($_.Message -match "Network '(fault\d+)' was created, but reading it back failed") { $Matches[1] } })
        foreach ($name in @($made) + $createdButUnread) { $left | Should -Contain $name }
        @($left | Where-Object { $_ -notin $made -and $_ -notin $createdButUnread -and $_ -notin $reported }) | Should -BeNullOrEmpty -Because 'no network is left that no create reported'
    }
}

Describe 'Lab: libvirtd killed right after a create defined its network' -Tag 'Lab' -Skip:$SkipLab {
    # The same fault as above at a chosen step, every time: a hook in the create kills the daemon
    # right after the define, so the autostart (or the start) is what meets the dead connection.
    BeforeAll {
        $started = Start-KimchiTestLab -Name "fs$PID" -Nics 1
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll {
        Stop-KimchiTestLab -CloseConnection
    }

    It 'a lost connection at the <Step> step is KCHNET0103E, naming the step and the half-made network left' -TestCases @(
        @{ Step = 'autostart'; Name = 'half1'; Autostart = $true; Start = $false; Says = 'could not be set to autostart' }
        @{ Step = 'start'; Name = 'half2'; Autostart = $false; Start = $true; Says = 'could not be started' }
    ) {
        param($Step, $Name, $Autostart, $Start, $Says)
        $connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($uri)
        $operations = [KimchiNet.Operations.NetworkOperations]::new($connection, $null)
        $spec = [KimchiNet.Model.NetworkSpec]@{ Name = $Name; Connection = [KimchiNet.Model.ConnectionType]::Isolated; Subnet = '10.93.0.0/24'; Autostart = $Autostart }
        $plan = $operations.PlanCreate($spec)
        $labName = $lab
        [KimchiNet.Operations.NetworkOperations].GetProperty('AfterDefineForTests', [System.Reflection.BindingFlags]'NonPublic, Instance').
            SetValue($operations, [Action[string]] { param($n) Restart-KimchiLabDaemon -Name $labName -KillOnly }.GetNewClosure())
        $thrown = $null
        try { $null = $operations.Create($plan, $Start) } catch { $thrown = $_.Exception }
        while ($null -ne $thrown -and $thrown -isnot [KimchiNet.KimchiException] -and $thrown.InnerException) { $thrown = $thrown.InnerException }
        Restart-KimchiLabDaemon -Name $lab -StartOnly

        $thrown | Should -BeOfType ([KimchiNet.KimchiException])
        $thrown.Code | Should -BeExactly 'KCHNET0103E' -Because $thrown.Message
        $thrown.Message | Should -Match ([regex]::Escape("Network '$Name' $Says"))
        $thrown.Message | Should -Match ([regex]::Escape("the half-made network '$Name' may be left on the host"))
        # What the message says is left is what is left: the definition, not started, autostart off.
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-info', $Name | Should -Match 'Active:\s+no'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-info', $Name | Should -Match 'Autostart:\s+no'
        # The same connection reconnects by itself, and removes it.
        Remove-KimchiNetwork -Uri $uri -Name $Name -Confirm:$false
        @(Get-KimchiNetwork -Uri $uri).Name | Should -Not -Contain $Name
    }
}

Describe 'Lab: a bridge creation that fails after the bridge was made' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "fb$PID" -Nics 2
        $lab, $uri = $started.Name, $started.Uri
        # eth2 as a host NIC with a primary, a secondary with a label, and a static route through it.
        foreach ($argv in @(
                @('addr', 'add', '192.0.2.10/24', 'brd', '192.0.2.255', 'dev', 'eth2'),
                @('addr', 'add', '192.0.2.11/24', 'brd', '192.0.2.255', 'dev', 'eth2', 'label', 'eth2:1'),
                @('route', 'add', '198.51.100.0/24', 'via', '192.0.2.1', 'dev', 'eth2'))) {
            $run = Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList $argv
            if ($run.ExitCode -ne 0) { throw "ip $($argv -join ' ') failed: $($run.Error)" }
        }
    }

    AfterAll {
        Stop-KimchiTestLab
    }

    It 'undoes the host bridge when libvirt refuses the definition (the name was taken between plan and create)' {
        $before = Get-AddressState $lab eth2
        $before.Addresses | Should -Match '192\.0\.2\.10/24'
        $before.Addresses | Should -Match 'label=eth2:1'
        # Inside the lab's namespace, with the module's core: plan (name free), then another client
        # takes the name, then create: the bridge is made, the define fails, everything is undone.
        $result = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
$connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($Uri)
$operations = [KimchiNet.Operations.NetworkOperations]::new($connection, [KimchiNet.Hosts.LinuxHostBridges]::new())
$spec = [KimchiNet.Model.NetworkSpec]@{ Name = 'brx'; Connection = [KimchiNet.Model.ConnectionType]::Bridge; Interfaces = [string[]]@('eth2') }
$plan = $operations.PlanCreate($spec)
$null = $connection.DefineNetwork("<network><name>brx</name><ip address='10.92.0.1' prefix='24'/></network>")
try {
    $null = $operations.Create($plan, $true)
    [pscustomobject]@{ Created = $true; Code = ''; Message = ''; PlannedBridge = $plan.CreatesHostBridge }
}
catch {
    $e = $_.Exception
    while ($e -isnot [KimchiNet.KimchiException] -and $e.InnerException) { $e = $e.InnerException }
    [pscustomobject]@{ Created = $false; Code = "$($e.Code)"; Message = $e.Message; PlannedBridge = $plan.CreatesHostBridge }
}
'@
        Write-Host "create refused: [$($result[0].Code)] $($result[0].Message)"
        $result[0].PSObject.Properties.Name | Should -Not -Contain 'Failed' -Because "$($result[0] | ConvertTo-Json -Compress)"
        $result[0].PlannedBridge | Should -BeTrue
        $result[0].Created | Should -BeFalse
        $result[0].Code | Should -BeExactly 'KCHNET0001E'

        Get-KimchiLabLink -Lab $lab -Device kbeth2 | Should -BeNullOrEmpty -Because 'the bridge made for the network is deleted again'
        $after = Get-AddressState $lab eth2
        $after.Addresses | Should -BeExactly $before.Addresses
        $after.Routes | Should -BeExactly $before.Routes
        $after.Up | Should -Be $before.Up
        $after.Master | Should -BeNullOrEmpty
        # The other client's network is untouched.
        [xml] $xml = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', 'brx'
        $xml.network.ip.address | Should -BeExactly '10.92.0.1'
    }
}
