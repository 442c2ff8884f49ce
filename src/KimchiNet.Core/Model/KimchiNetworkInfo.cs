using System;
using System.Collections.Generic;

namespace KimchiNet.Model;

/// <summary>
/// A network as the cmdlets emit it: Kimchi's network lookup fields, libvirt's run-time state,
/// the virtual machines using it, and the URI it was read from, so that it pipes into the next
/// cmdlet by property name (Name, Uri).
/// </summary>
public sealed record KimchiNetworkInfo
{
    /// <summary>The network's name.</summary>
    public required string Name { get; init; }

    /// <summary>The connection type; null for a network of a kind Kimchi has no name for (see <see cref="ForwardMode"/>).</summary>
    public ConnectionType? Connection { get; init; }

    /// <summary>libvirt's forward mode as written in the XML, or null when there is no forward element.</summary>
    public string? ForwardMode { get; init; }

    /// <summary>The host devices the network is built on, in order.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = Array.Empty<string>();

    /// <summary>The first IPv4 subnet as network/prefix, or null.</summary>
    public string? Subnet { get; init; }

    /// <summary>The host's address on the subnet, or null.</summary>
    public string? Gateway { get; init; }

    /// <summary>Start of the DHCP range, or null.</summary>
    public string? DhcpStart { get; init; }

    /// <summary>End of the DHCP range, or null.</summary>
    public string? DhcpEnd { get; init; }

    /// <summary>How long a DHCP lease lasts (zero: never ends), or null for dnsmasq's default (one hour).</summary>
    public TimeSpan? DhcpLeaseTime { get; init; }

    /// <summary>Whether the network serves DHCP on its IPv4 subnet; null when it has none.</summary>
    public bool? Dhcp { get; init; }

    /// <summary>The first IPv6 subnet as network/prefix (e.g. fd12:3456:789a:1::/64), or null.</summary>
    public string? Ipv6Subnet { get; init; }

    /// <summary>The host's address on the first IPv6 subnet (the gateway), or null.</summary>
    public string? Ipv6Gateway { get; init; }

    /// <summary>Whether the first IPv6 subnet serves DHCPv6 (false: router advertisements only, for SLAAC); null when the network has no IPv6 subnet.</summary>
    public bool? Ipv6Dhcp { get; init; }

    /// <summary>Start of the first DHCPv6 range, or null.</summary>
    public string? Ipv6DhcpStart { get; init; }

    /// <summary>End of the first DHCPv6 range, or null.</summary>
    public string? Ipv6DhcpEnd { get; init; }

    /// <summary>Whether a nat network masquerades IPv6 too (&lt;nat ipv6='yes'/&gt;); null when the network has no IPv6 subnet or is not nat.</summary>
    public bool? Ipv6Nat { get; init; }

    /// <summary>The MTU of the network's bridge, or null for libvirt's default.</summary>
    public int? Mtu { get; init; }

    /// <summary>Whether the network's dnsmasq answers DNS (false with &lt;dns enable="no"/&gt;); null when the network has no IP address of its own.</summary>
    public bool? Dns { get; init; }

    /// <summary>The DHCP reservations of the IPv4 DHCP service (libvirt's &lt;dhcp&gt;&lt;host&gt;), in document order; IPv6 hosts are not among them.</summary>
    public IReadOnlyList<DhcpReservation> DhcpReservations { get; init; } = Array.Empty<DhcpReservation>();

    /// <summary>The DNS host records (address and names), in document order.</summary>
    public IReadOnlyList<DnsHostRecord> DnsHosts { get; init; } = Array.Empty<DnsHostRecord>();

    /// <summary>The DNS servers queries are forwarded to (optionally per domain), in document order.</summary>
    public IReadOnlyList<DnsForwarder> DnsForwarders { get; init; } = Array.Empty<DnsForwarder>();

    /// <summary>The network's DNS domain, or null.</summary>
    public string? Domain { get; init; }

    /// <summary>Whether names under <see cref="Domain"/> are answered only locally (never forwarded); null when the network has no domain.</summary>
    public bool? DomainLocalOnly { get; init; }

    /// <summary>The port groups (name, default, VLAN id), in document order.</summary>
    public IReadOnlyList<PortGroup> PortGroups { get; init; } = Array.Empty<PortGroup>();

    /// <summary>Whether the network runs.</summary>
    public NetworkState State { get; init; }

    /// <summary>Whether the network starts with the host.</summary>
    public bool Autostart { get; init; }

    /// <summary>Whether the network is defined (persistent) rather than transient.</summary>
    public bool Persistent { get; init; }

    /// <summary>True when at least one virtual machine uses the network.</summary>
    public bool InUse { get; init; }

    /// <summary>The virtual machines using the network (running or not), sorted by name.</summary>
    public IReadOnlyList<string> VMs { get; init; } = Array.Empty<string>();

    /// <summary>The bridge device, for networks that have one.</summary>
    public string? BridgeName { get; init; }

    /// <summary>The VLAN id, where the network has one.</summary>
    public int? VlanId { get; init; }

    /// <summary>The network's UUID.</summary>
    public string? Uuid { get; init; }

    /// <summary>Whether the host devices the network needs are there: Healthy, Unhealthy (see <see cref="Problems"/>) or Unknown (the host's devices could not be listed).</summary>
    public NetworkHealth Health { get; init; }

    /// <summary>What is wrong with the network on the host, e.g. "its bridge 'kbeth1' is missing on the host"; empty when nothing is known to be.</summary>
    public IReadOnlyList<string> Problems { get; init; } = Array.Empty<string>();

    /// <summary>The libvirt URI the network was read from.</summary>
    public required string Uri { get; init; }

    /// <summary>The network's XML as libvirt returned it when the object was made (not shown in the default views).</summary>
    public string Xml { get; init; } = string.Empty;
}
