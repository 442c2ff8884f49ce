$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Routed and open networks, the MTU, a custom DHCP range and lease time, and DHCP off, on a real
    libvirtd (issue 15, items 4 and 5). A lab host runs:
    - a routed network bound to the lab's eth1 (forward mode route dev=eth1), MTU 9000, DHCP range
      .100-.200 with a 2-hour lease;
    - an open network (forward mode open), MTU 1400, DHCP range .50-.60;
    - an isolated network with -Dhcp $false.
    A "client" stands in for a guest, as in Lab.Dhcp.Tests.ps1: a namespace of its own (knr-LAB) joined
    to a network's bridge by a veth pair, running Debian's `busybox udhcpc` against the network's dnsmasq.
    The proof: `ip link` in the lab shows each bridge with its MTU; the client gets an address of the
    custom range with the custom lease time; the lab host reaches the routed client through the
    bridge's route (ip route get, busybox ping) while `iptables -t nat -S` in the lab shows no rule for
    the routed subnet (and none at all, nat or filter, for the open one); the client of the network
    without DHCP gets no lease and its dnsmasq has no dhcp-range.

    A machine that cannot run labs FAILS this test with the reason; KIMCHINET_SKIP_LAB=1 skips it.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function Invoke-InClient([string[]] $ArgumentList) {
        # A program in the client's namespace (ip netns exec knr-LAB ...); throws with its stderr when it fails.
        $run = Invoke-KimchiLabProcess -FilePath ip -ArgumentList (@('netns', 'exec', $client) + $ArgumentList) -TimeoutSeconds 60
        if ($run.ExitCode -ne 0) { throw "$($ArgumentList -join ' ') failed in $client (exit $($run.ExitCode)): $($run.Error.Trim())" }
        $run.Output
    }

    function Connect-Client([string] $Bridge, [string] $Mac, [int] $Mtu) {
        # A veth pair: c1 in the client's namespace with the guest's MAC, c1p a port of the network's bridge
        # with the bridge's MTU (as libvirt gives a guest's tap).
        Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'exec', "$client", 'ip', 'link', 'del', 'c1' | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'add', 'c1', 'type', 'veth', 'peer', 'name', 'c1p' | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', 'c1', 'netns', $client | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', 'c1p', 'mtu', "$Mtu", 'master', $Bridge, 'up' | Out-Null
        Invoke-InClient 'ip', 'link', 'set', 'c1', 'address', $Mac, 'mtu', "$Mtu", 'up' | Out-Null
    }

    function Request-Lease([int] $Tries = 6) {
        # One DHCP exchange from the client namespace: udhcpc prints "lease of A obtained from S, lease time T".
        $run = Invoke-KimchiLabProcess -FilePath ip -TimeoutSeconds 60 -ArgumentList @(
            'netns', 'exec', "$client", 'busybox', 'udhcpc', '-i', 'c1', '-f', '-q', '-n', '-t', "$Tries", '-T', '2', '-s', '/bin/true')
        $text = "$($run.Output)`n$($run.Error)"
        if ($text -notmatch 'lease of ([0-9.]+) obtained from ([0-9.]+), lease time ([0-9]+)') {
            return [pscustomobject]@{ Address = $null; Server = $null; LeaseSeconds = 0; ExitCode = $run.ExitCode; Text = $text }
        }
        [pscustomobject]@{ Address = $Matches[1]; Server = $Matches[2]; LeaseSeconds = [int] $Matches[3]; ExitCode = $run.ExitCode; Text = $text }
    }

    function Get-LabIptables([string] $Table) {
        $run = Invoke-InKimchiLab -Name $lab -FilePath iptables -ArgumentList '-w', '-t', $Table, '-S'
        $run.ExitCode | Should -Be 0 -Because $run.Error
        @($run.Output -split "`n" | Where-Object { $_ })
    }

    function Get-BridgeMtu([string] $Bridge) {
        $link = @(Get-KimchiLabLink -Lab $lab -Device $Bridge)
        $link.Count | Should -Be 1 -Because "ip link shows bridge $Bridge in the lab"
        $link[0].linkinfo.info_kind | Should -Be 'bridge'
        [int] $link[0].mtu
    }
}

Describe 'Lab: routed and open networks with an MTU, a DHCP range and lease time, and DHCP off' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $uri = (Start-KimchiTestLab -Name "e2e$PID-rt" -Nics 1).Uri
        $lab = "e2e$PID-rt"
        $client = "knr-$lab"
        $added = Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'add', $client
        $added.ExitCode | Should -Be 0 -Because $added.Error

        $routed = New-KimchiNetwork -Uri $uri -Name rtnet -Connection Routed -Interfaces eth1 -Subnet 10.81.0.0/24 -Mtu 9000 `
            -DhcpRange '10.81.0.100-10.81.0.200' -DhcpLeaseTime 02:00:00 -Start
        $open = New-KimchiNetwork -Uri $uri -Name opnet -Connection Open -Subnet 10.82.0.0/24 -Mtu 1400 -DhcpRange '10.82.0.50-10.82.0.60' -Start
        $nodhcp = New-KimchiNetwork -Uri $uri -Name nodhcp -Connection Isolated -Subnet 10.83.0.0/24 -Dhcp $false -Start
    }

    AfterAll {
        if ($client) { Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'del', $client | Out-Null }
        Stop-KimchiTestLab -CloseConnection
    }

    It 'defines and starts them as asked, and Get-KimchiNetwork reads the settings back from libvirt' {
        $routed.Connection | Should -Be 'Routed'
        $routed.ForwardMode | Should -Be 'route'
        $routed.Interfaces | Should -Be @('eth1')
        $routed.State | Should -Be 'Active'
        $routed.Mtu | Should -Be 9000
        $routed.DhcpStart | Should -Be '10.81.0.100'
        $routed.DhcpEnd | Should -Be '10.81.0.200'
        $routed.DhcpLeaseTime | Should -Be ([timespan] '02:00:00')
        $open.Connection | Should -Be 'Open'
        $open.ForwardMode | Should -Be 'open'
        $open.Mtu | Should -Be 1400
        $nodhcp.Dhcp | Should -BeFalse
        $nodhcp.DhcpStart | Should -BeNullOrEmpty
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', 'rtnet' |
            Should -Match "<forward dev='eth1' mode='route'>"
        $read = Get-KimchiNetwork -Uri $uri -Name rtnet, opnet, nodhcp
        ($read | ForEach-Object { "$($_.Name)=$($_.Connection)/$($_.Mtu)/$($_.Dhcp)" }) -join ' ' |
            Should -Be 'nodhcp=Isolated//False opnet=Open/1400/True rtnet=Routed/9000/True'
        Write-Host "routed: rtnet forward route dev eth1, opnet forward open; Get-KimchiNetwork: $(($read | ForEach-Object { "$($_.Name) $($_.Connection) mtu $($_.Mtu) dhcp $($_.DhcpStart)-$($_.DhcpEnd) lease $($_.DhcpLeaseTime)" }) -join '; ')"
    }

    It 'gives each bridge its MTU (ip link in the lab)' {
        Get-BridgeMtu $routed.BridgeName | Should -Be 9000
        Get-BridgeMtu $open.BridgeName | Should -Be 1400
        Write-Host "routed: ip link: $($routed.BridgeName) mtu $(Get-BridgeMtu $routed.BridgeName) (rtnet), $($open.BridgeName) mtu $(Get-BridgeMtu $open.BridgeName) (opnet)"
    }

    It 'serves the custom range with the custom lease time, and the lab host reaches the routed client through its route with no NAT rule' {
        Connect-Client -Bridge $routed.BridgeName -Mac '52:54:00:81:00:10' -Mtu 9000
        $lease = Request-Lease
        $lease.Address | Should -Not -BeNullOrEmpty -Because "udhcpc must get a lease on rtnet: $($lease.Text)"
        $lease.Server | Should -Be '10.81.0.1'
        [version] $lease.Address | Should -BeGreaterOrEqual ([version] '10.81.0.100')
        [version] $lease.Address | Should -BeLessOrEqual ([version] '10.81.0.200')
        $lease.LeaseSeconds | Should -Be 7200

        # The client takes its address; the lab host (the hypervisor) routes to it through the bridge.
        Invoke-InClient 'ip', 'addr', 'add', "$($lease.Address)/24", 'dev', 'c1' | Out-Null
        $route = Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'route', 'get', $lease.Address
        $route | Should -Match "dev $([regex]::Escape($routed.BridgeName)) "
        $ping = Invoke-InKimchiLab -Name $lab -FilePath busybox -ArgumentList 'ping', '-c', '2', '-W', '2', $lease.Address -TimeoutSeconds 30
        $ping.ExitCode | Should -Be 0 -Because "the lab host pings the routed client: $($ping.Output) $($ping.Error)"
        $ping.Output | Should -Match '2 packets received'

        $nat = Get-LabIptables nat
        @($nat | Where-Object { $_ -match '10\.81\.0\.0/24' }) | Should -BeNullOrEmpty -Because "a routed network has no NAT rule: $($nat -join ' | ')"
        $forward = @(Get-LabIptables filter | Where-Object { $_ -match '10\.81\.0\.0/24' })
        $forward.Count | Should -BeGreaterThan 0 -Because 'libvirt lets the routed subnet through the FORWARD chain'
        Write-Host "routed: client 52:54:00:81:00:10 got $($lease.Address) (range 10.81.0.100-200, lease $($lease.LeaseSeconds) s) from $($lease.Server); route: $($route.Trim()); ping: $((@($ping.Output -split "`n") -match 'packets') -join '')"
        Write-Host "routed: iptables -t nat -S in the lab: $(@($nat | Where-Object { $_ -match '10\.81\.0\.0/24' }).Count) rules for 10.81.0.0/24; filter: $($forward.Count) FORWARD rules for it"
    }

    It 'serves the open network''s range, and libvirt adds no firewall rule for it' {
        Connect-Client -Bridge $open.BridgeName -Mac '52:54:00:82:00:10' -Mtu 1400
        $lease = Request-Lease
        $lease.Address | Should -Not -BeNullOrEmpty -Because "udhcpc must get a lease on opnet: $($lease.Text)"
        [version] $lease.Address | Should -BeGreaterOrEqual ([version] '10.82.0.50')
        [version] $lease.Address | Should -BeLessOrEqual ([version] '10.82.0.60')
        $rules = @(Get-LabIptables nat) + @(Get-LabIptables filter) | Where-Object { $_ -match '10\.82\.0\.0/24' -or $_ -match [regex]::Escape($open.BridgeName) }
        @($rules) | Should -BeNullOrEmpty -Because 'forward mode open adds no firewall rules'
        Write-Host "routed: open client got $($lease.Address) (range 10.82.0.50-60); iptables rules for opnet: $(@($rules).Count)"
    }

    It 'serves no DHCP on the network with -Dhcp $false' {
        $nodhcp.BridgeName | Should -Not -BeNullOrEmpty
        Connect-Client -Bridge $nodhcp.BridgeName -Mac '52:54:00:83:00:10' -Mtu 1500
        $lease = Request-Lease -Tries 3
        $lease.Address | Should -BeNullOrEmpty -Because "no DHCP is served: $($lease.Text)"
        $lease.ExitCode | Should -Not -Be 0
        $config = @(Get-KimchiLabDnsmasq -Lab $lab -Network nodhcp | Select-Object -First 1)
        if ($config.Count -eq 1) { $config[0].Config | Should -Not -Match 'dhcp-range' }
        Write-Host "routed: nodhcp (Dhcp off): udhcpc got no lease (exit $($lease.ExitCode)); dnsmasq runs: $($config.Count -eq 1), dhcp-range in its config: $(if ($config.Count -eq 1) { $config[0].Config -match 'dhcp-range' } else { 'n/a' })"
    }
}
