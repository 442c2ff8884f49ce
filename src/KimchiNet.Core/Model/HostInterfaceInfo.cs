using System;
using System.Collections.Generic;

namespace KimchiNet.Model;

/// <summary>The kind of a host interface, in Kimchi's terms.</summary>
public enum HostInterfaceType
{
    /// <summary>A bare network card (Kimchi: nic).</summary>
    Nic,

    /// <summary>A bond of several NICs (Kimchi: bonding).</summary>
    Bonding,

    /// <summary>A Linux bridge.</summary>
    Bridge,

    /// <summary>An 802.1Q VLAN device on a parent interface.</summary>
    Vlan,

    /// <summary>Anything else (loopback, tun/tap, macvtap, …).</summary>
    Unknown,
}

/// <summary>Whether a host interface is up.</summary>
public enum HostInterfaceStatus
{
    /// <summary>Down (or state unknown).</summary>
    Down,

    /// <summary>Up.</summary>
    Up,
}

/// <summary>A host network interface, as Kimchi's host/interfaces lists it, with what networks it can carry.</summary>
public sealed record HostInterfaceInfo
{
    /// <summary>The device name, e.g. eth0.</summary>
    public required string Name { get; init; }

    /// <summary>The kind of device.</summary>
    public required HostInterfaceType Type { get; init; }

    /// <summary>Whether it is up.</summary>
    public HostInterfaceStatus Status { get; init; }

    /// <summary>Its first IPv4 address, or null.</summary>
    public string? IPv4Address { get; init; }

    /// <summary>The netmask of <see cref="IPv4Address"/> in dotted form (e.g. 255.255.255.0), or null.</summary>
    public string? IPv4Netmask { get; init; }

    /// <summary>The prefix length of <see cref="IPv4Address"/>, or null.</summary>
    public int? IPv4Prefix { get; init; }

    /// <summary>Every IPv4 address of the device as address/prefix (the kernel's view on a local host; libvirt's first one elsewhere); empty when none is known.</summary>
    public IReadOnlyList<string> IPv4Addresses { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Every IPv4 address as address/prefix: <see cref="IPv4Addresses"/> when known, else
    /// <see cref="IPv4Address"/> with its prefix (/32 when none is given); empty when there is none.
    /// </summary>
    internal IReadOnlyList<string> IPv4Cidrs() =>
        IPv4Addresses.Count > 0 ? IPv4Addresses
        : IPv4Address is { } single ? [single + "/" + (IPv4Prefix ?? 32).ToString(System.Globalization.CultureInfo.InvariantCulture)]
        : [];

    /// <summary>The device's IPv6 addresses as address/prefix, link-local ones left out; known on a local host only (from the kernel).</summary>
    public IReadOnlyList<string> IPv6Addresses { get; init; } = Array.Empty<string>();

    /// <summary>The MAC address, where known.</summary>
    public string? Mac { get; init; }

    /// <summary>The ports of a bridge or the slaves of a bond; empty for other kinds.</summary>
    public IReadOnlyList<string> Members { get; init; } = Array.Empty<string>();

    /// <summary>The parent device of a VLAN device, else null.</summary>
    public string? Parent { get; init; }

    /// <summary>The VLAN id of a VLAN device, else null.</summary>
    public int? VlanId { get; init; }

    /// <summary>True for an Open vSwitch bridge (Type is then Bridge); a bridge network on it gets &lt;virtualport type='openvswitch'/&gt;.</summary>
    public bool OpenVSwitch { get; init; }

    /// <summary>True when the device is a port of a bridge.</summary>
    public bool IsBridgePort { get; init; }

    /// <summary>The bridge or bond this device is enslaved to, or null.</summary>
    public string? Master { get; init; }

    /// <summary>The networks that use this device (as a forward device, as their bridge, or under a bridge KimchiNet made); empty when none is known.</summary>
    public IReadOnlyList<string> UsedBy { get; init; } = Array.Empty<string>();

    /// <summary>True when a network uses this device.</summary>
    public bool InUse => UsedBy.Count > 0;

    /// <summary>
    /// The network manager that configures the device (NetworkManager, systemd-networkd, ifupdown,
    /// netplan with its renderer, or none), with its files or profile; null when it is not known: the
    /// host is remote, the test driver, or not on this process's network stack.
    /// </summary>
    public InterfaceOwner? ManagedBy { get; init; }

    /// <summary>The libvirt URI of the host the device was listed on, so the object pipes on by property name.</summary>
    public string? Uri { get; init; }

    /// <summary>The connection types that can be built on this device (see <see cref="Suitability"/>).</summary>
    public IReadOnlyList<ConnectionType> SuitableFor => Suitability(Type, Master is not null || IsBridgePort);

    /// <summary>Kimchi's lower-case name of the type: nic, bonding, bridge, vlan or unknown.</summary>
    public string TypeName => Type.ToString().ToLowerInvariant();

    /// <summary>
    /// Kimchi's rules: macvtap, vepa and passthrough take a bare NIC or a bond; bridge takes a NIC, a
    /// bond or an existing bridge. A device already enslaved to a bridge or bond takes nothing (its
    /// master does), and neither does a VLAN device: Kimchi makes its own VLAN device when a bridge
    /// network asks for a VLAN id, and refuses one as a base (KCHNET0007E, KCHNET0019E).
    /// </summary>
    public static IReadOnlyList<ConnectionType> Suitability(HostInterfaceType type, bool enslaved)
    {
        if (enslaved)
        {
            return Array.Empty<ConnectionType>();
        }

        return type switch
        {
            HostInterfaceType.Nic or HostInterfaceType.Bonding => s_deviceTypes,
            HostInterfaceType.Bridge => s_bridgeOnly,
            _ => Array.Empty<ConnectionType>(),
        };
    }

    private static readonly ConnectionType[] s_deviceTypes =
        { ConnectionType.Macvtap, ConnectionType.Bridge, ConnectionType.Vepa, ConnectionType.Passthrough };

    private static readonly ConnectionType[] s_bridgeOnly = { ConnectionType.Bridge };
}
