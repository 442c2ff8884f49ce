$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Port groups of a running network changed live (issue 15 item 6), proven on a lab host with a
    running TCG guest on a nat network: Set-KimchiNetwork -PortGroup adds port groups, swaps the
    default and removes them through virNetworkUpdate (section portgroup, live + config), and through
    all of it the network's bridge (same ifindex: a bridge deleted and made again gets a new one), its
    dnsmasq (same PID) and the guest's tap (same ifindex, still a port of the bridge) stay; libvirt's
    live XML (virsh net-dumpxml) and its definition (--inactive) show the port groups.

    A machine that cannot run labs FAILS these tests with the reason; KIMCHINET_SKIP_LAB=1 skips them.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function Get-Port([string] $Device) { Get-KimchiLabBridgePort -Lab $lab -Device $Device }

    function Get-Index([string] $Device) {
        $link = @(Get-KimchiLabLink -Lab $lab -Device $Device)
        $link.Count | Should -Be 1 -Because "$Device exists in the lab"
        $link[0].ifindex
    }

    function Get-State {
        # what must not change: the bridge, the dnsmasq server, the guest's tap and its master
        [pscustomobject]@{
            Bridge  = Get-Index $bridge
            Dnsmasq = (Get-KimchiLabDnsmasqServer -Lab $lab -Network $network).Pid
            Tap     = Get-Index $tap
            Master  = (Get-Port $tap)[0].master
        }
    }

    function Get-WhatIfText([string] $Arguments) { Get-KimchiSetWhatIfText -Uri $uri -Arguments $Arguments }
}

Describe 'Lab port groups: added, changed and removed live beside a running guest' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID-pg" -Nics 1
        $lab, $uri = $started.Name, $started.Uri
        $network = 'pgnat'
        $net = New-KimchiNetwork -Uri $uri -Name $network -Connection Nat -Subnet 10.77.0.0/24 -Start
        $bridge = $net.BridgeName
        $run = Start-KimchiLabGuest -Lab $lab -Name pg1 -Network $network -Folder $TestDrive
        $run.ExitCode | Should -Be 0 -Because "virsh start pg1: $($run.Error)"
        $tap = @(Get-KimchiLabGuestNic -Lab $lab -Guest pg1)[0].Interface
    }

    AfterAll {
        Stop-KimchiTestLab -CloseConnection
    }

    It 'adds port groups live: bridge, dnsmasq and the guest tap unchanged, libvirt shows them' {
        $tap | Should -Match '^vnet[0-9]+$'
        $before = Get-State
        $before.Master | Should -BeExactly $bridge

        Get-WhatIfText "-Name $network -PortGroup 'web=default','db'" | Should -Match 'Add port group web=default, add port group db \(live\)'
        $set = Set-KimchiNetwork -Uri $uri -Name $network -PortGroup 'web=default', 'db' -Confirm:$false -PassThru

        @($set.PortGroups | ForEach-Object ToString) | Should -Be @('web=default', 'db')
        $live = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network
        $live | Should -Match "<portgroup name='web' default='yes'"
        $live | Should -Match "<portgroup name='db'"
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network | Should -Match "<portgroup name='db'"
        $after = Get-State
        $after | ConvertTo-Json -Compress | Should -BeExactly ($before | ConvertTo-Json -Compress) -Because 'a live change keeps the bridge, dnsmasq and the guest tap'
        Write-Host "portgroup: added web=default, db live on $network; bridge $bridge ifindex $($after.Bridge), dnsmasq PID $($after.Dnsmasq), guest pg1 tap $tap ifindex $($after.Tap) master $($after.Master): all unchanged"
    }

    It 'swaps the default and removes port groups live, with the same bridge, dnsmasq and tap' {
        $before = Get-State

        Set-KimchiNetwork -Uri $uri -Name $network -PortGroup 'web', 'db=default' -Confirm:$false
        $swapped = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network
        $swapped | Should -Match "<portgroup name='db' default='yes'"
        $swapped | Should -Not -Match "<portgroup name='web' default='yes'"
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network | Should -Match "<portgroup name='db' default='yes'"
        $removed = Set-KimchiNetwork -Uri $uri -Name $network -PortGroup @() -Confirm:$false -PassThru

        $removed.PortGroups.Count | Should -Be 0
        $removed.State | Should -Be 'Active'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network | Should -Not -Match '<portgroup'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network | Should -Not -Match '<portgroup'
        $after = Get-State
        $after | ConvertTo-Json -Compress | Should -BeExactly ($before | ConvertTo-Json -Compress) -Because 'a live change keeps the bridge, dnsmasq and the guest tap'
        Write-Host "portgroup: default moved to db, then every port group removed live on $network; bridge ifindex $($after.Bridge), dnsmasq PID $($after.Dnsmasq), tap $tap ifindex $($after.Tap) master $($after.Master): unchanged"
    }

    It 'refuses a VLAN id on the nat network before libvirt, which would take it live unchecked' {
        $before = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name $network -PortGroup 'office=vlan:10' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0197E,KimchiNet.Commands.SetKimchiNetworkCommand'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network | Should -BeExactly $before
        Write-Host "portgroup: refused $($err[0].Exception.Message)"
    }
}
