$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $uri = New-KimchiTestHost -Folder $TestDrive
    $suffix = ',KimchiNet.Commands.GetKimchiNetworkCommand'
}

Describe 'Get-KimchiNetwork' -Tag 'CI' {
    It 'lists every network of the host as typed objects sorted by name' {
        $networks = @(Get-KimchiNetwork -Uri $uri)
        $networks.Name | Should -Be @('bridge-br0', 'default', 'isolated', 'macvtap-eth3', 'ovs', 'passthrough-bond0', 'vepa-eth1-eth2')
        $networks[0].PSObject.TypeNames | Should -Contain 'KimchiNet.Model.KimchiNetworkInfo'
    }

    It 'matches names with wildcards' {
        $network = Get-KimchiNetwork -Uri $uri -Name 'vepa*'
        $network.Name | Should -BeExactly 'vepa-eth1-eth2'
        $network.Connection | Should -Be 'Vepa'
        $network.Interfaces | Should -Be @('eth1', 'eth2')
    }

    It 'reports Kimchi''s lookup fields for a nat network' {
        $network = Get-KimchiNetwork -Uri $uri default
        $network.Connection | Should -Be 'Nat'
        $network.Subnet | Should -BeExactly '192.168.122.0/24'
        $network.State | Should -Be 'Active'
        $network.Persistent | Should -BeTrue
        $network.Uri | Should -BeExactly $uri
    }

    It 'counts a VM as using a network through <Kind> NICs' -TestCases @(
        @{ Kind = 'network-type'; Network = 'default'; VM = 'web01' }
        @{ Kind = 'bridge-type'; Network = 'bridge-br0'; VM = 'web01' }
        @{ Kind = 'direct-type'; Network = 'macvtap-eth3'; VM = 'db01' }
    ) {
        param($Kind, $Network, $VM)
        $found = Get-KimchiNetwork -Uri $uri -Name $Network
        $found.InUse | Should -BeTrue
        $found.VMs | Should -Contain $VM
    }

    It 'reports an unused network as not in use' {
        (Get-KimchiNetwork -Uri $uri -Name ovs).InUse | Should -BeFalse
    }

    It 'writes KCHNET0002E for a plain name that does not exist, and nothing for an unmatched wildcard' {
        $err = $null
        $found = @(Get-KimchiNetwork -Uri $uri -Name nosuch, 'zz*' -ErrorVariable err -ErrorAction SilentlyContinue)
        $found.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly "KCHNET0002E$suffix"
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'shows the default table view' {
        # Wider than 80 columns since the Health column came (issue 17): at 80 the last header wraps.
        $text = Get-KimchiNetwork -Uri $uri -Name default | Out-String -Width 160
        $text | Should -Match 'Name\s+Connection\s+State\s+Health\s+Autostart\s+Subnet\s+Interfaces\s+InUse'
    }

    It 'keeps Passthrough, Inactive and Unhealthy whole in a streamed table whose first rows are shorter' {
        # A streamed table sizes its columns from what arrives first (here: one row, then a pause).
        $text = 'isolated', 'passthrough-bond0' | ForEach-Object { Get-KimchiNetwork -Uri $uri -Name $_; Start-Sleep -Milliseconds 400 } |
            Format-Table | Out-String -Width 200
        $text | Should -Match '\sPassthrough\s'
        $text | Should -Not -Match 'Passthrou\u2026'
        $header = @($text -split "`n" | Where-Object { ($_ -replace '\e\[[0-9;]*m', '') -match '^Name' } | ForEach-Object { $_ -replace '\e\[[0-9;]*m', '' })[0]
        $header | Should -Match 'Connection\s+State\s+Health\s+Autostart'
        $header.IndexOf('Health') - $header.IndexOf('State') | Should -BeGreaterOrEqual 9 -Because 'Inactive (8) and a space fit'
        $header.IndexOf('Autostart') - $header.IndexOf('Health') | Should -BeGreaterOrEqual 10 -Because 'Unhealthy (9) and a space fit'
    }

    It 'reports each network''s Health, Unhealthy with the missing device named in Problems' {
        $conn = [KimchiNet.Libvirt.LibvirtConnections]::Get($uri)
        $conn.DefineNetwork("<network><name>gone</name><forward mode='bridge'/><bridge name='kbgone0'/></network>") | Out-Null
        try {
            "$((Get-KimchiNetwork -Uri $uri -Name bridge-br0).Health)" | Should -BeExactly 'Healthy'
            $gone = Get-KimchiNetwork -Uri $uri -Name gone
            "$($gone.Health)" | Should -BeExactly 'Unhealthy'
            $gone.Problems | Should -Be @("its bridge 'kbgone0' is missing on the host")
            ($gone | Format-List | Out-String) | Should -Match "Problems\s+: its bridge 'kbgone0' is missing on the host"
            Test-KimchiNetwork -Uri $uri -Name gone | Should -BeFalse
            @(Test-KimchiNetwork -Uri $uri -Name gone -Detailed).Property | Should -Be @('Health')
        }
        finally { $conn.UndefineNetwork('gone') }
    }

    It 'fails with a connection error for a URI libvirt cannot open' {
        # (A missing test:/// file is refused before libvirt, with KCHNET0116E: Security.Disclosure.Tests.ps1.)
        { Get-KimchiNetwork -Uri 'qemu+unix:///system?socket=/nonexistent/libvirt-sock' -ErrorAction Stop } |
            Should -Throw -ErrorId 'KCHNET0103E,KimchiNet.Commands.GetKimchiNetworkCommand'
    }

    It 'uses the session default set by Connect-KimchiHost' {
        Connect-KimchiHost -Uri $uri | Out-Null
        try {
            (Get-KimchiNetwork default).Uri | Should -BeExactly $uri
        }
        finally {
            Disconnect-KimchiHost -Uri $uri
        }
    }
}
