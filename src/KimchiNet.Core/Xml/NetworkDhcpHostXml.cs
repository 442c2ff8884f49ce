using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>
/// A static <c>&lt;host mac=".." id=".." name=".." ip=".."/&gt;</c> element of <c>&lt;dhcp&gt;</c>: a
/// reservation (by MAC for IPv4; by DUID id or name for IPv6), with an optional <c>&lt;lease&gt;</c>.
/// </summary>
public sealed record NetworkDhcpHostXml
{
    /// <summary>The <c>mac</c> attribute, or null.</summary>
    public string? Mac { get; init; }

    /// <summary>The <c>id</c> attribute (a DHCPv6 DUID), or null.</summary>
    public string? Id { get; init; }

    /// <summary>The <c>name</c> attribute, or null.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>ip</c> attribute, or null.</summary>
    public string? Ip { get; init; }

    /// <summary>The <c>&lt;lease&gt;</c> child (libvirt 6.3 and later), or null.</summary>
    public NetworkDhcpLeaseXml? Lease { get; init; }

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
