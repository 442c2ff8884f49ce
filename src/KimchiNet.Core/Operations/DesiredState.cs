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
}
