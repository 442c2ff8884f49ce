$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Guests really attach to every connection type (tests/lab/README.md). Each Describe starts its own
    lab host, makes the network with KimchiNet cmdlets, then starts tiny TCG guests whose NIC is
    <interface type='network'> on it, and proves the data path with tools that are not the module:
    virsh domiflist, ip -d -json link, bridge -json link, ip netns pids + /proc/<pid>/cmdline, the
    dnsmasq config libvirt wrote, iptables inside the lab's namespace. Each proof prints one line.

    A machine that cannot run labs FAILS these tests with the reason; KIMCHINET_SKIP_LAB=1 skips them.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function Get-GuestMacvtap([string] $Lab, [string] $Guest, [string] $Network) {
        # the guest's one NIC as libvirt reports it, and that device as the lab's kernel sees it
        $nics = @(Get-KimchiLabGuestNic -Lab $Lab -Guest $Guest)
        $nics.Count | Should -Be 1 -Because "guest $Guest has one NIC"
        $nics[0].Source | Should -BeExactly $Network
        $link = @(Get-KimchiLabLink -Lab $Lab -Device $nics[0].Interface)
        $link.Count | Should -Be 1 -Because "ip -d link shows $Guest's NIC $($nics[0].Interface) in the lab"
        $link[0].address | Should -BeExactly $nics[0].MAC -Because 'the macvtap carries the MAC of the guest NIC'
        $qemuPid = Get-GuestQemu $Lab $Guest $nics[0].MAC
        $link[0] | Add-Member -NotePropertyName QemuPid -NotePropertyValue $qemuPid -PassThru
    }

    function Get-BridgePort([string] $Lab) {
        $run = Invoke-InKimchiLab -Name $Lab -FilePath bridge -ArgumentList '-json', 'link', 'show'
        $run.ExitCode | Should -Be 0 -Because $run.Error
        @($run.Output | ConvertFrom-Json)
    }

    function Get-LabIptables([string] $Lab, [string] $Table) {
        $run = Invoke-InKimchiLab -Name $Lab -FilePath iptables -ArgumentList '-w', '-t', $Table, '-S'
        $run.ExitCode | Should -Be 0 -Because $run.Error
        @($run.Output -split "`n" | Where-Object { $_ })
    }

    function Get-GuestQemu([string] $Lab, [string] $Guest, [string] $Mac) {
        # the guest's qemu process runs in the lab's namespace (ip netns pids) and its command line
        # (/proc/<pid>/cmdline) names the guest and carries the NIC with the MAC libvirt reported
        $qemu = @(Get-KimchiLabProcess -Lab $Lab | Where-Object {
                [System.IO.Path]::GetFileName($_.Argv[0]) -like 'qemu-system-*' -and
                @($_.Argv | Where-Object { $_ -like "guest=$Guest,*" }).Count -eq 1
            })
        $qemu.Count | Should -Be 1 -Because "one qemu process for $Guest runs in kn-$Lab"
        @($qemu[0].Argv | Where-Object { $_ -match [regex]::Escape($Mac) }).Count | Should -BeGreaterThan 0 -Because "qemu of $Guest has the NIC $Mac"
        $qemu[0].Pid
    }

    function Get-DomState([string] $Lab, [string] $Guest) {
        (Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'domstate', $Guest).Trim()
    }
}

Describe 'Lab guests: vepa on eth1,eth2 and macvtap on eth3' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID-gv" -Nics 4
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll { Stop-KimchiTestLab }

    It 'starts three guests on a vepa network: each NIC is a macvtap in vepa mode on eth1 or eth2, spread over both' {
        New-KimchiNetwork -Uri $uri -Name vepa1 -Connection Vepa -Interfaces eth1, eth2 -Start | Out-Null
        $on = [ordered]@{}
        foreach ($g in 'g1', 'g2', 'g3') {
            $run = Start-KimchiLabGuest -Lab $lab -Name $g -Network vepa1 -Folder $TestDrive
            $run.ExitCode | Should -Be 0 -Because "virsh start ${g}: $($run.Error)"
            $link = Get-GuestMacvtap $lab $g vepa1
            $link.linkinfo.info_kind | Should -BeExactly 'macvtap'
            $link.linkinfo.info_data.mode | Should -BeExactly 'vepa'
            $link.link | Should -BeIn @('eth1', 'eth2')
            $on[$g] = $link.link
            Write-Host "vepa: guest $g (qemu pid $($link.QemuPid)) NIC $($link.ifname) mode $($link.linkinfo.info_data.mode) on $($link.link)"
        }
        # libvirt's network driver gives a shared-mode (vepa/bridge/private) guest the forward device
        # with the fewest connections, the first listed on a tie: eth1, eth2, eth1 for guests started
        # one after another. Asserted here: both devices carry guests, and no device has two more.
        $counts = @{ eth1 = @($on.Values -eq 'eth1').Count; eth2 = @($on.Values -eq 'eth2').Count }
        $counts.eth1 | Should -BeGreaterThan 0 -Because 'libvirt uses eth1 for a vepa guest'
        $counts.eth2 | Should -BeGreaterThan 0 -Because 'libvirt uses eth2 once eth1 carries a guest'
        [math]::Abs($counts.eth1 - $counts.eth2) | Should -BeLessOrEqual 1 -Because 'libvirt picks the least-used device'
        Write-Host "vepa: libvirt spread the guests $(($on.Keys | ForEach-Object { "$_->$($on[$_])" }) -join ', ') (eth1 x$($counts.eth1), eth2 x$($counts.eth2))"
    }

    # The next two run on the network vepa1 and the guests g1, g2, g3 that the test above started.
    It 'reports the vepa network in use by its guests' {
        $network = Get-KimchiNetwork -Uri $uri -Name vepa1
        $network.InUse | Should -BeTrue
        @($network.VMs | Sort-Object) | Should -Be @('g1', 'g2', 'g3')
    }

    It 'refuses to <Action> the vepa network in use with <Code>, naming its guests, and changes nothing' -TestCases @(
        @{ Action = 'stop'; Command = 'Stop-KimchiNetwork'; Code = 'KCHNET0018E,KimchiNet.Commands.StopKimchiNetworkCommand' }
        @{ Action = 'remove'; Command = 'Remove-KimchiNetwork'; Code = 'KCHNET0017E,KimchiNet.Commands.RemoveKimchiNetworkCommand' }
    ) {
        param($Action, $Command, $Code)
        $before = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', 'vepa1'
        $err = $null
        & $Command -Uri $uri -Name vepa1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly $Code
        foreach ($g in 'g1', 'g2', 'g3') { $err[0].Exception.Message | Should -Match "\b$g\b" }
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-list', '--name' | Should -Match '(?m)^\s*vepa1\s*$'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', 'vepa1' | Should -BeExactly $before
        foreach ($g in 'g1', 'g2', 'g3') { Get-DomState $lab $g | Should -BeExactly 'running' }
    }

    It 'starts a guest on a macvtap network on eth3: its NIC is a macvtap in bridge mode on eth3' {
        New-KimchiNetwork -Uri $uri -Name mvt1 -Connection Macvtap -Interfaces eth3 -Start | Out-Null
        $run = Start-KimchiLabGuest -Lab $lab -Name m1 -Network mvt1 -Folder $TestDrive
        $run.ExitCode | Should -Be 0 -Because "virsh start m1: $($run.Error)"
        $link = Get-GuestMacvtap $lab m1 mvt1
        $link.linkinfo.info_kind | Should -BeExactly 'macvtap'
        $link.linkinfo.info_data.mode | Should -BeExactly 'bridge'
        $link.link | Should -BeExactly 'eth3'
        Write-Host "macvtap: guest m1 (qemu pid $($link.QemuPid)) NIC $($link.ifname) mode $($link.linkinfo.info_data.mode) on $($link.link)"
    }
}

Describe 'Lab guests: passthrough on eth1,eth2' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID-gp" -Nics 2
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll { Stop-KimchiTestLab }

    It 'gives two guests a passthru macvtap each on a different device and refuses a third' {
        New-KimchiNetwork -Uri $uri -Name pt1 -Connection Passthrough -Interfaces eth1, eth2 -Start | Out-Null
        $used = foreach ($g in 'p1', 'p2') {
            $run = Start-KimchiLabGuest -Lab $lab -Name $g -Network pt1 -Folder $TestDrive
            $run.ExitCode | Should -Be 0 -Because "virsh start ${g}: $($run.Error)"
            $link = Get-GuestMacvtap $lab $g pt1
            $link.linkinfo.info_kind | Should -BeExactly 'macvtap'
            $link.linkinfo.info_data.mode | Should -BeExactly 'passthru'
            $link.link | Should -BeIn @('eth1', 'eth2')
            Write-Host "passthrough: guest $g (qemu pid $($link.QemuPid)) NIC $($link.ifname) mode $($link.linkinfo.info_data.mode) on $($link.link)"
            $link.link
        }
        @($used | Sort-Object -Unique).Count | Should -Be 2 -Because 'each passthrough guest gets a device of its own'

        $run = Start-KimchiLabGuest -Lab $lab -Name p3 -Network pt1 -Folder $TestDrive
        $run.ExitCode | Should -Not -Be 0 -Because 'both devices are taken'
        $run.Error | Should -Match 'pt1'
        $run.Error | Should -Match 'exclusive access'
        Get-DomState $lab p3 | Should -BeExactly 'shut off'
        Get-DomState $lab p1 | Should -BeExactly 'running'
        Get-DomState $lab p2 | Should -BeExactly 'running'
        $message = ($run.Error.Trim() -split "`n" | Where-Object { $_ -match 'exclusive access' } | Select-Object -First 1).Trim()
        Write-Host "passthrough: third guest refused by libvirt: $message"
    }
}

Describe 'Lab guests: bridge on the bare NIC eth4' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID-gb" -Nics 4
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll { Stop-KimchiTestLab }

    It "enslaves a guest's tap to the bridge KimchiNet made on eth4; removing the network deletes the bridge" {
        $made = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
New-KimchiNetwork -Uri $Uri -Name br4 -Connection Bridge -Interfaces eth4 -Start | Select-Object Name, BridgeName
'@
        $made[0].PSObject.Properties.Name | Should -Not -Contain 'Failed' -Because "$($made[0] | ConvertTo-Json -Compress)"
        $made[0].BridgeName | Should -BeExactly 'kbeth4'

        $run = Start-KimchiLabGuest -Lab $lab -Name b1 -Network br4 -Folder $TestDrive
        $run.ExitCode | Should -Be 0 -Because "virsh start b1: $($run.Error)"
        $nics = @(Get-KimchiLabGuestNic -Lab $lab -Guest b1)
        $nics.Count | Should -Be 1
        $nics[0].Source | Should -BeExactly 'br4'
        $tap = $nics[0].Interface
        $tap | Should -Match '^vnet[0-9]+$'
        $ports = Get-BridgePort $lab
        @($ports | Where-Object { $_.ifname -eq $tap -and $_.master -eq 'kbeth4' }).Count | Should -Be 1 -Because "bridge link shows the tap $tap in kbeth4"
        @($ports | Where-Object { $_.ifname -eq 'eth4' -and $_.master -eq 'kbeth4' }).Count | Should -Be 1 -Because 'bridge link shows eth4 in kbeth4'
        (Get-KimchiLabLink -Lab $lab -Device $tap)[0].linkinfo.info_kind | Should -BeExactly 'tun'
        $qemuPid = Get-GuestQemu $lab b1 $nics[0].MAC
        Write-Host "bridge: guest b1 (qemu pid $qemuPid) tap $tap and eth4 are ports of kbeth4"

        # clean-up is part of the proof: destroy and undefine the guest, remove the network inside the host
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'destroy', 'b1' | Out-Null
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'undefine', 'b1' | Out-Null
        Get-KimchiLabLink -Lab $lab -Device $tap | Should -BeNullOrEmpty -Because 'libvirt deletes the tap of a destroyed guest'
        $removed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
Remove-KimchiNetwork -Uri $Uri -Name br4 -Force -Confirm:$false
[pscustomobject]@{ Removed = $true }
'@
        $removed[0].PSObject.Properties.Name | Should -Not -Contain 'Failed' -Because "$($removed[0] | ConvertTo-Json -Compress)"
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-list', '--all', '--name' | Should -Not -Match '\bbr4\b'
        Get-KimchiLabLink -Lab $lab -Device kbeth4 | Should -BeNullOrEmpty -Because 'Remove-KimchiNetwork deletes the bridge it made'
        $eth4 = @(Get-KimchiLabLink -Lab $lab -Device eth4)
        $eth4.Count | Should -Be 1
        $eth4[0].PSObject.Properties.Name | Should -Not -Contain 'master' -Because 'eth4 is released'
        Write-Host "bridge: after destroy + Remove-KimchiNetwork, $tap and kbeth4 are gone and eth4 has no master"
    }
}

Describe 'Lab guests: nat and isolated' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID-gn" -Nics 1
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll { Stop-KimchiTestLab }

    It '<Kind>: the bridge carries the planned gateway, dnsmasq serves the planned range, <Firewall>; a guest tap is a port of the bridge' -TestCases @(
        @{ Kind = 'nat'; Parameters = @{ Connection = 'Nat' }; Firewall = 'MASQUERADE for the subnet' }
        @{ Kind = 'isolated'; Parameters = @{ Connection = 'Isolated'; Subnet = '10.71.5.0/24' }; Firewall = 'no MASQUERADE' }
    ) {
        param($Kind, $Parameters, $Firewall)
        $net = "${Kind}1"
        $network = New-KimchiNetwork -Uri $uri -Name $net @Parameters -Start
        $network.Subnet | Should -Match '^[0-9.]+/[0-9]+$'
        if ($Parameters.ContainsKey('Subnet')) { $network.Subnet | Should -BeExactly $Parameters.Subnet }
        $prefix = $network.Subnet.Split('/')[1]

        # the bridge libvirt made (its name from libvirt, its address from the kernel)
        $bridge = ([xml](Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $net)).network.bridge.name
        $bridge | Should -Not -BeNullOrEmpty
        $addr = Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList '-json', 'addr', 'show', 'dev', $bridge
        $addr.ExitCode | Should -Be 0 -Because $addr.Error
        $v4 = @(($addr.Output | ConvertFrom-Json).addr_info | Where-Object family -EQ 'inet' | ForEach-Object { "$($_.local)/$($_.prefixlen)" })
        $v4 | Should -Be @("$($network.Gateway)/$prefix")

        # dnsmasq in the lab's namespace, with the config libvirt wrote for this network
        $dns = @(Get-KimchiLabDnsmasq -Lab $lab -Network $net)
        $dns.Count | Should -BeGreaterThan 0 -Because "a dnsmasq for $net runs in kn-$lab"
        $ranges = @($dns[0].Config -split "`n" | Where-Object { $_ -like 'dhcp-range=*' })
        $ranges.Count | Should -Be 1 -Because $dns[0].Config
        $ranges[0] | Should -Match ('^dhcp-range={0},{1}(,|$)' -f [regex]::Escape($network.DhcpStart), [regex]::Escape($network.DhcpEnd))
        @($dns[0].Config -split "`n") | Should -Contain "interface=$bridge"

        # the lab's firewall: libvirt masquerades the nat subnet (chain LIBVIRT_PRT) and not the isolated one
        $subnet = [regex]::Escape($network.Subnet)
        $masq = @(Get-LabIptables $lab nat | Where-Object { $_ -match "-s $subnet " -and $_ -match '-j MASQUERADE' })
        if ($Kind -eq 'nat') {
            $masq.Count | Should -BeGreaterThan 0 -Because 'libvirt masquerades a nat network'
            @($masq | Where-Object { $_ -like '-A LIBVIRT_PRT *' }).Count | Should -Be $masq.Count
            $fw = "MASQUERADE for $($network.Subnet) ($($masq.Count) LIBVIRT_PRT rules)"
        }
        else {
            $masq | Should -BeNullOrEmpty -Because 'an isolated network is not masqueraded'
            @(Get-LabIptables $lab nat | Where-Object { $_ -match $subnet }) | Should -BeNullOrEmpty
            # ...while libvirt's firewall for it is there and visible: forwarding off the bridge is rejected
            $reject = @(Get-LabIptables $lab filter | Where-Object { $_ -match "^-A LIBVIRT_FWO -i $([regex]::Escape($bridge)) .*-j REJECT" })
            $reject.Count | Should -Be 1 -Because 'libvirt rejects forwarding from an isolated bridge'
            $fw = "no nat rule for $($network.Subnet), forwarding from $bridge rejected"
        }

        $g = "${Kind}g"
        $run = Start-KimchiLabGuest -Lab $lab -Name $g -Network $net -Folder $TestDrive
        $run.ExitCode | Should -Be 0 -Because "virsh start ${g}: $($run.Error)"
        $nics = @(Get-KimchiLabGuestNic -Lab $lab -Guest $g)
        $nics.Count | Should -Be 1
        $nics[0].Source | Should -BeExactly $net
        $tap = $nics[0].Interface
        $tap | Should -Match '^vnet[0-9]+$'
        @(Get-BridgePort $lab | Where-Object { $_.ifname -eq $tap -and $_.master -eq $bridge }).Count | Should -Be 1 -Because "bridge link shows $tap in $bridge"
        $qemuPid = Get-GuestQemu $lab $g $nics[0].MAC

        Write-Host ("{0}: {1} has {2}, dnsmasq (pid {3}) serves {4}-{5}, {6}; guest {7} (qemu pid {8}) tap {9} on {1}" -f
            $Kind, $bridge, $v4[0], $dns[0].Pid, $network.DhcpStart, $network.DhcpEnd, $fw, $g, $qemuPid, $tap)
    }
}
