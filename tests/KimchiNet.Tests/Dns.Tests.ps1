$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# DNS of a network through the cmdlets (issue 15, item 2): -DnsHost, -DnsForwarder, -Domain,
# -DomainLocalOnly and -Dns on ConvertTo/New/Test/Set-KimchiNetwork and read back by Get-KimchiNetwork,
# on the test driver; the lab proof with dig is Lab/Lab.Dns.Tests.ps1.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'DNS settings of a network' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'takes records as text and as the objects Get-KimchiNetwork writes' {
        $xml = ConvertTo-KimchiNetworkXml -Name d -Connection Nat -Subnet 10.84.0.0/24 `
            -DnsHost '10.84.0.5=web,www', ([KimchiNet.Model.DnsHostRecord]::Parse('10.84.0.6=db')) -DnsForwarder 'corp.example=10.84.0.53' -Domain lab.example -DomainLocalOnly $true
        $xml | Should -Match '<host ip="10.84.0.5">\s*<hostname>web</hostname>\s*<hostname>www</hostname>'
        $xml | Should -Match '<host ip="10.84.0.6">\s*<hostname>db</hostname>'
        $xml | Should -Match '<forwarder domain="corp.example" addr="10.84.0.53" />'
        $xml | Should -Match '<domain name="lab.example" localOnly="yes" />'

        $made = New-KimchiNetwork -Uri $uri -Name d -Connection Nat -Subnet 10.84.0.0/24 -DnsHost '10.84.0.5=web,www' -Domain lab.example
        $made.DnsHosts[0] | Should -BeOfType KimchiNet.Model.DnsHostRecord
        @($made.DnsHosts | ForEach-Object ToString) | Should -Be @('10.84.0.5=web,www')
        $made.Dns | Should -BeTrue
        (Get-KimchiNetwork -Uri $uri -Name d | Format-List | Out-String) | Should -Match 'DnsHosts\s+: 10\.84\.0\.5=web,www'

        # Get's output pipes into Test by property name (DnsHosts is an alias of -DnsHost): as desired.
        Get-KimchiNetwork -Uri $uri -Name d | Test-KimchiNetwork -Uri $uri | Should -BeTrue
        Test-KimchiNetwork -Uri $uri -Name d -DnsHost '10.84.0.5=www,web' | Should -BeFalse
        (Test-KimchiNetwork -Uri $uri -Name d -DnsHost '10.84.0.5=web,www' -Domain LAB.example -Dns $true) | Should -BeTrue
    }

    It 'replaces the records with Set-KimchiNetwork, and -DnsHost @() removes them' {
        New-KimchiNetwork -Uri $uri -Name d -Connection Isolated -Subnet 10.85.0.0/24 -DnsHost '10.85.0.5=web' | Out-Null
        $set = Set-KimchiNetwork -Uri $uri -Name d -DnsHost '10.85.0.5=web', '10.85.0.6=db' -DnsForwarder 192.0.2.53 -PassThru
        @($set.DnsHosts | ForEach-Object ToString) | Should -Be @('10.85.0.5=web', '10.85.0.6=db')
        @($set.DnsForwarders | ForEach-Object ToString) | Should -Be @('192.0.2.53')
        $cleared = Set-KimchiNetwork -Uri $uri -Name d -DnsHost @() -DnsForwarder @() -Dns $false -PassThru
        $cleared.DnsHosts.Count | Should -Be 0
        $cleared.Dns | Should -BeFalse
    }

    It 'refuses <Case> with <Code> and changes nothing' -TestCases @(
        @{ Case = 'an address outside the subnet'; Code = 'KCHNET0122E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DnsHost = '10.87.0.5=web' } }
        @{ Case = 'a name that is no DNS name'; Code = 'KCHNET0122E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DnsHost = '10.86.0.5=we_b' } }
        @{ Case = 'one address twice'; Code = 'KCHNET0123E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DnsHost = '10.86.0.5=a', '10.86.0.5=b' } }
        @{ Case = 'a forwarder that is no address'; Code = 'KCHNET0124E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DnsForwarder = 'dns.example' } }
        @{ Case = 'DNS on a macvtap network'; Code = 'KCHNET0125E'; Parameters = @{ Connection = 'Macvtap'; Interfaces = 'eth3'; Domain = 'lab.example' } }
        @{ Case = 'records with DNS off'; Code = 'KCHNET0176E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DnsHost = '10.86.0.5=a'; Dns = $false } }
    ) {
        param($Case, $Code, $Parameters)
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        New-KimchiNetwork -Uri $uri -Name bad @Parameters -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code,KimchiNet.Commands.NewKimchiNetworkCommand"
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }
}
