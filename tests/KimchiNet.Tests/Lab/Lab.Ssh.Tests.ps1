$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Remote hosts over real SSH (issue 16 item 1): lab hosts run sshd (tests/lab/SshHost.psm1) inside
    their namespaces, reached from this process (the root namespace) through a veth pair. Every host
    cmdlet works through qemu+ssh://root@ADDR/system?socket=...&keyfile=...&command=<private ssh>;
    host keys are verified (unknown and changed keys each fail with their own code), a login that
    needs a user fails at once without a terminal, and -Credential logs in with a password through
    qemu+libssh:// without the password showing anywhere.

    Cases that would prompt if a terminal were there run in a child pwsh started with setsid (no
    controlling terminal, as a runbook), under an outer guard of 120 s that turns a hang into a
    failure instead of blocking the suite; the guard is not a timing assertion.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    Import-Module (Join-Path $PSScriptRoot '../../lab/SshHost.psm1') -Force

    function Invoke-KimchiNetWithoutTerminal {
        <#
            Runs -Script in a child pwsh with no controlling terminal (setsid) and -NonInteractive, with
            KimchiNet imported and $Uri set; returns each error's FullyQualifiedErrorId and message, or
            the objects' Uri, as JSON objects. A hang fails after 120 s (Invoke-KimchiLabProcess kills it).
        #>
        param([Parameter(Mandatory)] [string] $Uri, [Parameter(Mandatory)] [string] $Script)
        $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../../KimchiNet.psd1')).ProviderPath
        $id = [guid]::NewGuid().ToString('n')
        $scriptPath = Join-Path $TestDrive "noterm-$id.ps1"
        $resultPath = Join-Path $TestDrive "noterm-$id.json"
        Set-Content -LiteralPath $scriptPath -Encoding utf8 -Value @"
param([string] `$Uri, [string] `$ResultPath)
Import-Module '$($manifest -replace "'", "''")'
`$result = @(foreach (`$o in @(& { $Script } 2>&1)) {
    if (`$o -is [System.Management.Automation.ErrorRecord]) { [pscustomobject]@{ ErrorId = `$o.FullyQualifiedErrorId; Message = `$o.Exception.Message } }
    elseif (`$null -ne `$o) { [pscustomobject]@{ ErrorId = `$null; Message = "`$(`$o.Uri)" } }
})
ConvertTo-Json -InputObject @(`$result) -Depth 4 | Set-Content -LiteralPath `$ResultPath -Encoding utf8
"@
        $run = Invoke-KimchiLabProcess -FilePath setsid -ArgumentList '-w', (Join-Path $PSHOME 'pwsh'), '-NoProfile', '-NonInteractive', '-File', $scriptPath, $Uri, $resultPath -TimeoutSeconds 120
        if ($run.ExitCode -ne 0 -or -not (Test-Path -LiteralPath $resultPath)) { throw "child pwsh failed (exit $($run.ExitCode)): $($run.Output) $($run.Error)" }
        @(Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json)
    }

    function Get-SshdListener {
        # The TCP listeners of this (the root) network namespace that belong to an sshd.
        $r = Invoke-KimchiLabProcess -FilePath ss -ArgumentList '-Hltnp'
        @($r.Output -split "`n" | Where-Object { $_ -match 'sshd' })
    }
}

Describe 'Lab: remote hosts over SSH' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        # ~/.ssh of this machine's root must not change (nor appear): the lab uses private files only.
        $homeSsh = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.ssh'
        $homeSshBefore = if (Test-Path -LiteralPath $homeSsh) { (Get-ChildItem -LiteralPath $homeSsh -Force | ForEach-Object { "$($_.Name) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) -join "`n" } else { '(none)' }
        $listenersBefore = Get-SshdListener
        $started = Start-KimchiTestLab -Name "ssa$PID", "ssb$PID", "ssp$PID" -Nics 2
        $lab = $started.Name
        $a = Start-KimchiLabSsh -Name "ssa$PID"
        $b = Start-KimchiLabSsh -Name "ssb$PID"
        $labPassword = 'Lab-pw-' + [guid]::NewGuid().ToString('n')
        $p = Start-KimchiLabSsh -Name "ssp$PID" -Authentication Password -Password $labPassword
        $credential = [pscredential]::new($p.UserName, (ConvertTo-SecureString $labPassword -AsPlainText -Force))
        $passwordUri = Get-KimchiLabSshUri -Ssh $p -Transport Libssh -UserName $p.UserName -KeyFile '' -SshAuth password
    }

    AfterAll {
        [KimchiNet.Libvirt.LibvirtConnections]::CloseAll()
        foreach ($s in @(Get-Variable -Name a, b, p -ValueOnly -ErrorAction Ignore)) { if ($s) { Stop-KimchiLabSsh -Name $s.Name -RootInterface $s.RootInterface } }
        Stop-KimchiTestLab
    }

    Context 'the lab''s sshd' {
        It 'runs inside the lab''s network namespace only, listening on the lab''s address' {
            foreach ($s in $a, $b, $p) {
                (Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'identify', "$($s.Pid)").Output.Trim() | Should -BeExactly "kn-$($s.Name)"
                $inLab = Invoke-InKimchiLab -Name $s.Name -FilePath ss -ArgumentList '-Hltn'
                $inLab.Output | Should -Match ([regex]::Escape("$($s.Address):22"))
            }
            # No sshd listens in this namespace: the machine's own sshd is not started by the lab.
            Get-SshdListener | Should -Be $listenersBefore
        }
    }

    Context 'every cmdlet through qemu+ssh://root@ADDR/system' {
        It 'connects, and the host is remote' {
            $hostInfo = Connect-KimchiHost -Uri $a.Uri -NoDefault
            $hostInfo.IsLocal | Should -BeFalse
            $hostInfo.Uri | Should -BeLike "qemu+ssh://root@$($a.Address)/system*"
        }

        It 'creates, reads, changes, stops, starts, tests and removes a network, as the host''s libvirtd sees' {
            $net = New-KimchiNetwork -Uri $a.Uri -Name sshnet -Connection Isolated -Subnet 10.90.0.0/24 -Start
            $net.State | Should -Be 'Active'
            (Invoke-KimchiLabVirshChecked -Lab $a.Name -ArgumentList 'net-list', '--name') | Should -Match 'sshnet'

            (Get-KimchiNetwork -Uri $a.Uri -Name sshnet).Subnet | Should -BeExactly '10.90.0.0/24'
            Set-KimchiNetwork -Uri $a.Uri -Name sshnet -Autostart $true
            (Invoke-KimchiLabVirshChecked -Lab $a.Name -ArgumentList 'net-info', 'sshnet') | Should -Match 'Autostart:\s+yes'

            Stop-KimchiNetwork -Uri $a.Uri -Name sshnet -Confirm:$false
            (Invoke-KimchiLabVirshChecked -Lab $a.Name -ArgumentList 'net-list', '--inactive', '--name') | Should -Match 'sshnet'
            Start-KimchiNetwork -Uri $a.Uri -Name sshnet
            (Invoke-KimchiLabVirshChecked -Lab $a.Name -ArgumentList 'net-list', '--name') | Should -Match 'sshnet'

            Test-KimchiNetwork -Uri $a.Uri -Name sshnet -Connection Isolated -State Active | Should -BeTrue
            Test-KimchiNetwork -Uri $a.Uri -Name sshnet -State Inactive | Should -BeFalse

            $err = $null
            Remove-KimchiNetwork -Uri $a.Uri -Name sshnet -Force -Confirm:$false -ErrorVariable err
            $err.Count | Should -Be 0
            (Invoke-KimchiLabVirshChecked -Lab $a.Name -ArgumentList 'net-list', '--all', '--name') | Should -Not -Match 'sshnet'
        }

        It 'lists the lab host''s interfaces, not this machine''s' {
            $names = @(Get-KimchiInterface -Uri $a.Uri).Name
            $names | Should -Contain 'eth1'
            $names | Should -Contain 'ssh0'
            $names | Should -Not -Contain $a.RootInterface
        }

        It 'refuses a bridge on a NIC with KCHNET0105E, saying to run the module on the host through Invoke-Command -HostName' {
            $err = $null
            New-KimchiNetwork -Uri $a.Uri -Name sshbr -Connection Bridge -Interfaces eth1 -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0105E,KimchiNet.Commands.NewKimchiNetworkCommand'
            $err[0].Exception.Message | Should -Match ([regex]::Escape("Invoke-Command -HostName root@$($a.Address) -KeyFilePath $($a.KeyFile) -ScriptBlock { New-KimchiNetwork ... -Uri qemu+unix:///system?socket=$($a.Socket) }"))
            (Invoke-KimchiLabVirshChecked -Lab $a.Name -ArgumentList 'net-list', '--all', '--name') | Should -Not -Match 'sshbr'
            (Invoke-InKimchiLab -Name $a.Name -FilePath ip -ArgumentList '-o', 'link', 'show', 'dev', 'eth1').Output | Should -Not -Match ' master '
        }

        It 'works on two SSH hosts at once (-Uri with both), each object carrying its host' {
            $made = @(New-KimchiNetwork -Uri $a.Uri, $b.Uri -Name fan -Connection Isolated -Subnet 10.91.0.0/24)
            $made.Count | Should -Be 2
            @($made.Uri | Sort-Object) | Should -Be @(@($a.Uri, $b.Uri) | ForEach-Object { [KimchiNet.Libvirt.LibvirtUri]::Redact($_) } | Sort-Object)
            foreach ($s in $a, $b) { (Invoke-KimchiLabVirshChecked -Lab $s.Name -ArgumentList 'net-list', '--all', '--name') | Should -Match 'fan' }
            @(Get-KimchiNetwork -Uri $a.Uri, $b.Uri -Name fan).Count | Should -Be 2
            Remove-KimchiNetwork -Uri $a.Uri, $b.Uri -Name fan -Confirm:$false
            foreach ($s in $a, $b) { (Invoke-KimchiLabVirshChecked -Lab $s.Name -ArgumentList 'net-list', '--all', '--name') | Should -Not -Match 'fan' }
        }
    }

    Context 'host keys are verified' {
        BeforeAll {
            $empty = Join-Path $a.Folder 'known_hosts.empty'
            Set-Content -LiteralPath $empty -Value $null
            $other = Join-Path $a.Folder 'other_host_key'
            $null = Invoke-KimchiLabProcess -FilePath ssh-keygen -ArgumentList '-q', '-t', 'ed25519', '-N', '', '-C', 'not-the-lab', '-f', $other
            $changed = Join-Path $a.Folder 'known_hosts.changed'
            Set-Content -LiteralPath $changed -Value ("$($a.Address) " + ((Get-Content -Raw "$other.pub").Trim() -split ' ')[0..1] -join ' ')
            $unknownSsh = Get-KimchiLabSshUri -Ssh $a -Command (New-KimchiLabSshClient -Ssh $a -KnownHostsFile $empty)
            $changedSsh = Get-KimchiLabSshUri -Ssh $a -Command (New-KimchiLabSshClient -Ssh $a -KnownHostsFile $changed)
        }

        It '<Case> fails at once with <Code> (qemu+ssh, no terminal), saying what to do' -TestCases @(
            @{ Case = 'an unknown key'; Known = 'unknownSsh'; Code = 'KCHNET0152E'; Advice = 'ssh-keyscan HOST >> ~/.ssh/known_hosts'; Ssh = 'Host key verification failed' }
            @{ Case = 'a changed key'; Known = 'changedSsh'; Code = 'KCHNET0153E'; Advice = 'ssh-keygen -R HOST'; Ssh = 'REMOTE HOST IDENTIFICATION HAS CHANGED' }
        ) {
            $r = Invoke-KimchiNetWithoutTerminal -Uri (Get-Variable -Name $Known -ValueOnly) -Script 'Get-KimchiNetwork -Uri $Uri'
            $r.Count | Should -Be 1
            $r[0].ErrorId | Should -BeExactly "$Code,KimchiNet.Commands.GetKimchiNetworkCommand"
            $r[0].Message | Should -Match ([regex]::Escape($Advice))
            $r[0].Message | Should -Match 'fingerprint'
            $r[0].Message | Should -Match $Ssh
        }

        It 'an unknown key fails with KCHNET0152E over qemu+libssh (known_hosts= parameter), and nothing is added to that file' {
            $err = $null
            Get-KimchiNetwork -Uri (Get-KimchiLabSshUri -Ssh $a -Transport Libssh -KnownHostsFile $empty) -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0152E,KimchiNet.Commands.GetKimchiNetworkCommand'
            (Get-Content -Raw -LiteralPath $empty) | Should -BeNullOrEmpty
        }

        It 'a changed key fails with KCHNET0153E over qemu+libssh' {
            $err = $null
            Get-KimchiNetwork -Uri (Get-KimchiLabSshUri -Ssh $a -Transport Libssh -KnownHostsFile $changed) -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0153E,KimchiNet.Commands.GetKimchiNetworkCommand'
            $err[0].Exception.Message | Should -Match 'differs from stored identity'
        }
    }

    Context 'a login that needs a user never hangs without a terminal' {
        It 'a key with a passphrase fails with KCHNET0154E (qemu+ssh)' {
            $uri = Get-KimchiLabSshUri -Ssh $a -KeyFile $a.PassphraseKeyFile
            $r = Invoke-KimchiNetWithoutTerminal -Uri $uri -Script 'Get-KimchiNetwork -Uri $Uri'
            $r.Count | Should -Be 1
            $r[0].ErrorId | Should -BeExactly 'KCHNET0154E,KimchiNet.Commands.GetKimchiNetworkCommand'
            $r[0].Message | Should -Match 'ssh-agent'
        }

        It 'a key with a passphrase fails with KCHNET0154E (qemu+libssh)' {
            $uri = Get-KimchiLabSshUri -Ssh $a -Transport Libssh -KeyFile $a.PassphraseKeyFile
            $r = Invoke-KimchiNetWithoutTerminal -Uri $uri -Script 'Get-KimchiNetwork -Uri $Uri'
            $r[0].ErrorId | Should -BeExactly 'KCHNET0154E,KimchiNet.Commands.GetKimchiNetworkCommand'
            $r[0].Message | Should -Match 'passphrase'
        }

        It 'a server that allows only passwords fails with KCHNET0154E (qemu+ssh with a key, and qemu+libssh without -Credential)' {
            $keyUri = Get-KimchiLabSshUri -Ssh $p -UserName $p.UserName
            $r = Invoke-KimchiNetWithoutTerminal -Uri $keyUri -Script 'Get-KimchiNetwork -Uri $Uri'
            $r[0].ErrorId | Should -BeExactly 'KCHNET0154E,KimchiNet.Commands.GetKimchiNetworkCommand'
            $r[0].Message | Should -Match 'Permission denied'
            $r[0].Message | Should -Match '-Credential'
            $r = Invoke-KimchiNetWithoutTerminal -Uri $passwordUri -Script 'Get-KimchiNetwork -Uri $Uri'
            $r[0].ErrorId | Should -BeExactly 'KCHNET0154E,KimchiNet.Commands.GetKimchiNetworkCommand'
        }
    }

    Context '-Credential (password login through qemu+libssh)' {
        It 'logs in with the password, and later calls with the URI alone use that connection' {
            $verbose = Connect-KimchiHost -Uri $passwordUri -Credential $credential -NoDefault -Verbose 4>&1
            $hostInfo = @($verbose | Where-Object { $_ -is [KimchiNet.Model.KimchiHostInfo] })
            $hostInfo.Count | Should -Be 1
            $hostInfo[0].IsLocal | Should -BeFalse
            New-KimchiNetwork -Uri $passwordUri -Name pwnet -Connection Isolated -Subnet 10.92.0.0/24 | Out-Null
            (Invoke-KimchiLabVirshChecked -Lab $p.Name -ArgumentList 'net-list', '--all', '--name') | Should -Match 'pwnet'
            (Get-KimchiNetwork -Uri $hostInfo[0].Uri -Name pwnet).Name | Should -BeExactly 'pwnet'
            $all = ($verbose | ForEach-Object { "$_" }) + ($hostInfo | ConvertTo-Json -Depth 3) + [KimchiNet.Libvirt.LibvirtConnections]::PooledUris
            ($all -join "`n") | Should -Not -Match ([regex]::Escape($labPassword))
        }

        It 'a wrong password fails at once with KCHNET0155E, and the password shows nowhere' {
            $wrong = 'Wrong-pw-' + [guid]::NewGuid().ToString('n')
            $bad = [pscredential]::new($p.UserName, (ConvertTo-SecureString $wrong -AsPlainText -Force))
            [KimchiNet.Libvirt.LibvirtConnections]::Close($passwordUri) | Out-Null
            $err = $null
            $verbose = Connect-KimchiHost -Uri $passwordUri -Credential $bad -NoDefault -ErrorVariable err -ErrorAction SilentlyContinue -Verbose 4>&1
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0155E,KimchiNet.Commands.ConnectKimchiHostCommand'
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $texts = @($err[0].Exception.Message, "$($err[0].TargetObject)", ($err[0] | Out-String), ($err[0].Exception | Format-List -Force * | Out-String)) +
                @($verbose | ForEach-Object { "$_" }) + [KimchiNet.Libvirt.LibvirtConnections]::PooledUris
            ($texts -join "`n") | Should -Not -Match ([regex]::Escape($wrong))
            ($texts -join "`n") | Should -Not -Match ([regex]::Escape($labPassword))
        }

        It 'is refused with KCHNET0156E for qemu+ssh, whose ssh program would never see it' {
            $err = $null
            Connect-KimchiHost -Uri (Get-KimchiLabSshUri -Ssh $p -UserName $p.UserName) -Credential $credential -NoDefault -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0156E,KimchiNet.Commands.ConnectKimchiHostCommand'
            $err[0].Exception.Message | Should -Match 'qemu\+libssh://'
            $err[0].Exception.Message | Should -Not -Match ([regex]::Escape($labPassword))
        }
    }

    Context 'what the lab leaves' {
        It 'leaves this machine''s ~/.ssh as it was' {
            $now = if (Test-Path -LiteralPath $homeSsh) { (Get-ChildItem -LiteralPath $homeSsh -Force | ForEach-Object { "$($_.Name) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) -join "`n" } else { '(none)' }
            $now | Should -BeExactly $homeSshBefore
        }
    }
}
