using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>The <c>&lt;dhcp&gt;</c> element. Static <c>&lt;host&gt;</c> entries and <c>&lt;bootp&gt;</c> are kept raw.</summary>
public sealed record NetworkDhcpXml
{
    /// <summary>The <c>&lt;range&gt;</c> children, in document order.</summary>
    public IReadOnlyList<NetworkDhcpRangeXml> Ranges { get; init; } = [];

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled (host, bootp), kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];

    /// <summary>
    /// The static hosts (reservations) among <see cref="OtherElements"/>, read into the model
    /// (<see cref="NetworkXmlReader.ReadDhcpHost"/>), in document order. The elements themselves stay
    /// raw, so the writer keeps them byte for byte wherever they were.
    /// </summary>
    public IReadOnlyList<NetworkDhcpHostXml> Hosts =>
        OtherElements.Where(e => e.Name == "host").Select(NetworkXmlReader.ReadDhcpHost).ToArray();
}
