$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Issue 17 on a REAL libvirtd (a lab host): the host's own addresses (libvirt's udev interface
    backend reports none), -WhatIf against the real run when this process is not on the libvirt
    host's network stack, a network whose bridge vanished, and a bridge without ports that the
    kernel calls up. Host state is set up and checked with ip and virsh, not with the module.
    Cmdlets run inside the lab's namespace (Invoke-KimchiNetInLab) as on a real host, and from
    this process, which is outside it.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function Get-AllNetwork {
        @((Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-list', '--all', '--name') -split "`n" | ForEach-Object Trim | Where-Object { $_ })
    }

    function Remove-LabNetwork([string[]] $Network) {
        foreach ($n in $Network) {
            Invoke-KimchiLabVirsh -Name $lab -ArgumentList 'net-destroy', $n | Out-Null
            Invoke-KimchiLabVirsh -Name $lab -ArgumentList 'net-undefine', $n | Out-Null
        }
    }
}

Describe 'Lab: the host''s own addresses, routes and link state (issue 17)' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "hv$PID" -Nics 4
        $lab, $uri = $started.Name, $started.Uri
        # eth2 holds 192.168.0.5/24, the first subnet the planner would take; a route through it holds 10.77.0.0/16.
        Invoke-KimchiLabIpChecked $lab 'addr', 'add', '192.168.0.5/24', 'dev', 'eth2'
        Invoke-KimchiLabIpChecked $lab 'route', 'add', '10.77.0.0/16', 'via', '192.168.0.1', 'dev', 'eth2'
    }
    AfterAll { Stop-KimchiTestLab -CloseConnection }

    It 'libvirt itself reports no address for eth2 (its udev backend), which is why the kernel is read' {
        (Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'iface-dumpxml', 'eth2') | Should -Not -Match '<protocol'
    }

    It 'inside the host: Get-KimchiInterface shows eth2''s address, the planner skips 192.168.0.0/24, and the planned network starts' {
        try {
            $r = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
$eth2 = Get-KimchiInterface -Uri $Uri -Name eth2
$net = New-KimchiNetwork -Uri $Uri -Name plan -Connection Isolated -Start
[pscustomobject]@{ IPv4Address = $eth2.IPv4Address; IPv4Prefix = $eth2.IPv4Prefix; Addresses = @($eth2.IPv4Addresses); Subnet = $net.Subnet; State = "$($net.State)" }
'@
            $r[0].PSObject.Properties.Name | Should -Not -Contain 'Failed' -Because "$($r[0] | ConvertTo-Json -Compress)"
            $r[0].IPv4Address | Should -BeExactly '192.168.0.5'
            $r[0].IPv4Prefix | Should -Be 24
            $r[0].Addresses | Should -Be @('192.168.0.5/24')
            $r[0].Subnet | Should -BeExactly '192.168.1.0/24' -Because '192.168.0.0/24 is eth2''s subnet'
            $r[0].State | Should -BeExactly 'Active' -Because 'libvirt starts it: no route collision with eth2'
            (Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-list', '--name') | Should -Match 'plan'
        }
        finally { Remove-LabNetwork 'plan' }
    }

    It 'inside the host: an explicit subnet overlapping <Owner> is refused with KCHNET0003E before libvirt is asked to define it' -TestCases @(
        @{ Subnet = '192.168.0.0/24'; Owner = 'address 192.168.0.5/24 of host interface ''eth2''' }
        @{ Subnet = '10.77.3.0/24'; Owner = 'host route 10.77.0.0/16 via 192.168.0.1 dev eth2' }
    ) {
        $script = @"
`$calls = @(New-KimchiNetwork -Uri `$Uri -Name ovl -Connection Nat -Subnet $Subnet -Verbose -ErrorVariable failed -ErrorAction SilentlyContinue 4>&1 | ForEach-Object Message)
[pscustomobject]@{ ErrorId = `$failed[0].FullyQualifiedErrorId; Message = `$failed[0].Exception.Message; Defines = @(`$calls | Where-Object { `$_ -like 'virNetworkDefineXML*' }).Count }
"@
        $r = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script $script
        $r[0].ErrorId | Should -BeExactly 'KCHNET0003E,KimchiNet.Commands.NewKimchiNetworkCommand'
        $r[0].Message | Should -BeLike "*overlaps $Owner*"
        $r[0].Defines | Should -Be 0 -Because 'the refusal comes before any define'
        Get-AllNetwork | Should -Not -Contain 'ovl'
    }

    It 'outside the host''s namespace: the same refusal, with the addresses read from the host''s namespace' {
        $err = $null
        New-KimchiNetwork -Uri $uri -Name ovl -Connection Nat -Subnet 192.168.0.0/25 -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0003E,KimchiNet.Commands.NewKimchiNetworkCommand'
        $err[0].Exception.Message | Should -BeLike "*address 192.168.0.5/24 of host interface 'eth2'*"
        (Get-KimchiInterface -Uri $uri -Name eth2).IPv4Address | Should -BeExactly '192.168.0.5'
        Get-AllNetwork | Should -Not -Contain 'ovl'
    }

    It 'outside the host''s namespace: -WhatIf of a bridge on a NIC refuses as the real run does, naming this machine as the one without the device' {
        # The NIC must not exist on this machine's own stack, or the real run would bridge it.
        Test-Path -LiteralPath /sys/class/net/eth3 | Should -BeFalse -Because 'this machine must not have a device eth3 of its own for this test'
        foreach ($whatIf in $true, $false) {
            $err = $null
            New-KimchiNetwork -Uri $uri -Name b3 -Connection Bridge -Interfaces eth3 -WhatIf:$whatIf -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err.Count | Should -Be 1 -Because "-WhatIf:$whatIf"
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0025E,KimchiNet.Commands.NewKimchiNetworkCommand'
            $err[0].Exception.Message | Should -BeLike '*no device of that name exists on this machine (where KimchiNet runs)*The libvirt host has ''eth3''*'
        }
        Get-AllNetwork | Should -Not -Contain 'b3'
    }

    It 'a bridge without ports that the kernel calls UP (operstate UNKNOWN) is Up, inside and outside' {
        Invoke-KimchiLabIpChecked $lab 'link', 'add', 'brq', 'type', 'bridge'
        Invoke-KimchiLabIpChecked $lab 'link', 'set', 'brq', 'up'
        try {
            $kernel = Get-KimchiLabLink -Lab $lab -Device brq
            $kernel[0].flags | Should -Contain 'UP'
            $inside = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
[pscustomobject]@{ Status = "$((Get-KimchiInterface -Uri $Uri -Name brq).Status)" }
'@
            $inside[0].Status | Should -BeExactly 'Up'
            "$((Get-KimchiInterface -Uri $uri -Name brq).Status)" | Should -BeExactly 'Up'
        }
        finally { Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList 'link', 'del', 'brq' | Out-Null }
    }

    It 'a bridge network whose bridge vanished (deleted, daemon restarted) is Unhealthy, and Test-KimchiNetwork and the DSC resource say it is not as desired' {
        try {
            $made = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
New-KimchiNetwork -Uri $Uri -Name br4 -Connection Bridge -Interfaces eth4 -Start | Select-Object Name, BridgeName, @{ n = 'Health'; e = { "$($_.Health)" } }
'@
            $made[0].PSObject.Properties.Name | Should -Not -Contain 'Failed' -Because "$($made[0] | ConvertTo-Json -Compress)"
            $made[0].Health | Should -BeExactly 'Healthy'
            [KimchiNet.Libvirt.LibvirtConnections]::Close($uri) | Out-Null
            Test-KimchiNetwork -Uri $uri -Name br4 -State Active | Should -BeTrue

            # The bridge made with iproute2 is gone (as after a reboot); libvirt still calls the network active.
            Invoke-KimchiLabIpChecked $lab 'link', 'del', 'kbeth4'

            $network = Get-KimchiNetwork -Uri $uri -Name br4
            "$($network.State)" | Should -BeExactly 'Active' -Because 'libvirt still says so'
            "$($network.Health)" | Should -BeExactly 'Unhealthy'
            $network.Problems | Should -Be @("its bridge 'kbeth4' is missing on the host")
            ($network | Format-Table | Out-String -Width 200) | Should -Match 'br4\s+Bridge\s+Active\s+Unhealthy'

            Test-KimchiNetwork -Uri $uri -Name br4 -State Active | Should -BeFalse
            $difference = @(Test-KimchiNetwork -Uri $uri -Name br4 -State Active -Detailed)
            $difference.Property | Should -Be @('Health')

            $dsc = Import-Module (Join-Path $PSScriptRoot '../../../src/KimchiNetDsc/KimchiNetDsc.psd1') -Force -PassThru
            $resource = (& $dsc { [KimchiNetwork] })::new()
            $resource.Name = 'br4'
            $resource.Uri = $uri
            $resource.State = 'Active'
            $resource.Test() | Should -BeFalse

            # The daemon restarted (the rest of a reboot): still Unhealthy, whatever state libvirt gives it now.
            Restart-KimchiLabDaemon -Name $lab
            [KimchiNet.Libvirt.LibvirtConnections]::Close($uri) | Out-Null
            "$((Get-KimchiNetwork -Uri $uri -Name br4).Health)" | Should -BeExactly 'Unhealthy'
            @(Test-KimchiNetwork -Uri $uri -Name br4 -Detailed).Property | Should -Contain 'Health'

            $inside = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @'
Get-KimchiNetwork -Uri $Uri -Name br4 | Select-Object @{ n = 'Health'; e = { "$($_.Health)" } }, Problems
'@
            $inside[0].Health | Should -BeExactly 'Unhealthy'
        }
        finally {
            Remove-LabNetwork 'br4'
            Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList 'link', 'del', 'kbeth4' | Out-Null
        }
    }
}
