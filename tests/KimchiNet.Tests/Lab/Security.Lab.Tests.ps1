$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Issue 12, items 1, 3 and 4, against a REAL libvirtd in a lab host (tests/lab/README.md), with the
    module run by a child pwsh INSIDE the lab's network namespace, as on a hypervisor:
      1. a hostile `ip` in the working directory and first on PATH is never run;
      3. forged <kimchinet:created> metadata (an isolated network claiming it made br0 and moved
         192.168.50.2/24 from eth4) makes Remove-KimchiNetwork and DSC Ensure=Absent remove only the
         libvirt network, leave br0, its address and the default route alone, and warn;
      4. the test driver reached through the lab's daemon (test+unix:///default?socket=...) is the
         test driver: IsTestDriver is true and a bridge network on its eth1 makes no real kbeth1.
    The lock folder and file (item 2) are tested in tests/KimchiNet.Core.Tests/Operations/CreateLockTests.cs.
    A machine that cannot run labs FAILS these tests with the reason; KIMCHINET_SKIP_LAB=1 skips them.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    $dscManifest = (Resolve-Path (Join-Path $PSScriptRoot '../../../src/KimchiNetDsc/KimchiNetDsc.psd1')).ProviderPath

    function Register-ForgedNetwork([string] $Lab, [string] $Name, $Bridge, [string] $Body) {
        # net-define, behind KimchiNet's back, a network whose metadata claims KimchiNet made br0 on
        # eth4 (with br0's real MAC and ifindex) and moved 192.168.50.2/24 to it; Body is the rest of it.
        $file = Join-Path $TestDrive "$Name.xml"
        Set-Content -LiteralPath $file -Value @"
<network>
  <name>$Name</name>
  <metadata>
    <kimchinet:network xmlns:kimchinet="urn:kimchinet:network:1">
      <kimchinet:connection>bridge</kimchinet:connection>
      <kimchinet:interface dev="eth4"/>
      <kimchinet:created>
        <kimchinet:bridge name="br0" mac="$($Bridge.address)" ifindex="$($Bridge.ifindex)"/>
        <kimchinet:address value="192.168.50.2/24"/>
      </kimchinet:created>
    </kimchinet:network>
  </metadata>
$Body
</network>
"@
        Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'net-define', $file | Out-Null
    }

    function Get-LabHostState([string] $Lab) {
        # What Remove could change on the lab host, read with ip inside its namespace: every link (name,
        # index, MAC, master, flags), every IPv4 address and every IPv4 route (IPv6 link-local flags
        # change on their own while duplicate address detection runs, so IPv6 is left out).
        $links = Invoke-KimchiLabIpChecked $Lab '-json', 'link', 'show' | ConvertFrom-Json | ForEach-Object {
            $master = if ($_.PSObject.Properties['master']) { $_.master } else { '-' }
            "link $($_.ifname) $($_.ifindex) $($_.address) $master $($_.flags -join ',')"
        }
        $addresses = Invoke-KimchiLabIpChecked $Lab '-json', '-4', 'addr', 'show' | ConvertFrom-Json | ForEach-Object {
            $name = $_.ifname
            foreach ($a in @($_.addr_info)) { "addr $name $($a.local)/$($a.prefixlen)" }
        }
        $routes = Invoke-KimchiLabIpChecked $Lab '-4', 'route', 'show', 'table', 'all'
        (@($links) + @($addresses) + @($routes)) -join "`n"
    }

}

Describe 'Lab: what a local attacker plants is not trusted (issue 12)' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "sec$PID" -Nics 4
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll { Stop-KimchiTestLab }

    It 'never runs an ip found in the working directory or first on PATH: a bridge network is made and removed with the system ip' {
        $hostile = Join-Path $TestDrive 'home-of-a-user'
        New-Item -ItemType Directory -Path $hostile | Out-Null
        $marker = Join-Path $TestDrive 'hostile-ip-ran'
        $realIp = (Get-Command ip -CommandType Application | Select-Object -First 1).Source
        Set-Content -LiteralPath (Join-Path $hostile 'ip') -Value "#!/bin/sh`necho `"`$*`" >> '$marker'`nexec '$realIp' `"`$@`"`n"
        [System.IO.File]::SetUnixFileMode((Join-Path $hostile 'ip'), [System.IO.UnixFileMode] 0x1ED)   # 0755
        $script = @"
[System.Environment]::CurrentDirectory = '$hostile'
Set-Location -LiteralPath '$hostile'
`$env:PATH = '$hostile' + [System.IO.Path]::PathSeparator + `$env:PATH
`$systemIp = '$realIp'

"@ + @'
$made = New-KimchiNetwork -Uri $Uri -Name viaip -Connection Bridge -Interfaces eth2
$during = @(& $systemIp -json link show | ConvertFrom-Json | Where-Object ifname -eq $made.BridgeName).Count
Remove-KimchiNetwork -Uri $Uri -Name viaip -Confirm:$false
[pscustomobject]@{ Bridge = $made.BridgeName; During = $during; Cwd = [System.Environment]::CurrentDirectory }
'@
        $r = @(Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script $script)
        $r.Count | Should -Be 1
        $r[0].PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "$($r[0] | ConvertTo-Json -Compress)"
        $r[0].Cwd | Should -Be $hostile
        $r[0].Bridge | Should -Be 'kbeth2'
        $r[0].During | Should -Be 1 -Because 'the system ip made the bridge'
        Test-Path -LiteralPath $marker | Should -BeFalse -Because "the hostile ip ran as root: $(if (Test-Path $marker) { Get-Content $marker -Raw })"
        (Invoke-KimchiLabIpChecked $lab '-json', 'link', 'show' | ConvertFrom-Json | Where-Object ifname -eq 'kbeth2') | Should -BeNullOrEmpty
    }

    It 'Remove-KimchiNetwork of an isolated network with forged metadata claiming br0 leaves br0, its address and routes untouched, and warns' {
        Invoke-KimchiLabIpChecked $lab 'link', 'add', 'br0', 'type', 'bridge' | Out-Null
        Invoke-KimchiLabIpChecked $lab 'link', 'set', 'eth4', 'master', 'br0' | Out-Null
        Invoke-KimchiLabIpChecked $lab 'link', 'set', 'br0', 'up' | Out-Null
        Invoke-KimchiLabIpChecked $lab 'addr', 'add', '192.168.50.2/24', 'dev', 'br0' | Out-Null
        Invoke-KimchiLabIpChecked $lab 'route', 'add', 'default', 'via', '192.168.50.1', 'dev', 'br0' | Out-Null
        $br0 = Invoke-KimchiLabIpChecked $lab '-json', 'link', 'show', 'dev', 'br0' | ConvertFrom-Json
        Register-ForgedNetwork -Lab $lab -Name forged -Bridge $br0[0] -Body @'
  <bridge name="virbr77"/>
  <ip address="10.254.77.1" prefix="24"/>
'@
        $before = Get-LabHostState $lab

        $script = @'
$warnings = @()
Remove-KimchiNetwork -Uri $Uri -Name forged -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
[pscustomobject]@{ Warnings = @($warnings | ForEach-Object { "$_" }); Left = @(Get-KimchiNetwork -Uri $Uri -Name forged -ErrorAction SilentlyContinue).Count }
'@
        $r = @(Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script $script)
        $r[0].PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "$($r[0] | ConvertTo-Json -Compress)"
        $r[0].Left | Should -Be 0 -Because 'the libvirt network is removed'
        (Get-LabHostState $lab) | Should -BeExactly $before -Because 'br0, eth4, their addresses and the routes must be untouched'
        @($r[0].Warnings).Count | Should -Be 1
        $r[0].Warnings[0] | Should -BeLike "*not a bridge network*"
        $r[0].Warnings[0] | Should -BeLike "*'br0' is not a name KimchiNet gives a bridge for 'eth4'*"
    }

    It 'DSC Ensure=Absent of a bridge network on br0 with forged metadata removes only the network and warns' {
        if (-not (Invoke-KimchiLabIpChecked $lab '-json', 'link', 'show' | ConvertFrom-Json | Where-Object ifname -eq 'br0')) {
            # Independent of the test before (which, on code that trusts the record, deleted br0).
            Invoke-KimchiLabIpChecked $lab 'link', 'add', 'br0', 'type', 'bridge' | Out-Null
            Invoke-KimchiLabIpChecked $lab 'link', 'set', 'br0', 'up' | Out-Null
            Invoke-KimchiLabIpChecked $lab 'addr', 'add', '192.168.50.2/24', 'dev', 'br0' | Out-Null
        }
        $br0 = Invoke-KimchiLabIpChecked $lab '-json', 'link', 'show', 'dev', 'br0' | ConvertFrom-Json
        Register-ForgedNetwork -Lab $lab -Name forgeddsc -Bridge $br0[0] -Body @'
  <forward mode="bridge"/>
  <bridge name="br0"/>
'@
        $before = Get-LabHostState $lab

        $script = @"
`$dsc = Import-Module '$dscManifest' -PassThru

"@ + @'
$type = & $dsc { [KimchiNetwork] }
$resource = $type::new()
$resource.Name = 'forgeddsc'; $resource.Uri = $Uri; $resource.Ensure = 'Absent'
$warnings = @(& { $resource.Set() } 3>&1 | ForEach-Object { "$_" })
[pscustomobject]@{ Warnings = $warnings; Left = @(Get-KimchiNetwork -Uri $Uri -Name forgeddsc -ErrorAction SilentlyContinue).Count }
'@
        $r = @(Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script $script)
        $r[0].PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "$($r[0] | ConvertTo-Json -Compress)"
        $r[0].Left | Should -Be 0
        (Get-LabHostState $lab) | Should -BeExactly $before -Because 'br0, eth4, their addresses and the routes must be untouched'
        @($r[0].Warnings).Count | Should -Be 1
        $r[0].Warnings[0] | Should -BeLike "*'br0' is not a name KimchiNet gives a bridge for 'eth4'*"
    }

    It 'still undoes what it really made: New then Remove of a bridge network on eth3 deletes kbeth3 and gives eth3 its address back' {
        Invoke-KimchiLabIpChecked $lab 'addr', 'add', '10.77.3.5/24', 'dev', 'eth3' | Out-Null
        $before = Get-LabHostState $lab
        $script = @'
$made = New-KimchiNetwork -Uri $Uri -Name realbr -Connection Bridge -Interfaces eth3
$warnings = @()
Remove-KimchiNetwork -Uri $Uri -Name realbr -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
[pscustomobject]@{ Bridge = $made.BridgeName; Warnings = @($warnings | ForEach-Object { "$_" }) }
'@
        $r = @(Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script $script)
        $r[0].PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "$($r[0] | ConvertTo-Json -Compress)"
        $r[0].Bridge | Should -Be 'kbeth3'
        @($r[0].Warnings).Count | Should -Be 0
        (Invoke-KimchiLabIpChecked $lab '-json', 'link', 'show' | ConvertFrom-Json | Where-Object ifname -eq 'kbeth3') | Should -BeNullOrEmpty
        (Invoke-KimchiLabIpChecked $lab '-json', '-4', 'addr', 'show', 'dev', 'eth3' | ConvertFrom-Json).addr_info.local | Should -Contain '10.77.3.5'
    }

    It 'treats test+unix:///default through the lab daemon as the test driver: IsTestDriver, and no real kbeth1 for a bridge network on its eth1' {
        $script = @'
$test = $Uri -replace '^qemu\+unix:///system', 'test+unix:///default'
$info = Connect-KimchiHost -Uri $test -NoDefault
$qemu = Connect-KimchiHost -Uri $Uri -NoDefault
$id = try { New-KimchiNetwork -Uri $test -Name tbridge -Connection Bridge -Interfaces eth1 -ErrorAction Stop | Out-Null; 'created' } catch { $_.FullyQualifiedErrorId }
[pscustomobject]@{ Uri = $info.Uri; IsLocal = $info.IsLocal; IsTestDriver = $info.IsTestDriver; ErrorId = $id; QemuIsTestDriver = $qemu.IsTestDriver }
'@
        $r = @(Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script $script)
        $r[0].PSObject.Properties['Failed'] | Should -BeNullOrEmpty -Because "$($r[0] | ConvertTo-Json -Compress)"
        $r[0].Uri | Should -BeLike 'test+unix:///default*'
        $r[0].IsTestDriver | Should -BeTrue
        $r[0].QemuIsTestDriver | Should -BeFalse -Because 'the lab''s qemu+unix:///system is a real host'
        $r[0].ErrorId | Should -BeLike 'KCHNET0105E,*'
        (Invoke-KimchiLabIpChecked $lab '-json', 'link', 'show' | ConvertFrom-Json | Where-Object ifname -eq 'kbeth1') | Should -BeNullOrEmpty
        (Invoke-KimchiLabIpChecked $lab '-json', 'link', 'show', 'dev', 'eth1' | ConvertFrom-Json)[0].PSObject.Properties['master'] | Should -BeNullOrEmpty
    }
}
