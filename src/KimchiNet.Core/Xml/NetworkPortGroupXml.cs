using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>A <c>&lt;portgroup&gt;</c> element: its name, default flag and &lt;vlan&gt;; its other children (virtualport, bandwidth) are kept raw.</summary>
public sealed record NetworkPortGroupXml
{
    /// <summary>The <c>name</c> attribute.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>default</c> attribute ("yes", "no"), or null.</summary>
    public string? Default { get; init; }

    /// <summary>The <c>&lt;vlan&gt;</c> child, or null.</summary>
    public NetworkVlanXml? Vlan { get; init; }

    /// <summary>Attributes that are not modelled (e.g. trustGuestRxFilters), kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled (virtualport, bandwidth), kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
