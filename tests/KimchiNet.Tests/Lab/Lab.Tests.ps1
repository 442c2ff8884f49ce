$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    End-to-end tests against a REAL libvirtd: each Describe starts its own lab host(s)
    (tests/lab/README.md: netns kn-NAME, NICs eth1..eth4, a private libvirtd) and always stops
    them in AfterAll. Everything is checked with independent tools (virsh, ip, bridge) run against
    or inside the lab, not with the module's own view.

    Cmdlets that only talk to libvirt run here with -Uri; cmdlets that touch host interfaces (a
    bridge network on a bare NIC) run in a child pwsh inside the lab's namespace.

    A machine that cannot run labs (not root, no `ip netns`, no libvirtd) FAILS these tests with
    the reason. Set KIMCHINET_SKIP_LAB=1 to skip them on purpose.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function Get-NetXml([string] $Lab, [string] $Network, [switch] $Inactive) {
        $argv = @('net-dumpxml', $Network)
        if ($Inactive) { $argv += '--inactive' }
        [xml](Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList $argv)
    }

    function Get-ActiveNetwork([string] $Lab) {
        @((Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'net-list', '--name') -split "`n" |
                ForEach-Object Trim | Where-Object { $_ })
    }

    function Get-AllNetwork([string] $Lab) {
        @((Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'net-list', '--all', '--name') -split "`n" |
                ForEach-Object Trim | Where-Object { $_ })
    }

    function Get-NetAutostart([string] $Lab, [string] $Network) {
        $info = Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'net-info', $Network
        ($info -split "`n" | Where-Object { $_ -match '^Autostart:' }) -replace '^Autostart:\s*', ''
    }

    function Get-ForwardDevice([xml] $Xml) {
        @($Xml.network.SelectNodes('forward/interface') | ForEach-Object { $_.GetAttribute('dev') })
    }

    function ConvertTo-SubnetText([string] $Address, [string] $Netmask) {
        # network/prefix of an address and netmask, computed here (not with the module's planner)
        $a = [System.Net.IPAddress]::Parse($Address).GetAddressBytes()
        $m = [System.Net.IPAddress]::Parse($Netmask).GetAddressBytes()
        $n = [byte[]]::new(4)
        $prefix = 0
        for ($i = 0; $i -lt 4; $i++) {
            $n[$i] = $a[$i] -band $m[$i]
            $prefix += ([Convert]::ToString($m[$i], 2) -replace '0', '').Length
        }
        "$([System.Net.IPAddress]::new($n))/$prefix"
    }

    function Remove-LabNetwork([string] $Lab, [string[]] $Network) {
        # cleanup with virsh only, so a failing cmdlet cannot leave the next test a dirty lab
        foreach ($n in $Network) {
            Invoke-KimchiLabVirsh -Name $Lab -ArgumentList 'net-destroy', $n | Out-Null
            Invoke-KimchiLabVirsh -Name $Lab -ArgumentList 'net-undefine', $n | Out-Null
        }
    }
}

Describe 'Lab: the six connection types on a real libvirtd' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID" -Nics 4
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll { Stop-KimchiTestLab }

    It 'creates and starts a nat network on a planned subnet, as virsh shows it' {
        try {
            $network = New-KimchiNetwork -Uri $uri -Name nat1 -Connection Nat -Start
            $xml = Get-NetXml $lab nat1
            $xml.network.forward.mode | Should -BeExactly 'nat'
            $ip = $xml.network.ip
            $network.Subnet | Should -Not -BeNullOrEmpty
            ConvertTo-SubnetText $ip.address $ip.netmask | Should -BeExactly $network.Subnet
            $ip.address | Should -BeExactly $network.Gateway
            $ip.dhcp.range.start | Should -BeExactly $network.DhcpStart
            $ip.dhcp.range.end | Should -BeExactly $network.DhcpEnd
            Get-ActiveNetwork $lab | Should -Contain 'nat1'
            Get-NetAutostart $lab nat1 | Should -BeExactly 'yes'
        }
        finally { Remove-LabNetwork $lab nat1 }
    }

    It 'creates and starts an isolated network on the given subnet; the bridge carries the gateway' {
        try {
            New-KimchiNetwork -Uri $uri -Name iso1 -Connection Isolated -Subnet 10.70.0.0/24 -Start | Out-Null
            $xml = Get-NetXml $lab iso1
            $xml.network.SelectSingleNode('forward') | Should -BeNullOrEmpty -Because 'an isolated network has no forward element'
            $xml.network.ip.address | Should -BeExactly '10.70.0.1'
            $xml.network.ip.netmask | Should -BeExactly '255.255.255.0'
            $xml.network.ip.dhcp.range.start | Should -BeExactly '10.70.0.128'
            $xml.network.ip.dhcp.range.end | Should -BeExactly '10.70.0.253'
            Get-ActiveNetwork $lab | Should -Contain 'iso1'

            $bridge = $xml.network.bridge.name
            $bridge | Should -Not -BeNullOrEmpty
            $addr = Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList '-json', 'addr', 'show', 'dev', $bridge
            $addr.ExitCode | Should -Be 0 -Because $addr.Error
            $v4 = @(($addr.Output | ConvertFrom-Json).addr_info | Where-Object family -EQ 'inet')
            $v4.Count | Should -Be 1
            "$($v4[0].local)/$($v4[0].prefixlen)" | Should -BeExactly '10.70.0.1/24'
        }
        finally { Remove-LabNetwork $lab iso1 }
    }

    It 'creates and starts a macvtap network on eth3' {
        try {
            New-KimchiNetwork -Uri $uri -Name mvt1 -Connection Macvtap -Interfaces eth3 -Start | Out-Null
            $xml = Get-NetXml $lab mvt1
            $xml.network.forward.mode | Should -BeExactly 'bridge'
            Get-ForwardDevice $xml | Should -Be @('eth3')
            $xml.network.SelectSingleNode('bridge') | Should -BeNullOrEmpty -Because 'macvtap needs no Linux bridge'
            $xml.network.SelectSingleNode('ip') | Should -BeNullOrEmpty
            Get-ActiveNetwork $lab | Should -Contain 'mvt1'
        }
        finally { Remove-LabNetwork $lab mvt1 }
    }

    It 'creates and starts a vepa network on eth1,eth2' {
        try {
            New-KimchiNetwork -Uri $uri -Name vepa1 -Connection Vepa -Interfaces eth1, eth2 -Start | Out-Null
            $xml = Get-NetXml $lab vepa1
            $xml.network.forward.mode | Should -BeExactly 'vepa'
            Get-ForwardDevice $xml | Should -Be @('eth1', 'eth2')
            Get-ActiveNetwork $lab | Should -Contain 'vepa1'
        }
        finally { Remove-LabNetwork $lab vepa1 }
    }

    It 'creates and starts a passthrough network on eth1,eth2, then refuses those devices to vepa (KCHNET0006E)' {
        try {
            New-KimchiNetwork -Uri $uri -Name pt1 -Connection Passthrough -Interfaces eth1, eth2 -Start | Out-Null
            $xml = Get-NetXml $lab pt1
            $xml.network.forward.mode | Should -BeExactly 'passthrough'
            Get-ForwardDevice $xml | Should -Be @('eth1', 'eth2')
            Get-ActiveNetwork $lab | Should -Contain 'pt1'

            $before = Get-AllNetwork $lab
            $err = $null
            New-KimchiNetwork -Uri $uri -Name vepa2 -Connection Vepa -Interfaces eth1, eth2 -Start -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0006E,KimchiNet.Commands.NewKimchiNetworkCommand'
            $err[0].Exception.Message | Should -Match 'pt1'
            Get-AllNetwork $lab | Should -Be $before
        }
        finally { Remove-LabNetwork $lab pt1, vepa2 }
    }

    # libvirt's udev backend lists lo as <interface type='ethernet'>; it must not pass for a NIC.
    It 'does not offer the loopback device lo, and refuses a network on it (KCHNET0102E)' {
        @(Get-KimchiInterface -Uri $uri).Name | Should -Not -Contain 'lo'
        $err = $null
        New-KimchiNetwork -Uri $uri -Name onlo -Connection Macvtap -Interfaces lo -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0102E,KimchiNet.Commands.NewKimchiNetworkCommand'
        Get-AllNetwork $lab | Should -Not -Contain 'onlo'
    }

    It 'creates a bridge network on the bare NIC eth4 from inside the host, and removing it deletes kbeth4' {
        try {
            $made = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
New-KimchiNetwork -Uri $Uri -Name br4 -Connection Bridge -Interfaces eth4 -Start | Select-Object Name, BridgeName, State
'@
            $made[0].PSObject.Properties.Name | Should -Not -Contain 'Failed' -Because "$($made[0] | ConvertTo-Json -Compress)"
            $made[0].BridgeName | Should -BeExactly 'kbeth4'

            $xml = Get-NetXml $lab br4
            $xml.network.forward.mode | Should -BeExactly 'bridge'
            $xml.network.bridge.name | Should -BeExactly 'kbeth4'
            Get-ActiveNetwork $lab | Should -Contain 'br4'

            $bridge = Get-KimchiLabLink -Lab $lab -Device kbeth4
            $bridge.Count | Should -Be 1 -Because 'the host bridge kbeth4 exists in the lab'
            $bridge[0].linkinfo.info_kind | Should -BeExactly 'bridge'
            $eth4 = Get-KimchiLabLink -Lab $lab -Device eth4
            $eth4[0].master | Should -BeExactly 'kbeth4'
            $ports = Invoke-InKimchiLab -Name $lab -FilePath bridge -ArgumentList '-json', 'link', 'show'
            @($ports.Output | ConvertFrom-Json | Where-Object { $_.ifname -eq 'eth4' -and $_.master -eq 'kbeth4' }).Count |
                Should -Be 1 -Because 'bridge link shows eth4 as a port of kbeth4'

            $removed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
Remove-KimchiNetwork -Uri $Uri -Name br4 -Force -Confirm:$false
[pscustomobject]@{ Removed = $true }
'@
            $removed[0].PSObject.Properties.Name | Should -Not -Contain 'Failed' -Because "$($removed[0] | ConvertTo-Json -Compress)"
            Get-AllNetwork $lab | Should -Not -Contain 'br4'
            Get-KimchiLabLink -Lab $lab -Device kbeth4 | Should -BeNullOrEmpty -Because 'Remove-KimchiNetwork deletes the bridge it made'
            $eth4 = Get-KimchiLabLink -Lab $lab -Device eth4
            $eth4.Count | Should -Be 1 -Because 'the NIC itself stays'
            $eth4[0].PSObject.Properties.Name | Should -Not -Contain 'master' -Because 'eth4 is no longer enslaved'
        }
        finally {
            Remove-LabNetwork $lab br4
            Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList 'link', 'del', 'kbeth4' | Out-Null
        }
    }

    It 'creates a bridge network with VLAN 10 on eth4 from inside the host (needs 802.1Q in the kernel)' {
        # capability probe in the lab's namespace, not on the machine
        $probe = Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList 'link', 'add', 'link', 'eth4', 'name', 'vlprobe', 'type', 'vlan', 'id', '4000'
        if ($probe.ExitCode -ne 0) {
            Set-ItResult -Skipped -Because "this kernel cannot make 802.1Q VLAN devices (ip link add ... type vlan: $($probe.Error.Trim()))"
            return
        }
        Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList 'link', 'del', 'vlprobe' | Out-Null
        try {
            $made = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
New-KimchiNetwork -Uri $Uri -Name br4v -Connection Bridge -Interfaces eth4 -VlanId 10 -Start | Select-Object Name, BridgeName, VlanId
'@
            $made[0].PSObject.Properties.Name | Should -Not -Contain 'Failed' -Because "$($made[0] | ConvertTo-Json -Compress)"
            $xml = Get-NetXml $lab br4v
            $xml.network.bridge.name | Should -BeExactly 'kbeth4.10'
            $vlan = Get-KimchiLabLink -Lab $lab -Device eth4.10
            $vlan[0].linkinfo.info_kind | Should -BeExactly 'vlan'
            $vlan[0].linkinfo.info_data.id | Should -Be 10
            $vlan[0].link | Should -BeExactly 'eth4'
            $vlan[0].master | Should -BeExactly 'kbeth4.10'

            $removed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
Remove-KimchiNetwork -Uri $Uri -Name br4v -Force -Confirm:$false
[pscustomobject]@{ Removed = $true }
'@
            $removed[0].PSObject.Properties.Name | Should -Not -Contain 'Failed'
            Get-KimchiLabLink -Lab $lab -Device kbeth4.10 | Should -BeNullOrEmpty
            Get-KimchiLabLink -Lab $lab -Device eth4.10 | Should -BeNullOrEmpty
        }
        finally {
            Remove-LabNetwork $lab br4v
            foreach ($dev in 'kbeth4.10', 'eth4.10') { Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList 'link', 'del', $dev | Out-Null }
        }
    }
}

Describe 'Lab: an update libvirt rejects restores the original' -Tag 'Lab' -Skip:$SkipLab {
    <#
        A real rejection: libvirt refuses a network whose static <route> gateway is not on one of the
        network's own subnets ("unreachable static route gateway"). KimchiNet keeps <route> elements
        on update, so moving such a network to another subnet passes KimchiNet's plan and is refused
        by libvirtd's define; with a rename, KimchiNet has already undefined the old name by then and
        has to define it again.
    #>
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID-u" -Nics 1
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll { Stop-KimchiTestLab }

    It 'a refused <Case> leaves the definition byte-identical and autostart on (KCHNET0022E)' -TestCases @(
        @{ Case = 'subnet change'; Parameters = @{ Subnet = '10.61.0.0/24' }; Outcome = 'kept unchanged' }
        @{ Case = 'rename and subnet change'; Parameters = @{ NewName = 'routed2'; Subnet = '10.61.0.0/24' }; Outcome = 'restored' }
    ) {
        param($Case, $Parameters, $Outcome)
        try {
            New-KimchiNetwork -Uri $uri -Name routed -Connection Isolated -Subnet 10.60.0.0/24 | Out-Null
            # an independent client adds a static route through a gateway on the network's subnet
            $xml = Get-NetXml $lab routed -Inactive
            $route = $xml.CreateElement('route')
            $route.SetAttribute('address', '10.99.0.0')
            $route.SetAttribute('prefix', '24')
            $route.SetAttribute('gateway', '10.60.0.5')
            $xml.network.AppendChild($route) | Out-Null
            $file = Join-Path $TestDrive 'routed.xml'
            $xml.Save($file)
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-define', $file | Out-Null
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-autostart', 'routed' | Out-Null
            $before = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', 'routed'
            $before | Should -Match "gateway='10.60.0.5'"
            Get-NetAutostart $lab routed | Should -BeExactly 'yes'

            $err = $null
            Set-KimchiNetwork -Uri $uri -Name routed @Parameters -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0022E,KimchiNet.Commands.SetKimchiNetworkCommand'
            $err[0].Exception.Message | Should -Match 'unreachable static route gateway'
            $err[0].Exception.Message | Should -Match $Outcome
            Write-Host "update rollback ($Case): $($err[0].Exception.Message)"

            Get-AllNetwork $lab | Should -Be @('routed')
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', 'routed' | Should -BeExactly $before
            Get-NetAutostart $lab routed | Should -BeExactly 'yes'
        }
        finally { Remove-LabNetwork $lab routed, routed2 }
    }

    It 'an update refused by the plan (the new name is taken) leaves the definition byte-identical (KCHNET0001E)' {
        try {
            New-KimchiNetwork -Uri $uri -Name holder -Connection Macvtap -Interfaces eth1 | Out-Null
            New-KimchiNetwork -Uri $uri -Name iso -Connection Isolated -Subnet 10.62.0.0/24 -Autostart $false | Out-Null
            $before = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', 'iso'
            $err = $null
            Set-KimchiNetwork -Uri $uri -Name iso -Subnet 10.62.0.0/24 -NewName holder -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0001E,KimchiNet.Commands.SetKimchiNetworkCommand'
            Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', 'iso' | Should -BeExactly $before
            Get-NetAutostart $lab iso | Should -BeExactly 'no'
        }
        finally { Remove-LabNetwork $lab holder, iso }
    }
}

Describe 'Lab: many hosts in one pipeline' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $fleet = @(Start-KimchiTestLab -Name (1..3 | ForEach-Object { "e2e$PID-f$_" }) -Nics 2)
        $names, $uris = @($fleet.Name), @($fleet.Uri)
        $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../../KimchiNet.psd1')).ProviderPath
    }

    AfterAll { Stop-KimchiTestLab -Variable names }

    It 'creates a vepa network on every host with one parallel pipeline; a dead host fails alone (KCHNET0103E)' {
        $dead = "qemu+unix:///system?socket=$TestDrive/no-such-lab/libvirt-sock"
        $err = $null
        # -Parallel takes no -ErrorAction: the dead host's error is collected with -ErrorVariable only
        $ErrorActionPreference = 'SilentlyContinue'
        $made = @(@($uris) + $dead | ForEach-Object -Parallel {
                Import-Module $using:manifest
                New-KimchiNetwork -Uri $_ -Name fleet -Connection Vepa -Interfaces eth1, eth2 -Start
            } -ThrottleLimit 4 -ErrorVariable err)
        $ErrorActionPreference = 'Stop'

        $made.Count | Should -Be 3
        @($made.Uri | Sort-Object) | Should -Be @($uris | Sort-Object)
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0103E,KimchiNet.Commands.NewKimchiNetworkCommand'

        $seen = @($uris | ForEach-Object { Get-KimchiNetwork -Uri $_ -Name fleet })
        $seen.Count | Should -Be 3
        $seen.State | Should -Be @('Active', 'Active', 'Active')
        foreach ($host_ in $fleet) {
            $xml = Get-NetXml $host_.Name fleet
            $xml.network.forward.mode | Should -BeExactly 'vepa'
            Get-ForwardDevice $xml | Should -Be @('eth1', 'eth2')
            Get-ActiveNetwork $host_.Name | Should -Be @('fleet')
        }
    }
}
