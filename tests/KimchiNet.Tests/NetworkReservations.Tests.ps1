$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# DHCP reservations as a network property (issue 15, item 7): -DhcpReservation on
# ConvertTo/New/Test-KimchiNetwork, read back by Get-KimchiNetwork, on the test driver. The
# reservation cmdlets themselves are DhcpReservation.Tests.ps1.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'DHCP reservations of a network' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'ConvertTo writes text, hashtables and what Get-KimchiDhcpReservation writes as hosts of the IPv4 DHCP' {
        $reservation = Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:0b:00:04 -IPAddress 192.168.122.40 -HostName got -Confirm:$false
        $xml = ConvertTo-KimchiNetworkXml -Name r -Connection Nat -Subnet 192.168.122.0/24 -DhcpReservation `
            '52-54-00-0B-00-01=192.168.122.20,web', `
            @{ MacAddress = '52:54:00:0b:00:02'; IPAddress = '192.168.122.21'; LeaseTime = [timespan]'02:00:00' }, `
            ([pscustomobject]@{ MacAddress = '52:54:00:0b:00:03'; IPAddress = '192.168.122.22'; HostName = 'db' }), `
            (Get-KimchiDhcpReservation -Uri $uri -Network default)
        $reservation.HostName | Should -BeExactly 'got'
        $xml | Should -Match '<range start="192.168.122.128" end="192.168.122.253" />\s*<host mac="52:54:00:0b:00:01" name="web" ip="192.168.122.20" />'
        $xml | Should -Match '<host mac="52:54:00:0b:00:02" ip="192.168.122.21">\s*<lease expiry="2" unit="hours" />\s*</host>'
        $xml | Should -Match '<host mac="52:54:00:0b:00:03" name="db" ip="192.168.122.22" />'
        $xml | Should -Match '<host mac="52:54:00:0b:00:04" name="got" ip="192.168.122.40" />'
    }

    It 'New defines them, Get-KimchiNetwork shows them, and its output tests true' {
        $made = New-KimchiNetwork -Uri $uri -Name r -Connection Isolated -Subnet 10.89.0.0/24 -DhcpReservation '52:54:00:0b:00:01=10.89.0.20,web'
        $made.DhcpReservations[0] | Should -BeOfType KimchiNet.Model.DhcpReservation
        @($made.DhcpReservations | ForEach-Object ToString) | Should -Be @('52:54:00:0b:00:01=10.89.0.20,web')
        @(Get-KimchiDhcpReservation -Uri $uri -Network r).IPAddress | Should -Be @('10.89.0.20')
        (Get-KimchiNetwork -Uri $uri -Name r | Format-List | Out-String) | Should -Match 'DhcpReservations\s+: 52:54:00:0b:00:01=10\.89\.0\.20,web'
        # Get's output pipes into Test by property name (DhcpReservations is an alias of -DhcpReservation).
        Get-KimchiNetwork -Uri $uri -Name r | Test-KimchiNetwork -Uri $uri | Should -BeTrue
    }

    It 'Test-KimchiNetwork reports a missing reservation, and Add-KimchiDhcpReservation makes it true' {
        Test-KimchiNetwork -Uri $uri -Name default -DhcpReservation '52:54:00:0b:00:09=192.168.122.90' | Should -BeFalse
        $difference = Test-KimchiNetwork -Uri $uri -Name default -DhcpReservation '52:54:00:0b:00:09=192.168.122.90' -Detailed
        $difference.Property | Should -BeExactly 'DhcpReservations'
        $difference.Desired | Should -Be @('52:54:00:0b:00:09=192.168.122.90')
        @($difference.Actual).Count | Should -Be 0
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:0b:00:09 -IPAddress 192.168.122.90 -Confirm:$false | Out-Null
        Test-KimchiNetwork -Uri $uri -Name default -DhcpReservation '52-54-00-0B-00-09=192.168.122.90' | Should -BeTrue
    }

    It 'Test-KimchiNetwork -DhcpReservation @() asks for none, and without it the reservations are not compared' {
        Test-KimchiNetwork -Uri $uri -Name default -DhcpReservation @() | Should -BeTrue
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:0b:00:09 -IPAddress 192.168.122.90 -Confirm:$false | Out-Null
        Test-KimchiNetwork -Uri $uri -Name default -DhcpReservation @() | Should -BeFalse
        $difference = Test-KimchiNetwork -Uri $uri -Name default -DhcpReservation @() -Detailed
        $difference.Property | Should -BeExactly 'DhcpReservations'
        @($difference.Desired).Count | Should -Be 0
        $difference.Actual | Should -Be @('52:54:00:0b:00:09=192.168.122.90')
        Test-KimchiNetwork -Uri $uri -Name default | Should -BeTrue
    }

    It 'refuses <Case> with <Code> and changes nothing' -TestCases @(
        @{ Case = 'an address outside the subnet'; Code = 'KCHNET0140E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DhcpReservation = '52:54:00:0b:00:01=10.87.0.5' } }
        @{ Case = 'the gateway'; Code = 'KCHNET0141E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DhcpReservation = '52:54:00:0b:00:01=10.86.0.1' } }
        @{ Case = 'one MAC twice'; Code = 'KCHNET0142E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DhcpReservation = '52:54:00:0b:00:01=10.86.0.5', '52-54-00-0b-00-01=10.86.0.6' } }
        @{ Case = 'one address twice'; Code = 'KCHNET0143E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DhcpReservation = '52:54:00:0b:00:01=10.86.0.5', '52:54:00:0b:00:02=10.86.0.5' } }
        @{ Case = 'one name twice'; Code = 'KCHNET0144E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DhcpReservation = '52:54:00:0b:00:01=10.86.0.5,web', '52:54:00:0b:00:02=10.86.0.6,web' } }
        @{ Case = 'no MAC address'; Code = 'KCHNET0145E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DhcpReservation = 'web=10.86.0.5' } }
        @{ Case = 'a macvtap network'; Code = 'KCHNET0146E'; Parameters = @{ Connection = 'Macvtap'; Interfaces = 'eth3'; DhcpReservation = '52:54:00:0b:00:01=10.86.0.5' } }
        @{ Case = 'DHCP off'; Code = 'KCHNET0146E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; Dhcp = $false; DhcpReservation = '52:54:00:0b:00:01=10.86.0.5' } }
        @{ Case = 'a name that is no host name'; Code = 'KCHNET0148E'; Parameters = @{ Connection = 'Nat'; Subnet = '10.86.0.0/24'; DhcpReservation = '52:54:00:0b:00:01=10.86.0.5,we_b' } }
        @{ Case = 'no subnet'; Code = 'KCHNET0177E'; Parameters = @{ Connection = 'Nat'; DhcpReservation = '52:54:00:0b:00:01=10.86.0.5' } }
    ) {
        param($Case, $Code, $Parameters)
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        New-KimchiNetwork -Uri $uri -Name bad @Parameters -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code,KimchiNet.Commands.NewKimchiNetworkCommand"
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }
}

Describe 'Set-KimchiNetwork -DhcpReservation' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'replaces the set of an active network in use live, from text and Get-KimchiDhcpReservation objects; an empty list removes them' {
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:0b:00:01 -IPAddress 192.168.122.20 -HostName web -Confirm:$false | Out-Null
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:0b:00:02 -IPAddress 192.168.122.21 -Confirm:$false | Out-Null
        $kept = Get-KimchiDhcpReservation -Uri $uri -Network default | Where-Object HostName -EQ 'web'
        $changed = Set-KimchiNetwork -Uri $uri -Name default -DhcpReservation $kept, '52-54-00-0B-00-03=192.168.122.22,db' -PassThru -Confirm:$false
        @($changed.DhcpReservations | ForEach-Object ToString) | Should -Be @('52:54:00:0b:00:01=192.168.122.20,web', '52:54:00:0b:00:03=192.168.122.22,db')
        $changed.State | Should -Be 'Active'
        $connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($uri)
        $connection.GetNetworkXml('default', $true) | Should -Match "<host mac='52:54:00:0b:00:03' name='db' ip='192.168.122.22'/>"
        $connection.GetNetworkXml('default', $true) | Should -Not -Match '52:54:00:0b:00:02'
        Set-KimchiNetwork -Uri $uri -Name default -DhcpReservation @() -Confirm:$false
        @(Get-KimchiDhcpReservation -Uri $uri -Network default).Count | Should -Be 0
        $connection.GetNetworkXml('default', $true) | Should -Not -Match '<host '
    }

    It 'judges the set against the subnet an update gives and replaces it after the update' {
        New-KimchiNetwork -Uri $uri -Name r -Connection Isolated -Subnet 10.85.0.0/24 | Out-Null
        $changed = Set-KimchiNetwork -Uri $uri -Name r -NewName r2 -Subnet 10.86.0.0/24 -DhcpReservation '52:54:00:0b:00:02=10.86.0.20,db' -PassThru -Confirm:$false
        $changed.Subnet | Should -BeExactly '10.86.0.0/24'
        @($changed.DhcpReservations | ForEach-Object ToString) | Should -Be @('52:54:00:0b:00:02=10.86.0.20,db')
        @(Get-KimchiDhcpReservation -Uri $uri -Network r2).IPAddress | Should -Be @('10.86.0.20')
    }

    It 'refuses a new subnet that does not hold the reservations the network has (the update comes first) and changes nothing' {
        New-KimchiNetwork -Uri $uri -Name r -Connection Isolated -Subnet 10.85.0.0/24 -DhcpReservation '52:54:00:0b:00:01=10.85.0.20' | Out-Null
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name r -Subnet 10.86.0.0/24 -DhcpReservation '52:54:00:0b:00:01=10.86.0.20' -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0003E,KimchiNet.Commands.SetKimchiNetworkCommand'
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It '-WhatIf names each reservation removed and added, shows the diff and changes nothing' {
        $path = $uri -replace '^test://', ''
        (Get-Content -LiteralPath $path -Raw) -replace '(<range start="192.168.122.2" end="192.168.122.254"/>)', '$1<host mac="52:54:00:0b:00:01" ip="192.168.122.20"/>' | Set-Content -LiteralPath $path
        $text = Get-KimchiSetWhatIfText -Uri $uri -Arguments "-Name default -DhcpReservation '52:54:00:0b:00:02=192.168.122.21,db'"
        $text | Should -MatchExactly 'operation "Remove DHCP reservations 52:54:00:0b:00:01=192\.168\.122\.20, add DHCP reservations 52:54:00:0b:00:02=192\.168\.122\.21,db'
        $text | Should -Match '- +<host mac="52:54:00:0b:00:01" ip="192.168.122.20" />'
        $text | Should -Match '\+ +<host mac="52:54:00:0b:00:02" name="db" ip="192.168.122.21" />'
        $before = Get-KimchiHostSnapshot $uri
        Set-KimchiNetwork -Uri $uri -Name default -DhcpReservation @() -WhatIf
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
        @(Get-KimchiDhcpReservation -Uri $uri -Network default).Count | Should -Be 1
    }

    It 'refuses <Case> with <Code> and changes nothing' -TestCases @(
        @{ Case = 'an address outside the subnet'; Code = 'KCHNET0140E'; Parameters = @{ DhcpReservation = '52:54:00:0b:00:01=10.87.0.5' } }
        @{ Case = 'one MAC twice'; Code = 'KCHNET0142E'; Parameters = @{ DhcpReservation = '52:54:00:0b:00:01=192.168.122.20', '52-54-00-0b-00-01=192.168.122.21' } }
        @{ Case = 'an address of the old subnet with a new one'; Code = 'KCHNET0140E'; Parameters = @{ Name = 'r'; Subnet = '10.86.0.0/24'; DhcpReservation = '52:54:00:0b:00:01=10.85.0.20' } }
    ) {
        param($Case, $Code, $Parameters)
        if (-not $Parameters.ContainsKey('Name')) { $Parameters.Name = 'default' }
        New-KimchiNetwork -Uri $uri -Name r -Connection Isolated -Subnet 10.85.0.0/24 | Out-Null
        Add-KimchiDhcpReservation -Uri $uri -Network default -MacAddress 52:54:00:0b:00:09 -IPAddress 192.168.122.90 -Confirm:$false | Out-Null
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        Set-KimchiNetwork -Uri $uri @Parameters -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code,KimchiNet.Commands.SetKimchiNetworkCommand"
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }
}
