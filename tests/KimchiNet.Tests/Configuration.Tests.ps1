Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    function New-FleetFile([string] $Text, [string] $Extension = 'psd1') {
        $path = Join-Path $TestDrive ("fleet-{0}.{1}" -f [guid]::NewGuid().ToString('n'), $Extension)
        Set-Content -LiteralPath $path -Value $Text
        $path
    }

    function ConvertTo-Psd1List([string[]] $Items) { '@(' + (($Items | ForEach-Object { "'$_'" }) -join ', ') + ')' }

    # Two networks on every host: 'fleet1' created running, 'old' removed (made on each host below).
    function New-Fleet([string[]] $Uris, [string] $Subnet = '10.77.1.0/24') {
        New-FleetFile @"
@{
    Groups = @(
        @{
            Name     = 'lab'
            Uris     = $(ConvertTo-Psd1List $Uris)
            Networks = @(
                @{ Name = 'fleet1'; Connection = 'nat'; Subnet = '$Subnet'; State = 'Active'; Autostart = `$true }
                @{ Name = 'old'; Ensure = 'Absent' }
            )
        }
    )
}
"@
    }

    $script:pwsh = Join-Path $PSHOME 'pwsh'
    $script:manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../KimchiNet.psd1')).Path
}

Describe 'Invoke-KimchiConfiguration and Test-KimchiConfiguration on several test-driver hosts' -Tag 'CI' {
    BeforeEach {
        $hosts = 1..3 | ForEach-Object { New-KimchiTestHost -Folder $TestDrive }
        foreach ($uri in $hosts) { New-KimchiNetwork -Uri $uri -Name old -Connection isolated -Subnet 10.66.1.0/24 | Out-Null }
        $fleet = New-Fleet $hosts
    }

    It 'plans per host under -WhatIf and changes nothing' {
        $before = $hosts | ForEach-Object { Get-KimchiHostSnapshot -Uri $_ }

        $plan = @(Invoke-KimchiConfiguration -Path $fleet -WhatIf)

        $plan.Count | Should -Be 6
        $plan | ForEach-Object { $_ | Should -BeOfType KimchiNet.Operations.FleetNetworkChange }
        foreach ($uri in $hosts) {
            $mine = @($plan | Where-Object Uri -EQ $uri | Sort-Object Name)
            $mine.Name | Should -Be @('fleet1', 'old')
            $mine.Action | Should -Be @('Create', 'Remove')
            $mine.Done | Should -Be @($false, $false)
            $mine[0].Description | Should -Be 'nat, Subnet 10.77.1.0/24, State Active, Autostart True'
        }
        ($hosts | ForEach-Object { Get-KimchiHostSnapshot -Uri $_ }) | Should -Be $before
    }

    It 'applies the plan on every host, and a second run reports no changes' {
        $first = @(Invoke-KimchiConfiguration -Path $fleet -Confirm:$false -Summary)

        $summary = $first[-1]
        $summary | Should -BeOfType KimchiNet.Operations.FleetSummary
        $summary.Succeeded | Should -BeTrue
        $summary.Hosts | Should -Be 3
        $summary.Differences | Should -Be 6
        @($summary.DifferingHosts | Sort-Object) | Should -Be @($hosts | Sort-Object)
        @($first | Select-Object -SkipLast 1 | Where-Object Done).Count | Should -Be 6
        foreach ($uri in $hosts) {
            $made = Get-KimchiNetwork -Uri $uri -Name fleet1
            $made.Subnet | Should -Be '10.77.1.0/24'
            $made.State | Should -Be 'Active'
            $made.Autostart | Should -BeTrue
            Get-KimchiNetwork -Uri $uri -Name old -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        $second = @(Invoke-KimchiConfiguration -Path $fleet -Confirm:$false -Summary)

        @($second | Select-Object -SkipLast 1).Action | Sort-Object -Unique | Should -Be 'NoChange'
        $second[-1].Differences | Should -Be 0
        $second[-1].DifferingHosts | Should -BeNullOrEmpty
        $second[-1].Succeeded | Should -BeTrue
    }

    It 'shows each change as XML under -Verbose' {
        $verbose = @(Invoke-KimchiConfiguration -Path $fleet -Uri $hosts[0] -WhatIf -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })

        $create = $verbose.Message | Where-Object { $_ -like "Create network 'fleet1'*" }
        $create | Should -Match '\+   <name>fleet1</name>'
        $create | Should -Match '\+   <ip address="10\.77\.1\.1"'
        $verbose.Message | Where-Object { $_ -like "Remove network 'old'*" } | Should -Match '-   <name>old</name>'
    }

    It 'changes a running network''s subnet with a restart, and says so in the plan' {
        Invoke-KimchiConfiguration -Path $fleet -Confirm:$false | Out-Null
        $moved = New-Fleet $hosts -Subnet 10.77.2.0/24

        $plan = @(Invoke-KimchiConfiguration -Path $moved -WhatIf | Where-Object Name -EQ fleet1)
        $applied = @(Invoke-KimchiConfiguration -Path $moved -Confirm:$false | Where-Object Name -EQ fleet1)

        $plan.Action | Sort-Object -Unique | Should -Be 'ChangeWithRestart'
        $plan[0].Description | Should -Be 'Subnet: 10.77.1.0/24 -> 10.77.2.0/24'
        $applied.Done | Sort-Object -Unique | Should -BeTrue
        $applied[0].Steps | Should -Be @('Stop', 'Update: Change subnet to 10.77.2.0/24', 'Start')
        foreach ($uri in $hosts) {
            (Get-KimchiNetwork -Uri $uri -Name fleet1) | ForEach-Object { $_.Subnet, $_.State } | Should -Be @('10.77.2.0/24', 'Active')
        }
    }

    It 'reports drift after a manual change, on that host only' {
        Invoke-KimchiConfiguration -Path $fleet -Confirm:$false | Out-Null
        $clean = Invoke-Collecting { Test-KimchiConfiguration -Path $fleet -Summary }
        $clean.Errors | Should -BeNullOrEmpty
        $clean.Output.Count | Should -Be 1
        $clean.Output[0].Succeeded | Should -BeTrue

        Stop-KimchiNetwork -Uri $hosts[1] -Name fleet1 -Force
        $drift = Invoke-Collecting { Test-KimchiConfiguration -Path $fleet -Summary }

        $difference = $drift.Output | Where-Object { $_ -is [KimchiNet.Operations.DesiredStateDifference] }
        @($difference).Count | Should -Be 1
        $difference | ForEach-Object { $_.Uri, $_.Name, $_.Property, $_.Desired, $_.Actual } |
            Should -Be @($hosts[1], 'fleet1', 'State', [KimchiNet.Model.NetworkState]::Active, [KimchiNet.Model.NetworkState]::Inactive)
        $summary = $drift.Output[-1]
        $summary.Succeeded | Should -BeFalse
        $summary.DifferingHosts | Should -Be @($hosts[1])
        $drift.Errors.Count | Should -Be 1
        $drift.Errors[0].FullyQualifiedErrorId | Should -BeLike 'KCHNET0186E,*'
        $drift.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $drift.Errors[0].Exception.Message | Should -BeLike "1 of 3 hosts differ from $fleet*$($hosts[1])*"
    }

    It 'fails a dead host alone: the others are brought to the configuration' {
        $dead = "qemu+unix:///system?socket=$(Join-Path $TestDrive 'nobody-here.sock')"
        $withDead = New-Fleet ($hosts + $dead)

        $run = Invoke-Collecting { Invoke-KimchiConfiguration -Path $withDead -Confirm:$false -Summary }

        $summary = $run.Output[-1]
        $summary.Succeeded | Should -BeFalse
        $summary.FailedHosts | Should -Be @($dead)
        @($run.Output | Where-Object { $_ -is [KimchiNet.Operations.FleetNetworkChange] -and $_.Done }).Count | Should -Be 6
        foreach ($uri in $hosts) { (Get-KimchiNetwork -Uri $uri -Name fleet1).State | Should -Be 'Active' }
        $run.Errors.Count | Should -Be 2
        $run.Errors[0].Exception.Message | Should -BeLike "$dead*"
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'KCHNET01*'
        $run.Errors[1].FullyQualifiedErrorId | Should -BeLike 'KCHNET0185E,*'
        $run.Errors[1].Exception.Message | Should -BeLike "*on 1 of 4 hosts: $dead*"
    }

    It 'removes a network that must be absent, and only that one' {
        $absent = New-FleetFile @"
@{ Groups = @( @{ Name = 'cleanup'; Uris = $(ConvertTo-Psd1List $hosts); Networks = @( @{ Name = 'old'; Ensure = 'Absent' } ) } ) }
"@
        $others = $hosts | ForEach-Object { (Get-KimchiNetwork -Uri $_ | Where-Object Name -NE old).Name -join ',' }

        $result = @(Invoke-KimchiConfiguration -Path $absent -Confirm:$false)

        $result.Action | Sort-Object -Unique | Should -Be 'Remove'
        $result.Done | Sort-Object -Unique | Should -BeTrue
        foreach ($uri in $hosts) { Get-KimchiNetwork -Uri $uri -Name old -ErrorAction SilentlyContinue | Should -BeNullOrEmpty }
        ($hosts | ForEach-Object { (Get-KimchiNetwork -Uri $_).Name -join ',' }) | Should -Be $others
    }

    It 'creates and changes a network''s IPv6 settings and port groups, and an empty DhcpReservations removes its reservations' {
        $uri = $hosts[0]
        $file = {
            param($Groups, $Dhcp6, $Reservations)
            New-FleetFile @"
@{ Groups = @( @{ Name = 'lab'; Uris = '$uri'; Networks = @(
    @{ Name = 'six'; Connection = 'nat'; Subnet = '10.77.3.0/24'; State = 'Active'; Ipv6Subnet = 'fd00:77:3::/64'; Ipv6Dhcp = `$$Dhcp6; Ipv6Nat = `$true; PortGroups = $Groups; DhcpReservations = $Reservations }
) } ) }
"@
        }
        $created = @(Invoke-KimchiConfiguration -Path (& $file "@('web=default', 'db')" 'true' "@('52:54:00:77:03:01=10.77.3.20')") -Uri $uri -Confirm:$false)
        $created.Action | Should -Be 'Create'
        $created.Description | Should -BeExactly 'nat, Subnet 10.77.3.0/24, State Active, DhcpReservations 52:54:00:77:03:01=10.77.3.20, Ipv6Subnet fd00:77:3::/64, Ipv6Dhcp True, Ipv6Nat True, PortGroups web=default; db'
        $network = Get-KimchiNetwork -Uri $uri -Name six
        ($network.Ipv6Subnet, $network.Ipv6Dhcp, $network.Ipv6Nat) | Should -Be @('fd00:77:3::/64', $true, $true)
        @($network.PortGroups | ForEach-Object ToString) | Should -Be @('web=default', 'db')

        $changed = & $file "@('db=default')" 'false' '@()'
        $plan = @(Invoke-KimchiConfiguration -Path $changed -Uri $uri -WhatIf)
        @($plan.Differences.Property | Sort-Object) | Should -Be @('DhcpReservations', 'Ipv6Dhcp', 'PortGroups')
        $plan.Action | Should -Be 'ChangeWithRestart'
        (Invoke-KimchiConfiguration -Path $changed -Uri $uri -Confirm:$false).Done | Should -BeTrue
        $network = Get-KimchiNetwork -Uri $uri -Name six
        $network.Ipv6Dhcp | Should -BeFalse
        @($network.PortGroups | ForEach-Object ToString) | Should -Be @('db=default')
        @($network.DhcpReservations).Count | Should -Be 0
        $network.State | Should -Be 'Active'
        (Invoke-KimchiConfiguration -Path $changed -Uri $uri -Confirm:$false).Action | Should -Be 'NoChange'
    }

    It 'reads the same configuration from JSON' {
        $json = New-FleetFile -Extension json (@{
                Groups = @(@{
                        Name     = 'lab'
                        Uris     = $hosts
                        Networks = @(@{ Name = 'fleet1'; Connection = 'nat'; Subnet = '10.77.1.0/24'; State = 'Active'; Autostart = $true }, @{ Name = 'old'; Ensure = 'Absent' })
                    })
            } | ConvertTo-Json -Depth 5)

        $fromJson = @(Invoke-KimchiConfiguration -Path $json -WhatIf)
        $fromPsd1 = @(Invoke-KimchiConfiguration -Path $fleet -WhatIf)

        ($fromJson | ForEach-Object { "$($_.Uri) $($_.Name) $($_.Action) $($_.Description)" } | Sort-Object) |
            Should -Be ($fromPsd1 | ForEach-Object { "$($_.Uri) $($_.Name) $($_.Action) $($_.Description)" } | Sort-Object)
    }

    It 'works on the hosts -Uri picks, and refuses a host the file does not have' {
        $elsewhere = New-KimchiTestHost -Folder $TestDrive

        $run = Invoke-Collecting { Invoke-KimchiConfiguration -Path $fleet -Uri $hosts[2], $elsewhere -WhatIf }

        @($run.Output.Uri | Sort-Object -Unique) | Should -Be @($hosts[2])
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'KCHNET0187E,*'
        $run.Errors[0].Exception.Message | Should -BeLike "*$elsewhere*"
    }
}

Describe 'Fleet configuration files that are refused' -Tag 'CI' {
    BeforeAll {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'refuses <Case> with <Code>, naming the file and where, and changes nothing' -ForEach @(
        @{ Case = 'an unknown key'; Code = 'KCHNET0181E'; Says = "group 'g', network 'n', property 'Subnett'"
            Network = "@{ Name = 'n'; Connection = 'nat'; Subnett = '10.1.2.0/24' }" }
        @{ Case = 'a present network without Connection'; Code = 'KCHNET0182E'; Says = "group 'g', network 'n', property 'Connection'"
            Network = "@{ Name = 'n'; Subnet = '10.1.2.0/24' }" }
        @{ Case = 'a VLAN id that is text'; Code = 'KCHNET0183E'; Says = "group 'g', network 'n', property 'VlanId': must be a whole number"
            Network = "@{ Name = 'n'; Connection = 'bridge'; Interfaces = 'br0'; VlanId = 'ten' }" }
        @{ Case = 'a subnet Kimchi refuses'; Code = 'KCHNET0013E'; Says = "group 'g', network 'n'"
            Network = "@{ Name = 'n'; Connection = 'nat'; Subnet = '10.1.2.0/40' }" }
        @{ Case = 'a network twice'; Code = 'KCHNET0184E'; Says = "network 'n'"
            Network = "@{ Name = 'n'; Connection = 'nat' }, @{ Name = 'n'; Connection = 'isolated' }" }
    ) {
        $path = New-FleetFile "@{ Groups = @( @{ Name = 'g'; Uris = '$uri'; Networks = @( $Network ) } ) }"
        $before = Get-KimchiHostSnapshot -Uri $uri

        foreach ($command in 'Invoke-KimchiConfiguration', 'Test-KimchiConfiguration') {
            $caught = $null
            $confirm = if ($command -like 'Invoke-*') { @{ Confirm = $false } } else { @{} }
            try { & $command -Path $path @confirm } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike "$Code,*"
            $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $caught.Exception.Message | Should -BeLike "$path*$Says*"
        }
        Get-KimchiHostSnapshot -Uri $uri | Should -Be $before
    }

    It 'never runs code in a .psd1: <Case>' -ForEach @(
        @{ Case = 'a subexpression'; Text = "@{{ Groups = @( `$(New-Item -ItemType File -Path '{0}') ) }}" }
        @{ Case = 'a command before the table'; Text = "New-Item -ItemType File -Path '{0}'`n@{{ Groups = @() }}" }
        @{ Case = 'a script block'; Text = "@{{ Groups = {{ New-Item -ItemType File -Path '{0}' }} }}" }
    ) {
        $sentinel = Join-Path $TestDrive ("ran-{0}" -f [guid]::NewGuid().ToString('n'))
        $path = New-FleetFile ($Text -f $sentinel)

        $caught = $null
        try { Test-KimchiConfiguration -Path $path } catch { $caught = $_ }

        # Refused as unreadable (0180E), or a script block as a value of the wrong kind (0183E): never run.
        $caught.FullyQualifiedErrorId | Should -Match '^KCHNET018[03]E,'
        $caught.Exception.Message | Should -BeLike "*$path*"
        Test-Path -LiteralPath $sentinel | Should -BeFalse
    }

    It 'refuses a file that is neither .psd1 nor .json, and one that is not JSON' {
        foreach ($path in (New-FleetFile '{}' -Extension yaml), (New-FleetFile '{ "Groups": [' -Extension json)) {
            $caught = $null
            try { Test-KimchiConfiguration -Path $path } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'KCHNET0180E,*'
            $caught.Exception.Message | Should -BeLike "*$path*"
        }
    }
}

Describe 'The sample fleet files' -Tag 'CI' {
    It 'docs/fleet/fleet.psd1 and fleet.json are valid and describe the same fleet' {
        $folder = Join-Path $PSScriptRoot '../../docs/fleet'
        $psd1 = [KimchiNet.Operations.FleetConfigurationReader]::FromData((Import-PowerShellDataFile (Join-Path $folder 'fleet.psd1')), 'fleet.psd1')
        $json = [KimchiNet.Operations.FleetConfigurationReader]::ReadJsonFile((Join-Path $folder 'fleet.json'))

        $show = { param($c) foreach ($h in $c.Hosts()) { foreach ($n in $h.Networks) { "$($h.Uri) $($n.Group) $($n.Desired.Name) $($n.Desired.Ensure) $($n.Desired.Connection) $($n.Desired.Interfaces -join ',') $($n.Desired.Subnet) $($n.Desired.VlanId) $($n.Desired.State) $($n.Desired.Autostart) $($n.Desired.DhcpReservations -join ';')" } } }
        $fromPsd1 = @(& $show $psd1)
        $fromPsd1.Count | Should -Be 8
        $fromPsd1 | Should -Be @(& $show $json)
    }
}

Describe 'Exit codes for runbooks and CI' -Tag 'CI' {
    BeforeAll {
        $uri = New-KimchiTestHost -Folder $TestDrive
        function Invoke-Pwsh([string] $Command) {
            & $script:pwsh -NoProfile -NonInteractive -Command "Import-Module '$script:manifest'; $Command" *> $null
            $LASTEXITCODE
        }
    }

    It 'exits 0 with -ErrorAction Stop when every host is as configured, 1 when one drifted' {
        # A fresh process reads the demo host anew: 'default' is a running nat network, 'fleet1' is missing.
        $asIs = New-FleetFile "@{ Groups = @( @{ Name = 'g'; Uris = '$uri'; Networks = @( @{ Name = 'default'; Connection = 'nat'; State = 'Active' } ) } ) }"
        $missing = New-FleetFile "@{ Groups = @( @{ Name = 'g'; Uris = '$uri'; Networks = @( @{ Name = 'fleet1'; Connection = 'nat' } ) } ) }"

        Invoke-Pwsh "Test-KimchiConfiguration -Path '$asIs' -ErrorAction Stop" | Should -Be 0
        Invoke-Pwsh "Test-KimchiConfiguration -Path '$missing' -ErrorAction Stop" | Should -Be 1
    }

    It 'exits 1 with -ErrorAction Stop when a host failed, once the other hosts were done' {
        $dead = "qemu+unix:///system?socket=$(Join-Path $TestDrive 'nobody-here.sock')"
        $marker = Join-Path $TestDrive 'after.txt'
        $fleet = New-FleetFile "@{ Groups = @( @{ Name = 'g'; Uris = @('$dead', '$uri'); Networks = @( @{ Name = 'fleet1'; Connection = 'nat'; State = 'Active' } ) } ) }"

        # The good host is listed second; the test host lives in the child process, so the child records it.
        $code = Invoke-Pwsh "try { Invoke-KimchiConfiguration -Path '$fleet' -Confirm:`$false -ErrorAction Stop; 'not stopped' | Set-Content '$marker' } finally { Add-Content '$marker' (Get-KimchiNetwork -Uri '$uri' -Name fleet1).State }"

        $code | Should -Be 1
        Get-Content -LiteralPath $marker | Should -Be 'Active'
    }
}
