$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    A dying libvirtd on a real lab host: while it is down a call fails with a connection error
    (KCHNET0103E), and once it is back the next call reconnects by itself, on the same pooled
    connection, with nothing lost. The daemon is killed and restarted with tests/lab/lab-host.
    KIMCHINET_SKIP_LAB=1 skips these on purpose; a machine that cannot run labs fails them.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
}

Describe 'Lab: a libvirtd that dies and comes back' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "rc$PID" -Nics 2
        $lab, $uri = $started.Name, $started.Uri
        New-KimchiNetwork -Uri $uri -Name keep -Connection Isolated -Subnet 10.80.0.0/24 -Start | Out-Null
    }

    AfterAll {
        Stop-KimchiTestLab
    }

    It 'gives a connection error while the daemon is down, then reconnects by itself' {
        (Get-KimchiNetwork -Uri $uri -Name keep).State | Should -Be 'Active'
        Restart-KimchiLabDaemon -Name $lab -KillOnly

        $err = $null
        $found = Get-KimchiNetwork -Uri $uri -ErrorVariable err -ErrorAction SilentlyContinue
        $found | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0103E,KimchiNet.Commands.GetKimchiNetworkCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'

        Restart-KimchiLabDaemon -Name $lab -StartOnly
        $network = Get-KimchiNetwork -Uri $uri -Name keep
        $network.State | Should -Be 'Active'
        $network.Subnet | Should -BeExactly '10.80.0.0/24'
    }

    It 'reconnects without an error when the daemon restarted between two calls' {
        (Get-KimchiNetwork -Uri $uri -Name keep).Name | Should -BeExactly 'keep'
        Restart-KimchiLabDaemon -Name $lab
        $err = $null
        $network = Get-KimchiNetwork -Uri $uri -Name keep -ErrorVariable err
        $err.Count | Should -Be 0
        $network.Name | Should -BeExactly 'keep'
    }

    It 'creates a network after a restart on the reopened connection, as virsh sees' {
        Restart-KimchiLabDaemon -Name $lab
        # A state-changing call is not retried blindly: a read first notices the dead connection.
        $null = Get-KimchiNetwork -Uri $uri
        New-KimchiNetwork -Uri $uri -Name after -Connection Isolated -Subnet 10.81.0.0/24 | Out-Null
        $names = (Invoke-KimchiLabVirsh -Name $lab -ArgumentList 'net-list', '--all', '--name').Output
        $names | Should -Match 'after'
    }
}
