$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    DHCP reservations on a running network, proven with a real DHCP client (issue 15, item 1). A lab
    host runs a nat network; a "client" stands in for a guest: a network namespace of its own
    (knc-LAB) joined to the network's bridge by a veth pair whose client end has the guest's MAC,
    running Debian's `busybox udhcpc` against the network's own dnsmasq. The proof:
    - before any reservation the client gets an address of the dynamic range;
    - Add-KimchiDhcpReservation on the RUNNING network (virNetworkUpdate, live + config) puts the MAC in
      dnsmasq's host file, and the client then gets the reserved address, from the same dnsmasq
      process (its PID is unchanged: no restart), with the reservation's lease time;
    - Get-KimchiDhcpLease shows that lease (libvirt's leases call) with the VM whose NIC has the MAC;
    - Remove-KimchiDhcpReservation takes the reservation away live: the host file no longer has it, the
      persistent definition neither, dnsmasq's PID is still the same, and the client is given a dynamic
      address again.
    udhcpc runs with `-s /bin/true`: it configures nothing (Debian's busybox ships no default script,
    and one would write the machine's /etc/resolv.conf); the address it was offered is in its output.

    A machine that cannot run labs FAILS this test with the reason; KIMCHINET_SKIP_LAB=1 skips it.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function Request-Lease {
        # One DHCP exchange from the client namespace: udhcpc prints "lease of A obtained from S, lease time T".
        $run = Invoke-KimchiLabProcess -FilePath ip -TimeoutSeconds 60 -ArgumentList @(
            'netns', 'exec', "$client", 'busybox', 'udhcpc', '-i', 'c1', '-f', '-q', '-n', '-t', '6', '-T', '2', '-s', '/bin/true')
        $text = "$($run.Output)`n$($run.Error)"
        $run.ExitCode | Should -Be 0 -Because "udhcpc must get a lease: $text"
        $text -match 'lease of ([0-9.]+) obtained from ([0-9.]+), lease time ([0-9]+)' | Should -BeTrue -Because $text
        [pscustomobject]@{ Address = $Matches[1]; Server = $Matches[2]; LeaseSeconds = [int] $Matches[3] }
    }

    function Get-HostsFile {
        $dnsmasq = Get-KimchiLabDnsmasqServer -Lab $lab -Network $network
        $path = "/proc/$($dnsmasq.Pid)/root/var/lib/libvirt/dnsmasq/$network.hostsfile"
        [pscustomobject]@{ Pid = $dnsmasq.Pid; Text = if (Test-Path -LiteralPath $path) { [IO.File]::ReadAllText($path) } else { '' } }
    }
}

Describe 'Lab DHCP: a reservation added and removed live is served to a real client' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $uri = (Start-KimchiTestLab -Name "e2e$PID-dh" -Nics 1).Uri
        $lab = "e2e$PID-dh"
        $client = "knc-$lab"
        $network = 'dhnat'
        $mac = '52:54:00:77:00:10'

        $net = New-KimchiNetwork -Uri $uri -Name $network -Connection Nat -Subnet 10.77.0.0/24 -Start
        $bridge = $net.BridgeName
        # The VM that owns the MAC (defined, not started: the client namespace plays its NIC).
        $guestXml = Join-Path $TestDrive 'guest-dhcpvm.xml'
        New-KimchiLabGuestXml -Name dhcpvm -Network $network -MacAddress $mac -Path $guestXml | Out-Null
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'define', $guestXml | Out-Null

        Invoke-KimchiLabHostChecked ip 'netns', 'add', $client | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'add', 'c1', 'type', 'veth', 'peer', 'name', 'c1p' | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', 'c1', 'netns', $client | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', 'c1p', 'master', $bridge, 'up' | Out-Null
        Invoke-KimchiLabHostChecked ip 'netns', 'exec', "$client", 'ip', 'link', 'set', 'c1', 'address', $mac, 'up' | Out-Null
    }

    AfterAll {
        if ($client) { Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'del', $client | Out-Null }
        Stop-KimchiTestLab -CloseConnection
    }

    It 'serves the reserved address after a live add, from the same dnsmasq, and a dynamic one again after a live remove' {
        $before = Get-HostsFile
        $dynamic = Request-Lease
        $dynamic.Server | Should -Be '10.77.0.1'
        $dynamic.Address | Should -Not -Be '10.77.0.10'
        [version] $dynamic.Address | Should -BeGreaterOrEqual ([version] '10.77.0.128') -Because 'without a reservation the client gets an address of the dynamic range'
        Write-Host "dhcp: before the reservation, client $mac got $($dynamic.Address) from dnsmasq (pid $($before.Pid))"

        $added = Add-KimchiDhcpReservation -Uri $uri -Network $network -MacAddress $mac -IPAddress 10.77.0.10 -HostName client1 -LeaseTime 01:00:00
        $added | Should -BeOfType KimchiNet.Model.DhcpReservationInfo
        (Get-KimchiNetwork -Uri $uri -Name $network).State | Should -Be 'Active'
        $afterAdd = Get-HostsFile
        $afterAdd.Pid | Should -Be $before.Pid -Because 'the reservation goes live without restarting the network'
        $afterAdd.Text | Should -Match ([regex]::Escape($mac) + ',10\.77\.0\.10,client1,1h')
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network |
            Should -Match "<host mac='$mac' name='client1' ip='10.77.0.10'>" -Because 'the persistent definition has it too'

        $reserved = Request-Lease
        $reserved.Address | Should -Be '10.77.0.10'
        $reserved.LeaseSeconds | Should -Be 3600
        (Get-HostsFile).Pid | Should -Be $before.Pid
        Write-Host "dhcp: reservation added live; client $mac got $($reserved.Address) (lease $($reserved.LeaseSeconds) s) from dnsmasq pid $($afterAdd.Pid), unchanged"

        $leases = @(Get-KimchiDhcpLease -Uri $uri -Network $network | Where-Object IPAddress -EQ '10.77.0.10')
        $leases.Count | Should -Be 1 -Because 'libvirt reports the lease dnsmasq granted'
        $leases[0] | Should -BeOfType KimchiNet.Model.DhcpLeaseInfo
        $leases[0].MacAddress | Should -Be $mac
        $leases[0].VM | Should -Be 'dhcpvm'
        $leases[0].Interface | Should -Be $bridge
        $leases[0].ExpiryTime | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)
        Write-Host "dhcp: Get-KimchiDhcpLease: $($leases[0].IPAddress) $($leases[0].MacAddress) host '$($leases[0].HostName)' VM $($leases[0].VM) until $($leases[0].ExpiryTime.ToString('u'))"

        Get-KimchiDhcpReservation -Uri $uri -Network $network | Remove-KimchiDhcpReservation -Confirm:$false
        $afterRemove = Get-HostsFile
        $afterRemove.Pid | Should -Be $before.Pid -Because 'the reservation is removed without restarting the network'
        $afterRemove.Text | Should -Not -Match ([regex]::Escape($mac))
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network | Should -Not -Match '<host '
        @(Get-KimchiDhcpReservation -Uri $uri -Network $network).Count | Should -Be 0

        $again = Request-Lease
        $again.Address | Should -Not -Be '10.77.0.10'
        [version] $again.Address | Should -BeGreaterOrEqual ([version] '10.77.0.128')
        Write-Host "dhcp: reservation removed live; client $mac got $($again.Address) from the same dnsmasq pid $($afterRemove.Pid)"
    }

    It 'refuses a bad reservation on the running network and changes nothing there' {
        $xml = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network
        { Add-KimchiDhcpReservation -Uri $uri -Network $network -MacAddress $mac -IPAddress 10.77.1.10 -ErrorAction Stop } |
            Should -Throw -ErrorId 'KCHNET0140E,KimchiNet.Commands.AddKimchiDhcpReservationCommand'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network | Should -BeExactly $xml
    }
}
