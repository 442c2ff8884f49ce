$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# Set-KimchiNetwork with -Mtu, -DhcpRange, -DhcpLeaseTime and -Dhcp on an inactive network (issue 15, item 5),
# on the test driver; the lab proof of the settings is Lab/Lab.Routed.Tests.ps1.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $fqeidSuffix = ',KimchiNet.Commands.SetKimchiNetworkCommand'
}

Describe 'Set-KimchiNetwork: MTU and DHCP settings' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
        New-KimchiNetwork -Uri $uri -Name rt -Connection Routed -Subnet 10.81.0.0/24 | Out-Null
    }

    It 'sets the MTU, the DHCP range and the lease time, and Get-KimchiNetwork reads them back' {
        $network = Set-KimchiNetwork -Uri $uri -Name rt -Mtu 9000 -DhcpRange '10.81.0.100-10.81.0.200' -DhcpLeaseTime 02:00:00 -PassThru
        $network.Mtu | Should -Be 9000
        ($network.DhcpStart, $network.DhcpEnd) | Should -Be @('10.81.0.100', '10.81.0.200')
        $network.DhcpLeaseTime | Should -Be ([timespan] '02:00:00')
        (Get-KimchiNetwork -Uri $uri -Name rt | Format-List | Out-String) | Should -Match 'Mtu\s+: 9000'
    }

    It 'turns DHCP off and on again' {
        (Set-KimchiNetwork -Uri $uri -Name rt -Dhcp $false -PassThru).Dhcp | Should -BeFalse
        $on = Set-KimchiNetwork -Uri $uri -Name rt -Dhcp $true -PassThru
        $on.Dhcp | Should -BeTrue
        $on.DhcpStart | Should -BeExactly '10.81.0.128'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-KimchiHostSnapshot $uri
        Set-KimchiNetwork -Uri $uri -Name rt -Mtu 1400 -Dhcp $false -WhatIf
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'refuses <Case> with <Code> and changes nothing' -TestCases @(
        @{ Case = 'an MTU of 70000'; Code = 'KCHNET0160E'; Name = 'rt'; Parameters = @{ Mtu = 70000 } }
        @{ Case = 'a range outside the subnet'; Code = 'KCHNET0163E'; Name = 'rt'; Parameters = @{ DhcpRange = '10.82.0.1-10.82.0.9' } }
        @{ Case = 'a range that is no range'; Code = 'KCHNET0162E'; Name = 'rt'; Parameters = @{ DhcpRange = 'lots' } }
        @{ Case = 'a lease of 30 seconds'; Code = 'KCHNET0149E'; Name = 'rt'; Parameters = @{ DhcpLeaseTime = [timespan] '00:00:30' } }
        @{ Case = 'a range with DHCP off'; Code = 'KCHNET0165E'; Name = 'rt'; Parameters = @{ Dhcp = $false; DhcpRange = '10.81.0.100-10.81.0.200' } }
    ) {
        param($Case, $Code, $Name, $Parameters)
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name $Name @Parameters -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code$fqeidSuffix"
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'refuses an MTU on a macvtap network (KCHNET0161E)' {
        Stop-KimchiNetwork -Uri $uri -Name macvtap-eth3 -Force -Confirm:$false
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name macvtap-eth3 -Mtu 1500 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "KCHNET0161E$fqeidSuffix"
    }
}
