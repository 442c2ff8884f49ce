using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using KimchiNet.Model;

namespace KimchiNet.Libvirt;

/// <summary>Reads libvirt's interface XML (virInterfaceGetXMLDesc) into <see cref="HostInterfaceInfo"/>.</summary>
public static class HostInterfaceXml
{
    /// <summary>One interface's XML. Without a &lt;link state&gt; element the status comes from <paramref name="isActive"/>.</summary>
    /// <exception cref="KimchiException">KCHNET0107E for XML that cannot be parsed.</exception>
    public static HostInterfaceInfo Parse(string xml, bool isActive = false)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return ReadElement(SafeXml.Parse(xml, "an interface"), isActive);
    }

    /// <summary>
    /// Every interface libvirt lists, plus the bridge ports and bond slaves that appear only inside
    /// their master's XML (libvirt's test and netcf drivers list just the master), with
    /// <see cref="HostInterfaceInfo.Master"/> and <see cref="HostInterfaceInfo.IsBridgePort"/> set
    /// from the masters. Sorted by name.
    /// </summary>
    public static IReadOnlyList<HostInterfaceInfo> FromLibvirt(IEnumerable<InterfaceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var byName = new Dictionary<string, HostInterfaceInfo>(StringComparer.Ordinal);
        var masters = new Dictionary<string, HostInterfaceInfo>(StringComparer.Ordinal);
        var nested = new Dictionary<string, HostInterfaceInfo>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var root = SafeXml.Parse(record.Xml, $"interface '{record.Name}'");
            var info = ReadElement(root, record.IsActive) with { Name = SafeXml.Attr(root, "name") ?? record.Name };
            if (info.Name == "lo")
            {
                // libvirt's udev backend lists loopback as type='ethernet'; it carries no network (as in the sysfs reader).
                continue;
            }

            byName[info.Name] = info;
            foreach (var member in MemberElements(root))
            {
                var memberInfo = ReadElement(member, record.IsActive);
                masters[memberInfo.Name] = info;
                nested.TryAdd(memberInfo.Name, memberInfo);
            }
        }

        foreach (var (name, memberInfo) in nested)
        {
            byName.TryAdd(name, memberInfo);
        }

        return byName.Values
            .Select(info => masters.TryGetValue(info.Name, out var master)
                ? info with { Master = master.Name, IsBridgePort = master.Type == HostInterfaceType.Bridge }
                : info)
            .OrderBy(info => info.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The dotted netmask of an IPv4 prefix length (24 → 255.255.255.0).</summary>
    public static string PrefixToNetmask(int prefix)
    {
        if (prefix is < 0 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(prefix), prefix, "An IPv4 prefix is 0 to 32.");
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return string.Join('.', new[] { mask >> 24, (mask >> 16) & 255, (mask >> 8) & 255, mask & 255 }.Select(b => b.ToString(CultureInfo.InvariantCulture)));
    }

    private static IEnumerable<XElement> MemberElements(XElement root) =>
        (root.Element("bridge")?.Elements("interface") ?? Enumerable.Empty<XElement>())
            .Concat(root.Element("bond")?.Elements("interface") ?? Enumerable.Empty<XElement>());

    private static HostInterfaceInfo ReadElement(XElement root, bool isActive)
    {
        var type = SafeXml.Attr(root, "type") switch
        {
            "ethernet" => HostInterfaceType.Nic,
            "bond" => HostInterfaceType.Bonding,
            "bridge" => HostInterfaceType.Bridge,
            "vlan" => HostInterfaceType.Vlan,
            _ => HostInterfaceType.Unknown,
        };

        var linkState = SafeXml.Attr(root.Element("link"), "state");
        var status = linkState is null
            ? (isActive ? HostInterfaceStatus.Up : HostInterfaceStatus.Down)
            : (string.Equals(linkState, "up", StringComparison.OrdinalIgnoreCase) ? HostInterfaceStatus.Up : HostInterfaceStatus.Down);

        string? address = null;
        int? prefix = null;
        var ipv4 = root.Elements("protocol").FirstOrDefault(p => SafeXml.Attr(p, "family") == "ipv4");
        var ip = ipv4?.Element("ip");
        if (ip is not null)
        {
            address = SafeXml.Attr(ip, "address");
            if (int.TryParse(SafeXml.Attr(ip, "prefix"), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= 32)
            {
                prefix = parsed;
            }
        }

        var vlan = root.Element("vlan");
        int? vlanId = int.TryParse(SafeXml.Attr(vlan, "tag"), NumberStyles.None, CultureInfo.InvariantCulture, out var tag) ? tag : null;

        return new HostInterfaceInfo
        {
            Name = SafeXml.Attr(root, "name") ?? string.Empty,
            Type = type,
            Status = status,
            IPv4Address = address,
            IPv4Prefix = address is null ? null : prefix,
            IPv4Netmask = address is null || prefix is null ? null : PrefixToNetmask(prefix.Value),
            IPv4Addresses = address is null ? [] : [address + "/" + (prefix ?? 32).ToString(CultureInfo.InvariantCulture)],
            Mac = SafeXml.Attr(root.Element("mac"), "address"),
            Members = MemberElements(root).Select(m => SafeXml.Attr(m, "name")).OfType<string>().ToList(),
            Parent = SafeXml.Attr(vlan?.Element("interface"), "name"),
            VlanId = vlan is null ? null : vlanId,
        };
    }
}
