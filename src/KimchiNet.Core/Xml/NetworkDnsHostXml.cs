using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>A <c>&lt;host ip=..&gt;</c> of <c>&lt;dns&gt;</c> with its <c>&lt;hostname&gt;</c> children.</summary>
public sealed record NetworkDnsHostXml
{
    /// <summary>The <c>ip</c> attribute, or null.</summary>
    public string? Ip { get; init; }

    /// <summary>The text of each <c>&lt;hostname&gt;</c> child, in document order.</summary>
    public IReadOnlyList<string> Hostnames { get; init; } = [];

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
