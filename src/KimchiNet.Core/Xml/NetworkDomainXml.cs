using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>The <c>&lt;domain name=.. localOnly=../&gt;</c> element: the network's DNS domain.</summary>
public sealed record NetworkDomainXml
{
    /// <summary>The <c>name</c> attribute, or null.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>localOnly</c> attribute ("yes": names under the domain are never forwarded), or null.</summary>
    public string? LocalOnly { get; init; }

    /// <summary>Attributes that are not modelled (register, ...), kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
