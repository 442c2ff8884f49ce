using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace KimchiNet.Libvirt;

/// <summary>How a guest NIC reaches the host, from the domain XML's interface type.</summary>
public enum NicKind
{
    /// <summary>type='network': attached to a libvirt network by name.</summary>
    Network,

    /// <summary>type='bridge': a tap on a host bridge.</summary>
    Bridge,

    /// <summary>type='direct': a macvtap on a host device.</summary>
    Direct,

    /// <summary>Any other type (user, ethernet, hostdev, vhostuser…), which uses no libvirt network.</summary>
    Other,
}

/// <summary>One guest NIC as the domain XML describes it.</summary>
/// <param name="Kind">The interface type.</param>
/// <param name="Source">The network name (Network), bridge name (Bridge) or host device (Direct); null if absent.</param>
/// <param name="Mode">The macvtap mode of a direct NIC (vepa, bridge, private, passthrough), else null.</param>
/// <param name="Mac">The guest MAC address, where given.</param>
/// <param name="Type">The interface type exactly as written.</param>
public sealed record DomainNic(NicKind Kind, string? Source, string? Mode, string? Mac, string Type);

/// <summary>Reads the NICs of a domain (virtual machine) XML.</summary>
public static class DomainXml
{
    /// <summary>Every &lt;devices&gt;/&lt;interface&gt; of the domain, in document order.</summary>
    /// <exception cref="KimchiException">KCHNET0107E for XML that cannot be parsed.</exception>
    public static IReadOnlyList<DomainNic> ReadNics(string xml, string? domainName = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var root = SafeXml.Parse(xml, domainName is null ? "a domain" : $"domain '{domainName}'");
        var nics = new List<DomainNic>();
        var devices = root.Element("devices");
        if (devices is null)
        {
            return nics;
        }

        foreach (var nic in devices.Elements("interface"))
        {
            var type = SafeXml.Attr(nic, "type") ?? string.Empty;
            var source = nic.Element("source");
            var mac = SafeXml.Attr(nic.Element("mac"), "address");
            nics.Add(type switch
            {
                "network" => new DomainNic(NicKind.Network, SafeXml.Attr(source, "network"), null, mac, type),
                "bridge" => new DomainNic(NicKind.Bridge, SafeXml.Attr(source, "bridge"), null, mac, type),
                "direct" => new DomainNic(NicKind.Direct, SafeXml.Attr(source, "dev"), SafeXml.Attr(source, "mode") ?? "vepa", mac, type),
                _ => new DomainNic(NicKind.Other, null, null, mac, type),
            });
        }

        return nics;
    }

    /// <summary>Every &lt;devices&gt;/&lt;interface&gt; element of the domain, in the order of <see cref="ReadNics"/>, as detached copies.</summary>
    /// <exception cref="KimchiException">KCHNET0107E for XML that cannot be parsed.</exception>
    public static IReadOnlyList<XElement> ReadNicElements(string xml, string? domainName = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var root = SafeXml.Parse(xml, domainName is null ? "a domain" : $"domain '{domainName}'");
        return root.Element("devices")?.Elements("interface").Select(e => new XElement(e)).ToArray() ?? [];
    }
}
