using System;
using System.Collections.Generic;
using System.Linq;

namespace KimchiNet.Model;

/// <summary>
/// A DNS host record of a network: one address and the names the network's dnsmasq answers with it
/// (libvirt's <c>&lt;dns&gt;&lt;host ip=..&gt;&lt;hostname&gt;..&lt;/hostname&gt;&lt;/host&gt;</c>). Nothing in it is
/// trusted: <see cref="Validation.NetworkSpecValidator"/> judges it.
/// </summary>
public sealed record DnsHostRecord
{
    /// <summary>The IPv4 or IPv6 address the names resolve to.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>The names, in order.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Reads 'ADDRESS=NAME[,NAME...]' (as in '10.1.1.5=web,www'); never throws: text without '=' is
    /// taken as an address without names, which the validator refuses. PowerShell converts a string
    /// given to -DnsHost with this method.
    /// </summary>
    public static DnsHostRecord Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0
            ? new DnsHostRecord { Address = text.Trim() }
            : new DnsHostRecord
            {
                Address = text[..equals].Trim(),
                Names = text[(equals + 1)..].Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToArray(),
            };
    }

    /// <summary>The record as 'ADDRESS=NAME,NAME', the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => $"{Address}={string.Join(",", Names)}";

    /// <summary>True when both have the same address and the same names in the same order (names compared without case, as DNS does).</summary>
    public bool Equals(DnsHostRecord? other) =>
        other is not null
        && string.Equals(Address, other.Address, StringComparison.OrdinalIgnoreCase)
        && Names.SequenceEqual(other.Names, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Address);
}
