using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KimchiNet.Planning;

/// <summary>
/// The IPv6 /64 of a nat, isolated, routed or open network, with the addresses KimchiNet derives
/// from it: the gateway ::1 (the host's address on the bridge) and the DHCPv6 range ::100 to ::1ff.
/// Only a /64 is taken (SLAAC needs one). The address may have host bits set; they are dropped,
/// as for an IPv4 subnet. Multicast, link-local, loopback, unspecified and IPv4-mapped addresses are refused.
/// </summary>
public readonly record struct Ipv6Subnet
{
    /// <summary>The only prefix length taken.</summary>
    public const int Prefix = 64;

    /// <summary>The first address of the DHCPv6 range, as an offset in the /64.</summary>
    public const ulong DhcpStartOffset = 0x100;

    /// <summary>The last address of the DHCPv6 range, as an offset in the /64.</summary>
    public const ulong DhcpEndOffset = 0x1ff;

    private Ipv6Subnet(UInt128 network) => Network = network;

    /// <summary>The network address as a number (the low 64 bits are zero).</summary>
    public UInt128 Network { get; }

    /// <summary>The host's address on the subnet: ::1 of it.</summary>
    public UInt128 Gateway => Network + 1;

    /// <summary>First address of the DHCPv6 range.</summary>
    public UInt128 DhcpStart => Network + DhcpStartOffset;

    /// <summary>Last address of the DHCPv6 range.</summary>
    public UInt128 DhcpEnd => Network + DhcpEndOffset;

    /// <summary>The last address of the /64.</summary>
    public UInt128 Last => Network | ulong.MaxValue;

    /// <summary>The /64 that holds <paramref name="address"/>.</summary>
    public static Ipv6Subnet FromAddress(UInt128 address) => new(address & ~(UInt128)ulong.MaxValue);

    /// <summary>True when the address lies in the /64.</summary>
    public bool Contains(UInt128 address) => (address & ~(UInt128)ulong.MaxValue) == Network;

    /// <summary>True when the range shares an address with the /64.</summary>
    public bool Overlaps(Ipv6Range range) => range.First <= Last && Network <= range.Last;

    /// <summary>Parses an IPv6 /64; on failure <paramref name="error"/> (KCHNET0126E) says why, naming the value.</summary>
    public static bool TryParse(string? text, out Ipv6Subnet subnet, [NotNullWhen(false)] out ValidationError? error)
    {
        subnet = default;
        error = null;
        string? reason = null;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (string.IsNullOrWhiteSpace(text) || slash < 0)
        {
            reason = "write an IPv6 network with its prefix, as in 'fd12:3456:789a:1::/64', or 'auto'";
        }
        else if (!TryParseAddress(text[..slash], out var address))
        {
            reason = "the part before '/' is not an IPv6 address";
        }
        else if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix != Prefix)
        {
            reason = "only a /64 is taken (router advertisements and SLAAC need one)";
        }
        else if (Unusable(address) is { } why)
        {
            reason = why;
        }
        else
        {
            subnet = FromAddress(address);
            return true;
        }

        error = new ValidationError(ErrorCodes.InvalidIpv6Subnet, "Ipv6Subnet", text,
            $"IPv6 subnet '{DisplayText.Printable(text)}' is not valid: {reason}.");
        return false;
    }

    /// <summary>Why an address cannot be a network's /64 (multicast, link-local, loopback, unspecified, IPv4-mapped), or null.</summary>
    private static string? Unusable(UInt128 address)
    {
        var top = (ulong)(address >> 64);
        return (top >> 56) == 0xff ? "it is a multicast address (ff00::/8)"
            : (top >> 54) == 0x3fa ? "it is link-local (fe80::/10), which every interface has of its own"
            : top == 0 ? "it lies in ::/64 (unspecified, loopback and IPv4-mapped addresses)"
            : null;
    }

    /// <summary>Parses an IPv6 address (no zone, no IPv4 address) as a number.</summary>
    public static bool TryParseAddress(string? text, out UInt128 address)
    {
        address = 0;
        if (string.IsNullOrEmpty(text) || text.Contains('%', StringComparison.Ordinal) || !text.Contains(':', StringComparison.Ordinal)
            || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var bytes = parsed.GetAddressBytes();
        foreach (var b in bytes)
        {
            address = (address << 8) | b;
        }

        return true;
    }

    /// <summary>The address in its short form (RFC 5952), e.g. fd12:3456:789a:1::1.</summary>
    public static string FormatAddress(UInt128 address)
    {
        var bytes = new byte[16];
        for (var i = 15; i >= 0; i--)
        {
            bytes[i] = (byte)(address & 0xff);
            address >>= 8;
        }

        return new IPAddress(bytes).ToString();
    }

    /// <summary>The subnet as network/64, e.g. fd12:3456:789a:1::/64.</summary>
    public override string ToString() => FormatAddress(Network) + "/64";
}

/// <summary>A block of IPv6 addresses in use (another network's subnet, a host address or route), as [First, Last].</summary>
/// <param name="First">The first address.</param>
/// <param name="Last">The last address.</param>
public readonly record struct Ipv6Range(UInt128 First, UInt128 Last)
{
    /// <summary>Reads 'address/prefix' (IPv6 only; a bare address is a /128); false for anything else, IPv4 included.</summary>
    public static bool TryParse(string? text, out Ipv6Range range)
    {
        range = default;
        if (text is null)
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var prefix = 128;
        if ((slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 128))
            || !Ipv6Subnet.TryParseAddress(slash >= 0 ? text[..slash] : text, out var address))
        {
            return false;
        }

        var hostBits = prefix == 0 ? UInt128.MaxValue : (((UInt128)1) << (128 - prefix)) - 1;
        var first = address & ~hostBits;
        range = new Ipv6Range(first, first | hostBits);
        return true;
    }
}
