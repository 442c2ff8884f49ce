using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>
/// The <c>&lt;virtualport&gt;</c> element. Its <c>&lt;parameters&gt;</c> child differs with <see cref="Type"/>
/// (openvswitch, 802.1Qbh, 802.1Qbg, midonet), so it is kept raw rather than modelled per type.
/// </summary>
public sealed record NetworkVirtualPortXml
{
    /// <summary>The <c>type</c> attribute (e.g. "openvswitch"), or null.</summary>
    public string? Type { get; init; }

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements (e.g. parameters), kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
