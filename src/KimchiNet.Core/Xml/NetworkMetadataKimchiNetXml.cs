using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>
/// KimchiNet's record in the metadata, <c>&lt;kimchinet:network xmlns:kimchinet="urn:kimchinet:network:1"&gt;</c>:
/// what the user asked for (connection type, interfaces, VLAN id) and what KimchiNet changed on the host.
/// <code>
/// &lt;kimchinet:network xmlns:kimchinet="urn:kimchinet:network:1"&gt;
///   &lt;kimchinet:connection&gt;bridge&lt;/kimchinet:connection&gt;
///   &lt;kimchinet:interface dev="eth0" /&gt;
///   &lt;kimchinet:vlan id="10" /&gt;
///   &lt;kimchinet:ula global-id="1a2b3c4d5e" /&gt;
///   &lt;kimchinet:created&gt; ... &lt;/kimchinet:created&gt;
/// &lt;/kimchinet:network&gt;
/// </code>
/// </summary>
public sealed record NetworkMetadataKimchiNetXml
{
    /// <summary>The XML namespace of KimchiNet's metadata.</summary>
    public const string Namespace = "urn:kimchinet:network:1";

    /// <summary>The prefix KimchiNet writes for <see cref="Namespace"/>.</summary>
    public const string Prefix = "kimchinet";

    /// <summary>The connection type as the user asked for it, in Kimchi's lower-case spelling (<c>&lt;kimchinet:connection&gt;</c>).</summary>
    public string? Connection { get; init; }

    /// <summary>The interfaces as the user gave them (<c>&lt;kimchinet:interface dev=".."/&gt;</c>), in order.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    /// <summary>The VLAN id the user asked for (<c>&lt;kimchinet:vlan id=".."/&gt;</c>), or null.</summary>
    public int? VlanId { get; init; }

    /// <summary>
    /// The host's unique-local global ID (10 hex digits) that KimchiNet planned the network's IPv6
    /// /64 under (<c>&lt;kimchinet:ula global-id=".."/&gt;</c>), or null when its IPv6 subnet was given.
    /// </summary>
    public string? UlaGlobalId { get; init; }

    /// <summary>What KimchiNet created on the host (<c>&lt;kimchinet:created&gt;</c>), or null.</summary>
    public NetworkMetadataKimchiNetCreatedXml? Created { get; init; }

    /// <summary>Children a later KimchiNet version may add, kept raw.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
