$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Issue 14, items 2-5 for ifupdown: a bridge network on a NIC that ifupdown configures is made
    through ifupdown's own file, with the real ifup/ifdown (and bridge-utils' hook, and isc-dhcp-client
    for the DHCP NIC) running inside a lab host's manager namespace (tests/lab/HostManagers.psm1) and
    the module run there, as on a real host. eth1 is configured in /etc/network/interfaces, eth2 in
    /etc/network/interfaces.d/eth2. Their switch sides (sw1, sw2) are moved into a namespace of their
    own, which plays the gateway (192.0.2.1), the DHCP server (dnsmasq, 2-minute leases) and probes
    the host (192.0.2.10) every second while the bridge is made.
    Each proof prints one line "ifupdown <cell>: ..." with what was measured (the lead's table); the
    longest probe gap is printed, not asserted (no timing thresholds in tests).
    KIMCHINET_SKIP_LAB=1 skips this on purpose; a machine that cannot run labs fails it.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    Import-Module (Join-Path $PSScriptRoot '../../lab/HostManagers.psm1') -Force
}

Describe 'Lab: a bridge network on an ifupdown NIC is made through ifupdown' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'ManagerLab.ps1')
        Start-ManagerLab -Short iu -Nics 2 -Program '/sbin/ifup', '/sbin/ifdown', '/sbin/brctl', '/sbin/dhclient', '/usr/sbin/dnsmasq', '/usr/bin/busybox'
        function Get-IfupdownFiles { Get-ManagerFiles /etc/network }
        function Test-Eth1AsBefore {
            (Get-Addresses eth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev eth1' -and
                (Get-Addresses eth1 -Family '-6') -contains '2001:db8:1::10/64'
        }

        New-LabGateway

        # dhclient keeps its leases in /var/lib/dhcp and may write /etc/resolv.conf: the lab's own copies.
        New-Item -ItemType Directory -Path (Join-Path $TestDrive 'dhcp') | Out-Null
        Set-Content -LiteralPath (Join-Path $TestDrive 'resolv.conf') -Value '' -NoNewline
        Invoke-InManager /usr/bin/mount @('--bind', (Join-Path $TestDrive 'dhcp'), '/var/lib/dhcp') | Out-Null
        Invoke-InManager /usr/bin/mount @('--bind', (Join-Path $TestDrive 'resolv.conf'), '/etc/resolv.conf') | Out-Null

        $interfaces = @'
# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface
auto eth1
iface eth1 inet static
	address 192.0.2.10/24
	gateway 192.0.2.1
	# dns-* options are implemented by the resolvconf package, if installed
	dns-nameservers 192.0.2.1

iface eth1 inet6 static
	address 2001:db8:1::10/64
'@
        Set-KimchiLabManagerFile -Name $lab -Path /etc/network/interfaces -Value ($interfaces + "`n")
        New-Item -ItemType Directory -Force -Path "/run/kimchinet-lab/$lab/managers/etc/network/interfaces.d" | Out-Null
        Start-KimchiLabManager -Name $lab -Manager Ifupdown   # ifup -a, as at boot
        Wait-Until 'ifupdown to configure eth1' { Test-Eth1AsBefore }
        Wait-Until 'the gateway to answer' { Test-Gateway }
        $eth1Mac = (Get-Link eth1).address
        $before = Get-IfupdownFiles
    }

    AfterAll {
        if ($gwNs) { Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList 'netns', 'del', $gwNs | Out-Null }
        Stop-KimchiTestLab
    }

    It '-WhatIf names ifupdown and the file it would rewrite, and changes nothing' {
        $said = Get-LabBridgeWhatIf
        Write-Host "ifupdown -WhatIf: $said"
        $said | Should -Match 'through ifupdown, which configures it \(/etc/network/interfaces\): rewriting /etc/network/interfaces'
        $said | Should -Match 'kept in /etc/network/\.kimchinet/kbeth1/interfaces'
        Get-IfupdownFiles | Should -Be $before
        Get-Link kbeth1 | Should -BeNullOrEmpty
    }

    It 'static NIC: makes kbeth1 through ifupdown, with eth1''s MAC, IPv4 and IPv6 addresses and default route, while the switch side keeps reaching the host' {
        $measured = New-LabBridgeProbed
        $created, $createdAt, $seqs, $sent, $gap = $measured.Created, $measured.CreatedAt, $measured.Answered, $measured.Sent, $measured.Gap
        Write-Host "ifupdown static: $($seqs.Count) of about $sent probes answered ($($sent - $seqs.Count) failed), longest gap between answers $gap s, New-KimchiNetwork returned at $([math]::Round($createdAt, 1)) s; kbeth1 holds $((Get-Addresses kbeth1) -join ', ') $((Get-Addresses kbeth1 -Family '-6') -join ', '), $((Get-DefaultRoute) -join '; ')"

        $created.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "it returned $($created | ConvertTo-Json -Compress)"
        $created.BridgeName | Should -BeExactly 'kbeth1'
        $seqs | Where-Object { $_ -gt [math]::Ceiling($createdAt) } | Should -Not -BeNullOrEmpty -Because 'the switch side still reaches the host after the change'
        (Get-Link eth1).master | Should -BeExactly 'kbeth1'
        (Get-Link kbeth1).address | Should -BeExactly $eth1Mac
        Get-Addresses kbeth1 | Should -Contain '192.0.2.10/24'
        Get-Addresses kbeth1 -Family '-6' | Should -Contain '2001:db8:1::10/64'
        Get-Addresses eth1 | Should -BeNullOrEmpty
        Get-DefaultRoute | Should -Contain 'via 192.0.2.1 dev kbeth1'
        $text = Invoke-InManager /usr/bin/cat @('/etc/network/interfaces')
        Write-Host "ifupdown static: /etc/network/interfaces after the create:`n$text"
        $text | Should -Match '(?m)^auto kbeth1$'
        $text | Should -Match '(?m)^iface kbeth1 inet static$'
        $text | Should -Match '(?m)^iface kbeth1 inet6 static$'
        $text | Should -Match '(?m)^\s+bridge_ports eth1$'
        $text | Should -Match "(?m)^\s+hwaddress $eth1Mac$"
        $text | Should -Match '(?m)^iface eth1 inet manual$'
        # the original is kept byte for byte
        $keptHash = (Invoke-InManager /usr/bin/sha256sum @('/etc/network/.kimchinet/kbeth1/interfaces')) -split ' ' | Select-Object -First 1
        ($before -join "`n") | Should -Match "(?m)^$keptHash\s+/etc/network/interfaces$"
        # ifupdown's view: kbeth1 is up through it
        (Invoke-InManager /sbin/ifquery @('--state')) | Should -Match '(?m)^kbeth1=kbeth1$'
    }

    It 'remove: the files are byte-identical to before, and eth1 holds its addresses and default route again' {
        $removed = Remove-LabBridgeNetwork lan
        $removed | Should -BeExactly 'ok'
        $same = ((Get-IfupdownFiles) -join "`n") -ceq ($before -join "`n")
        Wait-Until 'eth1 to get its addresses back' { Test-Eth1AsBefore }
        Write-Host "ifupdown remove: files byte-identical: $same; eth1 holds $((Get-Addresses eth1) -join ', ') $((Get-Addresses eth1 -Family '-6') -join ', '), $((Get-DefaultRoute) -join '; '), MAC $((Get-Link eth1).address) (was $eth1Mac); kbeth1 exists: $([bool](Get-Link kbeth1))"
        Get-IfupdownFiles | Should -Be $before
        Get-Link kbeth1 | Should -BeNullOrEmpty
        (Get-Link eth1).PSObject.Properties['master'] | Should -BeNullOrEmpty
        (Get-Link eth1).address | Should -BeExactly $eth1Mac
        Test-Gateway | Should -BeTrue
    }

    It 'forced failure: the gateway stops answering after the change, so it is rolled back (KCHNET0133E) and the files are byte-identical' {
        # the gateway's address goes as soon as kbeth1 exists in the lab
        $watcher = Start-Background -FilePath /bin/sh -ArgumentList '-c',
            "while ! ip -n $labNs link show kbeth1 >/dev/null 2>&1; do sleep 0.05; done; ip -n $gwNs addr del 192.0.2.1/24 dev sw1"
        try {
            $failed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -Start | Select-Object Name
'@
        }
        finally {
            if (-not $watcher.Process.WaitForExit(5000)) { $watcher.Process.Kill() }
            Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList '-n', $gwNs, 'addr', 'add', '192.0.2.1/24', 'dev', 'sw1' | Out-Null
        }
        $failed.PSObject.Properties['Failed'] | Should -Not -BeNullOrEmpty -Because "$($failed | Out-String)"
        $same = ((Get-IfupdownFiles) -join "`n") -ceq ($before -join "`n")
        Wait-Until 'eth1 to hold its addresses and route' { Test-Eth1AsBefore }
        Wait-Until 'the gateway to answer again' { Test-Gateway } -Seconds 10
        Write-Host "ifupdown rollback: $($failed.ErrorId): $($failed.Message) Files byte-identical: $same; eth1 holds $((Get-Addresses eth1) -join ', '), $((Get-DefaultRoute) -join '; '); the gateway answers again."
        $failed.Failed | Should -BeTrue
        $failed.ErrorId | Should -Match '^KCHNET0133E'
        $failed.Message | Should -Match 'gateway 192\.0\.2\.1 did not answer'
        Get-IfupdownFiles | Should -Be $before
        Get-Link kbeth1 | Should -BeNullOrEmpty
        (Get-LabNetworkNames -All) | Should -Not -Match '\blan\b'
    }

    It 'forced failure: eth1''s static IPv6 address does not stay on kbeth1, so it is rolled back (KCHNET0133E) naming it, and eth1 holds it again' {
        # the IPv6 address goes from kbeth1 whenever it is there (while ifup waits for its duplicate address detection); the IPv4 side is intact
        $watcher = Start-Background -FilePath /bin/sh -ArgumentList '-c',
            ("while ! ip -n $labNs link show kbeth1 >/dev/null 2>&1; do sleep 0.05; done; " +
                "while ip -n $labNs link show kbeth1 >/dev/null 2>&1; do ip -n $labNs addr del 2001:db8:1::10/64 dev kbeth1 2>/dev/null; sleep 0.05; done")
        try {
            $failed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -Start -RollbackTimeoutSeconds 10 | Select-Object Name
'@
        }
        finally {
            if (-not $watcher.Process.WaitForExit(5000)) { $watcher.Process.Kill() }
        }
        $failed.PSObject.Properties['Failed'] | Should -Not -BeNullOrEmpty -Because "$($failed | Out-String)"
        $same = ((Get-IfupdownFiles) -join "`n") -ceq ($before -join "`n")
        Wait-Until 'eth1 to hold its addresses and route' { Test-Eth1AsBefore }
        $state = Invoke-InManager /sbin/ifquery @('--state')
        Write-Host "ifupdown IPv6 rollback: $($failed.ErrorId): $($failed.Message) Files byte-identical: $same; eth1 holds $((Get-Addresses eth1) -join ', ') $((Get-Addresses eth1 -Family '-6') -join ', '); ifupdown's state: $(($state -split "`n") -join ' ')"
        $failed.ErrorId | Should -Match '^KCHNET0133E'
        $failed.Message | Should -Match "within 10 s 'kbeth1' did not get the addresses 2001:db8:1::10/64\. "
        $failed.Message | Should -Match "'eth1' holds its addresses again\."
        Get-IfupdownFiles | Should -Be $before
        Get-Link kbeth1 | Should -BeNullOrEmpty
        $state | Should -Not -Match 'kbeth1'
        (Get-LabNetworkNames -All) | Should -Not -Match '\blan\b'
    }

    Context 'DHCP NIC' {
        BeforeAll {
            # eth2 by DHCP (dhclient, through ifupdown), from dnsmasq on the switch side (2-minute leases, the shortest dnsmasq gives)
            $leases = Join-Path $TestDrive 'dnsmasq.leases'
            $dnsmasq = Start-LabDhcpServer -Leases $leases
            # allow-hotplug, as Debian's installer writes a DHCP NIC: ifup -a does not bring it up, so it is brought up by hand here
            Set-KimchiLabManagerFile -Name $lab -Path /etc/network/interfaces.d/eth2 -Value "# eth2 by DHCP`nallow-hotplug eth2`niface eth2 inet dhcp`n"
            Invoke-InManager /sbin/ifup @('eth2') | Out-Null
            Wait-Until 'eth2 to get a lease' { @(Get-Addresses eth2 | Where-Object { $_ -like '198.51.100.*' }).Count -eq 1 }
            $leased = @(Get-Addresses eth2 | Where-Object { $_ -like '198.51.100.*' })[0]
            $eth2Mac = (Get-Link eth2).address
            $beforeDhcp = Get-IfupdownFiles
        }

        AfterAll {
            # dhclient on eth2 ends with ifdown; dnsmasq keeps the gateway's namespace alive: it is ended before the namespace is deleted
            Invoke-InKimchiLabManager -Name $lab -FilePath /sbin/ifdown -ArgumentList 'eth2' | Out-Null
            Set-KimchiLabManagerFile -Name $lab -Path /etc/network/interfaces.d/eth2 -Remove
            if ($dnsmasq) { $dnsmasq.Process.Kill(); $dnsmasq.Process.WaitForExit() }
        }

        It 'makes kbeth2 through ifupdown from interfaces.d/eth2: the same lease on the bridge after the create and after a renewal; remove restores the file' {
            $created = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name dhcplan -Connection Bridge -Interfaces eth2 -Start | Select-Object Name, BridgeName
'@
            $created.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "it returned $($created | ConvertTo-Json -Compress)"
            $created.BridgeName | Should -BeExactly 'kbeth2'
            $onBridge = Get-Addresses kbeth2
            $text = Invoke-InManager /usr/bin/cat @('/etc/network/interfaces.d/eth2')
            Write-Host "ifupdown DHCP: interfaces.d/eth2 after the create:`n$text"
            $text | Should -Match '(?m)^auto kbeth2$'
            $text | Should -Match '(?m)^iface kbeth2 inet dhcp$'
            (Get-Link kbeth2).address | Should -BeExactly $eth2Mac
            $onBridge | Should -Contain $leased
            Get-Addresses eth2 | Should -BeNullOrEmpty
            $expiry = Get-LeaseExpiry $leases
            Start-Sleep -Seconds 75   # past T1 (half the 2-minute lease): dhclient renews on kbeth2
            $renewed = Get-LeaseExpiry $leases
            $afterRenewal = Get-Addresses kbeth2
            Write-Host "ifupdown DHCP: eth2 held $leased; after the create kbeth2 holds $($onBridge -join ', '); lease expiry $expiry before, $renewed after 75 s; kbeth2 then holds $($afterRenewal -join ', '), eth2 $((Get-Addresses eth2) -join ', ')"
            $renewed | Should -BeGreaterThan $expiry -Because 'the lease was renewed, by the client on kbeth2'
            $afterRenewal | Should -Contain $leased
            Get-Addresses eth2 | Should -BeNullOrEmpty

            $removed = Remove-LabBridgeNetwork dhcplan
            $removed | Should -BeExactly 'ok'
            # a DHCP client backs off (2, 4, 8, 16, 32 s...) when its first requests went out while eth2 left the bridge
            Wait-Until 'eth2 to get its lease back' { (Get-Addresses eth2) -contains $leased } -Seconds 90
            $same = ((Get-IfupdownFiles) -join "`n") -ceq ($beforeDhcp -join "`n")
            Write-Host "ifupdown DHCP remove: files byte-identical: $same; eth2 holds $((Get-Addresses eth2) -join ', ') again"
            Get-IfupdownFiles | Should -Be $beforeDhcp
            Get-Link kbeth2 | Should -BeNullOrEmpty
        }
    }

    Context 'reboot' {
        It 'after a simulated reboot ifup -a makes kbeth1 again with eth1''s addresses and route, the network autostarts and a guest lands on it; remove then restores the files' {
            $created = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -Start | Select-Object Name, BridgeName, Autostart
'@
            $created.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "it returned $($created | ConvertTo-Json -Compress)"
            $created.Autostart | Should -BeTrue
            $oldIndex = (Get-Link kbeth1).ifindex

            # "Reboot": libvirtd stops; ifupdown's state in /run goes (as /run is empty after a boot); every link and
            # address the change made goes, eth1 is bare and down; libvirt forgets that the network ran.
            Reset-LabLibvirtRun lan | Should -BeTrue -Because 'libvirt kept the running network''s status in /run, and it is gone now'
            Invoke-InManager /usr/bin/find @('/run/network', '-name', 'ifstate*', '-delete') | Out-Null
            Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'link', 'del', 'kbeth1') | Out-Null
            Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'addr', 'flush', 'dev', 'eth1') | Out-Null
            Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'link', 'set', 'eth1', 'down') | Out-Null
            Get-Link kbeth1 | Should -BeNullOrEmpty
            Get-Addresses eth1 | Should -BeNullOrEmpty

            # "Boot": ifup -a (the auto stanzas, as Debian's networking service does), then libvirtd.
            Start-KimchiLabManager -Name $lab -Manager Ifupdown
            Wait-Until 'ifupdown to make kbeth1 with eth1''s addresses and route' {
                (Get-Link kbeth1) -and (Get-Addresses kbeth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev kbeth1'
            }
            Restart-KimchiLabDaemon -Name $lab -StartOnly
            Wait-Until 'libvirt to autostart lan' { (Get-LabNetworkNames) -match '\blan\b' }
            $link = Get-Link kbeth1
            Write-Host "ifupdown reboot: ifup -a made kbeth1 again (ifindex $oldIndex before, $($link.ifindex) after, MAC $($link.address)), holds $((Get-Addresses kbeth1) -join ', ') $((Get-Addresses kbeth1 -Family '-6') -join ', '), $((Get-DefaultRoute) -join '; '); libvirt's active networks: $((Get-LabNetworkNames).Trim())"
            $link.ifindex | Should -Not -Be $oldIndex -Because 'the bridge was deleted and made again by ifupdown'
            $link.address | Should -BeExactly $eth1Mac
            (Get-Link eth1).master | Should -BeExactly 'kbeth1'
            Get-Addresses kbeth1 -Family '-6' | Should -Contain '2001:db8:1::10/64'
            Test-Gateway | Should -BeTrue

            # A guest started after the boot lands on the bridge ifupdown made again.
            $run = Start-KimchiLabGuest -Lab $lab -Name rebooted -Network lan -Folder $TestDrive
            $run.ExitCode | Should -Be 0 -Because "virsh start rebooted: $($run.Error)"
            $tap = @(Get-KimchiLabGuestNic -Lab $lab -Guest rebooted)
            Write-Host "ifupdown reboot: guest 'rebooted' started, its tap $($tap[0].Interface) (MAC $($tap[0].MAC)) is a port of $((Get-Link $tap[0].Interface).master)"
            $tap.Count | Should -Be 1
            $tap[0].Source | Should -BeExactly 'lan'
            (Get-Link $tap[0].Interface).master | Should -BeExactly 'kbeth1'
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'destroy', 'rebooted' | Out-Null
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'undefine', 'rebooted' | Out-Null

            $removed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
$warnings = @()
Remove-KimchiNetwork -Uri $Uri -Name lan -Force -Confirm:$false -WarningVariable +warnings -WarningAction SilentlyContinue
[pscustomobject]@{ Warnings = @($warnings | ForEach-Object { "$_" }) }
'@
            Write-Host "ifupdown reboot: remove said: $($removed | ConvertTo-Json -Compress)"
            @($removed.Warnings) | Should -BeNullOrEmpty
            Get-IfupdownFiles | Should -Be $before
            Get-Link kbeth1 | Should -BeNullOrEmpty
            Wait-Until 'eth1 to get its addresses back' { Test-Eth1AsBefore }
        }
    }
}
