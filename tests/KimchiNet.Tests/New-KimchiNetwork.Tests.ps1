$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $suffix = ',KimchiNet.Commands.NewKimchiNetworkCommand'
}

Describe 'New-KimchiNetwork' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'creates a persistent VEPA network on two free NICs, autostart on' {
        $network = New-KimchiNetwork -Uri $uri -Name lab -Connection Vepa -Interfaces eth0, eth4
        $network.PSObject.TypeNames | Should -Contain 'KimchiNet.Model.KimchiNetworkInfo'
        $network.Connection | Should -Be 'Vepa'
        $network.Interfaces | Should -Be @('eth0', 'eth4')
        $network.Persistent | Should -BeTrue
        $network.Autostart | Should -BeTrue
        $network.State | Should -Be 'Inactive'
        (Get-KimchiNetwork -Uri $uri -Name lab).Interfaces | Should -Be @('eth0', 'eth4')
    }

    It 'starts the network with -Start and honours -Autostart $false' {
        $network = New-KimchiNetwork -Uri $uri -Name lab -Connection Macvtap -Interfaces eth0 -Start -Autostart $false
        $network.State | Should -Be 'Active'
        $network.Autostart | Should -BeFalse
    }

    It 'plans a free /24 for a nat network, avoiding every network and host address' {
        $network = New-KimchiNetwork -Uri $uri -Name web -Connection Nat
        $network.Subnet | Should -BeExactly '192.168.0.0/24'
        $network.Gateway | Should -BeExactly '192.168.0.1'
        $network.DhcpStart | Should -BeExactly '192.168.0.128'
        $network.DhcpEnd | Should -BeExactly '192.168.0.253'
    }

    It 'creates each of the <Connection> networks the demo host can carry' -TestCases @(
        @{ Connection = 'Isolated'; Extra = @{ Subnet = '10.40.0.0/24' } }
        @{ Connection = 'Nat'; Extra = @{ Subnet = '10.41.0.7/24' } }
        @{ Connection = 'Macvtap'; Extra = @{ Interfaces = 'eth4' } }
        @{ Connection = 'Passthrough'; Extra = @{ Interfaces = 'eth0', 'eth4' } }
        @{ Connection = 'Vepa'; Extra = @{ Interfaces = 'eth0' } }
    ) {
        param($Connection, $Extra)
        (New-KimchiNetwork -Uri $uri -Name "n-$Connection" -Connection $Connection @Extra).Connection | Should -Be $Connection
    }

    It 'creates a bridge network on an existing bridge that no network uses' {
        $path = Join-Path $TestDrive 'bridge-host.xml'
        Set-Content -LiteralPath $path -Value @'
<node>
  <interface type='ethernet' name='eth1'><start mode='onboot'/><mac address='52:54:00:00:01:01'/></interface>
  <interface type='bridge' name='br1'>
    <start mode='onboot'/>
    <bridge stp='off'><interface type='ethernet' name='eth2'><mac address='52:54:00:00:01:02'/></interface></bridge>
  </interface>
</node>
'@
        $network = New-KimchiNetwork -Uri "test://$path" -Name br -Connection Bridge -Interfaces br1
        $network.BridgeName | Should -BeExactly 'br1'
        $network.Interfaces | Should -Be @('br1')
    }

    It 'creates networks from pipeline input by property name' {
        $rows = @'
Name,Connection,Subnet,Interfaces
p1,nat,10.50.0.0/24,
p2,vepa,,"eth0,eth4"
'@ | ConvertFrom-Csv
        @($rows | New-KimchiNetwork -Uri $uri).Name | Should -Be @('p1', 'p2')
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-KimchiHostSnapshot $uri
        New-KimchiNetwork -Uri $uri -Name lab -Connection Vepa -Interfaces eth0 -WhatIf | Should -BeNullOrEmpty
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'shows the XML it sends under -Verbose' {
        $verbose = New-KimchiNetwork -Uri $uri -Name lab -Connection Vepa -Interfaces eth0 -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match '<forward mode="vepa">'
        ($verbose.Message -join "`n") | Should -Match 'virNetworkDefineXML'
    }

    It 'refuses <Case> with <Code> (<Category>) and changes nothing' -TestCases @(
        @{ Case = 'a duplicate name'; Code = 'KCHNET0001E'; Category = 'ResourceExists'; Parameters = @{ Name = 'default'; Connection = 'Nat' } }
        @{ Case = 'a missing interface'; Code = 'KCHNET0102E'; Category = 'ObjectNotFound'; Parameters = @{ Name = 'x'; Connection = 'Vepa'; Interfaces = 'eth0', 'eth9' } }
        @{ Case = 'an interface used by another network'; Code = 'KCHNET0006E'; Category = 'ResourceBusy'; Parameters = @{ Name = 'x'; Connection = 'Macvtap'; Interfaces = 'eth3' } }
        @{ Case = 'VEPA on a bridge'; Code = 'KCHNET0028E'; Category = 'InvalidArgument'; Parameters = @{ Name = 'x'; Connection = 'Vepa'; Interfaces = 'br0' } }
        @{ Case = 'VEPA on a VLAN device'; Code = 'KCHNET0028E'; Category = 'InvalidArgument'; Parameters = @{ Name = 'x'; Connection = 'Vepa'; Interfaces = 'eth4.100' } }
        @{ Case = 'a subnet overlapping a network'; Code = 'KCHNET0003E'; Category = 'ResourceBusy'; Parameters = @{ Name = 'x'; Connection = 'Nat'; Subnet = '192.168.122.0/25' } }
        @{ Case = 'a subnet overlapping a host address'; Code = 'KCHNET0003E'; Category = 'ResourceBusy'; Parameters = @{ Name = 'x'; Connection = 'Isolated'; Subnet = '192.0.2.0/24' } }
        @{ Case = 'a new host bridge on the test driver'; Code = 'KCHNET0105E'; Category = 'NotImplemented'; Parameters = @{ Name = 'x'; Connection = 'Bridge'; Interfaces = 'eth0' } }
        @{ Case = 'an invalid name'; Code = 'KCHNET0011E'; Category = 'InvalidArgument'; Parameters = @{ Name = 'a/b'; Connection = 'Nat' } }
        @{ Case = 'an unknown connection'; Code = 'KCHNET0012E'; Category = 'InvalidArgument'; Parameters = @{ Name = 'x'; Connection = 'vepa2'; Interfaces = 'eth0' } }
    ) {
        param($Case, $Code, $Category, $Parameters)
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        $out = New-KimchiNetwork -Uri $uri @Parameters -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code$suffix"
        $err[0].CategoryInfo.Category | Should -Be $Category
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'refuses a VLAN id on <Connection> with Kimchi''s <Code>' -TestCases @(
        @{ Connection = 'Nat'; Interfaces = $null; Code = 'KCHNET0032E' }
        @{ Connection = 'Isolated'; Interfaces = $null; Code = 'KCHNET0032E' }
        @{ Connection = 'Vepa'; Interfaces = 'eth0'; Code = 'KCHNET0028E' }
    ) {
        param($Connection, $Interfaces, $Code)
        $extra = if ($Interfaces) { @{ Interfaces = $Interfaces } } else { @{} }
        $err = $null
        New-KimchiNetwork -Uri $uri -Name x -Connection $Connection -VlanId 5 @extra -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code$suffix"
    }

    It 'reports every broken rule when the connection type is bad too (Kimchi''s {name: a/b, connection: bogus, vlan_id: 0})' {
        $before = Get-KimchiHostSnapshot $uri
        foreach ($command in 'New-KimchiNetwork', 'ConvertTo-KimchiNetworkXml') {
            $err = $null
            $extra = if ($command -eq 'New-KimchiNetwork') { @{ Uri = $uri } } else { @{} }
            & $command @extra -Name 'a/b' -Connection bogus -VlanId 0 -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'KCHNET0011E,*'
            $err[0].Exception.Message | Should -Match ([regex]::Escape("[KCHNET0012E] Connection type 'bogus'"))
            $err[0].Exception.Message | Should -Match ([regex]::Escape('[KCHNET0015E] VLAN id 0'))
        }
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'refuses -Name $null with KCHNET0011E, not the binder''s error' {
        foreach ($command in 'New-KimchiNetwork', 'ConvertTo-KimchiNetworkXml') {
            $err = $null
            $extra = if ($command -eq 'New-KimchiNetwork') { @{ Uri = $uri } } else { @{} }
            & $command @extra -Name $null -Connection Isolated -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'KCHNET0011E,KimchiNet.Commands.*'
        }
    }

    It 'names the network that already uses the interface' {
        $err = $null
        New-KimchiNetwork -Uri $uri -Name x -Connection Vepa -Interfaces eth1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'vepa-eth1-eth2'
    }
}
