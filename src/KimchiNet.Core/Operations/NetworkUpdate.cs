using System;
using System.Collections.Generic;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>What to change on a network (Kimchi's update); a null member keeps the current value.</summary>
public sealed record NetworkUpdate
{
    /// <summary>A new name, or null to keep the name.</summary>
    public string? NewName { get; init; }

    /// <summary>A new subnet (nat and isolated only), or null.</summary>
    public string? Subnet { get; init; }

    /// <summary>New host devices (macvtap, bridge, vepa, passthrough), or null.</summary>
    public IReadOnlyList<string>? Interfaces { get; init; }

    /// <summary>A new VLAN id (bridge only), or null.</summary>
    public int? VlanId { get; init; }

    /// <summary>A new DHCP range as 'START-END' (two IPv4 addresses of the subnet), or null to keep it (or, with a new subnet, to take the new subnet's default range).</summary>
    public string? DhcpRange { get; init; }

    /// <summary>Whether the network starts with the host, or null to keep the setting.</summary>
    public bool? Autostart { get; init; }

    /// <summary>A new MTU of the bridge (nat, isolated, routed, open), or null.</summary>
    public int? Mtu { get; init; }

    /// <summary>A new DHCP lease time (zero: never ends), or null.</summary>
    public TimeSpan? DhcpLeaseTime { get; init; }

    /// <summary>DHCP on ($true) or off ($false), or null to keep it.</summary>
    public bool? Dhcp { get; init; }

    /// <summary>The network's DNS host records, replacing all it has (an empty list removes them), or null to keep them.</summary>
    public IReadOnlyList<DnsHostRecord>? DnsHosts { get; init; }

    /// <summary>The network's DNS forwarders, replacing all it has (an empty list removes them), or null to keep them.</summary>
    public IReadOnlyList<DnsForwarder>? DnsForwarders { get; init; }

    /// <summary>A new DNS domain, or null to keep it.</summary>
    public string? Domain { get; init; }

    /// <summary>Whether names under the domain are answered only locally, or null to keep the setting.</summary>
    public bool? DomainLocalOnly { get; init; }

    /// <summary>DNS on ($true) or off ($false), or null to keep it.</summary>
    public bool? Dns { get; init; }

    /// <summary>The network's port groups, replacing all it has (an empty list removes them), or null to keep them.</summary>
    public IReadOnlyList<PortGroup>? PortGroups { get; init; }

    /// <summary>True when the update gives a DNS setting (see NetworkOperations.Dns.cs).</summary>
    public bool ChangesDns => DnsHosts is not null || DnsForwarders is not null || Domain is not null || DomainLocalOnly is not null || Dns is not null;

    /// <summary>A new IPv6 /64, or 'auto' for a planned unique-local one (nat, isolated, routed, open), or null to keep it.</summary>
    public string? Ipv6Subnet { get; init; }

    /// <summary>DHCPv6 on ($true) or router advertisements only ($false), or null to keep it.</summary>
    public bool? Ipv6Dhcp { get; init; }

    /// <summary>IPv6 NAT on ($true) or off ($false) on a nat network, or null to keep it.</summary>
    public bool? Ipv6Nat { get; init; }

    /// <summary>True when the update gives an IPv6 setting (see NetworkOperations.Ipv6.cs).</summary>
    public bool ChangesIpv6 => Ipv6Subnet is not null || Ipv6Dhcp is not null || Ipv6Nat is not null;

    /// <summary>True when the update gives an MTU or a DHCP setting (see <see cref="NetworkOperations"/>' bridge settings).</summary>
    public bool ChangesBridgeSettings => Mtu is not null || DhcpRange is not null || DhcpLeaseTime is not null || Dhcp is not null;
}
