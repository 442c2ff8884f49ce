$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $uri = New-KimchiTestHost -Folder $TestDrive

    function Get-Completion([string] $Line) {
        # What a user gets by pressing Tab at the end of the line.
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }
}

Describe 'Tab completion' -Tag 'CI' {
    It 'completes network names live from the host in -Uri' {
        Get-Completion "Get-KimchiNetwork -Uri '$uri' -Name vep" | Should -Be @('vepa-eth1-eth2')
        Get-Completion "Stop-KimchiNetwork -Uri '$uri' -Name mac" | Should -Be @('macvtap-eth3')
    }

    It 'completes network names from the session default set by Connect-KimchiHost' {
        Connect-KimchiHost -Uri $uri | Out-Null
        try {
            Get-Completion 'Remove-KimchiNetwork pass' | Should -Be @('passthrough-bond0')
        }
        finally {
            Disconnect-KimchiHost -Uri $uri
        }
    }

    It 'offers for a <Connection> network only <Expected>' -TestCases @(
        @{ Connection = 'Vepa'; Expected = @('bond0', 'eth0', 'eth1', 'eth2', 'eth3', 'eth4') }
        @{ Connection = 'Passthrough'; Expected = @('bond0', 'eth0', 'eth1', 'eth2', 'eth3', 'eth4') }
        @{ Connection = 'Bridge'; Expected = @('bond0', 'br0', 'eth0', 'eth1', 'eth2', 'eth3', 'eth4') }
    ) {
        param($Connection, $Expected)
        $found = Get-Completion "New-KimchiNetwork -Uri '$uri' -Name n -Connection $Connection -Interfaces "
        $found | Sort-Object | Should -Be $Expected
        $found | Should -Not -Contain 'eth5' -Because 'a bond slave carries nothing'
        $found | Should -Not -Contain 'eth4.100' -Because 'a VLAN device is no base'
    }

    It 'completes connection types' {
        Get-Completion 'New-KimchiNetwork -Name n -Connection pa' | Should -Be @('Passthrough')
        Get-Completion 'ConvertTo-KimchiNetworkXml -Name n -Connection ' |
            Should -Be @('Isolated', 'Nat', 'Macvtap', 'Bridge', 'Vepa', 'Passthrough', 'Routed', 'Open')
        Get-Completion 'Test-KimchiNetwork -Name n -Connection r' | Should -Be @('Routed')
    }

    It 'completes URIs already used in the session' {
        Get-KimchiNetwork -Uri $uri | Out-Null
        Get-Completion 'Get-KimchiNetwork -Uri test:' | ForEach-Object { $_.Trim("'") } | Should -Contain $uri
    }

    It 'completes interface names for Get-KimchiInterface' {
        Get-Completion "Get-KimchiInterface -Uri '$uri' -Name bo" | Should -Be @('bond0')
    }
}

Describe 'Default views' -Tag 'CI' {
    It 'shows interfaces as a table of name, type, status, address, users and suitability' {
        $text = Get-KimchiInterface -Uri $uri -Name eth1 | Out-String
        $text | Should -Match 'Name\s+Type\s+Status\s+IPv4Address\s+UsedBy\s+SuitableFor'
        $text | Should -Match 'eth1\s+nic\s+Up\s+vepa-eth1-eth2\s+macvtap,bridge,vepa,passthrough'
    }

    It 'shows every network property in the list view' {
        $text = Get-KimchiNetwork -Uri $uri -Name default | Format-List | Out-String
        foreach ($label in 'Connection', 'Subnet', 'Gateway', 'DhcpStart', 'DhcpEnd', 'Persistent', 'VMs', 'BridgeName', 'Uuid', 'Uri') {
            $text | Should -Match "(?m)^$label\s+:"
        }
    }
}
