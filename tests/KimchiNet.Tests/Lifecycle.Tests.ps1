$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'Start-, Stop- and Remove-KimchiNetwork' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'stops and removes networks in one pipeline' {
        'lab1', 'lab2' | ForEach-Object { New-KimchiNetwork -Uri $uri -Name $_ -Connection Isolated -Start } | Out-Null
        $stopped = @(Get-KimchiNetwork -Uri $uri -Name 'lab*' | Stop-KimchiNetwork -PassThru)
        $stopped.State | Should -Be @('Inactive', 'Inactive')
        $stopped | Remove-KimchiNetwork
        @(Get-KimchiNetwork -Uri $uri -Name 'lab*').Count | Should -Be 0
    }

    It 'starts networks by name from the pipeline, and starting an active one is a quiet no-op' {
        New-KimchiNetwork -Uri $uri -Name lab -Connection Isolated | Out-Null
        ('lab' | Start-KimchiNetwork -Uri $uri -PassThru).State | Should -Be 'Active'
        $err = $null
        Start-KimchiNetwork -Uri $uri -Name lab -ErrorVariable err
        $err.Count | Should -Be 0
    }

    It 'stopping an inactive network is a quiet no-op' {
        New-KimchiNetwork -Uri $uri -Name lab -Connection Isolated | Out-Null
        $err = $null
        Stop-KimchiNetwork -Uri $uri -Name lab -ErrorVariable err
        $err.Count | Should -Be 0
    }

    It 'refuses to stop a network VMs use, naming them (KCHNET0018E), and changes nothing' {
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        Stop-KimchiNetwork -Uri $uri -Name default -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0018E,KimchiNet.Commands.StopKimchiNetworkCommand'
        $err[0].Exception.Message | Should -Match 'web01'
        $err[0].Exception.Message | Should -Match 'build01'
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'stops a network VMs use with -Force once confirmed' {
        (Stop-KimchiNetwork -Uri $uri -Name default -Force -Confirm:$false -PassThru).State | Should -Be 'Inactive'
    }

    Context 'in a child pwsh whose stdin is at end of file (a runbook without a terminal, no -NonInteractive)' {
        BeforeAll {
            function Invoke-WithoutUser([string] $Uri, [string] $Command, [string] $Setup = '') {
                # Runs $Setup, then $Command against $Uri (a test:/// host lives in its process only, so
                # the child reports what it saw as JSON): the errors of $Command, and each network's
                # state before and after it.
                $script = Join-Path $TestDrive "child-$([guid]::NewGuid().ToString('n')).ps1"
                Set-Content -LiteralPath $script -Encoding utf8 -Value @"
param([string] `$Uri)
Import-Module '$((Resolve-Path (Join-Path $PSScriptRoot '../../KimchiNet.psd1')).ProviderPath -replace "'", "''")'
$Setup
`$before = @(Get-KimchiNetwork -Uri `$Uri | ForEach-Object { "`$(`$_.Name)=`$(`$_.State)" })
`$errs = `$null
$Command -ErrorAction SilentlyContinue -ErrorVariable errs | Out-Null
'RESULT:' + ([pscustomobject]@{
    Errors = @(`$errs | ForEach-Object { [pscustomobject]@{ Id = `$_.FullyQualifiedErrorId; Type = `$_.Exception.GetType().FullName; Message = `$_.Exception.Message } })
    Before = `$before
    Networks = @(Get-KimchiNetwork -Uri `$Uri | ForEach-Object { "`$(`$_.Name)=`$(`$_.State)" })
} | ConvertTo-Json -Depth 4 -Compress)
"@
                $psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
                foreach ($a in '-NoProfile', '-File', $script, $Uri) { $psi.ArgumentList.Add($a) }
                $psi.UseShellExecute = $false
                $psi.RedirectStandardInput = $true
                $psi.RedirectStandardOutput = $true
                $psi.RedirectStandardError = $true
                $child = [System.Diagnostics.Process]::Start($psi)
                $child.StandardInput.Close()   # stdin at end of file: nobody can answer a prompt
                $stdout = $child.StandardOutput.ReadToEndAsync()
                $stderr = $child.StandardError.ReadToEndAsync()
                if (-not $child.WaitForExit(120000)) { $child.Kill($true); throw 'the child pwsh hung' }
                $child.WaitForExit()
                # A prompt the child showed precedes the result on the same line.
                $json = @($stdout.Result -split "`n" | ForEach-Object { if ($_ -match 'RESULT:(\{.*\})') { $Matches[1] } })
                $json.Count | Should -Be 1 -Because "the child reports once; stdout: $($stdout.Result) stderr: $($stderr.Result)"
                $json[0] | ConvertFrom-Json
            }
        }

        It '-Force alone stops a network VMs use without asking' {
            $result = Invoke-WithoutUser $uri 'Stop-KimchiNetwork -Uri $Uri -Name default -Force'
            @($result.Errors) | Should -BeNullOrEmpty
            $result.Networks | Should -Contain 'default=Inactive'
        }

        It '<Command> asks, and fails with KCHNET0109E, never a .NET exception, changing nothing' -TestCases @(
            @{ Command = 'Stop-KimchiNetwork -Uri $Uri -Name default -Force -Confirm'; Cmdlet = 'StopKimchiNetworkCommand'; Network = 'default=Active' }
            @{ Command = 'Remove-KimchiNetwork -Uri $Uri -Name ovs -Force -Confirm'; Cmdlet = 'RemoveKimchiNetworkCommand'; Network = 'ovs=Active' }
            @{ Command = 'Start-KimchiNetwork -Uri $Uri -Name s1 -Confirm'; Cmdlet = 'StartKimchiNetworkCommand'; Network = 's1=Inactive' }
            @{ Command = 'New-KimchiNetwork -Uri $Uri -Name n1 -Connection Isolated -Confirm'; Cmdlet = 'NewKimchiNetworkCommand'; Network = $null }
            @{ Command = 'Set-KimchiNetwork -Uri $Uri -Name s1 -NewName s2 -Confirm'; Cmdlet = 'SetKimchiNetworkCommand'; Network = 's1=Inactive' }
            @{ Command = '$ConfirmPreference = ''Low''; Stop-KimchiNetwork -Uri $Uri -Name ovs'; Cmdlet = 'StopKimchiNetworkCommand'; Network = 'ovs=Active' }
        ) {
            param($Command, $Cmdlet, $Network)
            $result = Invoke-WithoutUser $uri $Command -Setup 'New-KimchiNetwork -Uri $Uri -Name s1 -Connection Isolated -Confirm:$false | Out-Null'
            @($result.Errors).Count | Should -Be 1 -Because ($result.Errors | ConvertTo-Json -Compress)
            $result.Errors[0].Id | Should -BeExactly "KCHNET0109E,KimchiNet.Commands.$Cmdlet"
            $result.Errors[0].Type | Should -BeExactly 'KimchiNet.KimchiException'
            $result.Errors[0].Message | Should -Match 'cannot ask'
            @($result.Networks) | Should -Be @($result.Before)
            if ($Network) { $result.Networks | Should -Contain $Network }
        }
    }

    It 'refuses to remove an active network (KCHNET0005E) and a used one (KCHNET0017E)' -TestCases @(
        @{ Network = 'ovs'; Code = 'KCHNET0005E' }
        @{ Network = 'default'; Code = 'KCHNET0017E' }
    ) {
        param($Network, $Code)
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        Remove-KimchiNetwork -Uri $uri -Name $Network -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code,KimchiNet.Commands.RemoveKimchiNetworkCommand"
        if ($Code -eq 'KCHNET0017E') {
            $err[0].Exception.Message | Should -BeLike '*Detach them from it first: *virsh detach-interface*' -Because 'the refusal names the command that detaches them'
        }
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'removes an active unused network with -Force, stopping it first' {
        Remove-KimchiNetwork -Uri $uri -Name ovs -Force -Confirm:$false
        @(Get-KimchiNetwork -Uri $uri -Name 'ovs*').Count | Should -Be 0
    }

    It 'lists, stops and removes a network whose host device has vanished' {
        $path = Join-Path $TestDrive 'vanished.xml'
        Set-Content -LiteralPath $path -Value @'
<node>
  <interface type='ethernet' name='eth1'><start mode='onboot'/><mac address='52:54:00:00:02:01'/></interface>
  <network>
    <name>orphan</name>
    <forward mode='vepa'><interface dev='eth9'/></forward>
  </network>
</node>
'@
        $hostUri = "test://$path"
        $network = Get-KimchiNetwork -Uri $hostUri -Name orphan
        $network.Interfaces | Should -Be @('eth9')
        $network | Stop-KimchiNetwork -PassThru | Remove-KimchiNetwork
        @(Get-KimchiNetwork -Uri $hostUri).Count | Should -Be 0
    }

    It 'changes nothing with -WhatIf on <Command>' -TestCases @(
        @{ Command = 'Stop-KimchiNetwork'; Parameters = @{ Name = 'ovs' } }
        @{ Command = 'Remove-KimchiNetwork'; Parameters = @{ Name = 'ovs'; Force = $true } }
        @{ Command = 'Start-KimchiNetwork'; Parameters = @{ Name = 'ovs' } }
        @{ Command = 'Set-KimchiNetwork'; Parameters = @{ Name = 'spare'; NewName = 'spare2'; Subnet = '10.70.0.0/24' } }
        @{ Command = 'New-KimchiNetwork'; Parameters = @{ Name = 'spare3'; Connection = 'Nat' } }
    ) {
        param($Command, $Parameters)
        New-KimchiNetwork -Uri $uri -Name spare -Connection Isolated | Out-Null
        $before = Get-KimchiHostSnapshot $uri
        & $Command -Uri $uri @Parameters -WhatIf
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }
}

Describe 'Set-KimchiNetwork' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
        New-KimchiNetwork -Uri $uri -Name lab -Connection Isolated -Subnet 10.60.0.0/24 | Out-Null
    }

    It 'renames an inactive network and keeps its UUID' {
        $uuid = (Get-KimchiNetwork -Uri $uri -Name lab).Uuid
        $network = Set-KimchiNetwork -Uri $uri -Name lab -NewName lab2 -PassThru
        $network.Name | Should -BeExactly 'lab2'
        $network.Uuid | Should -BeExactly $uuid
        @(Get-KimchiNetwork -Uri $uri -Name lab -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'outputs the network with -PassThru when there is nothing to change, active or not' {
        (Set-KimchiNetwork -Uri $uri -Name lab -PassThru).Name | Should -BeExactly 'lab'
        $default = @(Get-KimchiNetwork -Uri $uri -Name default | Set-KimchiNetwork -PassThru)
        $default.Count | Should -Be 1
        "$($default[0].State)" | Should -BeExactly 'Active'
    }

    It 'names an overlapping subnet once when it was given in its network form' {
        New-KimchiNetwork -Uri $uri -Name half -Connection Isolated -Subnet 10.40.0.128/25 | Out-Null
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name lab -Subnet 10.40.0.128/25 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0003E,KimchiNet.Commands.SetKimchiNetworkCommand'
        $err[0].Exception.Message | Should -BeLike "Subnet '10.40.0.128/25' overlaps subnet 10.40.0.128/25 of network 'half'*"
    }

    It 'changes the subnet and the planned DHCP range' {
        $network = Set-KimchiNetwork -Uri $uri -Name lab -Subnet 10.61.0.0/24 -PassThru
        $network.Subnet | Should -BeExactly '10.61.0.0/24'
        $network.DhcpStart | Should -BeExactly '10.61.0.128'
    }

    It 'refuses to rename a network VMs use (KCHNET0108E), naming them, and changes nothing' {
        Stop-KimchiNetwork -Uri $uri -Name isolated -Force -Confirm:$false
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name isolated -NewName isolated2 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0108E,KimchiNet.Commands.SetKimchiNetworkCommand'
        $err[0].Exception.Message | Should -Match 'build01'
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'refuses a change of an active network that needs a restart (KCHNET0170E), naming it and the running guests, and changes nothing' -TestCases @(
        @{ Network = 'lab'; Parameters = @{ NewName = 'x' }; Property = 'NewName'; Guests = 'no running guest uses it' }
        @{ Network = 'default'; Parameters = @{ Subnet = '10.70.0.0/24' }; Property = 'Subnet'; Guests = 'the running guests web01 would lose' }
    ) {
        Start-KimchiNetwork -Uri $uri -Name lab
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name $Network @Parameters -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0170E,KimchiNet.Commands.SetKimchiNetworkCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err[0].Exception.Message | Should -BeLike "*($Property) needs a restart*$Guests*"
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'changes the DHCP range and autostart of an active network live, without stopping it' {
        $network = Set-KimchiNetwork -Uri $uri -Name default -DhcpRange 192.168.122.20-192.168.122.40 -Autostart $false -PassThru
        "$($network.State)" | Should -BeExactly 'Active'
        $network.Autostart | Should -BeFalse
        $network.DhcpStart | Should -BeExactly '192.168.122.20'
        $network.DhcpEnd | Should -BeExactly '192.168.122.40'
    }

    It 'with -Restart changes the subnet of an active network that no running guest uses and starts it again' {
        Start-KimchiNetwork -Uri $uri -Name lab
        $network = Set-KimchiNetwork -Uri $uri -Name lab -Subnet 10.71.0.0/24 -Restart -PassThru
        "$($network.State)" | Should -BeExactly 'Active'
        $network.Subnet | Should -BeExactly '10.71.0.0/24'
    }

    It 'refuses a bad DHCP range with KCHNET0162E' {
        $err = $null
        Set-KimchiNetwork -Uri $uri -Name lab -DhcpRange 10.60.0.200-10.60.0.100 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'KCHNET0162E,KimchiNet.Commands.SetKimchiNetworkCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'treats an empty <Parameter> as not given, as New-KimchiNetwork does' -TestCases @(
        @{ Parameter = 'Subnet' }
        @{ Parameter = 'VlanId' }
    ) {
        param($Parameter)
        Stop-KimchiNetwork -Uri $uri -Name macvtap-eth3 -Force
        $err = $null
        $parameters = @{ $Parameter = '' }
        $network = Set-KimchiNetwork -Uri $uri -Name macvtap-eth3 @parameters -Autostart $true -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 0 -Because "$err"
        $network.Autostart | Should -BeTrue
        $network.Subnet | Should -BeNullOrEmpty
        $network.VlanId | Should -BeNullOrEmpty
    }

    It 'refuses <Case> with <Code> and changes nothing' -TestCases @(
        @{ Case = 'interfaces on an isolated network'; Code = 'KCHNET0032E'; Parameters = @{ Interfaces = 'eth0' } }
        @{ Case = 'a malformed subnet'; Code = 'KCHNET0013E'; Parameters = @{ Subnet = '10.0.0.0' } }
        @{ Case = 'a VLAN id on an isolated network'; Code = 'KCHNET0032E'; Parameters = @{ VlanId = 5 } }
        @{ Case = 'a null name'; Code = 'KCHNET0011E'; Parameters = @{ Name = $null; NewName = 'x' } }
        @{ Case = 'a name that exists'; Code = 'KCHNET0001E'; Parameters = @{ NewName = 'default' } }
        @{ Case = 'an invalid new name'; Code = 'KCHNET0011E'; Parameters = @{ NewName = 'a"b' } }
    ) {
        param($Case, $Code, $Parameters)
        $before = Get-KimchiHostSnapshot $uri
        $err = $null
        $call = @{ Name = 'lab' }
        foreach ($key in $Parameters.Keys) { $call[$key] = $Parameters[$key] }
        Set-KimchiNetwork -Uri $uri @call -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly "$Code,KimchiNet.Commands.SetKimchiNetworkCommand"
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }
}
