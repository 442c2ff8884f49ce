using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// What a plan checks a specification against, read once per plan: every network (one
/// ListNetworks) and, when the plan needs them, the host interfaces (one ListInterfaces). One
/// network may be ignored (an update's own), so its devices and subnet are no conflict.
/// </summary>
internal sealed class HostFacts
{
    /// <summary>The prefix of the bridge names KimchiNet chooses for nat and isolated networks, as libvirt's own.</summary>
    internal const string BridgePrefix = "virbr";

    private static readonly HashSet<string> s_deviceForwardModes = new(StringComparer.Ordinal)
    {
        "bridge", "vepa", "passthrough", "private", "hostdev",
    };

    private readonly string? _ignored;

    private HostFacts(IReadOnlyList<(NetworkRecord Record, NetworkDescription Description)> networks, HostNetworkView? view, string? ignored)
    {
        Networks = networks;
        View = view;
        if (view is not null)
        {
            var interfaces = new Dictionary<string, HostInterfaceInfo>(StringComparer.Ordinal);
            foreach (var item in view.Interfaces)
            {
                interfaces.TryAdd(item.Name, item);
            }

            Interfaces = interfaces;
        }

        _ignored = ignored;
    }

    /// <summary>The host's network view (interfaces, routes, whether addresses are known); null when the interfaces were not listed.</summary>
    public HostNetworkView? View { get; }

    /// <summary>True when the host's addresses are known (or were not asked for), so subnets can be checked against them.</summary>
    public bool AddressesKnown => View?.AddressesKnown ?? true;

    /// <summary>The warning for a subnet (<paramref name="subnet"/> names it: 'subnet 10.0.0.0/24', 'IPv6 subnet fd00::/64') that could not be checked against the host's addresses.</summary>
    private static string UncheckedSubnetWarning(string subnet, string uri) =>
        $"The addresses of host '{DisplayText.Printable(uri)}' could not be read (libvirt's interface backend reports none, and this machine is not that host's network stack), so {subnet} was not checked against them.";

    /// <summary>
    /// One <see cref="UncheckedSubnetWarning"/> for each of the given IPv4 and IPv6 subnets when the
    /// host's addresses are unknown (a planned subnet is refused then, so these were given); none when they are known.
    /// </summary>
    public IReadOnlyList<string> UncheckedSubnetWarnings(Ipv4Subnet? subnet, Ipv6Subnet? ipv6, string uri)
    {
        var warnings = new List<string>();
        if (AddressesKnown)
        {
            return warnings;
        }

        if (subnet is { } four)
        {
            warnings.Add(UncheckedSubnetWarning($"subnet {four}", uri));
        }

        if (ipv6 is { } six)
        {
            warnings.Add(UncheckedSubnetWarning($"IPv6 subnet {six}", uri));
        }

        return warnings;
    }

    /// <summary>Every network, the ignored one included, with its description.</summary>
    public IReadOnlyList<(NetworkRecord Record, NetworkDescription Description)> Networks { get; }

    /// <summary>The host interfaces by name; null when they were not listed.</summary>
    public IReadOnlyDictionary<string, HostInterfaceInfo>? Interfaces { get; }

    /// <summary>For tests: facts from given networks and a given host view.</summary>
    internal static HostFacts From(IReadOnlyList<NetworkRecord> networks, HostNetworkView? view, string? ignoredNetwork = null) =>
        new(networks.Select(r => (r, NetworkDescriptions.FromXml(NetworkXmlReader.Read(r.Xml)))).ToArray(), view, ignoredNetwork);

    /// <summary>Reads the networks and, when <paramref name="listInterfaces"/>, the host interfaces.</summary>
    public static HostFacts Read(LibvirtConnection connection, bool listInterfaces, string? ignoredNetwork = null)
    {
        var networks = connection.ListNetworks()
            .Select(r => (r, NetworkDescriptions.FromXml(NetworkXmlReader.Read(r.Xml))))
            .ToArray();
        var view = listInterfaces ? HostInterfaces.Read(connection) : null;
        return new HostFacts(networks, view, ignoredNetwork);
    }

    /// <summary>The networks other than the ignored one.</summary>
    public IEnumerable<(NetworkRecord Record, NetworkDescription Description)> Others =>
        Networks.Where(n => !string.Equals(n.Record.Name, _ignored, StringComparison.Ordinal));

    /// <summary>KCHNET0001E when another network has the name.</summary>
    public ValidationError? CheckNameFree(string name) =>
        Others.Any(n => string.Equals(n.Record.Name, name, StringComparison.Ordinal))
            ? new ValidationError(ErrorCodes.NetworkExists, "Name", name, $"A network named '{DisplayText.Printable(name)}' already exists.", ErrorKind.AlreadyExists)
            : null;

    /// <summary>
    /// Checks each interface of a device-based spec, stopping at the first broken rule per interface:
    /// it exists (KCHNET0102E), it has a kind the connection takes (KCHNET0028E, KCHNET0007E,
    /// KCHNET0019E for a VLAN id on a bridge or VLAN device), and no other network uses it
    /// (KCHNET0006E: its forward devices, or any network's bridge). A routed network's device need only exist.
    /// </summary>
    public List<ValidationError> CheckInterfaces(NetworkSpec spec)
    {
        var interfaces = Interfaces ?? throw new InvalidOperationException("The host interfaces were not listed.");
        var usedBy = UsedDevices();
        var errors = new List<ValidationError>();
        var connection = spec.Connection.ToKimchiName();
        foreach (var name in spec.InterfacesOrEmpty)
        {
            var shown = DisplayText.Printable(name);
            if (!interfaces.TryGetValue(name, out var device))
            {
                errors.Add(new(ErrorCodes.InterfaceNotFound, "Interfaces", name, $"Interface '{shown}' does not exist on the libvirt host.", ErrorKind.NotFound));
                continue;
            }

            if (spec.Connection == ConnectionType.Routed)
            {
                // A routed network only routes out of the device: any kind, shared with other networks.
                continue;
            }

            var kind = KindError(spec, device, shown, connection);
            if (kind is not null)
            {
                errors.Add(kind);
            }
            else if (usedBy.TryGetValue(name, out var other))
            {
                errors.Add(new(ErrorCodes.InterfaceInUse, "Interfaces", name, $"Interface '{shown}' is already used by network '{DisplayText.Printable(other)}'.", ErrorKind.Conflict));
            }
        }

        return errors;
    }

    /// <summary>
    /// The subnet of a nat or isolated spec: the given one unless it overlaps another network's
    /// IPv4 subnet, a host interface's address or a host route (KCHNET0003E naming what it
    /// overlaps), else the first free /24 (KCHNET0009E when none is left; KCHNET0120E when the
    /// host's addresses are unknown, so no subnet could be checked against them).
    /// </summary>
    public Ipv4Subnet? ResolveSubnet(string? requested, List<ValidationError> errors)
    {
        var used = UsedRanges();
        var ranges = used.Select(u => u.Range).ToArray();
        if (requested is null)
        {
            if (!AddressesKnown)
            {
                errors.Add(new(ErrorCodes.HostAddressesUnknown, "Subnet", null,
                    "No subnet was planned: the host's addresses could not be read (libvirt's interface backend reports none, and this machine is not that host's network stack), so no subnet could be checked against them. Give a subnet explicitly.",
                    ErrorKind.InvalidState));
                return null;
            }

            try
            {
                return SubnetPlanner.FindFreeSubnet(ranges);
            }
            catch (KimchiException e)
            {
                errors.Add(new(e.Code, "Subnet", null, e.Message, e.Kind));
                return null;
            }
        }

        var subnet = Ipv4Subnet.Parse(requested);
        if (SubnetPlanner.FindOverlap(subnet, ranges) is { } overlap)
        {
            var owner = used.First(u => u.Range == overlap).Owner;
            errors.Add(new(ErrorCodes.InvalidSubnet, "Subnet", requested, $"Subnet {SubnetText(requested, subnet)} overlaps {owner}: choose another subnet.", ErrorKind.Conflict));
        }

        return subnet;
    }

    /// <summary>
    /// The host's unique-local global ID (RFC 4193): the one recorded in the KimchiNet metadata of
    /// a network whose IPv6 /64 KimchiNet planned under it (the first such network by name; a record
    /// that does not match its network's subnet is ignored), else null. Kept there, not in a file, so
    /// that it belongs to the libvirt host whatever the URI (local, remote, test driver), and only a
    /// user who may define networks on that host (root's equal) can write it.
    /// </summary>
    public ulong? UlaGlobalId =>
        Networks.OrderBy(n => n.Record.Name, StringComparer.Ordinal)
            .Select(n => n.Description.UlaGlobalId)
            .FirstOrDefault(id => id is not null);

    /// <summary>
    /// The IPv6 /64 of a spec: the given one unless it overlaps another network's IPv6 subnet, a host
    /// interface's IPv6 address or a host route (KCHNET0128E naming what); for 'auto' the lowest free
    /// /64 under <paramref name="globalId"/> (KCHNET0009E when none is left; KCHNET0120E when the
    /// host's addresses are unknown). Null when the spec has no IPv6.
    /// </summary>
    public Ipv6Subnet? ResolveIpv6Subnet(NetworkSpec spec, ulong globalId, List<ValidationError> errors)
    {
        if (spec.Ipv6Subnet is not { } requested)
        {
            return null;
        }

        var used = UsedIpv6Ranges();
        if (spec.PlansIpv6Subnet)
        {
            if (!AddressesKnown)
            {
                errors.Add(new(ErrorCodes.HostAddressesUnknown, "Ipv6Subnet", requested,
                    "No IPv6 subnet was planned: the host's addresses could not be read, so no subnet could be checked against them. Give an IPv6 subnet explicitly.",
                    ErrorKind.InvalidState));
                return null;
            }

            if (UlaPlanner.TryFindFreeSubnet(globalId, used.Select(u => u.Range), out var planned))
            {
                return planned;
            }

            errors.Add(new(ErrorCodes.NoFreeSubnet, "Ipv6Subnet", requested,
                $"No free /64 is left under the host's unique-local prefix {Ipv6Subnet.FormatAddress(UlaPlanner.SitePrefix(globalId))}/48: each one overlaps a subnet or address in use. Give an IPv6 subnet explicitly.",
                ErrorKind.Conflict));
            return null;
        }

        Ipv6Subnet.TryParse(requested, out var subnet, out _);
        if (FindIpv6Overlap(subnet) is { } owner)
        {
            errors.Add(new(ErrorCodes.Ipv6SubnetOverlap, "Ipv6Subnet", requested,
                $"IPv6 subnet {Ipv6SubnetText(requested, subnet)} overlaps {owner}: choose another IPv6 subnet.", ErrorKind.Conflict));
        }

        return subnet;
    }

    /// <summary>'fd12:3456:789a:1::/64' as given; with what it was read as only when that differs.</summary>
    internal static string Ipv6SubnetText(string requested, Ipv6Subnet subnet)
    {
        var shown = $"'{DisplayText.Printable(requested)}'";
        var read = subnet.ToString();
        return string.Equals(requested, read, StringComparison.OrdinalIgnoreCase) ? shown : $"{shown} ({read})";
    }

    /// <summary>What <paramref name="subnet"/> overlaps (another network's IPv6 subnet, a host interface's IPv6 address or a host route), described; null when nothing.</summary>
    public string? FindIpv6Overlap(Ipv6Subnet subnet) =>
        UsedIpv6Ranges().Where(u => subnet.Overlaps(u.Range)).Select(u => u.Owner).FirstOrDefault();

    private List<(Ipv6Range Range, string Owner)> UsedIpv6Ranges()
    {
        var used = new List<(Ipv6Range, string)>();
        foreach (var (record, description) in Others.OrderBy(n => n.Record.Name, StringComparer.Ordinal))
        {
            foreach (var subnet in description.AllSubnets)
            {
                if (Ipv6Range.TryParse(subnet, out var range))
                {
                    used.Add((range, $"IPv6 subnet {subnet} of network '{DisplayText.Printable(record.Name)}'"));
                }
            }
        }

        var ignoredBridge = Networks.Where(n => string.Equals(n.Record.Name, _ignored, StringComparison.Ordinal))
            .Select(n => n.Description.BridgeName).FirstOrDefault();
        foreach (var device in Interfaces?.Values ?? Enumerable.Empty<HostInterfaceInfo>())
        {
            if (ignoredBridge is not null && string.Equals(device.Name, ignoredBridge, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var address in device.IPv6Addresses)
            {
                if (Ipv6Range.TryParse(address, out var range))
                {
                    used.Add((range, $"address {address} of host interface '{DisplayText.Printable(device.Name)}'"));
                }
            }
        }

        foreach (var route in View?.Routes ?? Array.Empty<HostRouteInfo>())
        {
            // A default route (::/0) covers everything and says nothing about what is in use here.
            if ((ignoredBridge is null || !string.Equals(route.Device, ignoredBridge, StringComparison.Ordinal))
                && Ipv6Range.TryParse(route.Destination, out var range) && !(range.First == 0 && range.Last == UInt128.MaxValue))
            {
                var dev = route.Device is null ? string.Empty : " dev " + DisplayText.Printable(route.Device);
                used.Add((range, $"host route {route.Destination}{dev}"));
            }
        }

        return used;
    }

    /// <summary>
    /// The lowest <c>virbrN</c> that no other network names as its bridge and no host interface
    /// has: below 256 the same name libvirt's own <c>virbr%d</c> template would pick, and unlike the
    /// template (which libvirt expands only up to virbr255) it keeps working past 256 networks.
    /// At most 15 bytes, the kernel's limit for an interface name.
    /// </summary>
    public string FreeBridgeName()
    {
        var used = UsedBridgeNames();
        for (var n = 0; ; n++)
        {
            var name = BridgePrefix + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!used.Contains(name))
            {
                return name;
            }
        }
    }

    /// <summary>True when no other network uses <paramref name="bridge"/> as its bridge and no host interface has that name.</summary>
    public bool IsBridgeNameFree(string bridge) => !UsedBridgeNames().Contains(bridge);

    /// <summary>What <paramref name="subnet"/> overlaps (another network's subnet or a host interface's address), described; null when nothing.</summary>
    public string? FindSubnetOverlap(Ipv4Subnet subnet) =>
        UsedRanges().Where(u => u.Range.Overlaps(subnet)).Select(u => u.Owner).FirstOrDefault();

    /// <summary>'10.40.0.128/25' as given; with what it was read as only when that differs ('10.40.0.7/24' (10.40.0.0/24)).</summary>
    internal static string SubnetText(string requested, Ipv4Subnet subnet)
    {
        var shown = $"'{DisplayText.Printable(requested)}'";
        var read = subnet.ToString();
        return string.Equals(requested, read, StringComparison.Ordinal) ? shown : $"{shown} ({read})";
    }

    private HashSet<string> UsedBridgeNames()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, description) in Others)
        {
            if (description.BridgeName is { } bridge)
            {
                used.Add(bridge);
            }
        }

        foreach (var name in Interfaces?.Keys ?? Enumerable.Empty<string>())
        {
            used.Add(name);
        }

        return used;
    }

    private static ValidationError? KindError(NetworkSpec spec, HostInterfaceInfo device, string shown, string connection)
    {
        var suitable = device.SuitableFor.Contains(spec.Connection);
        var what = device.Master is not null ? $"{device.TypeName} enslaved to {device.Master}" : device.TypeName;
        if (spec.Connection == ConnectionType.Bridge)
        {
            if (spec.VlanId is { } vlan && device.Type is HostInterfaceType.Bridge or HostInterfaceType.Vlan)
            {
                return new(ErrorCodes.VlanOnVlan, "Interfaces", device.Name, $"Interface '{shown}' is a {device.TypeName} and cannot be the trunk of VLAN {vlan}: a bridge network with a VLAN id needs a NIC or a bond.");
            }

            return suitable
                ? null
                : new(ErrorCodes.BridgeInterfaceKind, "Interfaces", device.Name, $"Interface '{shown}' ({what}) cannot carry a bridge network: it takes a bare NIC, a bond or a bridge.");
        }

        return suitable
            ? null
            : new(ErrorCodes.InterfaceKind, "Interfaces", device.Name, $"Interface '{shown}' ({what}) cannot carry a {connection} network: it takes a bare NIC or a bond.");
    }

    /// <summary>Device name to the first other network (by name) that uses it: bridges of all networks, devices of device-based ones.</summary>
    private Dictionary<string, string> UsedDevices()
    {
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (record, description) in Others.OrderBy(n => n.Record.Name, StringComparer.Ordinal))
        {
            if (description.BridgeName is { } bridge)
            {
                used.TryAdd(bridge, record.Name);
            }

            if (description.ForwardMode is { } mode && s_deviceForwardModes.Contains(mode))
            {
                foreach (var device in description.Interfaces)
                {
                    used.TryAdd(device, record.Name);
                }
            }
        }

        return used;
    }

    private List<(Ipv4Range Range, string Owner)> UsedRanges()
    {
        var used = new List<(Ipv4Range, string)>();
        foreach (var (record, description) in Others.OrderBy(n => n.Record.Name, StringComparer.Ordinal))
        {
            foreach (var subnet in description.AllSubnets)
            {
                if (Ipv4Range.TryParse(subnet, out var range))
                {
                    used.Add((range, $"subnet {subnet} of network '{DisplayText.Printable(record.Name)}'"));
                }
            }
        }

        // The ignored network's own bridge carries its subnet's gateway: no conflict with itself.
        var ignoredBridge = Networks.Where(n => string.Equals(n.Record.Name, _ignored, StringComparison.Ordinal))
            .Select(n => n.Description.BridgeName).FirstOrDefault();
        foreach (var device in Interfaces?.Values ?? Enumerable.Empty<HostInterfaceInfo>())
        {
            if (ignoredBridge is not null && string.Equals(device.Name, ignoredBridge, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var address in device.IPv4Cidrs())
            {
                if (Ipv4Range.TryParse(address, out var range))
                {
                    used.Add((range, $"address {address} of host interface '{DisplayText.Printable(device.Name)}'"));
                }
            }
        }

        foreach (var route in View?.Routes ?? Array.Empty<HostRouteInfo>())
        {
            if ((ignoredBridge is null || !string.Equals(route.Device, ignoredBridge, StringComparison.Ordinal))
                && Ipv4Range.TryParse(route.Destination, out var range))
            {
                var via = route.Gateway is null ? string.Empty : " via " + route.Gateway;
                var dev = route.Device is null ? string.Empty : " dev " + DisplayText.Printable(route.Device);
                used.Add((range, $"host route {route.Destination}{via}{dev}"));
            }
        }

        return used;
    }
}
