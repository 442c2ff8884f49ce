using System;
using System.Globalization;

namespace KimchiNet.Planning;

/// <summary>
/// A block of IPv4 addresses already in use on the host, written as address/prefix with any prefix
/// from 0 to 32: another network's subnet (192.168.122.0/24), a host interface's address with its
/// prefix (192.168.1.10/24, host bits kept) or a single address (/32). Unlike
/// <see cref="Ipv4Subnet"/> it makes no claim that the block could be a libvirt network.
/// </summary>
public readonly record struct Ipv4Range
{
    /// <summary>Creates the range address/prefix; <paramref name="address"/> may have host bits set.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="prefix"/> is not 0..32.</exception>
    public Ipv4Range(uint address, int prefix)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefix);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefix, 32);
        Address = address;
        Prefix = prefix;
    }

    /// <summary>The address as given, host bits included.</summary>
    public uint Address { get; }

    /// <summary>The prefix length, 0..32.</summary>
    public int Prefix { get; }

    /// <summary>The first address of the block (the address with its host bits cleared).</summary>
    public uint First => Address & Ipv4Subnet.PrefixToMask(Prefix);

    /// <summary>The last address of the block (the address with its host bits set).</summary>
    public uint Last => Address | ~Ipv4Subnet.PrefixToMask(Prefix);

    /// <summary>The block a planned or existing subnet occupies.</summary>
    public static Ipv4Range FromSubnet(Ipv4Subnet subnet) => new(subnet.Network, subnet.Prefix);

    /// <summary>True when the range and the subnet share any address.</summary>
    public bool Overlaps(Ipv4Subnet subnet) => First <= subnet.Broadcast && subnet.Network <= Last;

    /// <summary>True when the two ranges share any address.</summary>
    public bool Overlaps(Ipv4Range other) => First <= other.Last && other.First <= Last;

    /// <summary>
    /// Parses a.b.c.d/n (n = 0..32), a.b.c.d/netmask (contiguous) or a bare a.b.c.d (taken as /32),
    /// with the same strict dotted decimal as <see cref="Ipv4Subnet"/> (no spaces, signs or leading zeros).
    /// </summary>
    public static bool TryParse(string? text, out Ipv4Range range)
    {
        range = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var span = text.AsSpan();
        var slash = span.IndexOf('/');
        var addressText = slash < 0 ? span : span[..slash];
        if (!Ipv4Subnet.TryParseAddress(addressText, out var address))
        {
            return false;
        }

        var prefix = 32;
        if (slash >= 0)
        {
            var maskText = span[(slash + 1)..];
            if (maskText.Contains('.'))
            {
                if (!Ipv4Subnet.TryParseAddress(maskText, out var mask) || (prefix = Ipv4Subnet.MaskToPrefix(mask)) < 0)
                {
                    return false;
                }
            }
            else if (!Ipv4Subnet.TryParseNumber(maskText, 32, out prefix))
            {
                return false;
            }
        }

        range = new Ipv4Range(address, prefix);
        return true;
    }

    /// <summary>Parses as <see cref="TryParse"/> does, or throws <see cref="KimchiException"/> with KCHNET0013E.</summary>
    public static Ipv4Range Parse(string? text) =>
        TryParse(text, out var range)
            ? range
            : throw new KimchiException(
                ErrorCodes.MalformedSubnet,
                ErrorKind.InvalidInput,
                $"Address range '{DisplayText.Printable(text)}' must be an IPv4 address, optionally with a prefix length (0-32) or a netmask.",
                text);

    /// <summary>The range as address/prefix, keeping the address as given (e.g. 192.168.1.10/24).</summary>
    public override string ToString() =>
        $"{Ipv4Subnet.FormatAddress(Address)}/{Prefix.ToString(CultureInfo.InvariantCulture)}";
}
