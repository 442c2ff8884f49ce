using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using KimchiNet.Libvirt;
using KimchiNet.Model;

namespace KimchiNet.Hosts;

/// <summary>
/// The host interfaces of a connection. On a local host they come from the kernel (<c>ip -json</c>:
/// addresses of both families, routes and link state), since libvirt's udev interface backend
/// reports no addresses; libvirt's own view is kept for remote hosts and the test driver.
/// </summary>
public static class HostInterfaces
{
    /// <summary>Where iproute2 keeps the named network namespaces.</summary>
    public const string NetnsRoot = "/run/netns";

    /// <summary>How long "no namespace holds this URI's devices" is remembered before the namespaces are searched again.</summary>
    private static readonly TimeSpan s_negativeLifetime = TimeSpan.FromSeconds(30);

    /// <summary>The named namespace found for a local URI whose devices are not this process's (lab hosts), or "" for none, with when it was found.</summary>
    private static readonly ConcurrentDictionary<string, (string Name, DateTime Found)> s_namespaces = new(StringComparer.Ordinal);

    /// <summary>The interfaces of <see cref="Read"/>.</summary>
    public static IReadOnlyList<HostInterfaceInfo> List(LibvirtConnection connection, string sysfsRoot = SysfsInterfaces.DefaultRoot) =>
        Read(connection, sysfsRoot).Interfaces;

    /// <summary>
    /// The host's network view. libvirt's interfaces (<see cref="HostInterfaceXml.FromLibvirt"/>) for
    /// the test driver and remote hosts. For a local URI, the kernel: of this process's network
    /// namespace when libvirt's devices (name and MAC) are there or libvirt lists none (no interface
    /// driver: then the device kinds come from sysfs under <paramref name="sysfsRoot"/>), else of the
    /// named namespace (ip netns) that holds them, else libvirt's view.
    /// </summary>
    public static HostNetworkView Read(LibvirtConnection connection, string sysfsRoot = SysfsInterfaces.DefaultRoot)
    {
        ArgumentNullException.ThrowIfNull(connection);
        IReadOnlyList<InterfaceRecord> records;
        try
        {
            records = connection.ListInterfaces();
        }
        catch (LibvirtException e) when (e.Error.Code == LibvirtErrorNumbers.NoSupport)
        {
            records = Array.Empty<InterfaceRecord>();
        }

        var libvirt = records.Count > 0 ? HostInterfaceXml.FromLibvirt(records) : Array.Empty<HostInterfaceInfo>();
        var uri = connection.Uri;
        if (connection.IsTestDriver)
        {
            return new HostNetworkView { Interfaces = libvirt, AddressesKnown = true };
        }

        var libvirtView = new HostNetworkView { Interfaces = libvirt, AddressesKnown = libvirt.Any(i => i.IPv4Address is not null) };
        if (!connection.IsLocal)
        {
            return libvirtView;
        }

        var view = ReadLocal(uri, libvirt, libvirtView, sysfsRoot);
        return view with { Interfaces = MarkOpenVSwitchBridges(view.Interfaces, OpenVSwitch.Bridges()) };
    }

    /// <summary>A local host's view: from the kernel of the network namespace that holds libvirt's devices, else libvirt's.</summary>
    private static HostNetworkView ReadLocal(string uri, IReadOnlyList<HostInterfaceInfo> libvirt, HostNetworkView libvirtView, string sysfsRoot)
    {
        try
        {
            var own = new IpRoute2();
            var ownLinks = own.Links();
            if (libvirt.Count == 0)
            {
                return FromKernel(own, null, ownLinks, SysfsInterfaces.Read(sysfsRoot, ipv4: _ => null));
            }

            if (Matches(libvirt, ownLinks))
            {
                return FromKernel(own, null, ownLinks, libvirt);
            }

            if (FindNamespace(uri, libvirt) is { } found)
            {
                return FromKernel(found.Ip, found.Ip.Namespace, found.Links, libvirt);
            }
        }
        catch (KimchiException)
        {
            // No iproute2, or it failed: libvirt's view is all there is.
        }

        return libvirtView;
    }

    /// <summary>
    /// Marks the devices that are Open vSwitch bridges (libvirt and sysfs see them as plain devices)
    /// as bridges with <see cref="HostInterfaceInfo.OpenVSwitch"/>, and adds those libvirt did not
    /// list at all (its udev backend lists only the devices udev announced).
    /// </summary>
    internal static IReadOnlyList<HostInterfaceInfo> MarkOpenVSwitchBridges(IReadOnlyList<HostInterfaceInfo> interfaces, IReadOnlySet<string> ovsBridges)
    {
        if (ovsBridges.Count == 0)
        {
            return interfaces;
        }

        var marked = new List<HostInterfaceInfo>(interfaces.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in interfaces)
        {
            seen.Add(item.Name);
            marked.Add(ovsBridges.Contains(item.Name) ? item with { Type = HostInterfaceType.Bridge, OpenVSwitch = true } : item);
        }

        foreach (var name in ovsBridges.Order(StringComparer.Ordinal))
        {
            if (!seen.Contains(name))
            {
                marked.Add(new HostInterfaceInfo { Name = name, Type = HostInterfaceType.Bridge, OpenVSwitch = true });
            }
        }

        return marked;
    }

    /// <summary>True when every device libvirt lists with a MAC is a kernel link of the same name and MAC (and there is at least one).</summary>
    private static bool Matches(IReadOnlyList<HostInterfaceInfo> libvirt, IReadOnlyList<IpLink> links)
    {
        var byName = links.GroupBy(l => l.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var compared = 0;
        foreach (var device in libvirt)
        {
            if (string.IsNullOrEmpty(device.Mac) || device.Mac == "00:00:00:00:00:00")
            {
                continue;
            }

            if (!byName.TryGetValue(device.Name, out var link) || !string.Equals(link.Mac, device.Mac, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            compared++;
        }

        return compared > 0;
    }

    /// <summary>The named network namespace of this machine whose links are libvirt's devices, remembered per URI and checked again on each use.</summary>
    private static (IpRoute2 Ip, IReadOnlyList<IpLink> Links)? FindNamespace(string uri, IReadOnlyList<HostInterfaceInfo> libvirt)
    {
        if (s_namespaces.TryGetValue(uri, out var known))
        {
            if (known.Name.Length > 0 && TryNamespace(known.Name, libvirt) is { } again)
            {
                return again;
            }

            if (known.Name.Length == 0 && DateTime.UtcNow - known.Found < s_negativeLifetime)
            {
                return null;
            }
        }

        string[] names;
        try
        {
            names = Directory.Exists(NetnsRoot)
                ? Directory.EnumerateFileSystemEntries(NetnsRoot).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
                : Array.Empty<string>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            names = Array.Empty<string>();
        }

        foreach (var name in names)
        {
            if (TryNamespace(name, libvirt) is { } found)
            {
                s_namespaces[uri] = (name, DateTime.UtcNow);
                return found;
            }
        }

        s_namespaces[uri] = (string.Empty, DateTime.UtcNow);
        return null;
    }

    private static (IpRoute2 Ip, IReadOnlyList<IpLink> Links)? TryNamespace(string name, IReadOnlyList<HostInterfaceInfo> libvirt)
    {
        if (name.Length == 0 || name[0] == '-' || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')))
        {
            return null;
        }

        try
        {
            var ip = new IpRoute2(name);
            var links = ip.Links();
            return Matches(libvirt, links) ? (ip, links) : null;
        }
        catch (KimchiException)
        {
            return null; // gone meanwhile, or not readable
        }
    }

    /// <summary><paramref name="devices"/> with the kernel's addresses (both families) and link state, and the kernel's IPv4 routes.</summary>
    private static HostNetworkView FromKernel(IpRoute2 ip, string? networkNamespace, IReadOnlyList<IpLink> links, IReadOnlyList<HostInterfaceInfo> devices)
    {
        var addresses = ip.AllAddresses().ToLookup(a => a.Device, StringComparer.Ordinal);
        var routes = ip.AllRoutes()
            .Where(r => r.Family == "inet" && r.Destination != "default" && r.Type is null or "unicast")
            .Select(r => new HostRouteInfo(r.Destination.Contains('/', StringComparison.Ordinal) ? r.Destination : r.Destination + "/32", r.Device, r.Gateway))
            .ToList();
        var byName = links.GroupBy(l => l.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var interfaces = devices.Select(device =>
        {
            var own = addresses[device.Name].ToList();
            var ipv4 = own.Where(a => a.Family == "inet").ToList();
            var first = ipv4.FirstOrDefault();
            var status = byName.TryGetValue(device.Name, out var link) ? KernelStatus(link) : device.Status;
            return device with
            {
                Status = status,
                IPv4Address = first?.Local,
                IPv4Prefix = first?.Prefix,
                IPv4Netmask = first is null || first.Prefix is < 0 or > 32 ? null : HostInterfaceXml.PrefixToNetmask(first.Prefix),
                IPv4Addresses = ipv4.Select(Cidr).ToList(),
                IPv6Addresses = own.Where(a => a.Family == "inet6" && a.Scope != "link").Select(Cidr).ToList(),
            };
        }).ToList();
        return new HostNetworkView
        {
            Interfaces = interfaces,
            Routes = routes,
            AddressesKnown = true,
            FromKernel = true,
            NetworkNamespace = networkNamespace,
        };
    }

    /// <summary>
    /// Up when the kernel says the link is operational: operstate UP, or UNKNOWN with a carrier (a
    /// bridge without ports, a tun device: the kernel tracks no state for them) while administratively up.
    /// </summary>
    internal static HostInterfaceStatus KernelStatus(IpLink link) =>
        link.OperState == "UP" || (link.OperState == "UNKNOWN" && link.IsUp && link.HasCarrier) ? HostInterfaceStatus.Up : HostInterfaceStatus.Down;

    private static string Cidr(IpDeviceAddress address) => address.Local + "/" + address.Prefix.ToString(CultureInfo.InvariantCulture);
}
