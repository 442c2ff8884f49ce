using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>
/// The <c>&lt;dns&gt;</c> element: whether the network's dnsmasq answers DNS, its forwarders and its
/// host records. TXT and SRV records (and anything else) are kept raw.
/// </summary>
public sealed record NetworkDnsXml
{
    /// <summary>The <c>enable</c> attribute ("no" turns DNS off), or null.</summary>
    public string? Enable { get; init; }

    /// <summary>The <c>&lt;forwarder&gt;</c> children, in document order.</summary>
    public IReadOnlyList<NetworkDnsForwarderXml> Forwarders { get; init; } = [];

    /// <summary>The <c>&lt;host&gt;</c> children, in document order.</summary>
    public IReadOnlyList<NetworkDnsHostXml> Hosts { get; init; } = [];

    /// <summary>Attributes that are not modelled (forwardPlainNames, ...), kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled (txt, srv), kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
