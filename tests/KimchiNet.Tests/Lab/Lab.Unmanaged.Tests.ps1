$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Issue 14, item 2 ("none"), against a real libvirtd in a lab host, with the module run inside the
    lab's network namespace as on a hypervisor whose NICs no network manager owns:
      - a bridge network on a NIC with a static address is made with iproute2, and a warning says the
        bridge will not survive a reboot and how to make it persistent;
      - a NIC holding a DHCP lease (an address with a finite lifetime, as a DHCP client sets it) is
        refused with KCHNET0118E before anything changes: the lease would be renewed on the bridge's port.
    A machine that cannot run labs FAILS these tests with the reason; KIMCHINET_SKIP_LAB=1 skips them.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
}

Describe 'Lab: a bridge network on a NIC that no network manager owns' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "um$PID" -Nics 2
        $lab, $uri = $started.Name, $started.Uri
        function Get-Address([string] $Device) {
            $run = Invoke-InKimchiLab -Name $lab -FilePath /usr/sbin/ip -ArgumentList '-j', '-4', 'addr', 'show', 'dev', $Device
            @(($run.Output | ConvertFrom-Json).addr_info)
        }
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'addr', 'add', '192.0.2.10/24', 'dev', 'eth1'
        # what a DHCP client leaves: an address valid for 300 s
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'addr', 'add', '198.51.100.7/24', 'dev', 'eth2', 'valid_lft', '300', 'preferred_lft', '300'
    }

    AfterAll { Stop-KimchiTestLab }

    It 'a static NIC gets its bridge with iproute2, and a warning that it will not survive a reboot' {
        $made = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
$warnings = @()
$network = New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -WarningVariable +warnings -WarningAction SilentlyContinue
[pscustomobject]@{ BridgeName = $network.BridgeName; Warnings = @($warnings | ForEach-Object { "$_" }) }
'@
        $made.PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "$($made | Out-String)"
        Write-Host "unmanaged static: bridge $($made.BridgeName); warning: $(@($made.Warnings)[0])"
        $made.BridgeName | Should -BeExactly 'kbeth1'
        @($made.Warnings).Count | Should -Be 1
        @($made.Warnings)[0] | Should -Match 'kbeth1 is made with iproute2 \(no network manager KimchiNet works through owns ''eth1''\), so it will not survive a reboot'
        (Get-Address kbeth1).local | Should -Contain '192.0.2.10'

        $removed = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
Remove-KimchiNetwork -Uri $Uri -Name lan -Confirm:$false
'ok'
'@
        $removed | Should -BeExactly 'ok'
        (Get-Address eth1).local | Should -Contain '192.0.2.10'
    }

    It 'a NIC holding a DHCP lease is refused with KCHNET0118E, and nothing changes' {
        $refused = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
New-KimchiNetwork -Uri $Uri -Name leased -Connection Bridge -Interfaces eth2
'@
        Write-Host "unmanaged lease: $($refused.Message)"
        $refused.Failed | Should -BeTrue
        $refused.ErrorId | Should -Match '^KCHNET0118E'
        $refused.Message | Should -Match '198\.51\.100\.7/24 \(valid \d+ s\)'
        (Invoke-InKimchiLab -Name $lab -FilePath /usr/sbin/ip -ArgumentList 'link', 'show', 'dev', 'kbeth2').ExitCode | Should -Not -Be 0
        $address = Get-Address eth2 | Where-Object local -EQ '198.51.100.7'
        $address.dynamic | Should -BeTrue
        (Invoke-KimchiLabVirsh -Name $lab -ArgumentList 'net-list', '--all', '--name').Output | Should -Not -Match '\bleased\b'
    }
}
