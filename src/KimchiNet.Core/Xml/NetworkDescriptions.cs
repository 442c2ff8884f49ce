using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using KimchiNet.Model;
using KimchiNet.Planning;

namespace KimchiNet.Xml;

/// <summary>Describes what libvirt has for a network, from its XML, in KimchiNet's terms.</summary>
public static class NetworkDescriptions
{
    /// <summary>The description of a network read by <see cref="NetworkXmlReader"/>.</summary>
    public static NetworkDescription FromXml(NetworkXml network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var record = network.Metadata?.KimchiNet;
        var connection = DetectConnection(network);
        var ipv4 = network.Ips.FirstOrDefault(IsIpv4WithAddress);
        var range = ipv4?.Dhcp?.Ranges.FirstOrDefault();
        var ipv6 = network.Ips.FirstOrDefault(IsIpv6WithAddress);
        var range6 = ipv6?.Dhcp?.Ranges.FirstOrDefault();
        var subnet6 = ipv6 is null ? null : Subnet(ipv6);
        return new NetworkDescription
        {
            Name = network.Name,
            Uuid = network.Uuid,
            Connection = connection,
            ForwardMode = network.Forward?.Mode,
            Interfaces = Interfaces(network, connection),
            Subnet = ipv4 is null ? null : Subnet(ipv4),
            Gateway = ipv4?.Address,
            DhcpStart = range?.Start,
            DhcpEnd = range?.End,
            DhcpLeaseTime = range?.Lease?.ToLeaseTime(),
            Dhcp = ipv4 is null ? null : ipv4.Dhcp is not null,
            Ipv6Subnet = subnet6,
            Ipv6Gateway = ipv6?.Address,
            Ipv6Dhcp = ipv6 is null ? null : ipv6.Dhcp is not null,
            Ipv6DhcpStart = range6?.Start,
            Ipv6DhcpEnd = range6?.End,
            Ipv6Nat = ipv6 is null || connection != ConnectionType.Nat ? null : Ipv6Nat(network.Forward),
            UlaGlobalId = UlaGlobalId(record?.UlaGlobalId, subnet6),
            Mtu = network.Mtu is { } mtu and <= int.MaxValue ? (int)mtu : null,
            Dns = network.Ips.Any(ip => ip.Address is not null) ? network.Dns?.Enable != "no" : null,
            DhcpReservations = network.Ips
                .Where(ip => ip.Family is null or "ipv4")
                .SelectMany(ip => ip.Dhcp?.Hosts ?? [])
                .Select(h => new DhcpReservation { MacAddress = h.Mac, IPAddress = h.Ip, HostName = h.Name, LeaseTime = h.Lease?.ToLeaseTime() })
                .ToArray(),
            DnsHosts = network.Dns?.Hosts.Select(h => new DnsHostRecord { Address = h.Ip ?? string.Empty, Names = h.Hostnames }).ToArray() ?? [],
            DnsForwarders = network.Dns?.Forwarders.Select(f => new DnsForwarder { Address = f.Addr, Domain = f.Domain }).ToArray() ?? [],
            Domain = network.Domain?.Name,
            DomainLocalOnly = network.Domain is null ? null : network.Domain.LocalOnly == "yes",
            PortGroups = network.PortGroups.Select(NetworkXmlBuilder.ToPortGroup).ToArray(),
            AllSubnets = network.Ips.Select(Subnet).OfType<string>().ToArray(),
            BridgeName = network.Bridge?.Name,
            VlanId = network.Vlan?.Tags.FirstOrDefault()?.Id is { } tag ? (int)tag : record?.VlanId,
            VirtualPortType = network.VirtualPort?.Type,
            HostChanges = HostChanges(record?.Created),
        };
    }

    /// <summary>
    /// Kimchi's connection type from libvirt's forward mode. No forward is isolated; no mode or
    /// "nat" is nat; "bridge" with a bridge name is bridge, and with devices is macvtap; "vepa" and
    /// "passthrough" are themselves; "route" is routed and "open" open. Anything else (hostdev,
    /// private, a future mode, or "bridge" with neither) has no name and gives null: reported, not guessed.
    /// </summary>
    private static ConnectionType? DetectConnection(NetworkXml network)
    {
        var forward = network.Forward;
        if (forward is null)
        {
            return ConnectionType.Isolated;
        }

        return forward.Mode switch
        {
            null or "nat" => ConnectionType.Nat,
            "bridge" when network.Bridge?.Name is not null => ConnectionType.Bridge,
            "bridge" when forward.Dev is not null || forward.Interfaces.Count > 0 => ConnectionType.Macvtap,
            "vepa" => ConnectionType.Vepa,
            "passthrough" => ConnectionType.Passthrough,
            "route" => ConnectionType.Routed,
            "open" => ConnectionType.Open,
            _ => null,
        };
    }

    /// <summary>
    /// The host devices: forward/@dev then each forward/interface/@dev, without repeats. For a bridge
    /// network it is the NIC or bond from KimchiNet's record when KimchiNet created the bridge, else
    /// the bridge itself.
    /// </summary>
    private static IReadOnlyList<string> Interfaces(NetworkXml network, ConnectionType? connection)
    {
        if (connection == ConnectionType.Bridge)
        {
            var record = network.Metadata?.KimchiNet;
            var bridge = network.Bridge!.Name!;
            return record is { Interfaces.Count: > 0 } && record.Created?.Bridge == bridge
                ? record.Interfaces.ToArray()
                : [bridge];
        }

        var forward = network.Forward;
        if (forward is null)
        {
            return [];
        }

        var devices = new List<string>();
        if (forward.Dev is not null)
        {
            devices.Add(forward.Dev);
        }

        devices.AddRange(forward.Interfaces.Select(i => i.Dev));
        return devices.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>True when the forward element has &lt;nat ipv6="yes"/&gt;.</summary>
    private static bool Ipv6Nat(NetworkForwardXml? forward) =>
        forward?.OtherElements.Any(e => e.Name == "nat" && string.Equals((string?)e.Attribute("ipv6"), "yes", StringComparison.Ordinal)) == true;

    /// <summary>The recorded global ID when the network's IPv6 subnet lies under it (fd + ID); null otherwise.</summary>
    private static ulong? UlaGlobalId(string? recorded, string? subnet) =>
        UlaPlanner.TryParseGlobalId(recorded, out var id)
        && Ipv6Range.TryParse(subnet, out var range)
        && UlaPlanner.GlobalIdOf(range.First) == id
            ? id
            : null;

    private static bool IsIpv6WithAddress(NetworkIpXml ip) =>
        ip.Family == "ipv6" && ip.Address is not null && Ipv6Subnet.TryParseAddress(ip.Address, out _);

    private static bool IsIpv4WithAddress(NetworkIpXml ip) =>
        ip.Family is null or "ipv4" && ip.Address is not null && Ipv4Subnet.TryParseAddress(ip.Address, out _);

    /// <summary>The ip element as network/prefix (IPv4 or IPv6), or null when it cannot be read.</summary>
    private static string? Subnet(NetworkIpXml ip)
    {
        if (ip.Address is null || !IPAddress.TryParse(ip.Address, out var address))
        {
            return null;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        int prefix;
        if (ip.Prefix is { } given)
        {
            prefix = (int)given;
        }
        else if (ip.Netmask is not null && Ipv4Subnet.TryParseAddress(ip.Netmask, out var mask) && Ipv4Subnet.MaskToPrefix(mask) is >= 0 and var fromMask)
        {
            prefix = fromMask;
        }
        else if (bits == 32)
        {
            prefix = ClassfulPrefix(address.GetAddressBytes()[0]);
        }
        else
        {
            prefix = 64; // libvirt's default for an IPv6 address without a prefix
        }

        if (prefix > bits)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{new IPAddress(bytes)}/{prefix}");
    }

    /// <summary>libvirt's default IPv4 prefix when neither netmask nor prefix is given: the old address class.</summary>
    private static int ClassfulPrefix(byte first) => first < 128 ? 8 : first < 192 ? 16 : 24;

    private static HostChanges? HostChanges(NetworkMetadataKimchiNetCreatedXml? created) => created is null
        ? null
        : new HostChanges
        {
            CreatedBridge = created.Bridge,
            BridgeMac = created.BridgeMac,
            BridgeIfindex = created.BridgeIfindex,
            CreatedVlan = created is { VlanDevice: { } dev, VlanParent: { } parent, VlanId: { } id } ? new HostVlanDevice(dev, parent, id) : null,
            MovedAddresses = created.MovedAddresses.ToArray(),
            Manager = NetworkXmlBuilder.ManagerOf(created.Manager),
            Renderer = NetworkXmlBuilder.ManagerOf(created.ManagerRenderer),
            ManagerFiles = created.ManagerFiles.Select(f => new ManagerFileChange(f.Path, f.Kept)).ToArray(),
        };
}
