using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>
/// Reads libvirt network XML into a <see cref="NetworkXml"/>. It never throws on content it does
/// not model: such elements and attributes are kept raw where they were found. It throws
/// <see cref="KimchiException"/> (KCHNET0107E) only when the text is not XML (a DTD or entity
/// declaration included: DTDs are refused and nothing external is resolved), when the root is not
/// <c>&lt;network&gt;</c>, when there is no <c>&lt;name&gt;</c>, or when elements nest deeper than
/// <see cref="MaxDepth"/>.
/// </summary>
public static class NetworkXmlReader
{
    /// <summary>
    /// The deepest element nesting read (the root is depth 1): libxml2's own limit, so libvirt refuses
    /// deeper XML too ("Excessive depth in document: 256"). Deeper XML is refused rather than read,
    /// because copying or writing elements recurses once per level and would overflow the stack (a crash no
    /// catch can stop) around 100,000 levels.
    /// </summary>
    public const int MaxDepth = 256;

    private static readonly XNamespace s_kimchiNet = NetworkMetadataKimchiNetXml.Namespace;

    /// <summary>Reads network XML text.</summary>
    public static NetworkXml Read(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,

                // Other tools' metadata may hold comments and processing instructions: they stay in
                // the raw elements and go back to libvirt as they were (libvirt itself keeps them
                // inside <metadata> children and drops them elsewhere, as the model does).
                IgnoreComments = false,
                IgnoreProcessingInstructions = false,
            };
            // A first pass with the reader alone refuses deep nesting before any tree is built:
            // XDocument.Load takes time quadratic in the depth (100,000 levels, 700 KB: about 20 s).
            using (var probe = XmlReader.Create(new StringReader(xml), settings))
            {
                while (probe.Read())
                {
                    if (probe.Depth >= MaxDepth)
                    {
                        throw TooDeep();
                    }
                }
            }

            using var reader = XmlReader.Create(new StringReader(xml), settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e)
        {
            throw Malformed($"The network XML cannot be read: {e.Message}", e);
        }

        return ReadOwned(document.Root!);
    }

    /// <summary>Reads a <c>&lt;network&gt;</c> element that is already parsed; <paramref name="root"/> is left as it is.</summary>
    public static NetworkXml Read(XElement root)
    {
        ArgumentNullException.ThrowIfNull(root);
        // Checked before the copy, which recurses once per level.
        if (IsNestedTooDeep(root))
        {
            throw TooDeep();
        }

        return ReadOwned(new XElement(root));
    }

    /// <summary>Reads a tree the reader owns: raw elements are taken out of it (<see cref="Detach"/>), not copied.</summary>
    private static NetworkXml ReadOwned(XElement root)
    {
        if (root.Name != "network")
        {
            throw Malformed($"The network XML has the root element <{root.Name.LocalName}>{NamespaceNote(root.Name)}, not <network>.");
        }

        if (IsNestedTooDeep(root))
        {
            throw TooDeep();
        }

        var name = root.Element("name")
            ?? throw Malformed("The network XML has no <name> element.");
        var consumed = new HashSet<XElement> { name };

        return new NetworkXml
        {
            Name = name.Value,
            Uuid = Take(root, "uuid", consumed)?.Value,
            Metadata = ReadOptional(Take(root, "metadata", consumed), ReadMetadata),
            Forward = ReadOptional(Take(root, "forward", consumed), ReadForward),
            Bridge = ReadOptional(Take(root, "bridge", consumed), ReadBridge),
            Mtu = ReadMtu(root, consumed),
            Domain = ReadOptional(Take(root, "domain", consumed), ReadDomain),
            Dns = ReadOptional(Take(root, "dns", consumed), ReadDns),
            Ips = TakeAll(root, "ip", consumed).Select(ReadIp).ToArray(),
            Vlan = ReadOptional(Take(root, "vlan", consumed), ReadVlan),
            VirtualPort = ReadOptional(Take(root, "virtualport", consumed), ReadVirtualPort),
            PortGroups = TakeAll(root, "portgroup", consumed).Select(ReadPortGroup).ToArray(),
            OtherAttributes = OtherAttributes(root),
            OtherElements = Rest(root, consumed),
        };
    }

    private static NetworkMetadataXml ReadMetadata(XElement e)
    {
        var consumed = new HashSet<XElement>();
        return new NetworkMetadataXml
        {
            KimchiNet = ReadOptional(Take(e, s_kimchiNet + "network", consumed), ReadKimchiNet),
            OtherElements = Rest(e, consumed),
        };
    }

    private static NetworkMetadataKimchiNetXml ReadKimchiNet(XElement e)
    {
        var consumed = new HashSet<XElement>();
        var interfaces = new List<string>();
        foreach (var item in e.Elements(s_kimchiNet + "interface"))
        {
            if (item.Attribute("dev") is { } dev)
            {
                interfaces.Add(dev.Value);
                consumed.Add(item);
            }
        }

        int? vlanId = null;
        if (e.Element(s_kimchiNet + "vlan") is { } vlan && TryInt(vlan.Attribute("id"), out var id))
        {
            vlanId = id;
            consumed.Add(vlan);
        }

        string? ulaGlobalId = null;
        if (e.Element(s_kimchiNet + "ula") is { } ula && ula.Attribute("global-id") is { } globalId
            && !ula.HasElements && ula.Attributes().Count() == 1)
        {
            ulaGlobalId = globalId.Value;
            consumed.Add(ula);
        }

        return new NetworkMetadataKimchiNetXml
        {
            Connection = Take(e, s_kimchiNet + "connection", consumed)?.Value,
            Interfaces = interfaces,
            VlanId = vlanId,
            UlaGlobalId = ulaGlobalId,
            Created = ReadOptional(Take(e, s_kimchiNet + "created", consumed), ReadCreated),
            OtherElements = Rest(e, consumed),
        };
    }

    private static NetworkMetadataKimchiNetCreatedXml ReadCreated(XElement e)
    {
        var consumed = new HashSet<XElement>();
        var bridge = Take(e, s_kimchiNet + "bridge", consumed);
        var vlan = Take(e, s_kimchiNet + "vlan", consumed);
        int? vlanId = TryInt(vlan?.Attribute("id"), out var id) ? id : null;
        var addresses = new List<string>();
        foreach (var address in e.Elements(s_kimchiNet + "address"))
        {
            if (address.Attribute("value") is { } value)
            {
                addresses.Add(value.Value);
                consumed.Add(address);
            }
        }

        var manager = Take(e, s_kimchiNet + "manager", consumed);
        var files = new List<(string, string?)>();
        foreach (var file in e.Elements(s_kimchiNet + "file"))
        {
            if (file.Attribute("path") is { } path)
            {
                files.Add((path.Value, (string?)file.Attribute("kept")));
                consumed.Add(file);
            }
        }

        return new NetworkMetadataKimchiNetCreatedXml
        {
            Manager = (string?)manager?.Attribute("name"),
            ManagerRenderer = (string?)manager?.Attribute("renderer"),
            ManagerFiles = files,
            Bridge = (string?)bridge?.Attribute("name"),
            BridgeMac = (string?)bridge?.Attribute("mac"),
            BridgeIfindex = TryInt(bridge?.Attribute("ifindex"), out var ifindex) ? ifindex : null,
            VlanDevice = (string?)vlan?.Attribute("dev"),
            VlanParent = (string?)vlan?.Attribute("parent"),
            VlanId = vlanId,
            MovedAddresses = addresses,
            OtherElements = Rest(e, consumed),
        };
    }

    private static NetworkForwardXml ReadForward(XElement e)
    {
        var consumed = new HashSet<XElement>();
        var interfaces = new List<NetworkForwardInterfaceXml>();
        foreach (var item in e.Elements("interface"))
        {
            if (item.Attribute("dev") is { } dev)
            {
                interfaces.Add(new NetworkForwardInterfaceXml
                {
                    Dev = dev.Value,
                    OtherAttributes = OtherAttributes(item, "dev"),
                    OtherElements = Rest(item, []),
                });
                consumed.Add(item);
            }
        }

        return new NetworkForwardXml
        {
            Mode = (string?)e.Attribute("mode"),
            Dev = (string?)e.Attribute("dev"),
            Interfaces = interfaces,
            OtherAttributes = OtherAttributes(e, "mode", "dev"),
            OtherElements = Rest(e, consumed),
        };
    }

    private static NetworkBridgeXml ReadBridge(XElement e)
    {
        var delayText = (string?)e.Attribute("delay");
        var hasDelay = ulong.TryParse(delayText, NumberStyles.None, CultureInfo.InvariantCulture, out var delay);
        return new NetworkBridgeXml
        {
            Name = (string?)e.Attribute("name"),
            Stp = (string?)e.Attribute("stp"),
            Delay = hasDelay ? delay : null,
            OtherAttributes = OtherAttributes(e, hasDelay ? ["name", "stp", "delay"] : ["name", "stp"]),
            OtherElements = Rest(e, []),
        };
    }

    private static NetworkIpXml ReadIp(XElement e)
    {
        var hasPrefix = uint.TryParse((string?)e.Attribute("prefix"), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix);
        var consumed = new HashSet<XElement>();
        return new NetworkIpXml
        {
            Address = (string?)e.Attribute("address"),
            Netmask = (string?)e.Attribute("netmask"),
            Prefix = hasPrefix ? prefix : null,
            Family = (string?)e.Attribute("family"),
            Dhcp = ReadOptional(Take(e, "dhcp", consumed), ReadDhcp),
            OtherAttributes = OtherAttributes(e, hasPrefix ? ["address", "netmask", "prefix", "family"] : ["address", "netmask", "family"]),
            OtherElements = Rest(e, consumed),
        };
    }

    private static NetworkDhcpXml ReadDhcp(XElement e)
    {
        var consumed = new HashSet<XElement>();
        return new NetworkDhcpXml
        {
            Ranges = TakeAll(e, "range", consumed).Select(ReadDhcpRange).ToArray(),
            OtherAttributes = OtherAttributes(e),
            OtherElements = Rest(e, consumed),
        };
    }

    private static NetworkDhcpRangeXml ReadDhcpRange(XElement r)
    {
        var consumed = new HashSet<XElement>();
        return new NetworkDhcpRangeXml
        {
            Start = (string?)r.Attribute("start"),
            End = (string?)r.Attribute("end"),
            Lease = ReadOptional(Take(r, "lease", consumed), ReadLease),
            OtherAttributes = OtherAttributes(r, "start", "end"),
            OtherElements = Rest(r, consumed),
        };
    }

    /// <summary>The size of the first &lt;mtu&gt; when it is a plain &lt;mtu size=N/&gt;; any other stays raw.</summary>
    private static uint? ReadMtu(XElement root, HashSet<XElement> consumed)
    {
        if (root.Element("mtu") is not { } mtu
            || mtu.HasElements
            || mtu.Attributes().Count() != 1
            || !uint.TryParse((string?)mtu.Attribute("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return null;
        }

        consumed.Add(mtu);
        return size;
    }

    /// <summary>A &lt;lease&gt; element (of a DHCP range or host); anything else on it is kept raw, as copies.</summary>
    private static NetworkDhcpLeaseXml ReadLease(XElement lease) => new()
    {
        Expiry = (string?)lease.Attribute("expiry"),
        Unit = (string?)lease.Attribute("unit"),
        OtherAttributes = OtherAttributes(lease, "expiry", "unit"),
        OtherElements = lease.Elements().Select(e => new XElement(e)).ToArray(),
    };

    /// <summary>
    /// Reads a DHCP <c>&lt;host&gt;</c> element (mac, id, name, ip and a <c>&lt;lease&gt;</c>); anything
    /// else on it is kept raw, as copies: <paramref name="host"/> is left as it is.
    /// </summary>
    public static NetworkDhcpHostXml ReadDhcpHost(XElement host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var lease = host.Element("lease");
        return new NetworkDhcpHostXml
        {
            Mac = (string?)host.Attribute("mac"),
            Id = (string?)host.Attribute("id"),
            Name = (string?)host.Attribute("name"),
            Ip = (string?)host.Attribute("ip"),
            Lease = lease is null ? null : ReadLease(lease),
            OtherAttributes = OtherAttributes(host, "mac", "id", "name", "ip"),
            OtherElements = host.Elements().Where(e => e != lease).Select(e => new XElement(e)).ToArray(),
        };
    }

    private static NetworkDomainXml ReadDomain(XElement e) => new()
    {
        Name = (string?)e.Attribute("name"),
        LocalOnly = (string?)e.Attribute("localOnly"),
        OtherAttributes = OtherAttributes(e, "name", "localOnly"),
        OtherElements = Rest(e, []),
    };

    private static NetworkDnsXml ReadDns(XElement e)
    {
        var consumed = new HashSet<XElement>();
        return new NetworkDnsXml
        {
            Enable = (string?)e.Attribute("enable"),
            Forwarders = TakeAll(e, "forwarder", consumed).Select(f => new NetworkDnsForwarderXml
            {
                Addr = (string?)f.Attribute("addr"),
                Domain = (string?)f.Attribute("domain"),
                OtherAttributes = OtherAttributes(f, "addr", "domain"),
                OtherElements = Rest(f, []),
            }).ToArray(),
            Hosts = TakeAll(e, "host", consumed).Select(ReadDnsHost).ToArray(),
            OtherAttributes = OtherAttributes(e, "enable"),
            OtherElements = Rest(e, consumed),
        };
    }

    private static NetworkDnsHostXml ReadDnsHost(XElement e)
    {
        // Only plain <hostname>TEXT</hostname> is modelled; one with attributes or children stays raw.
        var plain = e.Elements("hostname").Where(h => !h.HasElements && !h.HasAttributes).ToList();
        var consumed = new HashSet<XElement>(plain);
        return new NetworkDnsHostXml
        {
            Ip = (string?)e.Attribute("ip"),
            Hostnames = plain.Select(h => h.Value).ToArray(),
            OtherAttributes = OtherAttributes(e, "ip"),
            OtherElements = Rest(e, consumed),
        };
    }

    private static NetworkVlanXml ReadVlan(XElement e)
    {
        var consumed = new HashSet<XElement>();
        return new NetworkVlanXml
        {
            Trunk = (string?)e.Attribute("trunk"),
            Tags = TakeAll(e, "tag", consumed).Select(ReadVlanTag).ToArray(),
            OtherAttributes = OtherAttributes(e, "trunk"),
            OtherElements = Rest(e, consumed),
        };
    }

    private static NetworkVlanTagXml ReadVlanTag(XElement e)
    {
        var hasId = uint.TryParse((string?)e.Attribute("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id);
        return new NetworkVlanTagXml
        {
            Id = hasId ? id : null,
            NativeMode = (string?)e.Attribute("nativeMode"),
            OtherAttributes = OtherAttributes(e, hasId ? ["id", "nativeMode"] : ["nativeMode"]),
            OtherElements = Rest(e, []),
        };
    }

    private static NetworkVirtualPortXml ReadVirtualPort(XElement e) => new()
    {
        Type = (string?)e.Attribute("type"),
        OtherAttributes = OtherAttributes(e, "type"),
        OtherElements = Rest(e, []),
    };

    private static NetworkPortGroupXml ReadPortGroup(XElement e)
    {
        var consumed = new HashSet<XElement>();
        return new NetworkPortGroupXml
        {
            Name = (string?)e.Attribute("name"),
            Default = (string?)e.Attribute("default"),
            Vlan = ReadOptional(Take(e, "vlan", consumed), ReadVlan),
            OtherAttributes = OtherAttributes(e, "name", "default"),
            OtherElements = Rest(e, consumed),
        };
    }

    private static T? ReadOptional<T>(XElement? element, Func<XElement, T> read)
        where T : class => element is null ? null : read(element);

    /// <summary>The first child of that name, marked as read; a second one stays raw.</summary>
    private static XElement? Take(XElement parent, XName name, HashSet<XElement> consumed)
    {
        var element = parent.Element(name);
        if (element is not null)
        {
            consumed.Add(element);
        }

        return element;
    }

    private static List<XElement> TakeAll(XElement parent, XName name, HashSet<XElement> consumed)
    {
        var elements = parent.Elements(name).ToList();
        consumed.UnionWith(elements);
        return elements;
    }

    /// <summary>The children not read into the model, detached from the tree, in document order.</summary>
    private static XElement[] Rest(XElement parent, HashSet<XElement> consumed) =>
        parent.Elements().Where(e => !consumed.Contains(e)).ToArray().Select(Detach).ToArray();

    private static XAttribute[] OtherAttributes(XElement element, params string[] modelled) =>
        element.Attributes()
            .Where(a => a.IsNamespaceDeclaration || a.Name.Namespace != XNamespace.None || Array.IndexOf(modelled, a.Name.LocalName) < 0)
            .Select(a => new XAttribute(a))
            .ToArray();

    /// <summary>
    /// Takes a raw element out of the tree the reader owns (no copy: nobody else holds the tree).
    /// Prefixes it borrowed from an ancestor's declaration are declared on it first, so that it is
    /// written back with the same prefixes; declarations on the root need none, as the root keeps
    /// them (<see cref="NetworkXml.OtherAttributes"/>).
    /// </summary>
    private static XElement Detach(XElement element)
    {
        var root = element.Document?.Root ?? element.AncestorsAndSelf().Last();
        var borrowed = element.DescendantsAndSelf()
            .SelectMany(e => e.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => a.Name.Namespace).Append(e.Name.Namespace))
            .Where(ns => ns != XNamespace.None)
            .Distinct()
            .Select(ns => (Namespace: ns, Prefix: element.GetPrefixOfNamespace(ns)))
            .Where(d => d.Prefix is not null
                && element.Attribute(XNamespace.Xmlns + d.Prefix) is null
                && root.Attribute(XNamespace.Xmlns + d.Prefix)?.Value != d.Namespace.NamespaceName)
            .ToArray();
        element.Remove();
        foreach (var (ns, prefix) in borrowed)
        {
            element.Add(new XAttribute(XNamespace.Xmlns + prefix!, ns.NamespaceName));
        }

        return element;
    }

    /// <summary>True when some element lies deeper than <see cref="MaxDepth"/>; walks the tree with a stack of its own, not by recursion.</summary>
    private static bool IsNestedTooDeep(XElement root)
    {
        var pending = new Stack<(XElement Element, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (element, depth) = pending.Pop();
            if (depth > MaxDepth)
            {
                return true;
            }

            foreach (var child in element.Elements())
            {
                pending.Push((child, depth + 1));
            }
        }

        return false;
    }

    private static bool TryInt(XAttribute? attribute, out int value) =>
        int.TryParse(attribute?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static string NamespaceNote(XName name) =>
        name.Namespace == XNamespace.None ? string.Empty : $" in namespace '{name.NamespaceName}'";

    private static KimchiException TooDeep() =>
        Malformed($"The network XML nests elements more than {MaxDepth.ToString(CultureInfo.InvariantCulture)} deep; libvirt refuses such XML too.");

    private static KimchiException Malformed(string message, Exception? inner = null) =>
        new(ErrorCodes.MalformedXml, ErrorKind.InvalidInput, message, null, inner);
}
