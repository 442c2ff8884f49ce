using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>A <c>&lt;forwarder addr=.. domain=../&gt;</c> of <c>&lt;dns&gt;</c>.</summary>
public sealed record NetworkDnsForwarderXml
{
    /// <summary>The <c>addr</c> attribute, or null.</summary>
    public string? Addr { get; init; }

    /// <summary>The <c>domain</c> attribute, or null.</summary>
    public string? Domain { get; init; }

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
