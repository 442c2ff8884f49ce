using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>
/// The <c>&lt;forward&gt;</c> element. <see cref="Mode"/> stays a string so that modes KimchiNet has no
/// name for (route, open, hostdev, private, or a future one) round-trip. The <c>&lt;nat&gt;</c>,
/// <c>&lt;pf&gt;</c>, <c>&lt;driver&gt;</c> and hostdev <c>&lt;address type="pci"&gt;</c> children are kept raw.
/// </summary>
public sealed record NetworkForwardXml
{
    /// <summary>The <c>mode</c> attribute (nat, route, open, bridge, passthrough, private, vepa, hostdev), or null (libvirt's default, nat).</summary>
    public string? Mode { get; init; }

    /// <summary>The <c>dev</c> attribute, or null.</summary>
    public string? Dev { get; init; }

    /// <summary>The <c>&lt;interface&gt;</c> children, in document order.</summary>
    public IReadOnlyList<NetworkForwardInterfaceXml> Interfaces { get; init; } = [];

    /// <summary>Attributes that are not modelled (e.g. managed), kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled (nat, pf, driver, address), kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
