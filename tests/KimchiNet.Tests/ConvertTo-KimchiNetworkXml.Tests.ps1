$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    $fqeidSuffix = ',KimchiNet.Commands.ConvertToKimchiNetworkXmlCommand'

    function Get-ConversionError {
        param([hashtable] $Parameters)
        $err = $null
        $out = ConvertTo-KimchiNetworkXml @Parameters -ErrorVariable err -ErrorAction SilentlyContinue
        [pscustomobject]@{ Output = $out; Errors = @($err) }
    }
}

Describe 'ConvertTo-KimchiNetworkXml' -Tag 'CI' {
    Context 'valid specifications' {
        It 'writes a VEPA network that lists eth1 and eth2 as forward devices' {
            $xml = [xml](ConvertTo-KimchiNetworkXml -Name lab -Connection Vepa -Interfaces eth1, eth2)
            $xml.network.name | Should -BeExactly 'lab'
            $xml.network.forward.mode | Should -BeExactly 'vepa'
            @($xml.network.forward.interface.dev) | Should -Be @('eth1', 'eth2')
        }

        It 'writes <Connection> XML whose forward mode is <Mode>' -TestCases @(
            @{ Connection = 'Nat'; Mode = 'nat'; Extra = @{ Subnet = '192.168.5.0/24' } }
            @{ Connection = 'Macvtap'; Mode = 'bridge'; Extra = @{ Interfaces = 'eth3' } }
            @{ Connection = 'Bridge'; Mode = 'bridge'; Extra = @{ Interfaces = 'br0' } }
            @{ Connection = 'Passthrough'; Mode = 'passthrough'; Extra = @{ Interfaces = 'eth1', 'eth2' } }
            @{ Connection = 'Routed'; Mode = 'route'; Extra = @{ Subnet = '10.1.1.0/24' } }
            @{ Connection = 'Open'; Mode = 'open'; Extra = @{ Subnet = '10.1.1.0/24' } }
        ) {
            param($Connection, $Mode, $Extra)
            $xml = [xml](ConvertTo-KimchiNetworkXml -Name net1 -Connection $Connection @Extra)
            $xml.network.forward.mode | Should -BeExactly $Mode
        }

        It 'writes an isolated network with no forward element and the planned DHCP range' {
            $xml = [xml](ConvertTo-KimchiNetworkXml -Name iso -Connection isolated -Subnet 10.1.2.0/24)
            $xml.network.SelectSingleNode('forward') | Should -BeNullOrEmpty
            $xml.network.ip.address | Should -BeExactly '10.1.2.1'
            $xml.network.ip.netmask | Should -BeExactly '255.255.255.0'
            $xml.network.ip.dhcp.range.start | Should -BeExactly '10.1.2.128'
            $xml.network.ip.dhcp.range.end | Should -BeExactly '10.1.2.253'
        }

        It 'writes a routed network bound to a device with its MTU, DHCP range and lease time, offline' {
            $xml = [xml](ConvertTo-KimchiNetworkXml -Name rt -Connection Routed -Interfaces eth1 -Subnet 10.1.1.0/24 -Mtu 9000 `
                    -DhcpRange '10.1.1.100-10.1.1.200' -DhcpLeaseTime 02:00:00)
            $xml.network.forward.mode | Should -BeExactly 'route'
            $xml.network.forward.dev | Should -BeExactly 'eth1'
            $xml.network.mtu.size | Should -BeExactly '9000'
            $xml.network.ip.dhcp.range.start | Should -BeExactly '10.1.1.100'
            $xml.network.ip.dhcp.range.end | Should -BeExactly '10.1.1.200'
            $xml.network.ip.dhcp.range.lease.expiry | Should -BeExactly '2'
            $xml.network.ip.dhcp.range.lease.unit | Should -BeExactly 'hours'
        }

        It 'writes no dhcp element with -Dhcp $false' {
            $xml = [xml](ConvertTo-KimchiNetworkXml -Name op -Connection Open -Subnet 10.2.2.0/24 -Dhcp $false)
            $xml.network.ip.address | Should -BeExactly '10.2.2.1'
            $xml.network.ip.SelectSingleNode('dhcp') | Should -BeNullOrEmpty
        }

        It 'keeps a hostile name as data, not markup' {
            $name = "<a&b>']]>"
            $xml = [xml](ConvertTo-KimchiNetworkXml -Name $name -Connection Vepa -Interfaces eth1)
            $xml.network.name | Should -BeExactly $name
            $xml.network.ChildNodes.Count | Should -Be 3 -Because 'name, metadata and forward are the only children'
        }

        It 'accepts the connection type in any letter case' {
            { ConvertTo-KimchiNetworkXml -Name n -Connection VEPA -Interfaces eth1 } | Should -Not -Throw
        }
    }

    Context 'pipeline input by property name' {
        It 'converts every row of a CSV, splitting an interfaces cell at commas' {
            $rows = @'
Name,Connection,Subnet,Interfaces,VlanId
lab,vepa,,"eth1,eth2",
web,nat,192.168.50.0/24,,
'@ | ConvertFrom-Csv
            $docs = @($rows | ConvertTo-KimchiNetworkXml | ForEach-Object { [xml]$_ })
            $docs.Count | Should -Be 2
            @($docs[0].network.forward.interface.dev) | Should -Be @('eth1', 'eth2')
            $docs[1].network.ip.address | Should -BeExactly '192.168.50.1'
        }

        It 'goes on with the next object after a bad one' {
            $items = @(
                [pscustomobject]@{ Name = 'bad/name'; Connection = 'nat'; Subnet = '192.168.1.0/24' }
                [pscustomobject]@{ Name = 'good'; Connection = 'nat'; Subnet = '192.168.2.0/24' }
            )
            $err = $null
            $out = @($items | ConvertTo-KimchiNetworkXml -ErrorVariable err -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 1
            $err.Count | Should -Be 1
        }
    }

    Context 'invalid input' {
        It '<Case> fails with <Code>' -TestCases @(
            @{ Case = 'an empty name'; Code = 'KCHNET0011E'; Parameters = @{ Name = ''; Connection = 'nat'; Subnet = '192.168.1.0/24' } }
            @{ Case = 'a name with a slash'; Code = 'KCHNET0011E'; Parameters = @{ Name = 'a/b'; Connection = 'nat'; Subnet = '192.168.1.0/24' } }
            @{ Case = 'an unknown connection'; Code = 'KCHNET0012E'; Parameters = @{ Name = 'n'; Connection = 'natural'; Subnet = '192.168.1.0/24' } }
            @{ Case = 'a malformed subnet'; Code = 'KCHNET0013E'; Parameters = @{ Name = 'n'; Connection = 'nat'; Subnet = '192.168.1.0' } }
            @{ Case = 'a /30 subnet'; Code = 'KCHNET0003E'; Parameters = @{ Name = 'n'; Connection = 'nat'; Subnet = '192.168.1.0/30' } }
            @{ Case = 'vepa without interfaces'; Code = 'KCHNET0004E'; Parameters = @{ Name = 'n'; Connection = 'vepa' } }
            @{ Case = 'vepa with an empty interface list'; Code = 'KCHNET0029E'; Parameters = @{ Name = 'n'; Connection = 'vepa'; Interfaces = @() } }
            @{ Case = 'macvtap on two interfaces'; Code = 'KCHNET0030E'; Parameters = @{ Name = 'n'; Connection = 'macvtap'; Interfaces = 'eth1', 'eth2' } }
            @{ Case = 'nat with interfaces'; Code = 'KCHNET0032E'; Parameters = @{ Name = 'n'; Connection = 'nat'; Subnet = '192.168.1.0/24'; Interfaces = 'eth1' } }
            @{ Case = 'VLAN 4095'; Code = 'KCHNET0015E'; Parameters = @{ Name = 'n'; Connection = 'bridge'; Interfaces = 'br0'; VlanId = 4095 } }
            @{ Case = 'VLAN 0'; Code = 'KCHNET0015E'; Parameters = @{ Name = 'n'; Connection = 'bridge'; Interfaces = 'br0'; VlanId = 0 } }
            @{ Case = 'a VLAN on vepa'; Code = 'KCHNET0028E'; Parameters = @{ Name = 'n'; Connection = 'vepa'; Interfaces = 'eth1'; VlanId = 10 } }
            @{ Case = 'a subnet on vepa'; Code = 'KCHNET0031E'; Parameters = @{ Name = 'n'; Connection = 'vepa'; Interfaces = 'eth1'; Subnet = '192.168.1.0/24' } }
            @{ Case = 'a duplicated interface'; Code = 'KCHNET0100E'; Parameters = @{ Name = 'n'; Connection = 'vepa'; Interfaces = 'eth1', 'eth1' } }
            @{ Case = 'an interface name of 16 bytes'; Code = 'KCHNET0101E'; Parameters = @{ Name = 'n'; Connection = 'vepa'; Interfaces = 'abcdefghijklmnop' } }
            @{ Case = 'an interface name with ../'; Code = 'KCHNET0101E'; Parameters = @{ Name = 'n'; Connection = 'vepa'; Interfaces = '../eth1' } }
            @{ Case = 'nat without a subnet offline'; Code = 'KCHNET0013E'; Parameters = @{ Name = 'n'; Connection = 'nat' } }
            @{ Case = 'an MTU of 67'; Code = 'KCHNET0160E'; Parameters = @{ Name = 'n'; Connection = 'routed'; Subnet = '10.1.1.0/24'; Mtu = 67 } }
            @{ Case = 'an MTU on macvtap'; Code = 'KCHNET0161E'; Parameters = @{ Name = 'n'; Connection = 'macvtap'; Interfaces = 'eth1'; Mtu = 1500 } }
            @{ Case = 'a range written backwards'; Code = 'KCHNET0162E'; Parameters = @{ Name = 'n'; Connection = 'nat'; Subnet = '10.1.1.0/24'; DhcpRange = '10.1.1.200-10.1.1.100' } }
            @{ Case = 'a range outside the subnet'; Code = 'KCHNET0163E'; Parameters = @{ Name = 'n'; Connection = 'open'; Subnet = '10.1.1.0/24'; DhcpRange = '10.1.2.1-10.1.2.9' } }
            @{ Case = 'a range without a subnet'; Code = 'KCHNET0164E'; Parameters = @{ Name = 'n'; Connection = 'isolated'; DhcpRange = '10.1.1.100-10.1.1.200' } }
            @{ Case = 'a range with DHCP off'; Code = 'KCHNET0165E'; Parameters = @{ Name = 'n'; Connection = 'nat'; Subnet = '10.1.1.0/24'; Dhcp = $false; DhcpRange = '10.1.1.100-10.1.1.200' } }
            @{ Case = 'a lease of one minute'; Code = 'KCHNET0149E'; Parameters = @{ Name = 'n'; Connection = 'nat'; Subnet = '10.1.1.0/24'; DhcpLeaseTime = [timespan] '00:01:00' } }
            @{ Case = 'routed on two devices'; Code = 'KCHNET0030E'; Parameters = @{ Name = 'n'; Connection = 'routed'; Subnet = '10.1.1.0/24'; Interfaces = 'eth1', 'eth2' } }
            @{ Case = 'open with a device'; Code = 'KCHNET0032E'; Parameters = @{ Name = 'n'; Connection = 'open'; Subnet = '10.1.1.0/24'; Interfaces = 'eth1' } }
            @{ Case = 'a VLAN on an existing bridge'; Code = 'KCHNET0019E'; Parameters = @{ Name = 'n'; Connection = 'bridge'; Interfaces = 'br0'; VlanId = 10 } }
        ) {
            param($Case, $Code, $Parameters)
            $result = Get-ConversionError $Parameters
            $result.Output | Should -BeNullOrEmpty
            $result.Errors.Count | Should -Be 1
            $result.Errors[0].FullyQualifiedErrorId | Should -BeExactly "$Code$fqeidSuffix"
            $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'names the offending value in the message' {
            $result = Get-ConversionError @{ Name = 'n'; Connection = 'macvtap'; Interfaces = 'eth1', 'eth9' }
            $result.Errors[0].Exception.Message | Should -Match 'eth9'
        }

        It 'makes the offending value the error target' {
            $result = Get-ConversionError @{ Name = 'n'; Connection = 'bridge'; Interfaces = 'br0'; VlanId = 5000 }
            $result.Errors[0].TargetObject | Should -Be 5000
        }
    }
}
