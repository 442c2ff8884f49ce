$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Issue 14, item 1: Get-KimchiInterface tells which network manager owns each NIC, proven with the
    real managers running inside one lab host (tests/lab/HostManagers.psm1): NetworkManager owns eth1
    (a keyfile profile), ifupdown eth2 (/etc/network/interfaces, brought up with ifup), netplan eth3
    (rendered by `netplan generate` for systemd-networkd), systemd-networkd eth4 (a .network file),
    and nobody eth5. Each manager really configures its NIC (its address is there) before the module,
    run inside the lab's manager namespace as on a real host, is asked. A file others could write is
    refused with a KCHNET0130E warning. KIMCHINET_SKIP_LAB=1 skips this on purpose; a machine that
    cannot run labs fails it.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    Import-Module (Join-Path $PSScriptRoot '../../lab/HostManagers.psm1') -Force
}

Describe 'Lab: Get-KimchiInterface names the network manager of each NIC' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        # The managers learn DNS servers in the lab; none of that may reach the machine's own file.
        $machineResolv = (Get-FileHash -LiteralPath /etc/resolv.conf -Algorithm SHA256).Hash
        foreach ($program in '/usr/sbin/NetworkManager', '/usr/bin/nmcli', '/usr/sbin/ifup', '/usr/sbin/netplan', '/lib/systemd/systemd-networkd', '/usr/bin/dbus-daemon') {
            if (-not (Test-Path -LiteralPath $program)) { throw "$program is missing: install the packages of tests/tools/Dependencies.psd1." }
        }
        $uri = (Start-KimchiTestLab -Name "mgr$PID" -Nics 5).Uri
        $lab = "mgr$PID"

        Set-KimchiLabManagerFile -Name $lab -Path /etc/NetworkManager/system-connections/lab-eth1.nmconnection -Mode 0600 -Value @'
[connection]
id=lab-eth1
type=ethernet
interface-name=eth1
[ipv4]
method=manual
address1=192.0.2.11/24
[ipv6]
method=disabled
'@
        Set-KimchiLabManagerFile -Name $lab -Path /etc/network/interfaces -Value @'
source /etc/network/interfaces.d/*

auto eth2
iface eth2 inet static
    address 192.0.2.12/24
'@
        Set-KimchiLabManagerFile -Name $lab -Path /etc/netplan/10-eth3.yaml -Mode 0600 -Value @'
network:
  version: 2
  renderer: networkd
  ethernets:
    eth3:
      addresses: [192.0.2.13/24]
'@
        Set-KimchiLabManagerFile -Name $lab -Path /etc/systemd/network/20-eth4.network -Value @'
[Match]
Name=eth4
[Network]
Address=192.0.2.14/24
'@
        Start-KimchiLabManager -Name $lab -Manager NetworkManager -Interface eth1
        Start-KimchiLabManager -Name $lab -Manager Ifupdown
        Start-KimchiLabManager -Name $lab -Manager Netplan   # netplan generate, then systemd-networkd (eth3 and eth4)

        function Get-Owners {
            $found = @(Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
$warnings = @()
Get-KimchiInterface -Uri $Uri -Name eth* -WarningVariable +warnings -WarningAction SilentlyContinue | ForEach-Object {
    [pscustomobject]@{
        Name      = $_.Name
        Manager   = "$($_.ManagedBy.Manager)"
        Renderer  = "$($_.ManagedBy.Renderer)"
        Shown     = $_.ManagedBy.ToString()
        Profile   = $_.ManagedBy.Profile
        Files     = @($_.ManagedBy.Files)
        Addresses = @($_.IPv4Addresses)
    }
}
foreach ($w in $warnings) { [pscustomobject]@{ Warning = "$w" } }
'@)
            @{
                Nics     = @($found | Where-Object { $_.PSObject.Properties['Name'] })
                Warnings = @($found | Where-Object { $_.PSObject.Properties['Warning'] } | ForEach-Object Warning)
            }
        }
        # each manager has configured its NIC once its address is there (networkd and NetworkManager work in
        # the background; a loaded machine once needed more than 30 s: a guard, not a measure)
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        do {
            $addresses = (Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList '-4', '-br', 'addr').Output
            $ready = @(11..14 | Where-Object { $addresses -match "192\.0\.2\.$_/24" }).Count -eq 4
            if (-not $ready) { Start-Sleep -Milliseconds 250 }
        } until ($ready -or [DateTime]::UtcNow -gt $deadline)
        $owners = Get-Owners
        $byName = @{}
        foreach ($nic in $owners.Nics) { $byName[$nic.Name] = $nic }
    }

    AfterAll {
        Stop-KimchiTestLab
    }

    It 'every manager configured its own NIC (the managers really run in the lab)' {
        foreach ($n in 1..4) { $byName["eth$n"].Addresses | Should -Contain "192.0.2.1$n/24" -Because "eth$n's manager sets that address" }
        $byName['eth5'].Addresses | Should -BeNullOrEmpty
    }

    It 'leaves the machine''s own /etc/resolv.conf as it was, while NetworkManager and the others run in the lab' {
        (Get-FileHash -LiteralPath /etc/resolv.conf -Algorithm SHA256).Hash | Should -BeExactly $machineResolv
    }

    It 'eth1 is NetworkManager''s, with its profile and keyfile' {
        $byName['eth1'].Manager | Should -BeExactly 'NetworkManager'
        $byName['eth1'].Profile | Should -BeExactly 'lab-eth1'
        $byName['eth1'].Files | Should -Be @('/etc/NetworkManager/system-connections/lab-eth1.nmconnection')
    }

    It 'eth2 is ifupdown''s, from /etc/network/interfaces' {
        $byName['eth2'].Manager | Should -BeExactly 'Ifupdown'
        $byName['eth2'].Files | Should -Be @('/etc/network/interfaces')
    }

    It 'eth3 is netplan''s, rendered for networkd' {
        $byName['eth3'].Manager | Should -BeExactly 'Netplan'
        $byName['eth3'].Renderer | Should -BeExactly 'Networkd'
        $byName['eth3'].Shown | Should -BeExactly 'Netplan (networkd)'
        $byName['eth3'].Files | Should -Be @('/etc/netplan/10-eth3.yaml')
    }

    It 'eth4 is systemd-networkd''s, with its .network file' {
        $byName['eth4'].Manager | Should -BeExactly 'Networkd'
        $byName['eth4'].Files | Should -Be @('/etc/systemd/network/20-eth4.network')
    }

    It 'eth5 has no manager, and nothing was refused' {
        $byName['eth5'].Manager | Should -BeExactly 'None'
        $owners.Warnings | Should -BeNullOrEmpty
    }

    It 'refuses an interfaces file others could write, with KCHNET0130E, and still names the other owners' {
        Set-KimchiLabManagerFile -Name $lab -Path /etc/network/interfaces.d/eth5 -Mode 0666 -Value "iface eth5 inet manual`n"
        try {
            $again = Get-Owners
        }
        finally {
            Set-KimchiLabManagerFile -Name $lab -Path /etc/network/interfaces.d/eth5 -Remove
        }
        $warning = @($again.Warnings)
        $warning.Count | Should -Be 1
        $warning[0] | Should -Match '^KCHNET0130E: .*/etc/network/interfaces\.d/eth5'
        ($again.Nics | Where-Object Name -EQ 'eth5').Manager | Should -BeExactly 'None'
        ($again.Nics | Where-Object Name -EQ 'eth2').Manager | Should -BeExactly 'Ifupdown'
        ($again.Nics | Where-Object Name -EQ 'eth1').Manager | Should -BeExactly 'NetworkManager'
    }
}
