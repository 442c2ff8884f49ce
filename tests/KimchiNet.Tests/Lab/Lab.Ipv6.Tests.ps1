$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    IPv6 dual stack proven with real clients (issue 15, item 3). A lab host runs two networks whose
    IPv6 /64 KimchiNet plans itself (-Ipv6Subnet auto: RFC 4193, under the host's one global ID):
    - 'v6nat', nat with DHCPv6 and IPv6 NAT (<nat ipv6='yes'/>): a client namespace (kc6-LAB) on its
      bridge runs Debian's ISC `dhclient -6` and gets an address of the DHCPv6 range from the
      network's dnsmasq; Add-KimchiDhcpReservation -Duid on the RUNNING network (virNetworkUpdate,
      same dnsmasq PID) then makes dnsmasq give the client its reserved address; the host (the lab's
      namespace) pings the client at that address; ip6tables shows libvirt's IPv6 MASQUERADE rule.
    - 'v6ra', routed with router advertisements only (-Ipv6Dhcp $false: no <dhcp> in the IPv6 <ip>):
      a second client namespace (ks6-LAB) configures an address by SLAAC from dnsmasq's RAs, and the
      host pings it.
    dhclient runs with `-sf /bin/true` (it configures nothing and touches no file of the machine: its
    lease and pid files are in TestDrive); the test adds the leased address to the client's NIC itself.
    `-D LL` makes its DUID the DUID-LL of the client's MAC; the DUID reserved is the one dhclient
    wrote in its lease file, read back, not assumed.
    The client namespaces are new network namespaces: IPv6 on, duplicate address detection off
    (net.ipv6.conf.*.accept_dad=0), so an address is usable at once.

    A machine that cannot run labs FAILS this test with the reason; KIMCHINET_SKIP_LAB=1 skips it.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function New-ClientNamespace([string] $Namespace, [string] $Device, [string] $Mac, [string] $Bridge) {
        # A client: its own network namespace, joined to the network's bridge by a veth pair.
        Invoke-KimchiLabHostChecked ip 'netns', 'add', $Namespace | Out-Null
        foreach ($setting in 'net.ipv6.conf.all.disable_ipv6=0', 'net.ipv6.conf.default.disable_ipv6=0', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0') {
            Invoke-KimchiLabHostChecked ip 'netns', 'exec', "$Namespace", 'sysctl', '-q', '-w', $setting | Out-Null
        }
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'add', $Device, 'type', 'veth', 'peer', 'name', "${Device}p" | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', $Device, 'netns', $Namespace | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', "${Device}p", 'master', $Bridge, 'up' | Out-Null
        Invoke-KimchiLabHostChecked ip 'netns', 'exec', "$Namespace", 'ip', 'link', 'set', $Device, 'address', $Mac, 'up' | Out-Null
    }

    function Request-Dhcpv6([string] $Name) {
        # One DHCPv6 exchange (-1: give up after one try); on success dhclient goes to the background,
        # and is stopped again at once by the pid it wrote in its own pid file.
        $leases = Join-Path $TestDrive "$Name.leases"
        $pidFile = Join-Path $TestDrive "$Name.pid"
        $common = @('netns', 'exec', "$client6", 'dhclient', '-6', '-D', 'LL', '-sf', '/bin/true', '-lf', $leases, '-pf', $pidFile)
        $run = Invoke-KimchiLabProcess -FilePath ip -TimeoutSeconds 90 -ArgumentList ($common + @('-1', '-v', 'c6'))
        $text = "$($run.Output)`n$($run.Error)"
        if (Test-Path -LiteralPath $pidFile) {
            Stop-Process -Id ([int] (Get-Content -LiteralPath $pidFile -Raw).Trim()) -ErrorAction SilentlyContinue
        }
        $run.ExitCode | Should -Be 0 -Because "dhclient -6 must get a lease: $text"
        $file = Get-Content -LiteralPath $leases -Raw
        $file -match 'iaaddr ([0-9a-f:]+) \{' | Should -BeTrue -Because $file
        $address = $Matches[1]
        $file -match 'default-duid "([^"]*)";' | Should -BeTrue -Because $file
        [pscustomobject]@{ Address = $address; Duid = ConvertFrom-DhclientString $Matches[1] }
    }

    function ConvertFrom-DhclientString([string] $Text) {
        # dhclient writes the DUID as a C string: printable bytes as themselves, the others as \ooo.
        $bytes = [System.Collections.Generic.List[byte]]::new()
        for ($i = 0; $i -lt $Text.Length; $i++) {
            if ($Text[$i] -eq '\' -and $i + 3 -lt $Text.Length -and $Text.Substring($i + 1, 3) -match '^[0-7]{3}$') {
                $bytes.Add([Convert]::ToByte($Text.Substring($i + 1, 3), 8)); $i += 3
            }
            elseif ($Text[$i] -eq '\') { $bytes.Add([byte][char] $Text[$i + 1]); $i++ }
            else { $bytes.Add([byte][char] $Text[$i]) }
        }
        ($bytes | ForEach-Object { $_.ToString('x2') }) -join ':'
    }

    function Get-DnsmasqPid([string] $Network) {
        # dnsmasq forks a helper for libvirt's lease script: the server is the one whose parent is not a dnsmasq of the set.
        $all = @(Get-KimchiLabDnsmasq -Lab $lab -Network $Network)
        $pids = @($all | ForEach-Object Pid)
        $server = @($all | Where-Object {
                $parent = [int] ((Get-Content -LiteralPath "/proc/$($_.Pid)/status" | Where-Object { $_ -like 'PPid:*' }) -replace '\D', '')
                $parent -notin $pids
            })
        $server.Count | Should -Be 1 -Because "one dnsmasq server process serves $Network"
        $server[0].Pid
    }

    function Test-InPrefix([string] $Address, [string] $Subnet) {
        $net = [System.Net.IPAddress]::Parse($Subnet.Split('/')[0]).GetAddressBytes()
        $ip = [System.Net.IPAddress]::Parse($Address).GetAddressBytes()
        -not (Compare-Object $net[0..7] $ip[0..7] -SyncWindow 0)
    }

    function Invoke-HostPing6([string] $Address) {
        $run = Invoke-InKimchiLab -Name $lab -FilePath busybox -ArgumentList 'ping6', '-c', '2', '-W', '5', $Address -TimeoutSeconds 60
        $run.ExitCode | Should -Be 0 -Because "the host must reach $Address over IPv6: $($run.Output) $($run.Error)"
        ($run.Output -split "`n" | Where-Object { $_ -match 'packets transmitted' }) -join ''
    }
}

Describe 'Lab IPv6: DHCPv6, a DUID reservation added live, SLAAC, IPv6 NAT, with real clients' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $uri = (Start-KimchiTestLab -Name "e2e$PID-v6" -Nics 1).Uri
        $lab = "e2e$PID-v6"
        $client6 = "kc6-$lab"
        $clientRa = "ks6-$lab"

        $nat = New-KimchiNetwork -Uri $uri -Name v6nat -Connection Nat -Subnet 10.86.0.0/24 -Ipv6Subnet auto -Ipv6Nat $true -Start
        $ra = New-KimchiNetwork -Uri $uri -Name v6ra -Connection Routed -Subnet 10.86.1.0/24 -Ipv6Subnet auto -Ipv6Dhcp $false -Start
        New-ClientNamespace -Namespace $client6 -Device c6 -Mac '52:54:00:86:00:10' -Bridge $nat.BridgeName
        New-ClientNamespace -Namespace $clientRa -Device s6 -Mac '52:54:00:86:01:10' -Bridge $ra.BridgeName
    }

    AfterAll {
        foreach ($namespace in @(Get-Variable -Name client6, clientRa -ValueOnly -ErrorAction SilentlyContinue)) {
            if ($namespace) { Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'del', $namespace | Out-Null }
        }
        Stop-KimchiTestLab -CloseConnection
    }

    It 'plans both /64s under one unique-local global ID of the host, and reads them back' {
        $nat.Ipv6Subnet | Should -Match '^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{0,4}:*/64$'
        $ra.Ipv6Subnet | Should -Not -Be $nat.Ipv6Subnet
        $natBytes = [System.Net.IPAddress]::Parse($nat.Ipv6Subnet.Split('/')[0]).GetAddressBytes()
        $raBytes = [System.Net.IPAddress]::Parse($ra.Ipv6Subnet.Split('/')[0]).GetAddressBytes()
        ($natBytes[0..5] -join '.') | Should -Be ($raBytes[0..5] -join '.') -Because 'both are planned under the one global ID kept for the host'
        $globalId = ($natBytes[1..5] | ForEach-Object { $_.ToString('x2') }) -join ''
        foreach ($name in 'v6nat', 'v6ra') {
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $name |
                Should -Match "<kimchinet:ula global-id=.$globalId./>" -Because 'the global ID is kept in the metadata'
        }
        $nat.Ipv6Gateway | Should -Be ($nat.Ipv6Subnet.Split('/')[0] + '1')
        $nat.Ipv6Dhcp | Should -BeTrue
        $nat.Ipv6Nat | Should -BeTrue
        $ra.Ipv6Dhcp | Should -BeFalse
        $ra.Connection | Should -Be 'Routed'
        Write-Host "ipv6: host global ID $globalId; v6nat $($nat.Ipv6Subnet) (DHCPv6 $($nat.Ipv6DhcpStart)-$($nat.Ipv6DhcpEnd), NAT $($nat.Ipv6Nat)), v6ra $($ra.Ipv6Subnet) (router advertisements only)"
    }

    It 'masquerades the nat network''s IPv6 subnet (the ip6tables rule of IPv6 NAT)' {
        $run = Invoke-InKimchiLab -Name $lab -FilePath ip6tables -ArgumentList '-t', 'nat', '-S'
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $rule = @($run.Output -split "`n" | Where-Object { $_ -match [regex]::Escape($nat.Ipv6Subnet) -and $_ -match 'MASQUERADE' })
        $rule.Count | Should -BeGreaterThan 0 -Because "libvirt masquerades $($nat.Ipv6Subnet): $($run.Output)"
        Write-Host "ipv6: IPv6 NAT rule in the lab host: $($rule[0].Trim())"
    }

    It 'serves a DHCPv6 address, then the reserved one after a live DUID reservation, from the same dnsmasq; the host pings the client' {
        $before = Get-DnsmasqPid -Network v6nat
        $dynamic = Request-Dhcpv6 -Name first
        Test-InPrefix $dynamic.Address $nat.Ipv6Subnet | Should -BeTrue
        $offset = [System.Numerics.BigInteger]::Parse('0' + (([System.Net.IPAddress]::Parse($dynamic.Address).GetAddressBytes()[8..15] | ForEach-Object { $_.ToString('x2') }) -join ''), 'AllowHexSpecifier')
        $offset | Should -BeGreaterOrEqual 0x100 -Because 'a client without a reservation gets an address of the DHCPv6 range'
        $offset | Should -BeLessOrEqual 0x1ff
        $dynamic.Duid | Should -Be '00:03:00:01:52:54:00:86:00:10' -Because 'dhclient -D LL uses the DUID-LL of the client MAC'
        Write-Host "ipv6: DHCPv6 client (DUID $($dynamic.Duid)) got $($dynamic.Address) from dnsmasq pid $before"

        $reserved = $nat.Ipv6Subnet.Split('/')[0] + '50'
        $added = Add-KimchiDhcpReservation -Uri $uri -Network v6nat -Duid $dynamic.Duid -IPAddress $reserved -HostName client6
        $added.Duid | Should -Be $dynamic.Duid
        $added.IPAddress | Should -Be $reserved
        (Get-DnsmasqPid -Network v6nat) | Should -Be $before -Because 'the reservation goes live without restarting the network'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', 'v6nat' |
            Should -Match "<host id='$($dynamic.Duid)' name='client6' ip='$reserved'/>" -Because 'the persistent definition has it too'

        $again = Request-Dhcpv6 -Name second
        $again.Address | Should -Be $reserved
        (Get-DnsmasqPid -Network v6nat) | Should -Be $before
        Write-Host "ipv6: DUID reservation added live; client got its reserved $($again.Address) from the same dnsmasq pid $before"

        Invoke-KimchiLabHostChecked ip 'netns', 'exec', "$client6", 'ip', '-6', 'addr', 'add', "$reserved/64", 'dev', 'c6', 'nodad' | Out-Null
        $ping = Invoke-HostPing6 $reserved
        Write-Host "ipv6: host ping6 $reserved (DHCPv6 client): $ping"

        @(Get-KimchiDhcpReservation -Uri $uri -Network v6nat -Duid $dynamic.Duid).Count | Should -Be 1
        Remove-KimchiDhcpReservation -Uri $uri -Network v6nat -Duid $dynamic.Duid -Confirm:$false
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', 'v6nat' | Should -Not -Match '<host '
        (Get-DnsmasqPid -Network v6nat) | Should -Be $before
    }

    It 'gives the client on the router-advertisement-only network an address by SLAAC, which the host pings' {
        $address = $null
        foreach ($try in 1..30) {
            $json = Invoke-KimchiLabHostChecked ip 'netns', 'exec', "$clientRa", 'ip', '-6', '-json', 'addr', 'show', 'dev', 's6', 'scope', 'global'
            $found = @(($json | ConvertFrom-Json).addr_info | Where-Object { $_.family -eq 'inet6' -and (Test-InPrefix $_.local $ra.Ipv6Subnet) })
            if ($found.Count -gt 0) { $address = $found[0].local; break }
            Start-Sleep -Seconds 1
        }
        $address | Should -Not -BeNullOrEmpty -Because "the client configures an address in $($ra.Ipv6Subnet) from the router advertisements"
        # SLAAC's EUI-64 interface identifier from the client MAC 52:54:00:86:01:10.
        $address | Should -BeLike '*:5054:ff:fe86:110'
        $ping = Invoke-HostPing6 $address
        Write-Host "ipv6: SLAAC client on v6ra configured $address; host ping6: $ping"
    }

    It 'starts isolated and open networks with IPv6 too: the bridge carries the gateway ::1' -TestCases @(
        @{ Connection = 'Isolated'; Name = 'v6iso'; Subnet = '10.86.2.0/24' }
        @{ Connection = 'Open'; Name = 'v6open'; Subnet = '10.86.3.0/24' }
    ) {
        $net = New-KimchiNetwork -Uri $uri -Name $Name -Connection $Connection -Subnet $Subnet -Ipv6Subnet auto -Start
        $net.State | Should -Be 'Active'
        $net.Ipv6Gateway | Should -Be ($net.Ipv6Subnet.Split('/')[0] + '1')
        $json = Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList '-6', '-json', 'addr', 'show', 'dev', $net.BridgeName, 'scope', 'global'
        @(($json | ConvertFrom-Json).addr_info | ForEach-Object { "$($_.local)/$($_.prefixlen)" }) | Should -Contain "$($net.Ipv6Gateway)/64"
        Write-Host "ipv6: $($Connection.ToLower()) network $Name active with $($net.Ipv6Subnet); bridge $($net.BridgeName) has $($net.Ipv6Gateway)/64"
    }

    It 'refuses IPv6 where it does not belong, on the running host, and changes nothing' {
        $names = @(Get-KimchiNetwork -Uri $uri | ForEach-Object Name)
        { New-KimchiNetwork -Uri $uri -Name v6dup -Connection Isolated -Ipv6Subnet $nat.Ipv6Subnet -ErrorAction Stop } |
            Should -Throw -ErrorId 'KCHNET0128E,KimchiNet.Commands.NewKimchiNetworkCommand'
        { New-KimchiNetwork -Uri $uri -Name v6br -Connection Macvtap -Interfaces eth1 -Ipv6Subnet auto -ErrorAction Stop } |
            Should -Throw -ErrorId 'KCHNET0127E,KimchiNet.Commands.NewKimchiNetworkCommand'
        { Add-KimchiDhcpReservation -Uri $uri -Network v6ra -Duid 00:03:00:01:52:54:00:86:01:10 -IPAddress ($ra.Ipv6Subnet.Split('/')[0] + '50') -ErrorAction Stop } |
            Should -Throw -ErrorId 'KCHNET0174E,KimchiNet.Commands.AddKimchiDhcpReservationCommand'
        @(Get-KimchiNetwork -Uri $uri | ForEach-Object Name) | Should -Be $names
    }
}
