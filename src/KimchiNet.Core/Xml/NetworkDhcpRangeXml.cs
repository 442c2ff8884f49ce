using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>A <c>&lt;range start=".." end=".."/&gt;</c> element of <c>&lt;dhcp&gt;</c>. Its <c>&lt;lease&gt;</c> child (libvirt 6.2 and later) is modelled.</summary>
public sealed record NetworkDhcpRangeXml
{
    /// <summary>The <c>start</c> attribute.</summary>
    public string? Start { get; init; }

    /// <summary>The <c>end</c> attribute.</summary>
    public string? End { get; init; }

    /// <summary>The <c>&lt;lease&gt;</c> child: how long the range's leases last; null for dnsmasq's default.</summary>
    public NetworkDhcpLeaseXml? Lease { get; init; }

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled kept raw.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
