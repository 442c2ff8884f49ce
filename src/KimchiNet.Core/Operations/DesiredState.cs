using System;
using System.Collections.Generic;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>
/// A network as it should be: whether it exists and, when it should, what it is. Every property
/// except <see cref="Name"/> and <see cref="Ensure"/> is optional, and an unset (null) property is
/// "don't care": it is neither compared nor changed. <see cref="Compare"/> says how the host
/// differs; <see cref="Converge"/> makes it so with the fewest steps.
/// </summary>
public sealed partial record DesiredState
{
    /// <summary>Whether the network should exist.</summary>
    public Ensure Ensure { get; init; } = Ensure.Present;

    /// <summary>The network's name (case-sensitive, as libvirt's).</summary>
    public required string Name { get; init; }

    /// <summary>The connection type, or null for any.</summary>
    public ConnectionType? Connection { get; init; }

    /// <summary>The host devices, compared as a set (order and the forward dev do not count), or null for any.</summary>
    public IReadOnlyList<string>? Interfaces { get; init; }

    /// <summary>
    /// The IPv4 subnet of a nat or isolated network, or null for any. Compared as network and prefix;
    /// the gateway counts only when the subnet names a host address (10.1.2.1/24 wants gateway
    /// 10.1.2.1, 10.1.2.0/24 takes whatever gateway the network has).
    /// </summary>
    public string? Subnet { get; init; }

    /// <summary>The VLAN id of a bridge network, or null for any.</summary>
    public int? VlanId { get; init; }

    /// <summary>Whether the network should run, or null for either.</summary>
    public NetworkState? State { get; init; }

    /// <summary>Whether the network should start with the host, or null for either.</summary>
    public bool? Autostart { get; init; }

    /// <summary>The MTU of the bridge of a nat, isolated, routed or open network, or null for any.</summary>
    public int? Mtu { get; init; }

    /// <summary>The DHCP range as START-END, or null for any.</summary>
    public string? DhcpRange { get; init; }

    /// <summary>The DHCP lease time (zero: never ends), or null for any.</summary>
    public TimeSpan? DhcpLeaseTime { get; init; }

    /// <summary>Whether the network serves DHCP, or null for either.</summary>
    public bool? Dhcp { get; init; }

    /// <summary>The IPv6 /64 of a nat, isolated, routed or open network, 'auto' for any IPv6 /64, or null for any (with or without IPv6).</summary>
    public string? Ipv6Subnet { get; init; }

    /// <summary>Whether the IPv6 subnet serves DHCPv6 (false: router advertisements only), or null for either.</summary>
    public bool? Ipv6Dhcp { get; init; }

    /// <summary>Whether a nat network masquerades IPv6, or null for either.</summary>
    public bool? Ipv6Nat { get; init; }

    /// <summary>
    /// A desired state from values as users give them (Test-KimchiNetwork's parameters, the DSC
    /// resource's properties): an empty string, an empty list or a null is "don't care", a null
    /// name is an empty one, and <paramref name="connection"/> is parsed as the cmdlets parse it.
    /// </summary>
    /// <exception cref="KimchiException">KCHNET0012E when <paramref name="connection"/> is not a connection type.</exception>
    public static DesiredState From(
        string? name,
        Ensure ensure = Ensure.Present,
        string? connection = null,
        IReadOnlyList<string>? interfaces = null,
        string? subnet = null,
        int? vlanId = null,
        NetworkState? state = null,
        bool? autostart = null,
        int? mtu = null,
        string? dhcpRange = null,
        TimeSpan? dhcpLeaseTime = null,
        bool? dhcp = null,
        string? ipv6Subnet = null,
        bool? ipv6Dhcp = null,
        bool? ipv6Nat = null) => new()
    {
        Ensure = ensure,
        Name = name ?? string.Empty,
        Connection = string.IsNullOrEmpty(connection) ? null : ConnectionTypes.Parse(connection),
        Interfaces = interfaces is null || interfaces.Count == 0 ? null : interfaces,
        Subnet = string.IsNullOrEmpty(subnet) ? null : subnet,
        VlanId = vlanId,
        State = state,
        Autostart = autostart,
        Mtu = mtu,
        DhcpRange = string.IsNullOrEmpty(dhcpRange) ? null : dhcpRange,
        DhcpLeaseTime = dhcpLeaseTime,
        Dhcp = dhcp,
        Ipv6Subnet = string.IsNullOrEmpty(ipv6Subnet) ? null : ipv6Subnet,
        Ipv6Dhcp = ipv6Dhcp,
        Ipv6Nat = ipv6Nat,
    };
}
