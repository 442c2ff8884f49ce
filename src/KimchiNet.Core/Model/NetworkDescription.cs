using System;
using System.Collections.Generic;

namespace KimchiNet.Model;

/// <summary>
/// What libvirt has for a network, read back from its XML: the fields of Kimchi's network lookup,
/// plus what KimchiNet needs to manage it. Libvirt's run-time facts (state, autostart, persistent)
/// are not in the XML and are filled in by the caller that asked libvirt.
/// </summary>
public sealed record NetworkDescription
{
    /// <summary>The network's name.</summary>
    public required string Name { get; init; }

    /// <summary>The network's UUID, where the XML has one.</summary>
    public string? Uuid { get; init; }

    /// <summary>The connection type; null when the XML is of a kind Kimchi has no name for (see <see cref="ForwardMode"/>).</summary>
    public ConnectionType? Connection { get; init; }

    /// <summary>libvirt's forward mode as written in the XML ("nat", "route", "open", "hostdev", …), or null when there is no forward element.</summary>
    public string? ForwardMode { get; init; }

    /// <summary>The host devices the network forwards to, in document order.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = Array.Empty<string>();

    /// <summary>The first IPv4 subnet as network/prefix (e.g. 192.168.122.0/24), or null.</summary>
    public string? Subnet { get; init; }

    /// <summary>The host's address on the first IPv4 subnet (the gateway), or null.</summary>
    public string? Gateway { get; init; }

    /// <summary>Start of the first DHCP range of the first IPv4 subnet, or null.</summary>
    public string? DhcpStart { get; init; }

    /// <summary>End of the first DHCP range of the first IPv4 subnet, or null.</summary>
    public string? DhcpEnd { get; init; }

    /// <summary>How long the first DHCP range's leases last (zero: never end), or null for dnsmasq's default.</summary>
    public TimeSpan? DhcpLeaseTime { get; init; }

    /// <summary>Whether the first IPv4 subnet serves DHCP; null when the network has no IPv4 subnet.</summary>
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

    /// <summary>
    /// The host's unique-local global ID (RFC 4193) recorded in KimchiNet's metadata when KimchiNet
    /// planned the network's IPv6 /64 under it; null unless the network's IPv6 subnet really lies
    /// under that ID (a record that does not match the subnet is not trusted).
    /// </summary>
    public ulong? UlaGlobalId { get; init; }

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

    /// <summary>Every subnet the network holds, IPv4 and IPv6, as address/prefix.</summary>
    public IReadOnlyList<string> AllSubnets { get; init; } = Array.Empty<string>();

    /// <summary>The bridge device's name, where the XML names one.</summary>
    public string? BridgeName { get; init; }

    /// <summary>The VLAN tag id, where the network has one.</summary>
    public int? VlanId { get; init; }

    /// <summary>The virtual port type (e.g. "openvswitch"), where present.</summary>
    public string? VirtualPortType { get; init; }

    /// <summary>What KimchiNet changed on the host for this network (from its metadata), or null when it changed nothing.</summary>
    public HostChanges? HostChanges { get; init; }
}
