using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;

namespace KimchiNet.Xml;

/// <summary>
/// Turns what the user asked for (<see cref="NetworkSpec"/>) plus host facts
/// (<see cref="NetworkBuildOptions"/>) into the libvirt network XML model. The spec must already
/// be valid (<see cref="Validation.NetworkSpecValidator"/>). Each connection type has one method.
/// </summary>
public static class NetworkXmlBuilder
{
    /// <summary>Builds the network XML for a valid spec.</summary>
    /// <exception cref="ArgumentException">A nat or isolated spec has neither a subnet nor <see cref="NetworkBuildOptions.Subnet"/>, or a bridge spec names no bridge.</exception>
    public static NetworkXml Build(NetworkSpec spec, NetworkBuildOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var network = new NetworkXml
        {
            Name = spec.Name,
            Uuid = options.Uuid,
            Metadata = new NetworkMetadataXml { KimchiNet = BuildMetadata(spec, options) },
            PortGroups = (spec.PortGroups ?? []).Select(ToXml).ToArray(),
        };

        return spec.Connection switch
        {
            ConnectionType.Isolated or ConnectionType.Nat or ConnectionType.Routed or ConnectionType.Open => WithPrivateBridge(network, spec, options),
            ConnectionType.Macvtap => WithMacvtap(network, spec),
            ConnectionType.Bridge => WithHostBridge(network, spec, options),
            ConnectionType.Vepa => WithDevicePool(network, "vepa", spec),
            ConnectionType.Passthrough => WithDevicePool(network, "passthrough", spec),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Connection, "Unknown connection type."),
        };
    }

    /// <summary>
    /// Nat, isolated, routed and open: a private bridge that libvirt addresses. Isolated has no
    /// &lt;forward&gt;; the others have &lt;forward mode="nat"|"route"|"open"/&gt;, and a routed network
    /// bound to a device &lt;forward mode="route" dev=DEV/&gt;. All get &lt;ip address=GATEWAY netmask=MASK&gt;
    /// with one DHCP range (the given one, or one from the subnet; with a &lt;lease&gt; when a lease time
    /// is given; no &lt;dhcp&gt; at all when DHCP is off), &lt;mtu size=N/&gt; when an MTU is given, and
    /// &lt;bridge name=.. stp="on" delay="0"/&gt; when KimchiNet chose a bridge name (otherwise libvirt picks virbrN).
    /// </summary>
    private static NetworkXml WithPrivateBridge(NetworkXml network, NetworkSpec spec, NetworkBuildOptions options)
    {
        var forwardMode = spec.Connection.PrivateForwardMode();
        var subnet = options.Subnet
            ?? (spec.Subnet is not null
                ? Ipv4Subnet.Parse(spec.Subnet)
                : throw new ArgumentException($"A {spec.Connection.ToKimchiName()} network needs a subnet: plan one and pass it in the options.", nameof(options)));
        var ip = new NetworkIpXml
        {
            Address = Ipv4Subnet.FormatAddress(subnet.Gateway),
            Netmask = Ipv4Subnet.FormatAddress(subnet.Netmask),
            Dhcp = spec.Dhcp == false ? null : new NetworkDhcpXml
            {
                Ranges = [DhcpRange(spec, subnet)],
                OtherElements = (spec.DhcpReservations ?? []).Select(r => NetworkXmlWriter.ToElement(ToXml(r))).ToArray(),
            },
        };

        var ipv6 = Ipv6(spec, options);
        return network with
        {
            Forward = forwardMode is null ? null : new NetworkForwardXml
            {
                Mode = forwardMode,
                Dev = spec.InterfacesOrEmpty.SingleOrDefault(),
                OtherElements = ipv6 is not null && spec.Ipv6Nat == true ? [new XElement("nat", new XAttribute("ipv6", "yes"))] : [],
            },
            Bridge = options.BridgeName is null ? null : new NetworkBridgeXml { Name = options.BridgeName, Stp = "on", Delay = 0 },
            Mtu = spec.Mtu is { } mtu ? (uint)mtu : null,
            Domain = Domain(spec.Domain, spec.DomainLocalOnly),
            Dns = Dns(spec.Dns, spec.DnsHosts, spec.DnsForwarders),
            Ips = ipv6 is null ? [ip] : [ip, ipv6],
        };
    }

    /// <summary>
    /// The IPv6 &lt;ip family="ipv6" address=::1 prefix="64"&gt; of the spec's (or the planned) /64,
    /// with a DHCPv6 range ::100 to ::1ff, or without &lt;dhcp&gt; (router advertisements only, for
    /// SLAAC) when -Ipv6Dhcp is false; null when the network has no IPv6.
    /// </summary>
    private static NetworkIpXml? Ipv6(NetworkSpec spec, NetworkBuildOptions options)
    {
        var subnet = options.Ipv6Subnet
            ?? (spec.Ipv6Subnet is null ? null
                : !spec.PlansIpv6Subnet && Ipv6Subnet.TryParse(spec.Ipv6Subnet, out var given, out _) ? given
                : throw new ArgumentException("The network's IPv6 subnet is planned: plan one and pass it in the options.", nameof(options)));
        if (subnet is not { } six)
        {
            return null;
        }

        return new NetworkIpXml
        {
            Family = "ipv6",
            Address = Ipv6Subnet.FormatAddress(six.Gateway),
            Prefix = Ipv6Subnet.Prefix,
            Dhcp = spec.Ipv6Dhcp == false ? null : new NetworkDhcpXml
            {
                Ranges = [new NetworkDhcpRangeXml { Start = Ipv6Subnet.FormatAddress(six.DhcpStart), End = Ipv6Subnet.FormatAddress(six.DhcpEnd) }],
            },
        };
    }

    /// <summary>&lt;domain name=.. localOnly="yes"/&gt; when a domain is given (localOnly only when asked for), else null.</summary>
    internal static NetworkDomainXml? Domain(string? name, bool? localOnly) =>
        name is null ? null : new NetworkDomainXml { Name = name, LocalOnly = localOnly == true ? "yes" : null };

    /// <summary>
    /// &lt;dns enable="no"/&gt; when DNS is off; &lt;dns&gt; with a &lt;forwarder&gt; per forwarder and a
    /// &lt;host ip=..&gt;&lt;hostname&gt;..&lt;/hostname&gt;&lt;/host&gt; per record when either is given; else
    /// null (libvirt's default: DNS on, nothing of its own).
    /// </summary>
    internal static NetworkDnsXml? Dns(bool? enabled, IReadOnlyList<DnsHostRecord>? hosts, IReadOnlyList<DnsForwarder>? forwarders)
    {
        if (enabled == false)
        {
            return new NetworkDnsXml { Enable = "no" };
        }

        return hosts is not { Count: > 0 } && forwarders is not { Count: > 0 }
            ? null
            : new NetworkDnsXml
            {
                Forwarders = (forwarders ?? []).Select(ToXml).ToArray(),
                Hosts = (hosts ?? []).Select(ToXml).ToArray(),
            };
    }

    /// <summary>A DNS host record as libvirt's &lt;host ip=..&gt; with one &lt;hostname&gt; per name.</summary>
    internal static NetworkDnsHostXml ToXml(DnsHostRecord record) => new() { Ip = record.Address, Hostnames = record.Names.ToArray() };

    /// <summary>
    /// A DHCP reservation as libvirt's &lt;host mac=.. name=.. ip=..&gt; with a &lt;lease&gt; when it has its
    /// own lease time (as Add-KimchiDhcpReservation writes it): the MAC address in libvirt's spelling,
    /// the address in dotted form.
    /// </summary>
    public static NetworkDhcpHostXml ToXml(DhcpReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return new NetworkDhcpHostXml
        {
            Mac = DhcpReservation.NormalizeMac(reservation.MacAddress) ?? reservation.MacAddress,
            Name = reservation.HostName,
            Ip = Ipv4Subnet.TryParseAddress(reservation.IPAddress, out var address) ? Ipv4Subnet.FormatAddress(address) : reservation.IPAddress,
            Lease = reservation.LeaseTime is { } lease ? NetworkDhcpLeaseXml.FromLeaseTime(lease) : null,
        };
    }

    /// <summary>A port group as libvirt's &lt;portgroup name=.. default="yes"&gt; with &lt;vlan&gt;&lt;tag id=N/&gt;&lt;/vlan&gt; when it has a VLAN id.</summary>
    internal static NetworkPortGroupXml ToXml(PortGroup portGroup) => new()
    {
        Name = portGroup.Name,
        Default = portGroup.Default ? "yes" : null,
        Vlan = portGroup.VlanId is { } vlan ? new NetworkVlanXml { Tags = [new NetworkVlanTagXml { Id = (uint)vlan }] } : null,
    };

    /// <summary>A &lt;portgroup&gt; as the port group KimchiNet models: its name, whether it is the default, and the VLAN id of a &lt;vlan&gt; with one tag and no trunk (else none).</summary>
    internal static PortGroup ToPortGroup(NetworkPortGroupXml portGroup) => new()
    {
        Name = portGroup.Name ?? string.Empty,
        Default = portGroup.Default == "yes",
        VlanId = portGroup.Vlan is { Trunk: null, Tags: [{ Id: { } id and <= int.MaxValue }] } ? (int)id : null,
    };

    private static NetworkDnsForwarderXml ToXml(DnsForwarder forwarder) => new() { Addr = forwarder.Address, Domain = forwarder.Domain };

    /// <summary>The DHCP range: the spec's START-END when given, else the upper half of the subnet; with the lease time when given.</summary>
    private static NetworkDhcpRangeXml DhcpRange(NetworkSpec spec, Ipv4Subnet subnet)
    {
        var (start, end) = spec.DhcpRange is not null && Ipv4Subnet.TryParseAddressRange(spec.DhcpRange, out var s, out var e)
            ? (s, e)
            : (subnet.DhcpStart, subnet.DhcpEnd);
        return new NetworkDhcpRangeXml
        {
            Start = Ipv4Subnet.FormatAddress(start),
            End = Ipv4Subnet.FormatAddress(end),
            Lease = spec.DhcpLeaseTime is { } lease ? NetworkDhcpLeaseXml.FromLeaseTime(lease) : null,
        };
    }

    /// <summary>Macvtap: &lt;forward mode="bridge"&gt; with the one device as &lt;interface dev=../&gt;; guests get a macvtap in bridge mode on it.</summary>
    private static NetworkXml WithMacvtap(NetworkXml network, NetworkSpec spec) => network with
    {
        Forward = new NetworkForwardXml
        {
            Mode = "bridge",
            Interfaces = [new NetworkForwardInterfaceXml { Dev = spec.InterfacesOrEmpty.Single() }],
        },
    };

    /// <summary>
    /// Bridge: &lt;forward mode="bridge"/&gt; and &lt;bridge name=BRIDGE/&gt;. On Open vSwitch it adds
    /// &lt;virtualport type="openvswitch"/&gt; and, with a VLAN id, &lt;vlan&gt;&lt;tag id=N/&gt;&lt;/vlan&gt;
    /// (OVS tags the port). On a Linux bridge there is no &lt;vlan&gt;: libvirt refuses it there, so the
    /// VLAN lives on the VLAN device KimchiNet made under the bridge, and the metadata records it.
    /// </summary>
    private static NetworkXml WithHostBridge(NetworkXml network, NetworkSpec spec, NetworkBuildOptions options)
    {
        var bridge = options.BridgeName
            ?? spec.InterfacesOrEmpty.SingleOrDefault()
            ?? throw new ArgumentException("A bridge network needs the name of its host bridge.", nameof(options));
        var openVSwitch = options.OpenVSwitch;
        return network with
        {
            Forward = new NetworkForwardXml { Mode = "bridge" },
            Bridge = new NetworkBridgeXml { Name = bridge },
            VirtualPort = openVSwitch ? new NetworkVirtualPortXml { Type = "openvswitch" } : null,
            Vlan = openVSwitch && spec.VlanId is { } vlan
                ? new NetworkVlanXml { Tags = [new NetworkVlanTagXml { Id = (uint)vlan }] }
                : null,
        };
    }

    /// <summary>
    /// Vepa and passthrough: &lt;forward mode=..&gt; with one &lt;interface dev=../&gt; per device, in
    /// the order given. Kimchi also set forward/@dev to the first device; libvirt does not need it
    /// with a device pool, so KimchiNet leaves it out and the pool is the one source of truth.
    /// </summary>
    private static NetworkXml WithDevicePool(NetworkXml network, string mode, NetworkSpec spec) => network with
    {
        Forward = new NetworkForwardXml
        {
            Mode = mode,
            Interfaces = spec.InterfacesOrEmpty.Select(dev => new NetworkForwardInterfaceXml { Dev = dev }).ToArray(),
        },
    };

    /// <summary>
    /// KimchiNet's own record: the connection type as asked for, the interfaces as given, the VLAN
    /// id, and what was created on the host, so that a later read or removal need not guess.
    /// </summary>
    /// <summary>The name <c>&lt;kimchinet:manager&gt;</c> gives systemd-networkd.</summary>
    internal const string NetworkdManagerName = "networkd";

    /// <summary>The name <c>&lt;kimchinet:manager&gt;</c> gives ifupdown.</summary>
    internal const string IfupdownManagerName = "ifupdown";

    /// <summary>The name <c>&lt;kimchinet:manager&gt;</c> gives NetworkManager.</summary>
    internal const string NetworkManagerName = "NetworkManager";

    /// <summary>The name <c>&lt;kimchinet:manager&gt;</c> gives netplan.</summary>
    internal const string NetplanManagerName = "netplan";

    /// <summary>The name <c>&lt;kimchinet:manager&gt;</c> gives <paramref name="manager"/>, or null for none.</summary>
    internal static string? ManagerName(HostNetworkManager? manager) => manager switch
    {
        HostNetworkManager.Networkd => NetworkdManagerName,
        HostNetworkManager.Ifupdown => IfupdownManagerName,
        HostNetworkManager.NetworkManager => NetworkManagerName,
        HostNetworkManager.Netplan => NetplanManagerName,
        _ => null,
    };

    /// <summary>The manager a <c>&lt;kimchinet:manager&gt;</c> name stands for, or null.</summary>
    internal static HostNetworkManager? ManagerOf(string? name) => name switch
    {
        NetworkdManagerName => HostNetworkManager.Networkd,
        IfupdownManagerName => HostNetworkManager.Ifupdown,
        NetworkManagerName => HostNetworkManager.NetworkManager,
        NetplanManagerName => HostNetworkManager.Netplan,
        _ => null,
    };

    private static NetworkMetadataKimchiNetXml BuildMetadata(NetworkSpec spec, NetworkBuildOptions options) => new()
    {
        Connection = spec.Connection.ToKimchiName(),
        Interfaces = spec.InterfacesOrEmpty.ToArray(),
        VlanId = spec.VlanId,
        UlaGlobalId = options.UlaGlobalId is { } globalId ? UlaPlanner.FormatGlobalId(globalId) : null,
        Created = CreatedRecord(options.Created),
    };

    /// <summary>KimchiNet's record of what was made on the host (<c>&lt;kimchinet:created&gt;</c>), or null when nothing was.</summary>
    internal static NetworkMetadataKimchiNetCreatedXml? CreatedRecord(HostChanges? changes) =>
        changes is { } created
            ? new NetworkMetadataKimchiNetCreatedXml
            {
                Bridge = created.CreatedBridge,
                BridgeMac = created.BridgeMac,
                BridgeIfindex = created.BridgeIfindex,
                VlanDevice = created.CreatedVlan?.Name,
                VlanParent = created.CreatedVlan?.Parent,
                VlanId = created.CreatedVlan?.Id,
                MovedAddresses = created.MovedAddresses.ToArray(),
                Manager = ManagerName(created.Manager),
                ManagerRenderer = ManagerName(created.Renderer),
                ManagerFiles = created.ManagerFiles.Select(f => (f.Path, f.Kept)).ToArray(),
            }
            : null;
}
