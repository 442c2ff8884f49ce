using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>A <c>&lt;vlan&gt;&lt;tag id=".."/&gt;</c> element.</summary>
public sealed record NetworkVlanTagXml
{
    /// <summary>The <c>id</c> attribute, or null. An id that is not a number stays raw in <see cref="OtherAttributes"/>.</summary>
    public uint? Id { get; init; }

    /// <summary>The <c>nativeMode</c> attribute ("tagged", "untagged"), or null.</summary>
    public string? NativeMode { get; init; }

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
