$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# Port groups of a network through the cmdlets (issue 15, item 6): -PortGroup on
# ConvertTo/New/Test/Set-KimchiNetwork and read back by Get-KimchiNetwork, on the test driver; the lab
# proof of live changes beside a running guest is Lab/Lab.PortGroup.Tests.ps1.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'Port groups of a network' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'takes port groups as text and as the objects Get-KimchiNetwork writes' {
        $xml = ConvertTo-KimchiNetworkXml -Name p -Connection Passthrough -Interfaces eth3 `
            -PortGroup 'web=default', ([KimchiNet.Model.PortGroup]::Parse('office=vlan:10'))
        $xml | Should -Match '<portgroup name="web" default="yes" />'
        $xml | Should -Match '<portgroup name="office">\s*<vlan>\s*<tag id="10" />\s*</vlan>\s*</portgroup>'

        $made = New-KimchiNetwork -Uri $uri -Name p -Connection Nat -Subnet 10.84.0.0/24 -PortGroup 'web=default', 'db'
        $made.PortGroups[0] | Should -BeOfType KimchiNet.Model.PortGroup
        @($made.PortGroups | ForEach-Object ToString) | Should -Be @('web=default', 'db')
        (Get-KimchiNetwork -Uri $uri -Name p | Format-List | Out-String) | Should -Match 'PortGroups\s+: web=default; db'

        # Get's output pipes into Test by property name (PortGroups is an alias of -PortGroup): as desired.
        Get-KimchiNetwork -Uri $uri -Name p | Test-KimchiNetwork -Uri $uri | Should -BeTrue
        Test-KimchiNetwork -Uri $uri -Name p -PortGroup 'db', 'web=default' | Should -BeTrue
        Test-KimchiNetwork -Uri $uri -Name p -PortGroup 'web', 'db=default' | Should -BeFalse
    }

    It 'replaces the port groups with Set-KimchiNetwork on the running network, and -PortGroup @() removes them' {
        New-KimchiNetwork -Uri $uri -Name p -Connection Nat -Subnet 10.85.0.0/24 -PortGroup 'web' -Start | Out-Null
        $set = Set-KimchiNetwork -Uri $uri -Name p -PortGroup 'web', 'db=default' -PassThru
        $set.State | Should -Be 'Active'
        @($set.PortGroups | ForEach-Object ToString) | Should -Be @('web', 'db=default')
        $cleared = Set-KimchiNetwork -Uri $uri -Name p -PortGroup @() -PassThru
        $cleared.PortGroups.Count | Should -Be 0
        $cleared.State | Should -Be 'Active'
    }

    It 'says in -WhatIf that port groups of an active network change live' {
        Get-KimchiSetWhatIfText -Uri $uri -Arguments "-Name default -PortGroup 'web=default'" | Should -Match 'Add port group web=default \(live\)'
    }

    It 'refuses <Case> with <Code> and changes nothing' -TestCases @(
        @{ Case = 'a name with a space'; Code = 'KCHNET0194E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; PortGroup = 'web group' } }
        @{ Case = 'VLAN id 4095'; Code = 'KCHNET0194E'; Parameters = @{ Connection = 'Passthrough'; Interfaces = 'eth3'; PortGroup = 'office=vlan:4095' } }
        @{ Case = 'an unknown option'; Code = 'KCHNET0194E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; PortGroup = 'web=fast' } }
        @{ Case = 'one name twice'; Code = 'KCHNET0195E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; PortGroup = 'web', 'web=default' } }
        @{ Case = 'two defaults'; Code = 'KCHNET0196E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; PortGroup = 'web=default', 'db=default' } }
        @{ Case = 'a VLAN id on a nat network'; Code = 'KCHNET0197E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; PortGroup = 'office=vlan:10' } }
    ) {
        param($Case, $Code, $Parameters)
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        New-KimchiNetwork -Uri $uri -Name bad @Parameters -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code,KimchiNet.Commands.NewKimchiNetworkCommand"
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'refuses a bad port group on Set with its code and changes nothing' {
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name default -PortGroup 'a=default', 'b=default' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0196E,KimchiNet.Commands.SetKimchiNetworkCommand'
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }
}
