$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe '-Uri with several hosts' -Tag 'CI' {
    BeforeAll {
        # A host that accepts the connection and never answers: a Unix socket nobody reads.
        $silentPath = Join-Path $TestDrive 'silent.sock'
        $silent = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
        $silent.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($silentPath))
        $silent.Listen(16)
        $silentUri = "qemu+unix:///system?socket=$silentPath"
        $deadUri = "qemu+unix:///system?socket=$(Join-Path $TestDrive 'nobody-here.sock')"
    }

    AfterAll { $silent.Dispose() }

    BeforeEach {
        $hosts = 1..3 | ForEach-Object { New-KimchiTestHost -Folder $TestDrive }
    }

    It 'lists every host''s networks, each object carrying its host' {
        $found = @(Get-KimchiNetwork -Uri $hosts -Name default, isolated)
        $found.Count | Should -Be 6
        ($found.Uri | Sort-Object -Unique) | Should -Be ($hosts | Sort-Object)
        foreach ($uri in $hosts) {
            @($found | Where-Object Uri -EQ $uri).Name | Sort-Object | Should -Be @('default', 'isolated')
        }
    }

    It 'creates, tests, changes, stops, starts and removes a network on every host' {
        $created = @(New-KimchiNetwork -Uri $hosts -Name fleet -Connection Isolated -Subnet 10.77.0.0/24)
        ($created.Uri | Sort-Object) | Should -Be ($hosts | Sort-Object)
        foreach ($uri in $hosts) { (Get-KimchiHostSnapshot $uri) | Should -Match '<name>fleet</name>' }

        Test-KimchiNetwork -Uri $hosts -Name fleet -Connection Isolated -Subnet 10.77.0.0/24 | Should -BeExactly $true
        Set-KimchiNetwork -Uri $hosts[1] -Name fleet -Subnet 10.78.0.0/24
        Test-KimchiNetwork -Uri $hosts -Name fleet -Subnet 10.77.0.0/24 | Should -BeExactly $false
        $differences = @(Test-KimchiNetwork -Uri $hosts -Name fleet -Subnet 10.77.0.0/24 -Detailed)
        $differences.Count | Should -Be 1
        $differences[0].Uri | Should -BeExactly $hosts[1]
        $differences[0].Property | Should -BeExactly 'Subnet'

        @(Start-KimchiNetwork -Uri $hosts -Name fleet -PassThru).State | Should -Be @('Active', 'Active', 'Active')
        @(Stop-KimchiNetwork -Uri $hosts -Name fleet -PassThru).State | Should -Be @('Inactive', 'Inactive', 'Inactive')
        @(Remove-KimchiNetwork -Uri $hosts -Name fleet -Confirm:$false -PassThru).Count | Should -Be 3
        foreach ($uri in $hosts) { (Get-KimchiHostSnapshot $uri) | Should -Not -Match '<name>fleet</name>' }
    }

    It 'lists every host''s interfaces, each object carrying its host' {
        $found = @(Get-KimchiInterface -Uri $hosts -Name eth1)
        $found.Count | Should -Be 3
        ($found.Uri | Sort-Object) | Should -Be ($hosts | Sort-Object)
    }

    It 'changes nothing on any host with -WhatIf' {
        $before = $hosts | ForEach-Object { Get-KimchiHostSnapshot $_ }
        New-KimchiNetwork -Uri $hosts -Name fleet -Connection Nat -WhatIf
        Remove-KimchiNetwork -Uri $hosts -Name default -Force -WhatIf -ErrorAction SilentlyContinue  # refused on every host: VMs use it
        ($hosts | ForEach-Object { Get-KimchiHostSnapshot $_ }) | Should -Be $before
    }

    It 'gives the same result one host at a time (-ThrottleLimit 1)' {
        $one = @(Get-KimchiNetwork -Uri $hosts -ThrottleLimit 1 | ForEach-Object { "$($_.Uri) $($_.Name)" } | Sort-Object)
        $all = @(Get-KimchiNetwork -Uri $hosts | ForEach-Object { "$($_.Uri) $($_.Name)" } | Sort-Object)
        $one.Count | Should -Be 21
        $one | Should -Be $all
    }

    It 'reports a host that cannot be reached as one error naming it, and finishes the others' {
        $result = Invoke-Collecting { Get-KimchiNetwork -Uri $hosts[0], $deadUri, $hosts[1] -Name default }
        ($result.Output.Uri | Sort-Object) | Should -Be (@($hosts[0], $hosts[1]) | Sort-Object)
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0103E,KimchiNet.Commands.GetKimchiNetworkCommand'
        $result.Errors[0].Exception.Message | Should -BeLike "$deadUri*"
    }

    It 'reports a host that does not answer within -TimeoutSeconds (KCHNET0150E), and finishes the others' {
        $result = Invoke-Collecting { Get-KimchiNetwork -Uri $hosts[0], $silentUri, $hosts[2] -Name default -TimeoutSeconds 2 }
        ($result.Output.Uri | Sort-Object) | Should -Be (@($hosts[0], $hosts[2]) | Sort-Object)
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0150E,KimchiNet.Commands.GetKimchiNetworkCommand'
        "$($result.Errors[0].CategoryInfo.Category)" | Should -BeExactly 'ResourceUnavailable'
        $result.Errors[0].TargetObject | Should -BeExactly $silentUri
    }

    It 'reports a specification error that no host changes once, before any host is contacted, and changes nothing' {
        $before = $hosts | ForEach-Object { Get-KimchiHostSnapshot $_ }
        # The unreachable host would add a KCHNET0103E of its own, were any host contacted.
        $result = Invoke-Collecting { New-KimchiNetwork -Uri $hosts[0], $deadUri, $hosts[1], $hosts[2] -Name 'a/b' -Connection Isolated -Subnet 10.79.0.0/24 }
        $result.Output.Count | Should -Be 0
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0011E,KimchiNet.Commands.NewKimchiNetworkCommand'
        $result.Errors[0].Exception.Message | Should -Not -BeLike 'test://*'
        ($hosts | ForEach-Object { Get-KimchiHostSnapshot $_ }) | Should -Be $before

        $tested = Invoke-Collecting { Test-KimchiNetwork -Uri $hosts[0], $deadUri, $hosts[1] -Name fleet -Connection Isolated -Subnet 10.79.0.0 }
        $tested.Output.Count | Should -Be 0
        $tested.Errors.Count | Should -Be 1
        $tested.Errors[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0013E,KimchiNet.Commands.TestKimchiNetworkCommand'
    }

    It 'still reports an error that depends on the host once per host, naming it' {
        # Every demo host has a network named 'default'.
        $result = Invoke-Collecting { New-KimchiNetwork -Uri $hosts -Name default -Connection Isolated -Subnet 10.79.0.0/24 }
        $result.Errors.Count | Should -Be 3
        $result.Errors.FullyQualifiedErrorId | Sort-Object -Unique | Should -BeExactly 'KCHNET0001E,KimchiNet.Commands.NewKimchiNetworkCommand'
        ($result.Errors | ForEach-Object { $_.Exception.Message.Substring(0, $_.Exception.Message.IndexOf(':', 'test://'.Length)) } | Sort-Object) | Should -Be ($hosts | Sort-Object)

        # Without a desired connection type a subnet is judged against each host's network: per host.
        $tested = Invoke-Collecting { Test-KimchiNetwork -Uri $hosts -Name isolated -Subnet 10.79.0.0 }
        $tested.Errors.Count | Should -Be 3
        $tested.Errors.FullyQualifiedErrorId | Sort-Object -Unique | Should -BeExactly 'KCHNET0013E,KimchiNet.Commands.TestKimchiNetworkCommand'
    }

    It 'takes several URIs from the pipeline objects of several hosts' {
        $stopped = @(Get-KimchiNetwork -Uri $hosts -Name isolated | Stop-KimchiNetwork -Force -PassThru)
        ($stopped.Uri | Sort-Object) | Should -Be ($hosts | Sort-Object)
        @(Get-KimchiNetwork -Uri $hosts -Name isolated).State | Sort-Object -Unique | Should -BeExactly 'Inactive'
    }
}
