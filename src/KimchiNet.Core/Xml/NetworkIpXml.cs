using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>An <c>&lt;ip&gt;</c> element: the host's address on the network and its DHCP service. Children other than dhcp (tftp, ...) are kept raw.</summary>
public sealed record NetworkIpXml
{
    /// <summary>The <c>address</c> attribute, or null.</summary>
    public string? Address { get; init; }

    /// <summary>The <c>netmask</c> attribute (IPv4 only), or null.</summary>
    public string? Netmask { get; init; }

    /// <summary>The <c>prefix</c> attribute, or null.</summary>
    public uint? Prefix { get; init; }

    /// <summary>The <c>family</c> attribute ("ipv4", "ipv6"), or null (IPv4).</summary>
    public string? Family { get; init; }

    /// <summary>The <c>&lt;dhcp&gt;</c> child, or null.</summary>
    public NetworkDhcpXml? Dhcp { get; init; }

    /// <summary>Attributes that are not modelled (e.g. localPtr), kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled (e.g. tftp), kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
