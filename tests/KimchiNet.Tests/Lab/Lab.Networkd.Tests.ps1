$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Issue 14, items 2-5 for systemd-networkd and for netplan (which renders for networkd): a bridge
    network on a NIC that networkd manages, directly or through netplan, is made through that owner's
    own files (networkd: a .netdev and a .network of the bridge, the NIC's .network made its port;
    netplan: the bridge in a YAML file of its own with the NIC's addressing moved into it, rendered by
    the real `netplan generate`), with the real systemd-networkd running inside a lab host
    (tests/lab/HostManagers.psm1) and the module run inside the lab's manager namespace, as on a real
    host. The same proofs run for both owners (-ForEach). eth1's switch side (sw1) is moved into a namespace of its own, which plays the gateway
    (192.0.2.1) and probes the host (192.0.2.10) every second while the bridge is made.
    - Static NIC: the bridge holds eth1's address, MAC and default route; the probe kept answering
      after the change (the failed probes and the longest gap are printed, not asserted: no timing
      thresholds in tests).
    - Remove: every file of the owner's folder is byte-identical to before; eth1 holds its address
      and route again and is no port.
    - Forced failure: the gateway's address is taken away as soon as the bridge appears, so the gateway
      stops answering after the change: KCHNET0133E, the files are byte-identical, eth1 is as before.
    - DHCP NIC, reboot (netplan: what it rendered into /run goes too, and `netplan generate` runs at
      "boot" as its generator does), move to an unmanaged NIC.
    `netplan apply` cannot run in a lab host (it needs systemd as PID 1: tests/lab/HostManagers.psm1),
    and KimchiNet does not use it (it would reconfigure every link of the host): it runs netplan
    generate, networkctl reload and networkctl reconfigure of the NIC and the bridge.
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
        Owner = 'systemd-networkd'; Manager = 'Networkd'; Short = 'nd'; Folder = '/etc/systemd/network'; ManagedBy = 'networkd'
        NicFile = '/etc/systemd/network/10-eth1.network'; NicMode = '0644'
        NicText = @'
# eth1, static, as a server's installer writes it
[Match]
Name=eth1

[Link]
RequiredForOnline=yes

[Network]
Address=192.0.2.10/24
Gateway=192.0.2.1
DNS=192.0.2.1
'@
        WhatIf = 'through systemd-networkd, which manages it \(/etc/systemd/network/10-eth1\.network\): writing /etc/systemd/network/00-kimchinet-kbeth1\.netdev, /etc/systemd/network/00-kimchinet-kbeth1\.network, /etc/systemd/network/10-eth1\.network'
        DhcpFile = '/etc/systemd/network/20-eth2.network'; DhcpText = "[Match]`nName=eth2`n`n[Network]`nDHCP=ipv4`n"
    }
    @{
        Owner = 'netplan'; Manager = 'Netplan'; Short = 'np'; Folder = '/etc/netplan'; ManagedBy = 'Netplan (networkd)'
        NicFile = '/etc/netplan/50-cloud-init.yaml'; NicMode = '0600'
        NicText = @'
# eth1, static, as a server's installer writes it
network:
  version: 2
  renderer: networkd
  ethernets:
    eth1:
      addresses:
        - 192.0.2.10/24
      routes:
        - to: default
          via: 192.0.2.1
      nameservers:
        addresses: [192.0.2.1]
'@
        WhatIf = 'through netplan, which configures it for systemd-networkd \(/etc/netplan/50-cloud-init\.yaml\): writing /etc/netplan/90-kimchinet-kbeth1\.yaml, /etc/netplan/50-cloud-init\.yaml'
        DhcpFile = '/etc/netplan/60-eth2.yaml'; DhcpText = "network:`n  version: 2`n  ethernets:`n    eth2:`n      dhcp4: true`n"
    }
)

Describe 'Lab: a bridge network on a NIC that <Owner> configures is made through <Owner>' -Tag 'Lab' -Skip:$SkipLab -ForEach $owners {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'ManagerLab.ps1')
        Start-ManagerLab -Short $Short -Nics 3 -Program '/lib/systemd/systemd-networkd', '/usr/bin/networkctl', '/usr/sbin/netplan', '/usr/bin/dbus-daemon', '/usr/bin/busybox'
        function Get-OwnerFiles { Get-ManagerFiles $Folder }
        # networkd reads its files again; netplan renders its files for networkd first
        function Update-Owner {
            if ($Manager -eq 'Netplan') { Invoke-InManager /usr/sbin/netplan @('generate') | Out-Null }
            Invoke-InManager /usr/bin/networkctl @('reload') | Out-Null
        }
        New-LabGateway

        Set-KimchiLabManagerFile -Name $lab -Path $NicFile -Mode $NicMode -Value $NicText
        Start-KimchiLabManager -Name $lab -Manager $Manager
        # up to 90 s: it took over 30 s once in a bare root under load
        try {
            Wait-Until 'networkd to configure eth1' { (Get-Addresses eth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev eth1' } -Seconds 90
        }
        catch { throw "$_ What the lab's networkd saw:`n$(Get-LabNetworkdState)" }
        Wait-Until 'the gateway to answer' { Test-Gateway }
        $eth1Mac = (Get-Link eth1).address
        $before = Get-OwnerFiles
    }

    AfterAll {
        if ($gwNs) { Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList 'netns', 'del', $gwNs | Out-Null }
        Stop-KimchiTestLab
    }

    It 'Get-KimchiInterface names <ManagedBy> as eth1''s owner; -WhatIf names <Owner> and the files it would write, and changes nothing' {
        $owner = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
Get-KimchiInterface -Uri $Uri -Name eth1 | ForEach-Object { "$($_.ManagedBy)" }
'@
        $owner | Should -BeExactly $ManagedBy
        $said = Get-LabBridgeWhatIf
        Write-Host "$Owner -WhatIf: $said"
        $said | Should -Match $WhatIf
        Get-OwnerFiles | Should -Be $before
        Get-Link kbeth1 | Should -BeNullOrEmpty
    }

    It 'static NIC: makes kbeth1 through <Owner>, with eth1''s MAC, address and default route, while the switch side keeps reaching the host' {
        $measured = New-LabBridgeProbed
        $created, $createdAt, $seqs, $sent, $gap = $measured.Created, $measured.CreatedAt, $measured.Answered, $measured.Sent, $measured.Gap
        Write-Host "$Owner static: $($seqs.Count) of about $sent probes answered ($($sent - $seqs.Count) failed), longest gap between answers $gap s, New-KimchiNetwork returned at $([math]::Round($createdAt, 1)) s"

        $created.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "it returned $($created | ConvertTo-Json -Compress)"
        $created.BridgeName | Should -BeExactly 'kbeth1'
        $seqs | Where-Object { $_ -gt [math]::Ceiling($createdAt) } | Should -Not -BeNullOrEmpty -Because 'the switch side still reaches the host after the change'
        (Get-Link eth1).master | Should -BeExactly 'kbeth1'
        (Get-Link kbeth1).address | Should -BeExactly $eth1Mac
        Get-Addresses kbeth1 | Should -Contain '192.0.2.10/24'
        Get-Addresses eth1 | Should -BeNullOrEmpty
        Get-DefaultRoute | Should -Contain 'via 192.0.2.1 dev kbeth1'
        if ($Manager -eq 'Networkd') {
            $files = Invoke-InManager /usr/bin/find @('/etc/systemd/network', '-type', 'f')
            $files | Should -Match '00-kimchinet-kbeth1\.netdev'
            $files | Should -Match '00-kimchinet-kbeth1\.network'
            Invoke-InManager /usr/bin/cat @($NicFile) | Should -Match '(?m)^Bridge=kbeth1$'
        }
        else {
            $bridgeYaml = Invoke-InManager /usr/bin/cat @('/etc/netplan/90-kimchinet-kbeth1.yaml')
            $nicYaml = Invoke-InManager /usr/bin/cat @($NicFile)
            Write-Host "netplan static: /etc/netplan/90-kimchinet-kbeth1.yaml:`n$bridgeYaml`n$($NicFile):`n$nicYaml"
            $bridgeYaml | Should -Match 'interfaces: \[eth1\]'
            $bridgeYaml | Should -Match '- 192\.0\.2\.10/24'
            $nicYaml | Should -Not -Match '192\.0\.2\.10'
            (Invoke-InManager /usr/bin/stat @('-c', '%a', '/etc/netplan/90-kimchinet-kbeth1.yaml')).Trim() | Should -Be '600'
            # what netplan rendered for networkd: eth1 a port of kbeth1
            Invoke-InManager /usr/bin/cat @('/run/systemd/network/10-netplan-eth1.network') | Should -Match '(?m)^Bridge=kbeth1$'
        }
        # the original is kept byte for byte
        $keptHash = (Invoke-InManager /usr/bin/sha256sum @("$Folder/.kimchinet/kbeth1/$(Split-Path -Leaf $NicFile)")) -split ' ' | Select-Object -First 1
        @($before -match "^$keptHash ").Count | Should -Be 1 -Because "the kept original is byte for byte eth1's file before the create"
        # networkd's view: eth1 a port, kbeth1 routable, both from the files KimchiNet wrote
        $list = Invoke-InManager /usr/bin/networkctl @('list', '--no-legend')
        Write-Host "networkctl list after the create:`n$list"
        $list | Should -Match 'eth1\s+ether\s+enslaved'
        $list | Should -Match 'kbeth1\s+bridge\s+routable'
    }

    It 'remove: the files are byte-identical to before, and eth1 holds its address and default route again' {
        $removed = Remove-LabBridgeNetwork lan
        $removed | Should -BeExactly 'ok'
        Get-OwnerFiles | Should -Be $before
        Wait-Until 'eth1 to get its address back' { (Get-Addresses eth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev eth1' }
        Get-Link kbeth1 | Should -BeNullOrEmpty
        (Get-Link eth1).PSObject.Properties['master'] | Should -BeNullOrEmpty
        Test-Gateway | Should -BeTrue
    }

    It 'move: Set-KimchiNetwork moves a network from eth1 (<Owner>) to eth3 (no manager): kbeth3 is made, then kbeth1 undone and <Owner>''s files are byte-identical' {
        $moved = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 | Out-Null
$warnings = @()
$set = Set-KimchiNetwork -Uri $Uri -Name lan -Interfaces eth3 -PassThru -Confirm:$false -WarningVariable +warnings -WarningAction SilentlyContinue
[pscustomobject]@{ BridgeName = $set.BridgeName; Interfaces = @($set.Interfaces); Warnings = @($warnings | ForEach-Object { "$_" }) }
'@
        $moved.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "$($moved | Out-String)"
        Write-Host "$Owner move: Set-KimchiNetwork -Interfaces eth3 gave bridge $($moved.BridgeName) on $($moved.Interfaces -join ','); warning: $(@($moved.Warnings) -join ' | ')"
        $moved.BridgeName | Should -BeExactly 'kbeth3'
        # eth3 has no manager: its bridge is made with iproute2, and the warning says it will not survive a reboot
        @($moved.Warnings).Count | Should -Be 1
        @($moved.Warnings)[0] | Should -Match 'kbeth3 is made with iproute2 .* will not survive a reboot'
        (Get-Link eth3).master | Should -BeExactly 'kbeth3'
        Get-Link kbeth1 | Should -BeNullOrEmpty
        Get-OwnerFiles | Should -Be $before
        Wait-Until 'eth1 to get its address back' { (Get-Addresses eth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev eth1' }

        $removed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
Remove-KimchiNetwork -Uri $Uri -Name lan -Force -Confirm:$false
'ok'
'@
        $removed | Should -BeExactly 'ok'
        Get-Link kbeth3 | Should -BeNullOrEmpty
        (Get-Link eth3).PSObject.Properties['master'] | Should -BeNullOrEmpty
    }

    It 'forced failure: the gateway stops answering after the change, so it is rolled back after -RollbackTimeoutSeconds (KCHNET0133E) and the files are byte-identical' {
        # the gateway's address goes as soon as kbeth1 exists in the lab
        $watcher = Start-Background -FilePath /bin/sh -ArgumentList '-c',
            "while ! ip -n $labNs link show kbeth1 >/dev/null 2>&1; do sleep 0.05; done; ip -n $gwNs addr del 192.0.2.1/24 dev sw1"
        try {
            $failed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -Start -RollbackTimeoutSeconds 12 | Select-Object Name
'@
        }
        finally {
            if (-not $watcher.Process.WaitForExit(5000)) { $watcher.Process.Kill() }
            Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList '-n', $gwNs, 'addr', 'add', '192.0.2.1/24', 'dev', 'sw1' | Out-Null
        }
        Write-Host "$Owner rollback: $($failed.Message)"
        $failed.Failed | Should -BeTrue
        $failed.ErrorId | Should -Match '^KCHNET0133E'
        $failed.Message | Should -Match "made through $Owner on 'eth1' was rolled back"
        $failed.Message | Should -Match 'gateway 192\.0\.2\.1 did not answer'
        $failed.Message | Should -Match 'within 12 s' -Because '-RollbackTimeoutSeconds 12 is the time it waited'
        Get-OwnerFiles | Should -Be $before
        Get-Link kbeth1 | Should -BeNullOrEmpty
        Wait-Until 'eth1 to hold its address and route' { (Get-Addresses eth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev eth1' }
        Wait-Until 'the gateway to answer again' { Test-Gateway } -Seconds 10
        (Get-LabNetworkNames -All) | Should -Not -Match '\blan\b'
    }

    Context 'DHCP NIC' {
        BeforeAll {
            # eth2 by DHCP, from dnsmasq on the switch side (2-minute leases, the shortest dnsmasq gives)
            $leases = Join-Path $TestDrive 'dnsmasq.leases'
            $dnsmasq = Start-LabDhcpServer -Leases $leases -Router 198.51.100.1
            Set-KimchiLabManagerFile -Name $lab -Path $DhcpFile -Mode $NicMode -Value $DhcpText
            Update-Owner
            Invoke-InManager /usr/bin/networkctl @('reconfigure', 'eth2') | Out-Null
            Wait-Until 'eth2 to get a lease' { @(Get-Addresses eth2 | Where-Object { $_ -like '198.51.100.*' }).Count -eq 1 }
            $leased = @(Get-Addresses eth2 | Where-Object { $_ -like '198.51.100.*' })[0]
            $clientBefore = Get-LeaseClient $leases $leased
            $networkdBefore = Get-ManagerFiles /etc/systemd/network
            $beforeDhcp = Get-OwnerFiles
        }

        AfterAll {
            # dnsmasq keeps the gateway's namespace alive: it is ended before the namespace is deleted
            if ($dnsmasq) { $dnsmasq.Process.Kill(); $dnsmasq.Process.WaitForExit() }
        }

        It 'makes kbeth2 through <Owner>: the same lease on the bridge after the create and after a renewal; remove restores the files' {
            $created = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name dhcplan -Connection Bridge -Interfaces eth2 -Start | Select-Object Name, BridgeName
'@
            $onBridge = Get-Addresses kbeth2
            Write-Host "$Owner DHCP: eth2 held $leased; after the create kbeth2 holds $($onBridge -join ', '), eth2 $((Get-Addresses eth2) -join ', ')"
            if ($created.PSObject.Properties["Failed"] -or $onBridge -notcontains $leased) {
                Write-Host "$Owner DHCP: what the lab's networkd saw:`n$(Get-LabNetworkdState -Tail 80)`n$(Get-LabDhcpLog $leases)"
            }
            $created.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "it returned $($created | ConvertTo-Json -Compress)"
            $created.BridgeName | Should -BeExactly 'kbeth2'
            $onBridge | Should -Contain $leased
            # the DHCP server's view: networkd's client identifier is IAID (from the interface name) + DUID
            $clientAfter = Get-LeaseClient $leases $leased
            Write-Host "$Owner DHCP: dnsmasq's client identifier for $($leased): $clientBefore before, $clientAfter after the create"
            $clientAfter | Should -BeExactly $clientBefore -Because 'the bridge keeps eth2''s IAID ([DHCPv4] IAID=; for netplan in a networkd drop-in), so the server sees the same client'
            if ($Manager -eq 'Netplan') {
                Invoke-InManager /usr/bin/cat @('/etc/systemd/network/10-netplan-kbeth2.network.d/50-kimchinet-dhcp-identity.conf') | Should -Match '(?m)^IAID=\d+$'
            }
            Get-Addresses eth2 | Should -BeNullOrEmpty
            $expiry = Get-LeaseExpiry $leases
            Start-Sleep -Seconds 75   # past T1 (half the 2-minute lease): networkd renews on kbeth2
            $renewed = Get-LeaseExpiry $leases
            Write-Host "$Owner DHCP: lease expiry $expiry before, $renewed after 75 s; kbeth2 holds $((Get-Addresses kbeth2) -join ', '), eth2 $((Get-Addresses eth2) -join ', ')"
            $renewed | Should -BeGreaterThan $expiry -Because 'the lease was renewed, by the client on kbeth2'
            Get-Addresses kbeth2 | Should -Contain $leased
            Get-Addresses eth2 | Should -BeNullOrEmpty

            $removed = Remove-LabBridgeNetwork dhcplan
            $removed | Should -BeExactly 'ok'
            Get-OwnerFiles | Should -Be $beforeDhcp
            Get-ManagerFiles /etc/systemd/network | Should -Be $networkdBefore
            Get-Link kbeth2 | Should -BeNullOrEmpty
            # a DHCP client backs off (2, 4, 8, 16, 32 s...) when its first requests went out while eth2 left the bridge
            try { Wait-Until 'eth2 to get its lease back' { (Get-Addresses eth2) -contains $leased } -Seconds 90 }
            catch { throw "$_ What the lab's networkd saw:`n$(Get-LabNetworkdState)" }
        }
    }

    Context 'reboot' {
        It 'after a simulated reboot <Owner> makes kbeth1 again with eth1''s address and route, the network autostarts and a guest lands on it; remove then restores the files' {
            $created = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -Start | Select-Object Name, BridgeName, Autostart
'@
            $created.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "it returned $($created | ConvertTo-Json -Compress)"
            $created.Autostart | Should -BeTrue
            $beforeReboot = @($before) + @(Get-OwnerFiles | Where-Object { $_.EndsWith(" $DhcpFile") }) | Sort-Object   # plus the DHCP context's file, if it ran
            $oldIndex = (Get-Link kbeth1).ifindex

            # "Reboot": libvirtd and networkd stop; every link and address the change made goes, eth1 is bare and down;
            # libvirt forgets that the network ran, and what netplan rendered into /run goes (as after a boot).
            Reset-LabLibvirtRun lan | Should -BeTrue -Because 'libvirt kept the running network''s status in /run, and it is gone now'
            Stop-KimchiLabManager -Name $lab -Manager $Manager
            if ($Manager -eq 'Netplan') {
                Invoke-InManager /usr/bin/find @('/run/systemd/network', '-name', '10-netplan-*', '-delete') | Out-Null
                Invoke-InManager /usr/bin/find @('/run/systemd/network', '-name', '10-netplan-*') | Should -BeNullOrEmpty
            }
            Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'link', 'del', 'kbeth1') | Out-Null
            Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'addr', 'flush', 'dev', 'eth1') | Out-Null
            Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'link', 'set', 'eth1', 'down') | Out-Null
            Get-Link kbeth1 | Should -BeNullOrEmpty
            Get-Addresses eth1 | Should -BeNullOrEmpty

            # "Boot": the manager first (for netplan: netplan generate, as its generator at boot, then networkd), then libvirtd.
            Start-KimchiLabManager -Name $lab -Manager $Manager
            Wait-Until 'networkd to make kbeth1 with eth1''s address and route' {
                (Get-Link kbeth1) -and (Get-Addresses kbeth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev kbeth1'
            }
            Restart-KimchiLabDaemon -Name $lab -StartOnly
            Wait-Until 'libvirt to autostart lan' { (Get-LabNetworkNames) -match '\blan\b' }
            $link = Get-Link kbeth1
            Write-Host "$Owner reboot: kbeth1 made again (ifindex $oldIndex before, $($link.ifindex) after), holds $((Get-Addresses kbeth1) -join ', '), $((Get-DefaultRoute) -join '; '); libvirt's active networks: $((Get-LabNetworkNames).Trim())"
            $link.ifindex | Should -Not -Be $oldIndex -Because 'the bridge was deleted and made again by networkd'
            $link.address | Should -BeExactly $eth1Mac
            (Get-Link eth1).master | Should -BeExactly 'kbeth1'
            Test-Gateway | Should -BeTrue

            # A guest started after the boot lands on the bridge networkd made (before #14 it failed with
            # "Cannot get interface MTU on 'kbeth1': No such device").
            $run = Start-KimchiLabGuest -Lab $lab -Name rebooted -Network lan -Folder $TestDrive
            $run.ExitCode | Should -Be 0 -Because "virsh start rebooted: $($run.Error)"
            $tap = @(Get-KimchiLabGuestNic -Lab $lab -Guest rebooted)
            $tap.Count | Should -Be 1
            $tap[0].Source | Should -BeExactly 'lan'
            (Get-Link $tap[0].Interface).master | Should -BeExactly 'kbeth1'
            Write-Host "$Owner reboot: guest 'rebooted' started, its tap $($tap[0].Interface) (MAC $($tap[0].MAC)) is a port of kbeth1"
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'destroy', 'rebooted' | Out-Null
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'undefine', 'rebooted' | Out-Null

            # networkd made the bridge again (a new ifindex): the record of a managed bridge is trusted by its kind, MAC and files
            $removed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
$warnings = @()
Remove-KimchiNetwork -Uri $Uri -Name lan -Force -Confirm:$false -WarningVariable +warnings -WarningAction SilentlyContinue
[pscustomobject]@{ Warnings = @($warnings | ForEach-Object { "$_" }) }
'@
            Write-Host "$Owner reboot: remove said: $($removed | ConvertTo-Json -Compress)"
            @($removed.Warnings) | Should -BeNullOrEmpty
            Get-OwnerFiles | Should -Be $beforeReboot
            Get-Link kbeth1 | Should -BeNullOrEmpty
            Wait-Until 'eth1 to get its address back' { (Get-Addresses eth1) -contains '192.0.2.10/24' -and (Get-DefaultRoute) -contains 'via 192.0.2.1 dev eth1' }
        }
    }
}
