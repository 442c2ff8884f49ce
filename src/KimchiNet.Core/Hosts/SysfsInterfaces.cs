using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using KimchiNet.Libvirt;
using KimchiNet.Model;

namespace KimchiNet.Hosts;

/// <summary>An IPv4 address with its prefix length.</summary>
/// <param name="Address">The address, dotted.</param>
/// <param name="Prefix">The prefix length.</param>
public sealed record Ipv4Address(string Address, int Prefix);

/// <summary>
/// Reads the host's interfaces from sysfs (/sys/class/net), for a local host whose libvirt lists
/// none (no interface driver). The roots are parameters so tests can use a fake tree.
/// </summary>
public static class SysfsInterfaces
{
    /// <summary>Where Linux lists network devices.</summary>
    public const string DefaultRoot = "/sys/class/net";

    /// <summary>Where the 8021q module describes VLAN devices (one file per device, with a "VID: N" line).</summary>
    public const string DefaultProcNetVlan = "/proc/net/vlan";

    /// <summary>
    /// Every device under <paramref name="root"/> but loopback, sorted by name. The type: bridge when
    /// it has bridge/, bonding when it has bonding/, vlan when uevent says DEVTYPE=vlan, nic when it
    /// has a device link (a real card) or is a plain Ethernet device with no DEVTYPE and no tun_flags
    /// (this counts veth pairs, the lab's stand-in NICs), unknown otherwise.
    /// </summary>
    /// <param name="root">The sysfs folder of network devices.</param>
    /// <param name="procNetVlan">The /proc/net/vlan folder, for VLAN ids; the name's ".N" suffix is used when absent.</param>
    /// <param name="ipv4">Finds a device's IPv4 address; default: System.Net.NetworkInformation on this host.</param>
    public static IReadOnlyList<HostInterfaceInfo> Read(
        string root = DefaultRoot,
        string? procNetVlan = DefaultProcNetVlan,
        Func<string, Ipv4Address?>? ipv4 = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            return Array.Empty<HostInterfaceInfo>();
        }

        ipv4 ??= LocalAddresses();
        var found = new Dictionary<string, HostInterfaceInfo>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root))
        {
            // Entries are symlinks to device folders; Directory.Exists follows them (and skips bonding_masters).
            var name = Path.GetFileName(path);
            if (!Directory.Exists(path) || name == "lo" || ReadText(path, "type") == "772")
            {
                continue;
            }

            found[name] = ReadDevice(path, name, procNetVlan, ipv4);
        }

        // Masters from the masters' own lists, for trees without master links.
        foreach (var master in found.Values.Where(i => i.Type is HostInterfaceType.Bridge or HostInterfaceType.Bonding).ToList())
        {
            foreach (var member in master.Members)
            {
                if (found.TryGetValue(member, out var info))
                {
                    found[member] = info with
                    {
                        Master = info.Master ?? master.Name,
                        IsBridgePort = info.IsBridgePort || master.Type == HostInterfaceType.Bridge,
                    };
                }
            }
        }

        return found.Values.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    private static HostInterfaceInfo ReadDevice(string path, string name, string? procNetVlan, Func<string, Ipv4Address?> ipv4)
    {
        var devType = ReadUevent(path, "DEVTYPE");
        HostInterfaceType type;
        IReadOnlyList<string> members = Array.Empty<string>();
        string? parent = null;
        int? vlanId = null;
        if (Directory.Exists(Path.Combine(path, "bridge")))
        {
            type = HostInterfaceType.Bridge;
            var brif = Path.Combine(path, "brif");
            members = Directory.Exists(brif)
                ? Directory.EnumerateFileSystemEntries(brif).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
                : Array.Empty<string>();
        }
        else if (Directory.Exists(Path.Combine(path, "bonding")))
        {
            type = HostInterfaceType.Bonding;
            members = (ReadText(path, "bonding/slaves") ?? string.Empty)
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        }
        else if (devType == "vlan")
        {
            type = HostInterfaceType.Vlan;
            parent = Directory.EnumerateFileSystemEntries(path, "lower_*").Select(p => Path.GetFileName(p)["lower_".Length..]).FirstOrDefault();
            vlanId = ReadVlanId(procNetVlan, name);
        }
        else if (Exists(path, "device") || (devType is null && ReadText(path, "type") == "1" && !Exists(path, "tun_flags")))
        {
            type = HostInterfaceType.Nic;
        }
        else
        {
            type = HostInterfaceType.Unknown;
        }

        var operstate = ReadText(path, "operstate");
        var up = operstate == "up" || (operstate == "unknown" && ReadText(path, "carrier") == "1");
        var address = ipv4(name);
        return new HostInterfaceInfo
        {
            Name = name,
            Type = type,
            Status = up ? HostInterfaceStatus.Up : HostInterfaceStatus.Down,
            IPv4Address = address?.Address,
            IPv4Prefix = address?.Prefix,
            IPv4Netmask = address is null ? null : HostInterfaceXml.PrefixToNetmask(address.Prefix),
            Mac = ReadText(path, "address"),
            Members = members,
            Parent = parent,
            VlanId = vlanId,
            IsBridgePort = Exists(path, "brport"),
            Master = LinkName(Path.Combine(path, "master")),
        };
    }

    private static int? ReadVlanId(string? procNetVlan, string name)
    {
        if (procNetVlan is not null)
        {
            var file = Path.Combine(procNetVlan, name);
            if (File.Exists(file))
            {
                // First line: "eth4.100  VID: 100	 REORDER_HDR: 1  dev->priv_flags: 1001"
                var text = File.ReadLines(file).FirstOrDefault() ?? string.Empty;
                var at = text.IndexOf("VID:", StringComparison.Ordinal);
                if (at >= 0)
                {
                    var digits = new string(text[(at + 4)..].TrimStart().TakeWhile(char.IsAsciiDigit).ToArray());
                    if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var vid))
                    {
                        return vid;
                    }
                }
            }
        }

        var dot = name.LastIndexOf('.');
        return dot > 0 && int.TryParse(name.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) ? suffix : null;
    }

    private static Func<string, Ipv4Address?> LocalAddresses()
    {
        var map = new Dictionary<string, Ipv4Address>(StringComparer.Ordinal);
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                var unicast = nic.GetIPProperties().UnicastAddresses
                    .FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
                if (unicast is not null)
                {
                    map.TryAdd(nic.Name, new Ipv4Address(unicast.Address.ToString(), unicast.PrefixLength));
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No addresses rather than no interfaces.
        }

        return name => map.GetValueOrDefault(name);
    }

    private static bool Exists(string path, string child)
    {
        var full = Path.Combine(path, child);
        return Directory.Exists(full) || File.Exists(full);
    }

    private static string? ReadText(string path, string child)
    {
        try
        {
            var full = Path.Combine(path, child);
            return File.Exists(full) ? File.ReadAllText(full).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // some sysfs attributes refuse reads (e.g. speed on a down link)
        }
    }

    private static string? ReadUevent(string path, string key)
    {
        var text = ReadText(path, "uevent");
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return line[(key.Length + 1)..].Trim();
            }
        }

        return null;
    }

    private static string? LinkName(string path)
    {
        try
        {
            var target = new FileInfo(path).LinkTarget;
            return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
