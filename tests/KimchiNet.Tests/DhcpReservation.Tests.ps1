$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Add-, Get-, Remove-KimchiDhcpReservation and Get-KimchiDhcpLease on libvirt's test driver (a fresh
    copy of the demo host per test). The test driver implements virNetworkUpdate for ip-dhcp-host but
    not the leases call, so leases served to a real client are proven in Lab.Dhcp.Tests.ps1.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }
}

Describe 'DHCP reservations on the test driver' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'adds a reservation to a running network live and persistently, and writes it' {
        $added = Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52-54-00-AB-CD-EF -IPAddress 192.168.122.50 -HostName web01 -LeaseTime 01:30:00
        $added | Should -BeOfType KimchiNet.Model.DhcpReservationInfo
        $added.MacAddress | Should -BeExactly '52:54:00:ab:cd:ef'
        $added.LeaseTime | Should -Be ([timespan] '01:30:00')
        $connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($uri)
        $connection.GetNetworkXml('default') | Should -Match "<host mac='52:54:00:ab:cd:ef' name='web01' ip='192.168.122.50'>"
        $connection.GetNetworkXml('default', $true) | Should -Match "<lease expiry='90' unit='minutes'/>"
        (Get-KimchiNetwork -Uri $uri -Name default).State | Should -Be 'Active'
    }

    It 'takes the network from Get-KimchiNetwork objects by property name' {
        Get-KimchiNetwork -Uri $uri -Name isolated | Add-KimchiDhcpReservation -MacAddress 52:54:00:00:00:11 -IPAddress 192.168.100.11 | Out-Null
        $found = @(Get-KimchiDhcpReservation -Uri $uri)
        $found.Count | Should -Be 1
        $found[0].Network | Should -BeExactly 'isolated'
        $found[0].Uri | Should -BeExactly ([KimchiNet.Libvirt.LibvirtConnections]::Get($uri).Uri)
    }

    It 'filters by network (wildcards), MAC, address and host name, and reports a missing network (KCHNET0002E)' {
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:00:00:01 -IPAddress 192.168.122.21 -HostName one | Out-Null
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:00:00:02 -IPAddress 192.168.122.22 | Out-Null
        Add-KimchiDhcpReservation -Uri $uri -Network isolated -MacAddress 52:54:00:00:00:03 -IPAddress 192.168.100.23 | Out-Null
        @(Get-KimchiDhcpReservation -Uri $uri -Network 'def*').Count | Should -Be 2
        (Get-KimchiDhcpReservation -Uri $uri -MacAddress 52-54-00-00-00-03).Network | Should -BeExactly 'isolated'
        (Get-KimchiDhcpReservation -Uri $uri -IPAddress 192.168.122.22).MacAddress | Should -BeExactly '52:54:00:00:00:02'
        (Get-KimchiDhcpReservation -Uri $uri -HostName ONE).IPAddress | Should -BeExactly '192.168.122.21'
        $err = $null
        Get-KimchiDhcpReservation -Uri $uri -Network nope -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0002E,KimchiNet.Commands.GetKimchiDhcpReservationCommand'
    }

    It 'removes by MAC, by address, by host name and from the pipeline, live and persistently' {
        1..4 | ForEach-Object { Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress "52:54:00:00:00:0$_" -IPAddress "192.168.122.3$_" -HostName "h$_" } | Out-Null
        Remove-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:00:00:01 -Confirm:$false
        Remove-KimchiDhcpReservation -Uri $uri -Network default -IPAddress 192.168.122.32 -Confirm:$false
        Remove-KimchiDhcpReservation -Uri $uri -Network default -HostName H3 -Confirm:$false
        $removed = @(Get-KimchiDhcpReservation -Uri $uri -Network default | Remove-KimchiDhcpReservation -Confirm:$false -PassThru)
        $removed.MacAddress | Should -Be @('52:54:00:00:00:04')
        @(Get-KimchiDhcpReservation -Uri $uri).Count | Should -Be 0
        [KimchiNet.Libvirt.LibvirtConnections]::Get($uri).GetNetworkXml('default', $true) | Should -Not -Match '<host '
    }

    It 'with -WhatIf says what it would do and changes nothing' {
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:00:00:01 -IPAddress 192.168.122.21 | Out-Null
        $before = Get-KimchiHostSnapshot $uri
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:00:00:02 -IPAddress 192.168.122.22 -WhatIf
        Remove-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:00:00:01 -WhatIf
        Get-KimchiDhcpReservation -Uri $uri | Remove-KimchiDhcpReservation -WhatIf
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'refuses <Case> with <Id> and changes nothing' -TestCases @(
        @{ Case = 'an address outside the subnet'; Id = 'KCHNET0140E'; Arguments = @{ Network = 'default'; MacAddress = '52:54:00:00:00:09'; IPAddress = '10.0.0.9' } }
        @{ Case = 'the gateway address'; Id = 'KCHNET0141E'; Arguments = @{ Network = 'default'; MacAddress = '52:54:00:00:00:09'; IPAddress = '192.168.122.1' } }
        @{ Case = 'the broadcast address'; Id = 'KCHNET0141E'; Arguments = @{ Network = 'default'; MacAddress = '52:54:00:00:00:09'; IPAddress = '192.168.122.255' } }
        @{ Case = 'a MAC reserved already'; Id = 'KCHNET0142E'; Arguments = @{ Network = 'default'; MacAddress = '52:54:00:00:00:01'; IPAddress = '192.168.122.29' } }
        @{ Case = 'an address reserved already'; Id = 'KCHNET0143E'; Arguments = @{ Network = 'default'; MacAddress = '52:54:00:00:00:09'; IPAddress = '192.168.122.21' } }
        @{ Case = 'a host name reserved already'; Id = 'KCHNET0144E'; Arguments = @{ Network = 'default'; MacAddress = '52:54:00:00:00:09'; IPAddress = '192.168.122.29'; HostName = 'First' } }
        @{ Case = 'a malformed MAC'; Id = 'KCHNET0145E'; Arguments = @{ Network = 'default'; MacAddress = '52:54:00:00:00'; IPAddress = '192.168.122.29' } }
        @{ Case = 'a network without DHCP of its own'; Id = 'KCHNET0146E'; Arguments = @{ Network = 'vepa-eth1-eth2'; MacAddress = '52:54:00:00:00:09'; IPAddress = '192.168.122.29' } }
        @{ Case = 'a host name dnsmasq would split'; Id = 'KCHNET0148E'; Arguments = @{ Network = 'default'; MacAddress = '52:54:00:00:00:09'; IPAddress = '192.168.122.29'; HostName = 'a,b' } }
        @{ Case = 'a lease shorter than 2 minutes'; Id = 'KCHNET0149E'; Arguments = @{ Network = 'default'; MacAddress = '52:54:00:00:00:09'; IPAddress = '192.168.122.29'; LeaseTime = [timespan] '00:00:30' } }
        @{ Case = 'a network that does not exist'; Id = 'KCHNET0002E'; Arguments = @{ Network = 'nope'; MacAddress = '52:54:00:00:00:09'; IPAddress = '192.168.122.29' } }
    ) {
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:00:00:01 -IPAddress 192.168.122.21 -HostName first | Out-Null
        $before = Get-KimchiHostSnapshot $uri
        { Add-KimchiDhcpReservation -Uri $uri @Arguments -ErrorAction Stop } |
            Should -Throw -ErrorId "$Id,KimchiNet.Commands.AddKimchiDhcpReservationCommand"
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'refuses to remove a reservation that is not there (KCHNET0147E, ObjectNotFound)' {
        $err = $null
        Remove-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:00:00:77 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0147E,KimchiNet.Commands.RemoveKimchiDhcpReservationCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'says the test driver has no leases call (KCHNET0106E, NotImplemented)' {
        $err = $null
        Get-KimchiDhcpLease -Uri $uri -Network default -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0106E,KimchiNet.Commands.GetKimchiDhcpLeaseCommand'
        $err[0].CategoryInfo.Category | Should -Be 'NotImplemented'
    }

    It 'shows reservations in a table with the lease time, "infinite" for a lease that never ends' {
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:00:00:01 -IPAddress 192.168.122.21 -LeaseTime 0 | Out-Null
        $text = Get-KimchiDhcpReservation -Uri $uri | Out-String
        $text | Should -Match 'Network\s+MacAddress\s+IPAddress\s+HostName\s+LeaseTime'
        $text | Should -Match 'default\s+52:54:00:00:00:01\s+192\.168\.122\.21\s+infinite'
    }

    It 'completes network names for -Network' {
        Get-Completion "Add-KimchiDhcpReservation -Uri '$uri' -Network iso" | Should -Be @('isolated')
        Get-Completion "Get-KimchiDhcpLease -Uri '$uri' -Network def" | Should -Be @('default')
        Get-Completion "Remove-KimchiDhcpReservation -Uri '$uri' -Network def" | Should -Be @('default')
        Get-Completion "Get-KimchiDhcpReservation -Uri '$uri' -Network bri" | Should -Be @('bridge-br0')
    }
}
