using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>The <c>&lt;vlan&gt;</c> element (of the network or of a portgroup).</summary>
public sealed record NetworkVlanXml
{
    /// <summary>The <c>trunk</c> attribute ("yes"), or null.</summary>
    public string? Trunk { get; init; }

    /// <summary>The <c>&lt;tag&gt;</c> children, in document order.</summary>
    public IReadOnlyList<NetworkVlanTagXml> Tags { get; init; } = [];

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
