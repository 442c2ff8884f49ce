using KimchiNet.Model;
using KimchiNet.Planning;

namespace KimchiNet.Xml;

/// <summary>
/// Facts about the host that <see cref="NetworkXmlBuilder"/> needs beyond the user's
/// <see cref="NetworkSpec"/>; the caller finds them out (subnet planning, bridge discovery).
/// </summary>
public sealed record NetworkBuildOptions
{
    /// <summary>The subnet of a nat or isolated network: the one given, or one planned. When null, the spec's subnet is parsed.</summary>
    public Ipv4Subnet? Subnet { get; init; }

    /// <summary>
    /// For nat and isolated: the bridge name KimchiNet chose, or null to let libvirt pick. For
    /// bridge: the host bridge the network uses (one KimchiNet created over a NIC or bond, or an
    /// existing one); when null the spec's only interface is taken to be that bridge.
    /// </summary>
    public string? BridgeName { get; init; }

    /// <summary>True when the bridge of a bridge network is an Open vSwitch bridge.</summary>
    public bool OpenVSwitch { get; init; }

    /// <summary>What KimchiNet created on the host for a bridge network on a NIC or bond, recorded in the metadata; null when nothing.</summary>
    public HostChanges? Created { get; init; }

    /// <summary>The IPv6 /64 of a nat, isolated, routed or open network: the one given, or one planned. When null, the spec's is parsed (none when it has none).</summary>
    public Ipv6Subnet? Ipv6Subnet { get; init; }

    /// <summary>The host's unique-local global ID the IPv6 subnet was planned under, recorded in the metadata; null when the subnet was given.</summary>
    public ulong? UlaGlobalId { get; init; }

    /// <summary>The network's UUID, or null to let libvirt make one.</summary>
    public string? Uuid { get; init; }
}
