$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $command = 'KimchiNet.Commands.TestKimchiNetworkCommand'
}

Describe 'Test-KimchiNetwork' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'is true for a network as desired and false for one that differs' {
        Test-KimchiNetwork -Uri $uri -Name default -Connection Nat -Subnet 192.168.122.0/24 -State Active -Autostart $false | Should -BeExactly $true
        Test-KimchiNetwork -Uri $uri -Name default -Connection Nat -State Inactive | Should -BeExactly $false
    }

    It 'compares the MTU, DHCP range, lease time and DHCP on or off' {
        New-KimchiNetwork -Uri $uri -Name rt -Connection Routed -Subnet 10.81.0.0/24 -Mtu 9000 -DhcpRange '10.81.0.100-10.81.0.200' -DhcpLeaseTime 02:00:00 | Out-Null
        Test-KimchiNetwork -Uri $uri -Name rt -Connection Routed -Mtu 9000 -DhcpRange '10.81.0.100-10.81.0.200' -DhcpLeaseTime 02:00:00 -Dhcp $true | Should -BeExactly $true
        $differences = @(Test-KimchiNetwork -Uri $uri -Name rt -Mtu 1500 -DhcpRange '10.81.0.100-10.81.0.150' -DhcpLeaseTime 01:00:00 -Detailed)
        $differences.Property | Should -Be @('Mtu', 'DhcpRange', 'DhcpLeaseTime')
        $differences[1].Actual | Should -BeExactly '10.81.0.100-10.81.0.200'
        (Test-KimchiNetwork -Uri $uri -Name rt -Dhcp $false -Detailed).Property | Should -BeExactly 'Dhcp'
        { Test-KimchiNetwork -Uri $uri -Name rt -Dhcp $false -DhcpRange '10.81.0.100-10.81.0.150' -ErrorAction Stop } | Should -Throw -ErrorId "KCHNET0165E,$command"
        { Test-KimchiNetwork -Uri $uri -Name rt -Mtu 10 -ErrorAction Stop } | Should -Throw -ErrorId "KCHNET0160E,$command"
    }

    It 'cares only about the properties given' {
        Test-KimchiNetwork -Uri $uri -Name vepa-eth1-eth2 | Should -BeExactly $true
        Test-KimchiNetwork -Uri $uri -Name missing | Should -BeExactly $false
        Test-KimchiNetwork -Uri $uri -Name missing -Ensure Absent | Should -BeExactly $true
        Test-KimchiNetwork -Uri $uri -Name ovs -Ensure Absent | Should -BeExactly $false
    }

    It 'compares interfaces as a set and splits a comma-separated value' {
        Test-KimchiNetwork -Uri $uri -Name vepa-eth1-eth2 -Interfaces eth2, eth1 | Should -BeExactly $true
        Test-KimchiNetwork -Uri $uri -Name vepa-eth1-eth2 -Interfaces 'eth2,eth1' | Should -BeExactly $true
        Test-KimchiNetwork -Uri $uri -Name vepa-eth1-eth2 -Interfaces eth1 | Should -BeExactly $false
    }

    It 'with -Detailed writes one typed difference per property, in property order' {
        $differences = @(Test-KimchiNetwork -Uri $uri -Name default -Connection Isolated -Subnet 192.168.122.7/24 -State Inactive -Autostart $true -Detailed)
        $differences | ForEach-Object { $_ | Should -BeOfType KimchiNet.Operations.DesiredStateDifference }
        $differences.Property | Should -Be @('Connection', 'Subnet', 'State', 'Autostart')
        $differences[0].Desired | Should -Be 'Isolated'
        $differences[0].Actual | Should -Be 'Nat'
        $differences[1].Actual | Should -BeExactly '192.168.122.1/24'
        $differences[3].Actual | Should -BeExactly $false
        $differences.Name | Select-Object -Unique | Should -BeExactly 'default'
    }

    It 'with -Detailed writes nothing for a network as desired' {
        @(Test-KimchiNetwork -Uri $uri -Name default -State Active -Detailed).Count | Should -Be 0
    }

    It 'is true for every network piped from Get-KimchiNetwork (binding by property name)' {
        $results = @(Get-KimchiNetwork -Uri $uri | Test-KimchiNetwork)
        $results.Count | Should -Be 7
        $results | Should -Not -Contain $false
    }

    It 'binds rows with Ensure, State and Autostart as text' {
        $rows = @(
            [pscustomobject]@{ Name = 'ovs'; Ensure = 'Present'; State = 'Active'; Autostart = $false; Uri = $uri }
            [pscustomobject]@{ Name = 'lab'; Ensure = 'Absent'; State = ''; Autostart = $null; Uri = $uri }
            [pscustomobject]@{ Name = 'default'; Ensure = 'Present'; State = 'Inactive'; Autostart = $null; Uri = $uri }
        )
        $rows | Test-KimchiNetwork | Should -Be @($true, $true, $false)
    }

    It 'changes nothing on the host' {
        $before = Get-KimchiHostSnapshot $uri
        Test-KimchiNetwork -Uri $uri -Name default -Connection Isolated -State Inactive -Detailed | Out-Null
        Get-KimchiNetwork -Uri $uri | Test-KimchiNetwork -Ensure Absent | Out-Null
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'reports an impossible desired state with its Kimchi code (<Code>), not $false' -TestCases @(
        @{ Arguments = @{ Name = 'lab'; Connection = 'Ethernet' }; Code = 'KCHNET0012E' }
        @{ Arguments = @{ Name = 'macvtap-eth3'; Subnet = '10.1.2.0/24' }; Code = 'KCHNET0031E' }
        @{ Arguments = @{ Name = 'lab'; Subnet = '10.1.2.0' }; Code = 'KCHNET0013E' }
        @{ Arguments = @{ Name = 'bridge-br0'; VlanId = 5000 }; Code = 'KCHNET0015E' }
        @{ Arguments = @{ Name = '' }; Code = 'KCHNET0011E' }
    ) {
        param($Arguments, $Code)
        $err = $null
        $output = @(Test-KimchiNetwork -Uri $uri @Arguments -ErrorVariable err -ErrorAction SilentlyContinue)
        $output.Count | Should -Be 0
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code,$command"
    }

    It 'goes on with the next pipeline object after an error' {
        $rows = @(
            [pscustomobject]@{ Name = 'lab'; Connection = 'Ethernet'; Uri = $uri }
            [pscustomobject]@{ Name = 'ovs'; Connection = 'Bridge'; Uri = $uri }
        )
        $err = $null
        $output = @($rows | Test-KimchiNetwork -ErrorVariable err -ErrorAction SilentlyContinue)
        $output | Should -Be @($true)
        $err.Count | Should -Be 1
    }

    It 'declares both of its output types' {
        (Get-Command Test-KimchiNetwork).OutputType.Name | Should -Be @('System.Boolean', 'KimchiNet.Operations.DesiredStateDifference')
    }
}
