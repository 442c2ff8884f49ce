using System;
using System.Collections.Generic;
using System.Globalization;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>A <c>&lt;lease expiry=".." unit=".."/&gt;</c> element: a lease time; expiry 0 means the lease never ends.</summary>
public sealed record NetworkDhcpLeaseXml
{
    /// <summary>The <c>expiry</c> attribute as written (a whole number), or null.</summary>
    public string? Expiry { get; init; }

    /// <summary>The <c>unit</c> attribute ("seconds", "minutes" or "hours"; libvirt's default is minutes), or null.</summary>
    public string? Unit { get; init; }

    /// <summary>Attributes that are not modelled, kept raw.</summary>
    public IReadOnlyList<XAttribute> OtherAttributes { get; init; } = [];

    /// <summary>Child elements that are not modelled, kept raw in document order.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];

    /// <summary>
    /// The element for a lease time: expiry 0 for <see cref="TimeSpan.Zero"/> (never ends), else in the
    /// largest of hours, minutes and seconds that holds it whole.
    /// </summary>
    public static NetworkDhcpLeaseXml FromLeaseTime(TimeSpan leaseTime)
    {
        var seconds = (long)leaseTime.TotalSeconds;
        var (expiry, unit) = seconds == 0 ? (0, null)
            : seconds % 3600 == 0 ? (seconds / 3600, "hours")
            : seconds % 60 == 0 ? (seconds / 60, "minutes")
            : (seconds, "seconds");
        return new NetworkDhcpLeaseXml { Expiry = expiry.ToString(CultureInfo.InvariantCulture), Unit = unit };
    }

    /// <summary>
    /// The lease time written: <see cref="TimeSpan.Zero"/> for expiry 0 (never ends); the unit is minutes
    /// when none is written, as in libvirt. Null when expiry or unit is not one libvirt takes.
    /// </summary>
    public TimeSpan? ToLeaseTime()
    {
        if (!ulong.TryParse(Expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || expiry > int.MaxValue)
        {
            return null;
        }

        long? unitSeconds = Unit switch
        {
            "seconds" => 1,
            null or "minutes" => 60,
            "hours" => 3600,
            _ => null,
        };
        return unitSeconds is { } factor ? TimeSpan.FromSeconds((long)expiry * factor) : null;
    }
}
