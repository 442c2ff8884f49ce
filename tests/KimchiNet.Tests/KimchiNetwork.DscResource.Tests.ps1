$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifestPath = Join-Path $PSScriptRoot '../../KimchiNet.psd1'
    $dscManifestPath = Join-Path $PSScriptRoot '../../src/KimchiNetDsc/KimchiNetDsc.psd1'
    # KimchiNetDsc requires KimchiNet by name: loaded first, as an installed KimchiNet would be.
    # (A user's script writes 'using module KimchiNetDsc'; Package.Tests.ps1 does that on the
    # installed packages. Here the class is taken from the module's scope.)
    Import-Module $manifestPath
    $dsc = Import-Module $dscManifestPath -Force -PassThru
    $resourceType = & $dsc { [KimchiNetwork] }

    function New-Resource {
        param([hashtable] $Property)
        $resource = $resourceType::new()
        foreach ($key in $Property.Keys) { $resource.$key = $Property[$key] }
        $resource
    }

    function Get-VerboseMessage {
        # A class method sees its module's (global) preferences, not the caller's, so -Verbose has to be global here.
        param([scriptblock] $Action)
        $saved = $global:VerbosePreference
        try {
            $global:VerbosePreference = 'Continue'
            @(& $Action 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        }
        finally {
            $global:VerbosePreference = $saved
        }
    }
}

Describe 'The KimchiNetwork DSC resource' -Tag 'CI' {
    BeforeEach {
        $uri = New-KimchiTestHost -Folder $TestDrive
    }

    It 'is exported by KimchiNetDsc, which requires KimchiNet, and carries [DscResource()] without PSDesiredStateConfiguration' {
        $manifest = Import-PowerShellDataFile $dscManifestPath
        $manifest.DscResourcesToExport | Should -Be @('KimchiNetwork')
        $manifest.RequiredModules.ModuleName | Should -Be @('KimchiNet')
        $manifest.RequiredModules.GUID | Should -Be (Import-PowerShellDataFile $manifestPath).GUID
        $manifest.ModuleVersion | Should -Be (Import-PowerShellDataFile $manifestPath).ModuleVersion
        $dsc.ExportedDscResources | Should -Be @('KimchiNetwork')
        $resourceType.GetCustomAttributes([System.Management.Automation.DscResourceAttribute], $false).Count | Should -Be 1
        $key = $resourceType.GetProperty('Name').GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $false)
        $key[0].Key | Should -BeTrue
    }

    It 'is not part of KimchiNet: importing KimchiNet compiles no class' {
        (Import-PowerShellDataFile $manifestPath).Keys | Should -Not -Contain 'NestedModules'
        (Import-PowerShellDataFile $manifestPath).Keys | Should -Not -Contain 'DscResourcesToExport'
        $pwsh = Join-Path $PSHOME 'pwsh'
        $command = "Import-Module '$($manifestPath -replace "'", "''")'; (Get-Module KimchiNet).NestedModules.Count; [AppDomain]::CurrentDomain.GetAssemblies().Where({ `$_.IsDynamic -and `$_.GetTypes().Name -contains 'KimchiNetwork' }).Count"
        $counts = & $pwsh -NoProfile -NonInteractive -Command $command
        $LASTEXITCODE | Should -Be 0
        $counts | Should -Be @('0', '0')
    }

    It 'Test is false before Set and true after; a second Set changes nothing' {
        $resource = New-Resource @{ Name = 'lab'; Connection = 'Nat'; Subnet = '10.20.30.0/24'; State = 'Active'; Autostart = $false; Uri = $uri }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $network = Get-KimchiNetwork -Uri $uri -Name lab
        $network.Connection | Should -Be 'Nat'
        $network.Subnet | Should -Be '10.20.30.0/24'
        $network.State | Should -Be 'Active'
        $network.Autostart | Should -BeFalse

        $before = Get-KimchiHostSnapshot $uri
        $resource.Set()
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'Set on a network already as desired changes nothing at all' {
        $before = Get-KimchiHostSnapshot $uri
        (New-Resource @{ Name = 'vepa-eth1-eth2'; Connection = 'Vepa'; Interfaces = @('eth2', 'eth1'); State = 'Active'; Uri = $uri }).Set()
        (New-Resource @{ Name = 'gone'; Ensure = 'Absent'; Uri = $uri }).Set()
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'creates a routed network with MTU, DHCP range and lease time, Get reports them and Test is then true' {
        $resource = New-Resource @{ Name = 'rt'; Connection = 'Routed'; Subnet = '10.81.0.1/24'; Mtu = 9000; DhcpRange = '10.81.0.100-10.81.0.200'; DhcpLeaseTime = '02:00:00'; Uri = $uri }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $got = $resource.Get()
        ($got.Connection, $got.Mtu, $got.DhcpRange, $got.DhcpLeaseTime, $got.Dhcp) | Should -Be @('Routed', 9000, '10.81.0.100-10.81.0.200', '02:00:00', $true)
        $got.Test() | Should -BeTrue -Because "Get's output is a desired state the network meets"

        $resource.Mtu = 1400
        $resource.Dhcp = $true
        $resource.Test() | Should -BeFalse
        $resource.Set()
        (Get-KimchiNetwork -Uri $uri -Name rt).Mtu | Should -Be 1400
        $resource.DhcpLeaseTime = 'soon'
        { $resource.Test() } | Should -Throw -ErrorId 'KCHNET0149E'
    }

    It 'creates a dual-stack nat network with a planned IPv6 /64 and IPv6 NAT, then turns DHCPv6 off, and Get reports it' {
        $resource = New-Resource @{ Name = 'dual'; Connection = 'Nat'; Subnet = '10.82.0.1/24'; Ipv6Subnet = 'auto'; Ipv6Nat = $true; Uri = $uri }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $got = $resource.Get()
        $got.Ipv6Subnet | Should -Match '^fd[0-9a-f:]+/64$'
        ($got.Ipv6Dhcp, $got.Ipv6Nat) | Should -Be @($true, $true)
        $got.Test() | Should -BeTrue -Because "Get's output is a desired state the network meets"

        $resource.Ipv6Dhcp = $false
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        (Get-KimchiNetwork -Uri $uri -Name dual).Ipv6Dhcp | Should -BeFalse
        $resource.Ipv6Subnet = 'fd00::/48'
        { $resource.Test() } | Should -Throw -ErrorId 'KCHNET0126E'
    }

    It 'creates a nat network with DNS records, a forwarder and a local-only domain, changes the records, and Get reports them' {
        $resource = New-Resource @{ Name = 'dn'; Connection = 'Nat'; Subnet = '10.88.0.1/24'; DnsHost = '10.88.0.5=web,www'; DnsForwarder = 'corp.example=10.88.0.53'; Domain = 'lab.example'; DomainLocalOnly = $true; Uri = $uri }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $got = $resource.Get()
        ($got.DnsHost, $got.DnsForwarder, $got.Domain, $got.DomainLocalOnly, $got.Dns) | Should -Be @('10.88.0.5=web,www', 'corp.example=10.88.0.53', 'lab.example', $true, $true)
        $got.Test() | Should -BeTrue -Because "Get's output is a desired state the network meets"

        $resource.DnsHost = '10.88.0.6=db', '10.88.0.5=www,web'
        $resource.Test() | Should -BeFalse
        $resource.Set()
        @((Get-KimchiNetwork -Uri $uri -Name dn).DnsHosts | ForEach-Object ToString) | Should -Be @('10.88.0.6=db', '10.88.0.5=www,web')
        $resource.DnsHost = '10.88.0.6=db', '10.88.0.6=dbalias'
        { $resource.Test() } | Should -Throw -ErrorId 'KCHNET0123E'
    }

    It 'Set adds a DHCP reservation to the running network in use live, Get reports it, and a second Set changes nothing' {
        $resource = New-Resource @{ Name = 'default'; DhcpReservation = '52-54-00-AA-00-01=192.168.122.50,web'; Uri = $uri }
        $resource.Test() | Should -BeFalse
        $messages = Get-VerboseMessage { $resource.Set() }
        $messages | Should -Be @("KimchiNetwork 'default': Add DHCP reservation 52:54:00:aa:00:01 -> 192.168.122.50 (name web): live and in the persistent definition, without a restart")
        $resource.Test() | Should -BeTrue
        $network = Get-KimchiNetwork -Uri $uri -Name default
        $network.State | Should -Be 'Active'
        @($network.DhcpReservations | ForEach-Object ToString) | Should -Be @('52:54:00:aa:00:01=192.168.122.50,web')
        $got = $resource.Get()
        $got.DhcpReservation | Should -Be @('52:54:00:aa:00:01=192.168.122.50,web')
        $got.Test() | Should -BeTrue -Because "Get's output is a desired state the network meets"
        Get-VerboseMessage { $resource.Set() } | Should -BeNullOrEmpty

        $resource.DhcpReservation = '52:54:00:aa:00:01=192.168.122.1'
        { $resource.Test() } | Should -Throw -ErrorId 'KCHNET0141E'
    }

    It 'an empty DhcpReservation asks for none and Set removes them live; not given, they are not compared' {
        $resource = New-Resource @{ Name = 'default'; DhcpReservation = '52:54:00:aa:00:01=192.168.122.50', '52:54:00:aa:00:02=192.168.122.51'; Uri = $uri }
        $resource.Set()
        $resource.DhcpReservation = $null
        $resource.Test() | Should -BeTrue
        $resource.DhcpReservation = @()
        $resource.Test() | Should -BeFalse
        $messages = Get-VerboseMessage { $resource.Set() }
        $messages.Count | Should -Be 2
        $messages | Should -Match "^KimchiNetwork 'default': Remove DHCP reservation 52:54:00:aa:00:0[12] -> "
        $resource.Test() | Should -BeTrue
        $network = Get-KimchiNetwork -Uri $uri -Name default
        @($network.DhcpReservations).Count | Should -Be 0
        $network.State | Should -Be 'Active'
    }

    It 'creates a network with port groups, changes them on the running network, and Get reports them' {
        $resource = New-Resource @{ Name = 'pg'; Connection = 'Nat'; Subnet = '10.89.0.1/24'; State = 'Active'; PortGroup = 'web=default', 'db'; Uri = $uri }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $got = $resource.Get()
        $got.PortGroup | Should -Be @('web=default', 'db')
        $got.Test() | Should -BeTrue -Because "Get's output is a desired state the network meets"

        $resource.PortGroup = 'db=default', 'web'
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $after = Get-KimchiNetwork -Uri $uri -Name pg
        @($after.PortGroups | ForEach-Object ToString) | Should -Be @('db=default', 'web')
        $after.State | Should -Be 'Active'
        $resource.PortGroup = 'db=default', 'web=default'
        { $resource.Test() } | Should -Throw -ErrorId 'KCHNET0196E'
    }

    It 'Set with Ensure Absent removes the network' {
        $resource = New-Resource @{ Name = 'ovs'; Ensure = 'Absent'; Uri = $uri }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        @(Get-KimchiNetwork -Uri $uri -Name 'ovs*').Count | Should -Be 0
    }

    It 'Set changes only what differs: autostart on a running network' {
        $resource = New-Resource @{ Name = 'default'; Autostart = $true; Uri = $uri }
        $messages = Get-VerboseMessage { $resource.Set() }
        $messages | Should -Be @("KimchiNetwork 'default': Turn autostart on")
        $network = Get-KimchiNetwork -Uri $uri -Name default
        $network.Autostart | Should -BeTrue
        $network.State | Should -Be 'Active'
    }

    It 'Set refuses to cut virtual machines off, with the Kimchi code, and changes nothing' {
        $before = Get-KimchiHostSnapshot $uri
        $resource = New-Resource @{ Name = 'default'; Ensure = 'Absent'; Uri = $uri }
        { $resource.Set() } | Should -Throw -ErrorId 'KCHNET0017E' -ExpectedMessage '*web01*'
        $thrown = $null
        try { $resource.Set() } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeExactly 'KCHNET0017E'
        $thrown.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $thrown.Exception | Should -BeOfType ([KimchiNet.KimchiException])
        $thrown.Exception.Message | Should -Not -Match 'Exception calling'
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }

    It 'Get reports the current state, which tests true' {
        $current = (New-Resource @{ Name = 'default'; Uri = $uri }).Get()
        $current | Should -BeOfType $resourceType
        $current.Ensure | Should -BeExactly 'Present'
        $current.Connection | Should -BeExactly 'Nat'
        $current.Subnet | Should -BeExactly '192.168.122.1/24'
        $current.State | Should -BeExactly 'Active'
        $current.Autostart | Should -BeFalse
        $current.VMs | Should -Be @('build01', 'web01')
        $current.Uri | Should -BeExactly $uri
        $current.Test() | Should -BeTrue

        $vepa = (New-Resource @{ Name = 'vepa-eth1-eth2'; Uri = $uri }).Get()
        $vepa.Interfaces | Should -Be @('eth1', 'eth2')
        $vepa.Subnet | Should -BeNullOrEmpty
    }

    It 'Get reports Ensure Absent for a missing network' {
        $current = (New-Resource @{ Name = 'missing'; Connection = 'Nat'; Uri = $uri }).Get()
        $current.Ensure | Should -BeExactly 'Absent'
        $current.Name | Should -BeExactly 'missing'
        $current.Connection | Should -BeNullOrEmpty
    }

    It 'Test writes each difference with Write-Verbose' {
        $resource = New-Resource @{ Name = 'default'; State = 'Inactive'; Uri = $uri }
        $messages = Get-VerboseMessage { $resource.Test() }
        $messages | Should -Be @("KimchiNetwork 'default': State is 'Active', should be 'Inactive'.")
    }

    It 'refuses an impossible desired state with its Kimchi code' {
        $resource = New-Resource @{ Name = 'lab'; Connection = 'Ethernet'; Uri = $uri }
        $thrown = $null
        try { $resource.Test() } catch { $thrown = $_ }
        # The Kimchi code as the ErrorId and KimchiNet's message, without PowerShell's
        # 'Exception calling "Test" with "2" argument(s)' wrapper (issue 17, defect 6).
        $thrown.FullyQualifiedErrorId | Should -BeExactly 'KCHNET0012E'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $thrown.Exception | Should -BeOfType ([KimchiNet.KimchiException])
        $thrown.Exception.Code | Should -BeExactly 'KCHNET0012E'
        $thrown.Exception.Message | Should -BeLike "Connection type 'Ethernet' is not supported*"
        $thrown = $null
        try { (New-Resource @{ Name = 'lab'; Connection = 'Ethernet'; Uri = $uri }).Set() } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeExactly 'KCHNET0012E'
        $thrown = $null
        try { (New-Resource @{ Name = 'x'; Uri = 'qemu+unix:///system?socket=/nonexistent/kimchinet-sock' }).Get() } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeExactly 'KCHNET0103E'
    }

    It 'the sample configuration in docs/dsc converges a host, and a second run changes nothing' {
        $sample = Join-Path $PSScriptRoot '../../docs/dsc/KimchiNetworkConfiguration.ps1'
        $first = @(& $sample -ModulePath $manifestPath -DscModulePath $dscManifestPath -Uri $uri)
        $first.Name | Should -Be @('default', 'lab-isolated', 'lab-vepa', 'ovs')
        $first.Changed | Should -Be @($true, $true, $true, $true)
        (Get-KimchiNetwork -Uri $uri -Name lab-vepa).Interfaces | Should -Be @('eth4', 'eth0')
        @(Get-KimchiNetwork -Uri $uri -Name 'ovs*').Count | Should -Be 0

        $before = Get-KimchiHostSnapshot $uri
        $second = @(& $sample -ModulePath $manifestPath -DscModulePath $dscManifestPath -Uri $uri)
        $second.InDesiredState | Should -Be @($true, $true, $true, $true)
        $second.Changed | Should -Be @($false, $false, $false, $false)
        Get-KimchiHostSnapshot $uri | Should -BeExactly $before
    }
}
