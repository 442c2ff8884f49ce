$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Changes to a running network (issue 15 item 6), proven on a lab host with a running TCG guest on a
    nat network: a live change (the DHCP range) leaves the guest's tap on the bridge and the bridge
    itself in place (same ifindex: a bridge deleted and made again gets a new one); a change that
    needs a restart (the subnet) is refused naming the guest; with -Restart it goes through, and
    afterwards the guest's tap (vnetN) is a port of the new bridge again (`bridge -json link` in the
    lab) and traffic crosses that bridge: the lab host pings a client namespace joined to it by a veth
    pair. The guest has no disk and so no IP stack: its own traffic cannot be shown, only that its tap
    is back on the bridge that carries traffic.

    A machine that cannot run labs FAILS these tests with the reason; KIMCHINET_SKIP_LAB=1 skips them.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function Get-Port([string] $Device) { Get-KimchiLabBridgePort -Lab $lab -Device $Device }

    function Get-WhatIfText([string] $Arguments) { Get-KimchiSetWhatIfText -Uri $uri -Arguments $Arguments }

    function Wait-Forwarding([string] $Device) {
        # the bridge runs STP (libvirt's stp='on'): a new port forwards after the kernel's forward
        # delay; wait for that state (bounded), the test asserts on the state, not on the time
        for ($i = 0; $i -lt 60; $i++) {
            $port = @(Get-Port $Device)
            if ($port.Count -eq 1 -and $port[0].state -eq 'forwarding') { return $port[0] }
            Start-Sleep -Milliseconds 500
        }
        @(Get-Port $Device)[0]
    }

    function Get-BridgeIndex([string] $Bridge) {
        $link = @(Get-KimchiLabLink -Lab $lab -Device $Bridge)
        $link.Count | Should -Be 1 -Because "bridge $Bridge exists in the lab"
        $link[0].ifindex
    }
}

Describe 'Lab live update: a running guest keeps its network through a live change and a restart' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID-lu" -Nics 1
        $lab, $uri = $started.Name, $started.Uri
        $client = "knc-$lab"
        $network = 'livenat'
        $net = New-KimchiNetwork -Uri $uri -Name $network -Connection Nat -Subnet 10.78.0.0/24 -Start
        $bridge = $net.BridgeName
        $run = Start-KimchiLabGuest -Lab $lab -Name lg1 -Network $network -Folder $TestDrive
        $run.ExitCode | Should -Be 0 -Because "virsh start lg1: $($run.Error)"
        $nic = @(Get-KimchiLabGuestNic -Lab $lab -Guest lg1)
        $tap = $nic[0].Interface
        Invoke-KimchiLabHostChecked ip 'netns', 'add', $client | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'add', 'c1', 'type', 'veth', 'peer', 'name', 'c1p' | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', 'c1', 'netns', $client | Out-Null
        Invoke-KimchiLabHostChecked ip 'netns', 'exec', "$client", 'ip', 'link', 'set', 'c1', 'up' | Out-Null
    }

    AfterAll {
        if ($client) { Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'del', $client | Out-Null }
        Stop-KimchiTestLab -CloseConnection
    }

    It 'changes the DHCP range live: the guest tap stays on the bridge, the bridge is the same one' {
        $tap | Should -Match '^vnet[0-9]+$'
        (Get-Port $tap)[0].master | Should -BeExactly $bridge
        $index = Get-BridgeIndex $bridge

        $whatIf = Get-WhatIfText "-Name $network -DhcpRange 10.78.0.50-10.78.0.60"
        $whatIf | Should -Match 'Set DHCP range 10\.78\.0\.50-10\.78\.0\.60 \(live\)'
        Set-KimchiNetwork -Uri $uri -Name $network -DhcpRange 10.78.0.50-10.78.0.60 -Confirm:$false

        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network | Should -Match "<range start='10.78.0.50' end='10.78.0.60'"
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network | Should -Match "<range start='10.78.0.50' end='10.78.0.60'"
        Get-BridgeIndex $bridge | Should -Be $index -Because 'a live change does not delete and make the bridge again'
        (Get-Port $tap)[0].master | Should -BeExactly $bridge
        Write-Host "live: DHCP range of $network changed live; guest lg1 tap $tap still on $bridge (ifindex $index unchanged)"
    }

    It 'refuses a subnet change on the running network, naming the guest, and changes nothing' {
        Get-WhatIfText "-Name $network -Subnet 10.79.0.0/24 -Restart" | Should -Match 'Change subnet to 10\.79\.0\.0/24 \(needs a restart\)'
        $before = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name $network -Subnet 10.79.0.0/24 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0170E,KimchiNet.Commands.SetKimchiNetworkCommand'
        $err[0].Exception.Message | Should -Match 'lg1'
        $err[0].Exception.Message | Should -Match 'Subnet'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network | Should -BeExactly $before
        (Get-Port $tap)[0].master | Should -BeExactly $bridge
        Write-Host "refused: $($err[0].Exception.Message)"
    }

    It 'with -Restart changes the subnet, and the guest tap is back on the new bridge, which carries traffic' {
        $index = Get-BridgeIndex $bridge
        Set-KimchiNetwork -Uri $uri -Name $network -Subnet 10.79.0.0/24 -Restart -Confirm:$false

        $after = Get-KimchiNetwork -Uri $uri -Name $network
        $after.State | Should -Be 'Active'
        $after.Subnet | Should -Be '10.79.0.0/24'
        Get-BridgeIndex $after.BridgeName | Should -Not -Be $index -Because 'the restart made the bridge again'
        $port = Get-Port $tap
        $port.Count | Should -Be 1 -Because "the guest's tap $tap still exists"
        $port[0].master | Should -BeExactly $after.BridgeName -Because "the guest's tap is a port of the restarted network's bridge"
        (Get-KimchiLabGuestNic -Lab $lab -Guest lg1)[0].Source | Should -BeExactly $network -Because 'the guest NIC is type network on it again'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network | Should -Match "connections='1'" -Because 'the guest holds a port of the restarted network'

        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', 'c1p', 'master', $after.BridgeName, 'up' | Out-Null
        Invoke-KimchiLabHostChecked ip 'netns', 'exec', "$client", 'ip', 'address', 'add', '10.79.0.50/24', 'dev', 'c1' | Out-Null
        (Wait-Forwarding 'c1p').state | Should -BeExactly 'forwarding' -Because "the client's port of the bridge forwards"
        $tapPort = Wait-Forwarding $tap
        $tapPort.state | Should -BeExactly 'forwarding' -Because "the guest's tap forwards on the restarted bridge"
        $ping = Invoke-InKimchiLab -Name $lab -FilePath busybox -ArgumentList 'ping', '-c', '3', '-W', '2', '10.79.0.50'
        $ping.ExitCode | Should -Be 0 -Because "the lab host reaches the client over the restarted bridge: $($ping.Output) $($ping.Error)"
        Write-Host "restart: $network restarted on 10.79.0.0/24 (bridge ifindex $index -> $(Get-BridgeIndex $after.BridgeName)); guest lg1 tap $tap master $($tapPort.master) state $($tapPort.state); lab host pinged client 10.79.0.50 over it: $((@($ping.Output -split "`n") | Where-Object { $_ -match 'packets transmitted' }))"
    }
}
