using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>The <c>&lt;bridge&gt;</c> element. Attributes other than name, stp and delay (zone, macTableManager, ...) are kept raw.</summary>
public sealed record NetworkBridgeXml
{
    /// <summary>The <c>name</c> attribute, or null to let libvirt pick.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>stp</c> attribute ("on" or "off"), or null.</summary>
    public string? Stp { get; init; }

    /// <summary>The <c>delay</c> attribute in seconds, or null.</summary>
    public ulong? Delay { get; init; }

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
