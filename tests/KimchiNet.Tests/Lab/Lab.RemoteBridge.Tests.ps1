$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Bridge networks on remote hosts (issue 16 item 4). A host bridge is made by the module running on
    the host itself, so over qemu+ssh New-KimchiNetwork refuses it with KCHNET0105E and names the way:
    PowerShell remoting over SSH (Invoke-Command -HostName, the module present on the host). Here that
    way is taken end to end: the lab host's sshd (tests/lab/SshHost.psm1) offers pwsh as its
    'powershell' subsystem; from this (the root) namespace, Invoke-Command -HostName runs the module in
    a pwsh that sshd starts inside the lab's network and mount namespaces, beside the lab's libvirtd, with
    exactly the -HostName, -KeyFilePath and -Uri the refusal message names. The bridge is then seen in
    the lab (ip link), Get over qemu+ssh sees the network, and Remove through the same path gives the
    NIC back.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    Import-Module (Join-Path $PSScriptRoot '../../lab/SshHost.psm1') -Force
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../../KimchiNet.psd1')).ProviderPath

    function Get-LabLinkLine([string] $Lab, [string] $Device) {
        $r = Invoke-InKimchiLab -Name $Lab -FilePath ip -ArgumentList '-o', 'link', 'show', 'dev', $Device
        if ($r.ExitCode -ne 0) { return $null }
        $r.Output.Trim()
    }
}

Describe 'Lab: a bridge network on a remote host, through PowerShell remoting over SSH' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $homeSsh = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.ssh'
        $homeSshBefore = if (Test-Path -LiteralPath $homeSsh) { (Get-ChildItem -LiteralPath $homeSsh -Force | ForEach-Object { "$($_.Name) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) -join "`n" } else { '(none)' }
        $started = Start-KimchiTestLab -Name "rb$PID" -Nics 2
        $lab = $started.Name
        $s = Start-KimchiLabSsh -Name "rb$PID"
        # ssh as PowerShell's remoting client runs it, told to trust only the lab's known_hosts (-Options
        # become ssh -o options): nothing is added to any known_hosts, no agent is asked.
        $sshOptions = @{
            UserKnownHostsFile    = $s.KnownHostsFile
            GlobalKnownHostsFile  = '/dev/null'
            StrictHostKeyChecking = 'yes'
            IdentitiesOnly        = 'yes'
            IdentityAgent         = 'none'
            BatchMode             = 'yes'
        }
        $script:remedy = $null
    }

    AfterAll {
        [KimchiNet.Libvirt.LibvirtConnections]::CloseAll()
        if (Get-Variable -Name s -ValueOnly -ErrorAction Ignore) { Stop-KimchiLabSsh -Name $s.Name -RootInterface $s.RootInterface }
        # Deleting the lab's namespace deletes any bridge a failed test left in it.
        Stop-KimchiTestLab
    }

    It 'over qemu+ssh, New-KimchiNetwork refuses a bridge on eth1 with KCHNET0105E naming Invoke-Command -HostName with the module on the host' {
        $err = $null
        New-KimchiNetwork -Uri $s.Uri -Name rbr -Connection Bridge -Interfaces eth1 -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0105E,KimchiNet.Commands.NewKimchiNetworkCommand'
        $message = $err[0].Exception.Message
        $message | Should -Match ([regex]::Escape('Host bridges are made by KimchiNet running on the host itself, so a bridge on a remote host goes through PowerShell remoting over SSH, with the module installed on the host: '))
        $message | Should -Match ([regex]::Escape("Invoke-Command -HostName root@$($s.Address) -KeyFilePath $($s.KeyFile) -ScriptBlock { New-KimchiNetwork ... -Uri qemu+unix:///system?socket=$($s.Socket) }"))
        $message | Should -Match ([regex]::Escape('Subsystem powershell /usr/bin/pwsh -sshs -NoLogo'))
        # What the message names, taken from it: the next tests run exactly that.
        $message -match 'Invoke-Command -HostName (\S+) -KeyFilePath (\S+) -ScriptBlock \{ New-KimchiNetwork \.\.\. -Uri (\S+) \}' | Should -BeTrue
        $script:remedy = [pscustomobject]@{ HostName = $Matches[1]; KeyFilePath = $Matches[2]; Uri = $Matches[3] }
        (Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-list', '--all', '--name') | Should -Not -Match 'rbr'
        Get-LabLinkLine $lab eth1 | Should -Not -Match ' master '
    }

    It 'Invoke-Command -HostName runs the module on the lab host, beside its libvirtd, and makes the bridge network on its eth1' {
        $script:remedy | Should -Not -BeNullOrEmpty
        $made = Invoke-Command -HostName $script:remedy.HostName -KeyFilePath $script:remedy.KeyFilePath -Options $sshOptions -ArgumentList $manifest, $script:remedy.Uri -ScriptBlock {
            param($Module, $Uri)
            $ErrorActionPreference = 'Stop'
            Import-Module $Module
            $network = New-KimchiNetwork -Uri $Uri -Name rbr -Connection Bridge -Interfaces eth1 -Start
            [pscustomobject]@{
                Name       = $network.Name
                State      = "$($network.State)"
                # the network namespace this remote pwsh runs in
                NetNs      = (Get-Item -LiteralPath /proc/self/ns/net -Force).LinkTarget
                Eth1Master = (Get-Item -LiteralPath /sys/class/net/eth1/master -Force -ErrorAction Ignore)?.LinkTarget
            }
        }
        $made.Name | Should -BeExactly 'rbr'
        $made.State | Should -BeExactly 'Active'
        $labNetNs = (Invoke-InKimchiLab -Name $lab -FilePath readlink -ArgumentList '/proc/self/ns/net').Output.Trim()
        $made.NetNs | Should -BeExactly $labNetNs
        $bridge = Split-Path -Leaf $made.Eth1Master
        $bridge | Should -Not -BeNullOrEmpty
        # In the lab: eth1 is a port of that bridge, which is up, and this namespace has no such device.
        Get-LabLinkLine $lab eth1 | Should -Match " master $([regex]::Escape($bridge)) "
        Get-LabLinkLine $lab $bridge | Should -Match 'state UP'
        (Invoke-KimchiLabProcess -FilePath ip -ArgumentList '-o', 'link', 'show', 'dev', $bridge).ExitCode | Should -Not -Be 0
        (Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', 'rbr') | Should -Match "<bridge name='$([regex]::Escape($bridge))'"
    }

    It 'Get-KimchiNetwork over qemu+ssh sees the bridge network' {
        $network = Get-KimchiNetwork -Uri $s.Uri -Name rbr
        "$($network.Connection)" | Should -BeExactly 'Bridge'
        "$($network.State)" | Should -BeExactly 'Active'
        @($network.Interfaces) | Should -Be @('eth1')
    }

    It 'Remove-KimchiNetwork over qemu+ssh refuses it with KCHNET0105E naming the same path for Remove-KimchiNetwork, with or without -Force, by name or through the pipeline, and changes nothing' {
        $err = $null
        Remove-KimchiNetwork -Uri $s.Uri -Name rbr -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0005E,KimchiNet.Commands.RemoveKimchiNetworkCommand'
        $err = $null
        Remove-KimchiNetwork -Uri $s.Uri -Name rbr -Force -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0105E,KimchiNet.Commands.RemoveKimchiNetworkCommand'
        $err[0].Exception.Message | Should -Match ([regex]::Escape("Invoke-Command -HostName $($script:remedy.HostName) -KeyFilePath $($script:remedy.KeyFilePath) -ScriptBlock { Remove-KimchiNetwork ... -Uri $($script:remedy.Uri) }"))
        # The same through the pipeline (the network object carries its qemu+ssh URI).
        $err = $null
        Get-KimchiNetwork -Uri $s.Uri -Name rbr | Remove-KimchiNetwork -Force -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0105E,KimchiNet.Commands.RemoveKimchiNetworkCommand'
        (Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-list', '--name') | Should -Match 'rbr'
        Get-LabLinkLine $lab eth1 | Should -Match ' master '
    }

    It 'Remove-KimchiNetwork through the same path stops and removes it, deletes the bridge and gives eth1 back' {
        $bridge = Split-Path -Leaf ((Invoke-InKimchiLab -Name $lab -FilePath readlink -ArgumentList '/sys/class/net/eth1/master').Output.Trim())
        $bridge | Should -Not -BeNullOrEmpty
        $removed = Invoke-Command -HostName $script:remedy.HostName -KeyFilePath $script:remedy.KeyFilePath -Options $sshOptions -ArgumentList $manifest, $script:remedy.Uri -ScriptBlock {
            param($Module, $Uri)
            $ErrorActionPreference = 'Stop'
            Import-Module $Module
            Remove-KimchiNetwork -Uri $Uri -Name rbr -Force -Confirm:$false -PassThru | ForEach-Object Name
        }
        $removed | Should -BeExactly 'rbr'
        (Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-list', '--all', '--name') | Should -Not -Match 'rbr'
        Get-LabLinkLine $lab eth1 | Should -Not -Match ' master '
        Get-LabLinkLine $lab eth1 | Should -Match 'state UP'
        Get-LabLinkLine $lab $bridge | Should -BeNullOrEmpty
        @(Get-KimchiNetwork -Uri $s.Uri -Name rbr -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'leaves this machine''s ~/.ssh as it was' {
        $now = if (Test-Path -LiteralPath $homeSsh) { (Get-ChildItem -LiteralPath $homeSsh -Force | ForEach-Object { "$($_.Name) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) -join "`n" } else { '(none)' }
        $now | Should -BeExactly $homeSshBefore
    }
}
