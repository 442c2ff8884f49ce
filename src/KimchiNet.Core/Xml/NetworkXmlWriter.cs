using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>
/// Writes a <see cref="NetworkXml"/> as text through <see cref="XmlWriter"/>, which escapes every
/// name and value. Elements come in ONE order, the order libvirt itself formats a network in:
/// <c>name, uuid, metadata, forward, bridge, mtu, mac, domain, dns, vlan, bandwidth, port, ip...,
/// route..., virtualport, portgroup...</c>, then unknown elements (e.g. dnsmasq:options) in their
/// original order. Raw elements of a known name go to libvirt's place for that name; inside
/// forward, ip, dhcp and dns the same rule holds (driver, nat, pf, interface/address; tftp, dhcp;
/// range, host, bootp; forwarder, txt, srv, host). At one place, modelled elements come before raw ones.
/// </summary>
public static class NetworkXmlWriter
{
    private const int Unknown = int.MaxValue;

    private static readonly XmlWriterSettings s_settings = new()
    {
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        // A CR (&#13;) or CRLF in text, and a CR, LF or tab in an attribute, is written as a character
        // reference, so it reads back as the same character: Replace would turn a CR in text into a
        // line feed and change what another tool's metadata says.
        NewLineHandling = NewLineHandling.Entitize,
        OmitXmlDeclaration = true,
        ConformanceLevel = ConformanceLevel.Document,
        CheckCharacters = true,
    };

    /// <summary>The same settings on one line, for a lone element sent to libvirt.</summary>
    private static readonly XmlWriterSettings s_fragmentSettings = Unindented(s_settings);

    private static readonly string[] s_networkOrder =
    [
        "name", "uuid", "metadata", "forward", "bridge", "mtu", "mac", "domain", "dns",
        "vlan", "bandwidth", "port", "ip", "route", "virtualport", "portgroup",
    ];

    private static readonly string[] s_forwardOrder = ["driver", "nat", "pf", "interface", "address"];

    private static readonly string[] s_ipOrder = ["tftp", "dhcp"];

    private static readonly string[] s_dhcpOrder = ["range", "host", "bootp"];

    private static readonly string[] s_dnsOrder = ["forwarder", "txt", "srv", "host"];

    private static readonly string[] s_portGroupOrder = ["vlan", "virtualport", "bandwidth"];

    private static readonly string[] s_noOrder = [];

    /// <summary>The network as XML text: two-space indents, "\n" line ends, no XML declaration.</summary>
    public static string Write(NetworkXml network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return ToText(s_settings, writer => WriteNetwork(writer, network));
    }

    /// <summary>
    /// One DHCP <c>&lt;host&gt;</c> element as text (what libvirt's network update call takes), its
    /// attributes in libvirt's order: mac, id, name, ip, then a <c>&lt;lease&gt;</c>. No indentation.
    /// </summary>
    public static string WriteDhcpHost(NetworkDhcpHostXml host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return ToText(s_fragmentSettings, writer => WriteDhcpHost(writer, host));
    }

    private static string ToText(XmlWriterSettings settings, Action<XmlWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = XmlWriter.Create(text, settings))
        {
            write(writer);
        }

        return text.ToString();
    }

    /// <summary>One DNS <c>&lt;host ip=..&gt;</c> element with its host names as text (what libvirt's network update call takes for section dns-host). No indentation.</summary>
    public static string WriteDnsHost(NetworkDnsHostXml host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return ToText(s_fragmentSettings, writer => WriteDnsHost(writer, host));
    }

    /// <summary>One <c>&lt;portgroup&gt;</c> element as text (what libvirt's network update call takes for section portgroup). No indentation.</summary>
    public static string WritePortGroup(NetworkPortGroupXml portGroup)
    {
        ArgumentNullException.ThrowIfNull(portGroup);
        return ToText(s_fragmentSettings, writer => WritePortGroup(writer, portGroup));
    }

    /// <summary>The DHCP host as an element, to be kept raw in <see cref="NetworkDhcpXml.OtherElements"/>.</summary>
    public static XElement ToElement(NetworkDhcpHostXml host) => XElement.Parse(WriteDhcpHost(host));

    private static void WriteDhcpHost(XmlWriter w, NetworkDhcpHostXml host)
    {
        w.WriteStartElement("host");
        WriteOptional(w, "mac", host.Mac);
        WriteOptional(w, "id", host.Id);
        WriteOptional(w, "name", host.Name);
        WriteOptional(w, "ip", host.Ip);
        WriteAttributes(w, host.OtherAttributes);
        if (host.Lease is { } lease)
        {
            WriteLease(w, lease);
        }

        WriteRaw(w, host.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteLease(XmlWriter w, NetworkDhcpLeaseXml lease)
    {
        w.WriteStartElement("lease");
        WriteOptional(w, "expiry", lease.Expiry);
        WriteOptional(w, "unit", lease.Unit);
        WriteAttributes(w, lease.OtherAttributes);
        WriteRaw(w, lease.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteMtu(XmlWriter w, uint size)
    {
        w.WriteStartElement("mtu");
        w.WriteAttributeString("size", size.ToString(CultureInfo.InvariantCulture));
        w.WriteEndElement();
    }

    private static void WriteNetwork(XmlWriter w, NetworkXml n)
    {
        w.WriteStartElement("network");
        WriteAttributes(w, n.OtherAttributes);
        var slots = new List<Slot>
        {
            new(Rank(s_networkOrder, "name"), x => x.WriteElementString("name", n.Name)),
        };
        AddIf(slots, s_networkOrder, "uuid", n.Uuid, (x, uuid) => x.WriteElementString("uuid", uuid));
        AddIf(slots, s_networkOrder, "metadata", n.Metadata, WriteMetadata);
        AddIf(slots, s_networkOrder, "forward", n.Forward, WriteForward);
        AddIf(slots, s_networkOrder, "bridge", n.Bridge, WriteBridge);
        if (n.Mtu is { } mtu)
        {
            slots.Add(new Slot(Rank(s_networkOrder, "mtu"), x => WriteMtu(x, mtu)));
        }

        AddIf(slots, s_networkOrder, "domain", n.Domain, WriteDomain);
        AddIf(slots, s_networkOrder, "dns", n.Dns, WriteDns);
        AddIf(slots, s_networkOrder, "vlan", n.Vlan, WriteVlan);
        slots.AddRange(n.Ips.Select(ip => new Slot(Rank(s_networkOrder, "ip"), x => WriteIp(x, ip))));
        AddIf(slots, s_networkOrder, "virtualport", n.VirtualPort, WriteVirtualPort);
        slots.AddRange(n.PortGroups.Select(pg => new Slot(Rank(s_networkOrder, "portgroup"), x => WritePortGroup(x, pg))));
        WriteChildren(w, slots, n.OtherElements, s_networkOrder);
        w.WriteEndElement();
    }

    private static void WriteMetadata(XmlWriter w, NetworkMetadataXml metadata)
    {
        w.WriteStartElement("metadata");
        var slots = new List<Slot>();
        AddIf(slots, s_noOrder, "kimchinet", metadata.KimchiNet, WriteKimchiNet);
        WriteChildren(w, slots, metadata.OtherElements, s_noOrder);
        w.WriteEndElement();
    }

    private static void WriteKimchiNet(XmlWriter w, NetworkMetadataKimchiNetXml record)
    {
        const string ns = NetworkMetadataKimchiNetXml.Namespace;
        // A prefix the document already declares for the namespace (on the root, say) is used as it
        // is: declaring kimchinet here as well would hide it from raw children in the namespace,
        // which would then be written under another prefix than they were read with.
        var prefix = w.LookupPrefix(ns) is { Length: > 0 } declared ? declared : NetworkMetadataKimchiNetXml.Prefix;
        w.WriteStartElement(prefix, "network", ns);
        if (record.Connection is not null)
        {
            w.WriteElementString(prefix, "connection", ns, record.Connection);
        }

        foreach (var dev in record.Interfaces)
        {
            w.WriteStartElement(prefix, "interface", ns);
            w.WriteAttributeString("dev", dev);
            w.WriteEndElement();
        }

        if (record.VlanId is { } vlan)
        {
            w.WriteStartElement(prefix, "vlan", ns);
            w.WriteAttributeString("id", Format(vlan));
            w.WriteEndElement();
        }

        if (record.UlaGlobalId is { } globalId)
        {
            w.WriteStartElement(prefix, "ula", ns);
            w.WriteAttributeString("global-id", globalId);
            w.WriteEndElement();
        }

        if (record.Created is { } created)
        {
            w.WriteStartElement(prefix, "created", ns);
            if (created.Bridge is not null)
            {
                w.WriteStartElement(prefix, "bridge", ns);
                w.WriteAttributeString("name", created.Bridge);
                WriteOptional(w, "mac", created.BridgeMac);
                WriteOptional(w, "ifindex", created.BridgeIfindex is { } ifindex ? Format(ifindex) : null);
                w.WriteEndElement();
            }

            if (created.VlanDevice is not null || created.VlanParent is not null || created.VlanId is not null)
            {
                w.WriteStartElement(prefix, "vlan", ns);
                WriteOptional(w, "dev", created.VlanDevice);
                WriteOptional(w, "parent", created.VlanParent);
                WriteOptional(w, "id", created.VlanId is { } id ? Format(id) : null);
                w.WriteEndElement();
            }

            foreach (var address in created.MovedAddresses)
            {
                w.WriteStartElement(prefix, "address", ns);
                w.WriteAttributeString("value", address);
                w.WriteEndElement();
            }

            if (created.Manager is not null)
            {
                w.WriteStartElement(prefix, "manager", ns);
                w.WriteAttributeString("name", created.Manager);
                WriteOptional(w, "renderer", created.ManagerRenderer);
                w.WriteEndElement();
            }

            foreach (var (path, kept) in created.ManagerFiles)
            {
                w.WriteStartElement(prefix, "file", ns);
                w.WriteAttributeString("path", path);
                WriteOptional(w, "kept", kept);
                w.WriteEndElement();
            }

            WriteRaw(w, created.OtherElements);
            w.WriteEndElement();
        }

        WriteRaw(w, record.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteForward(XmlWriter w, NetworkForwardXml forward)
    {
        w.WriteStartElement("forward");
        WriteOptional(w, "dev", forward.Dev);
        WriteOptional(w, "mode", forward.Mode);
        WriteAttributes(w, forward.OtherAttributes);
        var slots = forward.Interfaces
            .Select(i => new Slot(Rank(s_forwardOrder, "interface"), x => WriteForwardInterface(x, i)))
            .ToList();
        WriteChildren(w, slots, forward.OtherElements, s_forwardOrder);
        w.WriteEndElement();
    }

    private static void WriteForwardInterface(XmlWriter w, NetworkForwardInterfaceXml forwardInterface)
    {
        w.WriteStartElement("interface");
        w.WriteAttributeString("dev", forwardInterface.Dev);
        WriteAttributes(w, forwardInterface.OtherAttributes);
        WriteRaw(w, forwardInterface.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteBridge(XmlWriter w, NetworkBridgeXml bridge)
    {
        w.WriteStartElement("bridge");
        WriteOptional(w, "name", bridge.Name);
        WriteOptional(w, "stp", bridge.Stp);
        WriteOptional(w, "delay", bridge.Delay is { } delay ? delay.ToString(CultureInfo.InvariantCulture) : null);
        WriteAttributes(w, bridge.OtherAttributes);
        WriteRaw(w, bridge.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteDomain(XmlWriter w, NetworkDomainXml domain)
    {
        w.WriteStartElement("domain");
        WriteOptional(w, "name", domain.Name);
        WriteOptional(w, "localOnly", domain.LocalOnly);
        WriteAttributes(w, domain.OtherAttributes);
        WriteRaw(w, domain.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteDns(XmlWriter w, NetworkDnsXml dns)
    {
        w.WriteStartElement("dns");
        WriteOptional(w, "enable", dns.Enable);
        WriteAttributes(w, dns.OtherAttributes);
        var slots = dns.Forwarders
            .Select(f => new Slot(Rank(s_dnsOrder, "forwarder"), x => WriteDnsForwarder(x, f)))
            .Concat(dns.Hosts.Select(h => new Slot(Rank(s_dnsOrder, "host"), x => WriteDnsHost(x, h))))
            .ToList();
        WriteChildren(w, slots, dns.OtherElements, s_dnsOrder);
        w.WriteEndElement();
    }

    private static void WriteDnsForwarder(XmlWriter w, NetworkDnsForwarderXml forwarder)
    {
        w.WriteStartElement("forwarder");
        WriteOptional(w, "domain", forwarder.Domain);
        WriteOptional(w, "addr", forwarder.Addr);
        WriteAttributes(w, forwarder.OtherAttributes);
        WriteRaw(w, forwarder.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteDnsHost(XmlWriter w, NetworkDnsHostXml host)
    {
        w.WriteStartElement("host");
        WriteOptional(w, "ip", host.Ip);
        WriteAttributes(w, host.OtherAttributes);
        foreach (var name in host.Hostnames)
        {
            w.WriteElementString("hostname", name);
        }

        WriteRaw(w, host.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteVlan(XmlWriter w, NetworkVlanXml vlan)
    {
        w.WriteStartElement("vlan");
        WriteOptional(w, "trunk", vlan.Trunk);
        WriteAttributes(w, vlan.OtherAttributes);
        foreach (var tag in vlan.Tags)
        {
            w.WriteStartElement("tag");
            WriteOptional(w, "id", tag.Id is { } id ? id.ToString(CultureInfo.InvariantCulture) : null);
            WriteOptional(w, "nativeMode", tag.NativeMode);
            WriteAttributes(w, tag.OtherAttributes);
            WriteRaw(w, tag.OtherElements);
            w.WriteEndElement();
        }

        WriteRaw(w, vlan.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteIp(XmlWriter w, NetworkIpXml ip)
    {
        w.WriteStartElement("ip");
        WriteOptional(w, "family", ip.Family);
        WriteOptional(w, "address", ip.Address);
        WriteOptional(w, "netmask", ip.Netmask);
        WriteOptional(w, "prefix", ip.Prefix is { } prefix ? prefix.ToString(CultureInfo.InvariantCulture) : null);
        WriteAttributes(w, ip.OtherAttributes);
        var slots = new List<Slot>();
        AddIf(slots, s_ipOrder, "dhcp", ip.Dhcp, WriteDhcp);
        WriteChildren(w, slots, ip.OtherElements, s_ipOrder);
        w.WriteEndElement();
    }

    private static void WriteDhcp(XmlWriter w, NetworkDhcpXml dhcp)
    {
        w.WriteStartElement("dhcp");
        WriteAttributes(w, dhcp.OtherAttributes);
        var slots = dhcp.Ranges
            .Select(r => new Slot(Rank(s_dhcpOrder, "range"), x => WriteDhcpRange(x, r)))
            .ToList();
        WriteChildren(w, slots, dhcp.OtherElements, s_dhcpOrder);
        w.WriteEndElement();
    }

    private static void WriteDhcpRange(XmlWriter w, NetworkDhcpRangeXml range)
    {
        w.WriteStartElement("range");
        WriteOptional(w, "start", range.Start);
        WriteOptional(w, "end", range.End);
        WriteAttributes(w, range.OtherAttributes);
        if (range.Lease is { } lease)
        {
            WriteLease(w, lease);
        }

        WriteRaw(w, range.OtherElements);
        w.WriteEndElement();
    }

    private static void WriteVirtualPort(XmlWriter w, NetworkVirtualPortXml virtualPort)
    {
        w.WriteStartElement("virtualport");
        WriteOptional(w, "type", virtualPort.Type);
        WriteAttributes(w, virtualPort.OtherAttributes);
        WriteRaw(w, virtualPort.OtherElements);
        w.WriteEndElement();
    }

    private static void WritePortGroup(XmlWriter w, NetworkPortGroupXml portGroup)
    {
        w.WriteStartElement("portgroup");
        WriteOptional(w, "name", portGroup.Name);
        WriteOptional(w, "default", portGroup.Default);
        WriteAttributes(w, portGroup.OtherAttributes);
        var slots = new List<Slot>();
        AddIf(slots, s_portGroupOrder, "vlan", portGroup.Vlan, WriteVlan);
        WriteChildren(w, slots, portGroup.OtherElements, s_portGroupOrder);
        w.WriteEndElement();
    }

    /// <summary>
    /// Writes modelled children and raw ones merged by libvirt's rank for their names; ties keep
    /// modelled first, then document order. Names outside <paramref name="order"/> go last.
    /// </summary>
    private static void WriteChildren(XmlWriter w, List<Slot> modelled, IReadOnlyList<XElement> raw, string[] order)
    {
        var all = modelled.Select((slot, index) => (slot.Rank, Kind: 0, Index: index, slot.Write))
            .Concat(raw.Select((element, index) => (
                Rank: element.Name.Namespace == XNamespace.None ? Rank(order, element.Name.LocalName) : Unknown,
                Kind: 1,
                Index: index,
                Write: (Action<XmlWriter>)(x => WriteRawElement(x, element)))))
            .OrderBy(item => item.Rank)
            .ThenBy(item => item.Kind)
            .ThenBy(item => item.Index);
        foreach (var item in all)
        {
            item.Write(w);
        }
    }

    private static void AddIf<T>(List<Slot> slots, string[] order, string name, T? value, Action<XmlWriter, T> write)
        where T : class
    {
        if (value is not null)
        {
            slots.Add(new Slot(Rank(order, name), x => write(x, value)));
        }
    }

    private static int Rank(string[] order, string name)
    {
        var index = Array.IndexOf(order, name);
        return index < 0 ? Unknown : index;
    }

    private static void WriteRaw(XmlWriter w, IReadOnlyList<XElement> elements)
    {
        foreach (var element in elements)
        {
            WriteRawElement(w, element);
        }
    }

    /// <summary>
    /// Writes an element KimchiNet does not model as it was read. Indenting would add white space
    /// next to its text, comments and processing instructions (and so change another tool's data),
    /// so an element holding anything but elements is written without indentation inside: an empty
    /// text node first tells <see cref="XmlWriter"/> its content is mixed. The element read stays as it is.
    /// </summary>
    private static void WriteRawElement(XmlWriter w, XElement element)
    {
        static bool NeedsMixedMark(XElement e) =>
            e.FirstNode is not (null or XText) && e.Nodes().Any(n => n is not XElement);

        if (!element.DescendantsAndSelf().Any(NeedsMixedMark))
        {
            element.WriteTo(w);
            return;
        }

        var copy = new XElement(element);
        foreach (var e in copy.DescendantsAndSelf().Where(NeedsMixedMark).ToList())
        {
            e.AddFirst(new XText(string.Empty));
        }

        copy.WriteTo(w);
    }

    private static void WriteOptional(XmlWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteAttributeString(name, value);
        }
    }

    /// <summary>Writes raw attributes; a namespace declaration is written as one, except a default-namespace one (network XML has none).</summary>
    private static void WriteAttributes(XmlWriter w, IReadOnlyList<XAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.IsNamespaceDeclaration)
            {
                if (attribute.Name.Namespace == XNamespace.Xmlns)
                {
                    w.WriteAttributeString("xmlns", attribute.Name.LocalName, XNamespace.Xmlns.NamespaceName, attribute.Value);
                }
            }
            else
            {
                w.WriteAttributeString(attribute.Name.LocalName, attribute.Name.NamespaceName, attribute.Value);
            }
        }
    }

    private static XmlWriterSettings Unindented(XmlWriterSettings settings)
    {
        var copy = settings.Clone();
        copy.Indent = false;
        return copy;
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Slot(int Rank, Action<XmlWriter> Write);
}
