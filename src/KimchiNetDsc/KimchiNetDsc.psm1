<#
    KimchiNetDsc: the KimchiNetwork DSC resource, a libvirt network in a desired state. Thin by
    design: Get, Test and Set each call [KimchiNet.KimchiNetworkDscResource] (in KimchiNet.dll),
    which runs the core's DesiredState comparison and convergence, the same code Test-KimchiNetwork
    uses.

    A module of its own, as PowerShell's *Dsc modules are, so that Import-Module KimchiNet does not
    compile this class (PowerShell compiles a class on every import; measured in docs/performance.md).
    KimchiNetDsc.psd1 requires KimchiNet, whose manifest loads the two assemblies (RequiredAssemblies)
    before this file is parsed: PowerShell resolves the type names in a class when it parses it.
    [DscResource()] and [DscProperty()] are types of System.Management.Automation in PowerShell 7,
    so this file loads without the PSDesiredStateConfiguration module; Invoke-DscResource needs it.
#>

[DscResource()]
class KimchiNetwork {
    # Whether the network should exist: Present (the default) or Absent.
    [DscProperty()]
    [ValidateSet('Present', 'Absent')]
    [string] $Ensure = 'Present'

    # The network's name (case-sensitive).
    [DscProperty(Key)]
    [string] $Name

    # Isolated, Nat, Macvtap, Bridge, Vepa, Passthrough, Routed or Open; empty for any (a missing network needs one).
    [DscProperty()]
    [string] $Connection

    # The host devices, compared as a set; empty for any.
    [DscProperty()]
    [string[]] $Interfaces

    # The IPv4 subnet of a nat or isolated network; empty for any.
    [DscProperty()]
    [string] $Subnet

    # The VLAN id of a bridge network; null for any.
    [DscProperty()]
    [Nullable[int]] $VlanId

    # Active or Inactive; empty for either.
    [DscProperty()]
    [ValidateSet('', 'Active', 'Inactive')]
    [string] $State

    # Whether the network starts with the host; null for either.
    [DscProperty()]
    [Nullable[bool]] $Autostart

    # The MTU of the bridge of a nat, isolated, routed or open network; null for any.
    [DscProperty()]
    [Nullable[int]] $Mtu

    # The DHCP range as START-END inside the subnet; empty for any.
    [DscProperty()]
    [string] $DhcpRange

    # The DHCP lease time as a time span ('01:00:00'; '0' never ends); empty for any.
    [DscProperty()]
    [string] $DhcpLeaseTime

    # Whether the network serves DHCP; null for either.
    [DscProperty()]
    [Nullable[bool]] $Dhcp

    # The DNS host records as 'ADDRESS=NAME[,NAME...]', compared as a set; empty for any.
    [DscProperty()]
    [string[]] $DnsHost

    # The DNS forwarders as 'ADDRESS', 'DOMAIN=ADDRESS' or 'DOMAIN=', compared as a set; empty for any.
    [DscProperty()]
    [string[]] $DnsForwarder

    # The DNS domain; empty for any.
    [DscProperty()]
    [string] $Domain

    # Whether names under the domain are answered only locally; null for either.
    [DscProperty()]
    [Nullable[bool]] $DomainLocalOnly

    # Whether the network answers DNS; null for either.
    [DscProperty()]
    [Nullable[bool]] $Dns

    # The IPv6 /64 of a nat, isolated, routed or open network, 'auto' for any; empty for any.
    [DscProperty()]
    [string] $Ipv6Subnet

    # Whether the IPv6 subnet serves DHCPv6 (false: router advertisements only); null for either.
    [DscProperty()]
    [Nullable[bool]] $Ipv6Dhcp

    # Whether a nat network masquerades IPv6; null for either.
    [DscProperty()]
    [Nullable[bool]] $Ipv6Nat

    # The DHCP reservations as 'MAC=IP' or 'MAC=IP,HOSTNAME', compared as a set (MAC addresses in any
    # case, colons or hyphens); added and removed live on a running network; not given (null) for any,
    # an empty list for none (the network's are removed).
    [DscProperty()]
    [string[]] $DhcpReservation

    # The port groups as 'NAME[=default][,vlan:ID]', compared as a set; empty for any.
    [DscProperty()]
    [string[]] $PortGroup

    # The libvirt URI; empty for the session's default (Connect-KimchiHost), else libvirt's.
    [DscProperty()]
    [string] $Uri

    # Reported by Get: the virtual machines using the network.
    [DscProperty(NotConfigurable)]
    [string[]] $VMs

    # The network as the host has it, with Ensure Absent when it does not exist.
    [KimchiNetwork] Get() {
        try {
            $actual = [KimchiNet.KimchiNetworkDscResource]::Get($this.Uri, $this.Name)
        }
        catch {
            throw [KimchiNet.KimchiNetworkDscResource]::ToErrorRecord($_)
        }
        $current = [KimchiNetwork]::new()
        $current.Name = $this.Name
        $current.Uri = $this.Uri
        if ($null -eq $actual) {
            $current.Ensure = 'Absent'
            return $current
        }
        $current.Ensure = 'Present'
        $current.Connection = if ($null -ne $actual.Connection) { $actual.Connection.ToString() } else { $actual.ForwardMode }
        $current.Interfaces = [string[]]$actual.Interfaces
        $current.Subnet = if ($null -ne $actual.Subnet -and $null -ne $actual.Gateway) {
            # The gateway/prefix form keeps the host's address, so Get's output is a desired state that tests true.
            '{0}/{1}' -f $actual.Gateway, $actual.Subnet.Split('/')[1]
        } else { $actual.Subnet }
        $current.VlanId = $actual.VlanId
        $current.State = $actual.State.ToString()
        $current.Autostart = $actual.Autostart
        $current.Mtu = $actual.Mtu
        $current.DhcpRange = if ($null -ne $actual.DhcpStart) { '{0}-{1}' -f $actual.DhcpStart, $actual.DhcpEnd } else { $null }
        $current.DhcpLeaseTime = if ($null -ne $actual.DhcpLeaseTime) { $actual.DhcpLeaseTime.ToString('c') } else { $null }
        $current.Dhcp = $actual.Dhcp
        $current.DnsHost = [string[]] @($actual.DnsHosts | ForEach-Object ToString)
        $current.DnsForwarder = [string[]] @($actual.DnsForwarders | ForEach-Object ToString)
        $current.Domain = $actual.Domain
        $current.DomainLocalOnly = $actual.DomainLocalOnly
        $current.Dns = $actual.Dns
        $current.Ipv6Subnet = $actual.Ipv6Subnet
        $current.Ipv6Dhcp = $actual.Ipv6Dhcp
        $current.Ipv6Nat = $actual.Ipv6Nat
        $current.DhcpReservation = [string[]] @($actual.DhcpReservations | ForEach-Object ToString)
        $current.PortGroup = [string[]] @($actual.PortGroups | ForEach-Object ToString)
        $current.VMs = [string[]]$actual.VMs
        return $current
    }

    # True when the network is as desired; each difference is written with Write-Verbose.
    [bool] Test() {
        try {
            $differences = [KimchiNet.KimchiNetworkDscResource]::Test($this.Uri, $this.Desired())
        }
        catch {
            # The Kimchi code and message, not "Exception calling "Test" with "2" argument(s)".
            throw [KimchiNet.KimchiNetworkDscResource]::ToErrorRecord($_)
        }
        foreach ($difference in $differences) {
            Write-Verbose ("KimchiNetwork '{0}': {1} is '{2}', should be '{3}'." -f $this.Name, $difference.Property, ($difference.Actual -join ', '), ($difference.Desired -join ', '))
        }
        return $differences.Count -eq 0
    }

    # Makes the network as desired with the fewest steps; each step is written with Write-Verbose.
    [void] Set() {
        try {
            $result = [KimchiNet.KimchiNetworkDscResource]::Set($this.Uri, $this.Desired(), $null)
        }
        catch {
            throw [KimchiNet.KimchiNetworkDscResource]::ToErrorRecord($_)
        }
        foreach ($step in $result.Steps) {
            Write-Verbose ("KimchiNetwork '{0}': {1}" -f $this.Name, $step)
        }
        foreach ($warning in $result.Warnings) {
            Write-Warning $warning
        }
    }

    hidden [KimchiNet.Operations.DesiredState] Desired() {
        return [KimchiNet.KimchiNetworkDscResource]::Desired(
            $this.Ensure, $this.Name, $this.Connection, $this.Interfaces, $this.Subnet, $this.VlanId, $this.State, $this.Autostart,
            $this.Mtu, $this.DhcpRange, $this.DhcpLeaseTime, $this.Dhcp,
            $this.DnsHost, $this.DnsForwarder, $this.Domain, $this.DomainLocalOnly, $this.Dns,
            $this.Ipv6Subnet, $this.Ipv6Dhcp, $this.Ipv6Nat, $this.DhcpReservation, $this.PortGroup)
    }
}
