$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Issue 14, items 2-5 for NetworkManager, and for netplan rendering for NetworkManager (-ForEach): a
    bridge network on a NIC that NetworkManager manages is made through NetworkManager's own profiles
    (keyfiles), or through netplan's files when netplan renders the NIC's profile (`netplan generate`
    into /run/NetworkManager), with the real NetworkManager 1.42 running inside a lab
    host (tests/lab/HostManagers.psm1: --no-daemon, keyfile plugin, a private system D-Bus) and the module
    run inside the lab's manager namespace, as on a real host. eth1's switch side (sw1) is moved into a
    namespace of its own, which plays the gateway (192.0.2.1, 2001:db8::1) and probes the host
    (192.0.2.10) every second while the bridge is made (helpers in ManagerLab.ps1).
    - Static NIC: the bridge profile kbeth1 holds eth1's MAC, IPv4 and IPv6 addresses and default route;
      eth1's profile is its port; the probe kept answering (failed probes and the longest gap are
      printed, not asserted: no timing thresholds in tests).
    - Remove: every keyfile is byte-identical to before; eth1 holds its addresses and route again.
    - Forced failure: the gateway's address goes as soon as the bridge appears: KCHNET0138E, the keyfiles
      are byte-identical, eth1's profile is active again.
    - DHCP NIC: dnsmasq with 2-minute leases on the switch side; the same lease on the bridge, renewed there.
    - Reboot: NetworkManager and libvirtd stop, the bridge and the addresses go; NetworkManager starts as at
      boot and makes kbeth1 from the keyfiles, then libvirtd autostarts the network and a guest lands on it.
    KIMCHINET_SKIP_LAB=1 skips this on purpose; a machine that cannot run labs fails it.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    Import-Module (Join-Path $PSScriptRoot '../../lab/HostManagers.psm1') -Force
}

$owners = @(
    @{
        Owner = 'NetworkManager'; Short = 'nm'; Folder = '/etc/NetworkManager/system-connections'; ManagedBy = 'NetworkManager'
        NicFile = '/etc/NetworkManager/system-connections/eth1.nmconnection'; NicProfile = 'eth1'; BridgeProfile = 'kbeth1'
        BridgeFile = '/etc/NetworkManager/system-connections/kbeth1.nmconnection'; RolledBack = 'KCHNET0138E'
        WhatIf = "through NetworkManager, which manages it \(profile 'eth1', /etc/NetworkManager/system-connections/eth1\.nmconnection\): writing /etc/NetworkManager/system-connections/kbeth1\.nmconnection, /etc/NetworkManager/system-connections/eth1\.nmconnection"
        # eth1's profile, static IPv4 and IPv6, as nmcli writes it
        NicText = @'
[connection]
id=eth1
uuid=0b4c6d2e-6a53-4f0e-9d8a-1e0c11e11e11
type=ethernet
interface-name=eth1

[ethernet]

[ipv4]
address1=192.0.2.10/24,192.0.2.1
dns=192.0.2.1;
method=manual

[ipv6]
addr-gen-mode=eui64
address1=2001:db8::10/64
method=manual

[proxy]
'@
        # eth2's profile: IPv4 by DHCP, IPv6 by SLAAC
        DhcpFile = '/etc/NetworkManager/system-connections/eth2.nmconnection'; DhcpProfile = 'eth2'; DhcpBridgeProfile = 'kbeth2'
        DhcpText = @'
[connection]
id=eth2
uuid=0b4c6d2e-6a53-4f0e-9d8a-1e0c11e11e22
type=ethernet
interface-name=eth2

[ethernet]

[ipv4]
method=auto

[ipv6]
addr-gen-mode=stable-privacy
method=auto
'@
    }
    @{
        Owner = 'netplan'; Short = 'npm'; Folder = '/etc/netplan'; ManagedBy = 'Netplan (NetworkManager)'
        NicFile = '/etc/netplan/01-network-manager-all.yaml'; NicProfile = 'netplan-eth1'; BridgeProfile = 'netplan-kbeth1'
        BridgeFile = '/etc/netplan/90-kimchinet-kbeth1.yaml'; RolledBack = 'KCHNET0133E'
        WhatIf = 'through netplan, which configures it for NetworkManager \(/etc/netplan/01-network-manager-all\.yaml\): writing /etc/netplan/90-kimchinet-kbeth1\.yaml, /etc/netplan/01-network-manager-all\.yaml \(kbeth1 takes eth1''s addressing\).*then netplan generate, nmcli connection reload'
        # eth1 static, IPv4 and IPv6, rendered by netplan for NetworkManager
        NicText = @'
# Let NetworkManager manage eth1
network:
  version: 2
  renderer: NetworkManager
  ethernets:
    eth1:
      addresses: [192.0.2.10/24, "2001:db8::10/64"]
      ipv6-address-generation: eui64
      routes:
        - to: default
          via: 192.0.2.1
      nameservers:
        addresses: [192.0.2.1]
'@
        # eth2: IPv4 by DHCP, IPv6 by SLAAC (netplan's dhcp6 gives NetworkManager's ipv6.method auto)
        DhcpFile = '/etc/netplan/60-eth2.yaml'; DhcpProfile = 'netplan-eth2'; DhcpBridgeProfile = 'netplan-kbeth2'
        DhcpText = "network:`n  version: 2`n  renderer: NetworkManager`n  ethernets:`n    eth2:`n      dhcp4: true`n      dhcp6: true`n"
    }
)

Describe 'Lab: a bridge network on a NIC <Owner> configures for NetworkManager is made through <Owner>' -Tag 'Lab' -Skip:$SkipLab -ForEach $owners {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'ManagerLab.ps1')
        Start-ManagerLab -Short $Short -Nics 2 -Program '/usr/sbin/NetworkManager', '/usr/bin/nmcli', '/usr/sbin/netplan', '/usr/bin/dbus-daemon', '/usr/bin/busybox', '/usr/sbin/dnsmasq'
        $viaNetplan = $Owner -eq 'netplan'
        # NetworkManager manages only the lab's NICs and the bridges KimchiNet makes on them
        $nmArguments = @{ Name = $lab; Interface = 'eth1', 'eth2', 'kbeth1', 'kbeth2' }
        $nmArguments.Manager = $viaNetplan ? 'Netplan' : 'NetworkManager'
        if ($viaNetplan) { $nmArguments.Renderer = 'NetworkManager' }

        function Get-Keyfiles { Get-ManagerFiles $Folder }
        # NetworkManager reads its profiles again (netplan renders them first)
        function Update-Profiles {
            if ($viaNetplan) { Invoke-InManager /usr/sbin/netplan @('generate') | Out-Null }
            Invoke-InManager /usr/bin/nmcli @('connection', 'reload') | Out-Null
        }
        function Get-NmDevices {
            (Invoke-InManager /usr/bin/nmcli @('-t', '-f', 'DEVICE,STATE,CONNECTION', 'device', 'status')) -split "`n" | Where-Object { $_ -match '^(eth|kb)' }
        }
        function Test-Eth1AsBefore { (Get-Addresses eth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev eth1' }
        New-LabGateway -Extra '2001:db8::1/64'

        Set-KimchiLabManagerFile -Name $lab -Path $NicFile -Value $NicText -Mode 0600
        Start-KimchiLabManager @nmArguments
        Wait-Until 'NetworkManager to configure eth1' { Test-Eth1AsBefore }
        Wait-Until 'the gateway to answer' { Test-Gateway }
        $eth1Mac = (Get-Link eth1).address
        $before = Get-Keyfiles
    }

    AfterAll {
        if ($gwNs) { Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList 'netns', 'del', $gwNs | Out-Null }
        Stop-KimchiTestLab
    }

    It 'Get-KimchiInterface shows <ManagedBy> as eth1''s owner; -WhatIf names the files it would write, and changes nothing' {
        $owner = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
"$((Get-KimchiInterface -Uri $Uri -Name eth1).ManagedBy)"
'@
        $said = Get-LabBridgeWhatIf
        Write-Host "$Owner (NetworkManager) -WhatIf: $said"
        $owner | Should -BeExactly $ManagedBy
        $said | Should -Match $WhatIf
        Get-Keyfiles | Should -Be $before
        Get-Link kbeth1 | Should -BeNullOrEmpty
    }

    It 'static NIC: makes the profile <BridgeProfile> with eth1''s MAC, IPv4 and IPv6 addresses and default route, eth1 its port, while the switch side keeps reaching the host' {
        $measured = New-LabBridgeProbed
        $created, $createdAt, $seqs, $sent, $gap = $measured.Created, $measured.CreatedAt, $measured.Answered, $measured.Sent, $measured.Gap
        Write-Host "$Owner (NetworkManager) static: $($seqs.Count) of about $sent probes answered ($($sent - $seqs.Count) failed), longest gap between answers $gap s, New-KimchiNetwork returned at $([math]::Round($createdAt, 1)) s"

        $created.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "it returned $($created | ConvertTo-Json -Compress)"
        $created.BridgeName | Should -BeExactly 'kbeth1'
        $seqs | Where-Object { $_ -gt [math]::Ceiling($createdAt) } | Should -Not -BeNullOrEmpty -Because 'the switch side still reaches the host after the change'
        (Get-Link eth1).master | Should -BeExactly 'kbeth1'
        (Get-Link kbeth1).address | Should -BeExactly $eth1Mac
        Get-Addresses kbeth1 | Should -Contain '192.0.2.10/24'
        Get-Addresses kbeth1 -Family '-6' | Should -Contain '2001:db8::10/64'
        Get-Addresses eth1 | Should -BeNullOrEmpty
        Get-DefaultRoute | Should -Contain 'via 192.0.2.1 dev kbeth1'
        # NetworkManager's view: kbeth1 and eth1 connected with their profiles, from the keyfiles KimchiNet wrote
        $devices = Get-NmDevices
        Write-Host "$Owner (NetworkManager) static: nmcli device status after the create: $($devices -join '; ')"
        $devices | Should -Contain "kbeth1:connected:$BridgeProfile"
        $devices | Should -Contain "eth1:connected:$NicProfile"
        $bridgeProfile = Invoke-InManager /usr/bin/nmcli @('-t', '-f', 'connection.type,bridge.stp,bridge.mac-address,ipv4.method,ipv4.addresses,ipv4.gateway,ipv4.dns,ipv6.method,ipv6.addresses', 'connection', 'show', $BridgeProfile)
        Write-Host "$Owner (NetworkManager) static: profile kbeth1: $($bridgeProfile -replace "`n", '; ')"
        $bridgeProfile | Should -Match '(?m)^bridge\.stp:no$'
        $bridgeProfile | Should -Match '(?m)^ipv4\.method:manual$'
        $bridgeProfile | Should -Match '(?m)^ipv4\.dns:192\.0\.2\.1$'
        $bridgeProfile | Should -Match '(?m)^ipv6\.addresses:2001:db8::10/64$'
        $port = Invoke-InManager /usr/bin/nmcli @('-t', '-f', 'connection.master,connection.slave-type', 'connection', 'show', $NicProfile)
        $port | Should -Match '(?m)^connection\.master:kbeth1$'
        $port | Should -Match '(?m)^connection\.slave-type:bridge$'
        # the bridge's file is private to root, as NetworkManager (and netplan) require
        Invoke-InManager /usr/bin/stat @('-c', '%a %U', $BridgeFile) | Should -Match '^600 root'
        # the original is kept byte for byte
        $keptHash = (Invoke-InManager /usr/bin/sha256sum @("$Folder/.kimchinet/kbeth1/$(Split-Path -Leaf $NicFile)")) -split ' ' | Select-Object -First 1
        @($before -match "^$keptHash ").Count | Should -Be 1 -Because "the kept original is byte for byte eth1's file before the create"
    }

    It 'remove: the keyfiles are byte-identical to before, and eth1 holds its addresses and default route again' {
        $removed = Remove-LabBridgeNetwork lan
        $removed | Should -BeExactly 'ok'
        $after = Get-Keyfiles
        Write-Host "$Owner (NetworkManager) remove: keyfiles before $(@($before).Count), after $(@($after).Count), identical: $(-not (Compare-Object @($before) @($after)))"
        $after | Should -Be $before
        Wait-Until 'eth1 to get its address back' { Test-Eth1AsBefore }
        Get-Addresses eth1 -Family '-6' | Should -Contain '2001:db8::10/64'
        Get-Link kbeth1 | Should -BeNullOrEmpty
        (Get-Link eth1).PSObject.Properties['master'] | Should -BeNullOrEmpty
        Get-NmDevices | Should -Contain "eth1:connected:$NicProfile"
        Test-Gateway | Should -BeTrue
    }

    It 'forced failure: the gateway stops answering after the change, so it is rolled back after -RollbackTimeoutSeconds (<RolledBack>) and the files are byte-identical' {
        $failed = Invoke-WithGatewayLost -Bridge kbeth1 -Script @'
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -Start -RollbackTimeoutSeconds 12 | Select-Object Name
'@
        Write-Host "$Owner (NetworkManager) rollback: $($failed | Select-Object ErrorId, Message | ConvertTo-Json -Compress)"
        $failed.PSObject.Properties['Failed'] | Should -Not -BeNullOrEmpty -Because "the create must have been rolled back, but it returned $($failed | Out-String)"
        $failed.ErrorId | Should -Match "^$RolledBack"
        $failed.Message | Should -Match 'gateway 192\.0\.2\.1 did not answer'
        $failed.Message | Should -Match 'within 12 s' -Because '-RollbackTimeoutSeconds 12 is the time it waited'
        Get-Keyfiles | Should -Be $before
        Get-Link kbeth1 | Should -BeNullOrEmpty
        Wait-Until 'eth1 to hold its address and route' { Test-Eth1AsBefore }
        Wait-Until 'the gateway to answer again' { Test-Gateway } -Seconds 10
        Get-NmDevices | Should -Contain "eth1:connected:$NicProfile"
        (Get-LabNetworkNames -All) | Should -Not -Match '\blan\b'
    }

    Context 'DHCP NIC' {
        BeforeAll {
            # eth2 by DHCP, from dnsmasq on the switch side (2-minute leases, the shortest dnsmasq gives)
            $leases = Join-Path $TestDrive 'dnsmasq.leases'
            $dnsmasq = Start-LabDhcpServer -Leases $leases -Router 198.51.100.1
            Set-KimchiLabManagerFile -Name $lab -Path $DhcpFile -Mode 0600 -Value $DhcpText
            Update-Profiles
            Invoke-InManager /usr/bin/nmcli @('--wait', '30', 'connection', 'up', $DhcpProfile) | Out-Null
            Wait-Until 'eth2 to get a lease' { @(Get-Addresses eth2 | Where-Object { $_ -like '198.51.100.*' }).Count -eq 1 }
            $leased = @(Get-Addresses eth2 | Where-Object { $_ -like '198.51.100.*' })[0]
            $beforeDhcp = Get-Keyfiles
        }

        AfterAll {
            # dnsmasq keeps the gateway's namespace alive: it is ended before the namespace is deleted
            if ($dnsmasq) { $dnsmasq.Process.Kill(); $dnsmasq.Process.WaitForExit() }
            # without its DHCP server eth2's profile would hold NetworkManager's start-up ("starting") at the reboot below for 45 s
            Set-KimchiLabManagerFile -Name $lab -Path $DhcpFile -Remove
            Update-Profiles
        }

        It 'makes kbeth2 through <Owner>: the same lease on the bridge after the create and after a renewal; remove restores the keyfiles' {
            $created = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name dhcplan -Connection Bridge -Interfaces eth2 -Start | Select-Object Name, BridgeName
'@
            $created.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "it returned $($created | ConvertTo-Json -Compress)"
            $created.BridgeName | Should -BeExactly 'kbeth2'
            $onBridge = Get-Addresses kbeth2
            Write-Host "$Owner (NetworkManager) DHCP: eth2 held $leased; after the create kbeth2 holds $($onBridge -join ', '), eth2 $((Get-Addresses eth2) -join ', ')"
            $onBridge | Should -Contain $leased
            Get-Addresses eth2 | Should -BeNullOrEmpty
            (Invoke-InManager /usr/bin/nmcli @('-t', '-f', 'ipv4.method,ipv6.method', 'connection', 'show', $DhcpBridgeProfile)) | Should -Match '(?m)^ipv4\.method:auto\s+ipv6\.method:auto$'
            $expiry = Get-LeaseExpiry $leases
            Start-Sleep -Seconds 75   # past T1 (half the 2-minute lease): NetworkManager renews on kbeth2
            $renewed = Get-LeaseExpiry $leases
            Write-Host "$Owner (NetworkManager) DHCP: lease expiry $expiry before, $renewed after 75 s; kbeth2 holds $((Get-Addresses kbeth2) -join ', '), eth2 $((Get-Addresses eth2) -join ', ')"
            $renewed | Should -BeGreaterThan $expiry -Because 'the lease was renewed, by the client on kbeth2'
            Get-Addresses kbeth2 | Should -Contain $leased
            Get-Addresses eth2 | Should -BeNullOrEmpty

            $removed = Remove-LabBridgeNetwork dhcplan
            $removed | Should -BeExactly 'ok'
            Get-Keyfiles | Should -Be $beforeDhcp
            Get-Link kbeth2 | Should -BeNullOrEmpty
            # a DHCP client backs off (2, 4, 8, 16, 32 s...) when its first requests went out while eth2 left the bridge
            Wait-Until 'eth2 to get its lease back' { (Get-Addresses eth2) -contains $leased } -Seconds 90
            Write-Host "$Owner (NetworkManager) DHCP remove: keyfiles identical, eth2 holds $((Get-Addresses eth2) -join ', ') again"
        }
    }

    Context 'reboot' {
        It 'after a simulated reboot <Owner> and NetworkManager make kbeth1 again with eth1''s addresses and route, the network autostarts and a guest lands on it; remove then restores the keyfiles' {
            $created = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -Start | Select-Object Name, BridgeName, Autostart
'@
            $created.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "it returned $($created | ConvertTo-Json -Compress)"
            $created.Autostart | Should -BeTrue
            $oldIndex = (Get-Link kbeth1).ifindex

            # "Reboot": libvirtd and NetworkManager stop; every link and address the change made goes, eth1 is bare and down;
            # NetworkManager's and libvirt's state in /run is gone, as after a boot.
            Reset-LabLibvirtRun lan | Should -BeTrue -Because 'libvirt kept the running network''s status in /run, and it is gone now'
            Stop-KimchiLabManager -Name $lab -Manager NetworkManager
            # (for netplan: what it rendered into /run/NetworkManager goes too, and netplan generate runs at boot)
            Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'link', 'del', 'kbeth1') | Out-Null
            Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'addr', 'flush', 'dev', 'eth1') | Out-Null
            Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'link', 'set', 'eth1', 'down') | Out-Null
            Invoke-InManager /usr/bin/rm @('-rf', '/run/NetworkManager') | Out-Null
            Get-Link kbeth1 | Should -BeNullOrEmpty
            Get-Addresses eth1 | Should -BeNullOrEmpty

            # "Boot": the manager first, then libvirtd.
            Start-KimchiLabManager @nmArguments
            Wait-Until 'NetworkManager to make kbeth1 with eth1''s address and route' {
                (Get-Link kbeth1) -and (Get-Addresses kbeth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev kbeth1'
            }
            Restart-KimchiLabDaemon -Name $lab -StartOnly
            Wait-Until 'libvirt to autostart lan' { (Get-LabNetworkNames) -match '\blan\b' }
            $link = Get-Link kbeth1
            Write-Host "$Owner (NetworkManager) reboot: kbeth1 made again (ifindex $oldIndex before, $($link.ifindex) after), holds $((Get-Addresses kbeth1) -join ', ') $((Get-Addresses kbeth1 -Family '-6') -join ', '), $((Get-DefaultRoute) -join '; '); nmcli: $((Get-NmDevices) -join '; '); libvirt's active networks: $((Get-LabNetworkNames).Trim())"
            $link.ifindex | Should -Not -Be $oldIndex -Because 'the bridge was deleted and made again by NetworkManager'
            $link.address | Should -BeExactly $eth1Mac
            (Get-Link eth1).master | Should -BeExactly 'kbeth1'
            Get-Addresses kbeth1 -Family '-6' | Should -Contain '2001:db8::10/64'
            Test-Gateway | Should -BeTrue

            # A guest started after the boot lands on the bridge NetworkManager made.
            $run = Start-KimchiLabGuest -Lab $lab -Name rebooted -Network lan -Folder $TestDrive
            $run.ExitCode | Should -Be 0 -Because "virsh start rebooted: $($run.Error)"
            $tap = @(Get-KimchiLabGuestNic -Lab $lab -Guest rebooted)
            $tap.Count | Should -Be 1
            $tap[0].Source | Should -BeExactly 'lan'
            (Get-Link $tap[0].Interface).master | Should -BeExactly 'kbeth1'
            Write-Host "$Owner (NetworkManager) reboot: guest 'rebooted' started, its tap $($tap[0].Interface) (MAC $($tap[0].MAC)) is a port of kbeth1"
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'destroy', 'rebooted' | Out-Null
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'undefine', 'rebooted' | Out-Null

            # NetworkManager made the bridge again (a new ifindex): the record of a managed bridge is trusted by its kind, MAC and files
            $removed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
$warnings = @()
Remove-KimchiNetwork -Uri $Uri -Name lan -Force -Confirm:$false -WarningVariable +warnings -WarningAction SilentlyContinue
[pscustomobject]@{ Warnings = @($warnings | ForEach-Object { "$_" }) }
'@
            Write-Host "$Owner (NetworkManager) reboot: remove said: $($removed | ConvertTo-Json -Compress)"
            @($removed.Warnings) | Should -BeNullOrEmpty
            Get-Keyfiles | Should -Be $before
            Get-Link kbeth1 | Should -BeNullOrEmpty
            Wait-Until 'eth1 to get its address back' { Test-Eth1AsBefore }
        }
    }
}
