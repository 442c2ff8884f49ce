using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>The <c>&lt;metadata&gt;</c> element: KimchiNet's own record plus other applications' elements, kept raw.</summary>
public sealed record NetworkMetadataXml
{
    /// <summary>KimchiNet's <c>&lt;kimchinet:network&gt;</c> record, or null when the network has none.</summary>
    public NetworkMetadataKimchiNetXml? KimchiNet { get; init; }

    /// <summary>Metadata elements of other applications, kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
