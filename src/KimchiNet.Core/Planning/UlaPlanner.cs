using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;

namespace KimchiNet.Planning;

/// <summary>
/// Plans unique-local IPv6 /64s (RFC 4193): fd00::/8, then a 40-bit global ID chosen at random
/// once per host, then a 16-bit subnet ID: the lowest one whose /64 shares no address with anything
/// in use (other networks' subnets, the host's addresses and routes). Where the global ID is kept is
/// the caller's concern (<c>Operations.HostFacts</c>: in the networks' KimchiNet metadata).
/// </summary>
public static class UlaPlanner
{
    /// <summary>The largest 40-bit global ID.</summary>
    public const ulong MaxGlobalId = (1UL << 40) - 1;

    /// <summary>A new global ID: 40 bits from the system's cryptographic random number generator (RFC 4193 section 3.2 asks for a random one).</summary>
    public static ulong NewGlobalId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes) & MaxGlobalId;
    }

    /// <summary>The /48 of a global ID: fdXX:XXXX:XXXX::/48, as its first address.</summary>
    public static UInt128 SitePrefix(ulong globalId)
    {
        if (globalId > MaxGlobalId)
        {
            throw new ArgumentOutOfRangeException(nameof(globalId), globalId, "A global ID has 40 bits.");
        }

        return ((UInt128)(0xfdUL << 40 | globalId)) << 80;
    }

    /// <summary>The global ID of an address in fd00::/8, or null for any other address.</summary>
    public static ulong? GlobalIdOf(UInt128 address) =>
        (address >> 120) == 0xfd ? (ulong)(address >> 80) & MaxGlobalId : null;

    /// <summary>The global ID as 10 hexadecimal digits, as KimchiNet's metadata keeps it.</summary>
    public static string FormatGlobalId(ulong globalId) => globalId.ToString("x10", CultureInfo.InvariantCulture);

    /// <summary>Reads 10 hexadecimal digits as a global ID; false for anything else.</summary>
    public static bool TryParseGlobalId(string? text, out ulong globalId)
    {
        globalId = 0;
        return text is { Length: 10 }
            && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out globalId);
    }

    /// <summary>
    /// The /64 of the lowest subnet ID under <paramref name="globalId"/> that overlaps nothing in
    /// <paramref name="used"/>; false when all 65,536 do.
    /// </summary>
    public static bool TryFindFreeSubnet(ulong globalId, IEnumerable<Ipv6Range> used, out Ipv6Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(used);
        var site = SitePrefix(globalId);
        var siteLast = site | ((((UInt128)1) << 80) - 1);
        var taken = new bool[65536];
        foreach (var range in used)
        {
            if (range.Last < site || range.First > siteLast)
            {
                continue;
            }

            var first = range.First < site ? 0 : (int)((range.First >> 64) & 0xffff);
            var last = range.Last > siteLast ? 0xffff : (int)((range.Last >> 64) & 0xffff);
            for (var id = first; id <= last; id++)
            {
                taken[id] = true;
            }
        }

        var free = Array.IndexOf(taken, false);
        subnet = free < 0 ? default : Ipv6Subnet.FromAddress(site | ((UInt128)(uint)free << 64));
        return free >= 0;
    }
}
