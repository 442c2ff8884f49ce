using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>
/// The libvirt <c>&lt;network&gt;</c> document. Only what KimchiNet reads or writes is modelled;
/// everything else (mac, bandwidth, route, port, dnsmasq options, root
/// attributes such as ipv6 or trustGuestRxFilters, ...) is kept raw in <see cref="OtherElements"/>
/// and <see cref="OtherAttributes"/> so that a read followed by a write keeps it.
/// </summary>
public sealed record NetworkXml
{
    /// <summary>The <c>&lt;name&gt;</c> text, exactly as written.</summary>
    public required string Name { get; init; }

    /// <summary>The <c>&lt;uuid&gt;</c> text, or null.</summary>
    public string? Uuid { get; init; }

    /// <summary>The <c>&lt;metadata&gt;</c> element, or null.</summary>
    public NetworkMetadataXml? Metadata { get; init; }

    /// <summary>The <c>&lt;forward&gt;</c> element, or null (an isolated network).</summary>
    public NetworkForwardXml? Forward { get; init; }

    /// <summary>The <c>&lt;bridge&gt;</c> element, or null.</summary>
    public NetworkBridgeXml? Bridge { get; init; }

    /// <summary>The <c>size</c> of a plain <c>&lt;mtu size=".."/&gt;</c> element, or null (none, or one with more than a whole size, which stays raw).</summary>
    public uint? Mtu { get; init; }

    /// <summary>The <c>&lt;domain&gt;</c> element, or null.</summary>
    public NetworkDomainXml? Domain { get; init; }

    /// <summary>The <c>&lt;dns&gt;</c> element, or null.</summary>
    public NetworkDnsXml? Dns { get; init; }

    /// <summary>The <c>&lt;ip&gt;</c> elements, in document order.</summary>
    public IReadOnlyList<NetworkIpXml> Ips { get; init; } = [];

    /// <summary>The <c>&lt;vlan&gt;</c> element, or null.</summary>
    public NetworkVlanXml? Vlan { get; init; }

    /// <summary>The <c>&lt;virtualport&gt;</c> element, or null.</summary>
    public NetworkVirtualPortXml? VirtualPort { get; init; }

    /// <summary>The <c>&lt;portgroup&gt;</c> elements, in document order.</summary>
    public IReadOnlyList<NetworkPortGroupXml> PortGroups { get; init; } = [];

    /// <summary>Attributes of <c>&lt;network&gt;</c> (and namespace declarations), kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
