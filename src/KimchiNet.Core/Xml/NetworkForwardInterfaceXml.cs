using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>A <c>&lt;forward&gt;&lt;interface dev=".."/&gt;</c> element: one host device of the pool.</summary>
public sealed record NetworkForwardInterfaceXml
{
    /// <summary>The <c>dev</c> attribute.</summary>
    public required string Dev { get; init; }

    /// <summary>Attributes that are not modelled (e.g. connections), kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
