using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace KimchiNet.Planning;

/// <summary>
/// An IPv4 subnet for a nat or isolated network, with the addresses KimchiNet derives from it:
/// the gateway (the host address the user wrote, else the first host address) and Kimchi's DHCP
/// range (network + size/2 to network + size - 3). Parsing is strict: dotted decimal without
/// leading zeros, then a prefix length or a contiguous netmask.
/// </summary>
public readonly record struct Ipv4Subnet
{
    /// <summary>Shortest prefix taken: a /14 would give a DHCP range larger than libvirt allows (65,536 addresses).</summary>
    public const int MinPrefix = 15;

    /// <summary>Longest prefix taken: a /30 cannot hold a gateway and a DHCP range apart.</summary>
    public const int MaxPrefix = 29;

    private Ipv4Subnet(uint network, int prefix, uint gateway)
    {
        Network = network;
        Prefix = prefix;
        Gateway = gateway;
    }

    /// <summary>The network address as a number.</summary>
    public uint Network { get; }

    /// <summary>The prefix length.</summary>
    public int Prefix { get; }

    /// <summary>The host's address on the subnet, which libvirt puts on the bridge.</summary>
    public uint Gateway { get; }

    /// <summary>How many addresses the subnet spans.</summary>
    public uint Size => 1u << (32 - Prefix);

    /// <summary>The netmask as a number.</summary>
    public uint Netmask => PrefixToMask(Prefix);

    /// <summary>The last address (the broadcast address).</summary>
    /// <remarks>Computed from the mask, not from <see cref="Size"/>: <c>1u &lt;&lt; 32</c> is 1 in C#, so
    /// <c>default(Ipv4Subnet)</c> (0.0.0.0/0) would otherwise end at 0.0.0.0 and overlap almost nothing.</remarks>
    public uint Broadcast => Network | ~Netmask;

    /// <summary>First address of Kimchi's DHCP range.</summary>
    public uint DhcpStart => Network + (Size / 2);

    /// <summary>Last address of Kimchi's DHCP range.</summary>
    public uint DhcpEnd => Network + Size - 3;

    /// <summary>Makes the subnet network/prefix with the first host address as gateway.</summary>
    public static Ipv4Subnet FromNetwork(uint network, int prefix)
    {
        if (prefix is < MinPrefix or > MaxPrefix)
        {
            throw new ArgumentOutOfRangeException(nameof(prefix), prefix, $"Prefix must be {MinPrefix}..{MaxPrefix}.");
        }

        var mask = PrefixToMask(prefix);
        return new Ipv4Subnet(network & mask, prefix, (network & mask) + 1);
    }

    /// <summary>Parses a subnet, or throws <see cref="KimchiException"/> with KCHNET0013E (malformed) or KCHNET0003E (unusable).</summary>
    public static Ipv4Subnet Parse(string? text)
    {
        if (TryParse(text, out var subnet, out var error))
        {
            return subnet;
        }

        throw error.ToException();
    }

    /// <summary>Parses a subnet; on failure <paramref name="error"/> says why, naming the value.</summary>
    public static bool TryParse(string? text, out Ipv4Subnet subnet, [NotNullWhen(false)] out ValidationError? error)
    {
        subnet = default;
        error = Check(text, out subnet);
        return error is null;
    }

    private static ValidationError? Check(string? text, out Ipv4Subnet subnet)
    {
        subnet = default;
        if (string.IsNullOrEmpty(text))
        {
            return Malformed(text, "it is empty");
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return Malformed(text, "IPv6 subnets are not supported; give an IPv4 address");
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Malformed(text, "it has no prefix length or netmask (for example 192.168.5.0/24)");
        }

        if (!TryParseAddress(text.AsSpan(0, slash), out var address))
        {
            return Malformed(text, $"'{DisplayText.Printable(text[..slash])}' is not an IPv4 address");
        }

        var maskText = text.AsSpan(slash + 1);
        int prefix;
        if (maskText.Contains('.'))
        {
            if (!TryParseAddress(maskText, out var mask))
            {
                return Malformed(text, $"'{DisplayText.Printable(maskText.ToString())}' is not a netmask");
            }

            prefix = MaskToPrefix(mask);
            if (prefix < 0)
            {
                return Malformed(text, $"netmask {maskText} is not contiguous (its one bits must all come first)");
            }
        }
        else if (!TryParseNumber(maskText, 32, out prefix))
        {
            return Malformed(text, $"'{DisplayText.Printable(maskText.ToString())}' is not a prefix length between 0 and 32");
        }

        if (prefix < MinPrefix)
        {
            return Unusable(text, $"prefix /{prefix} is shorter than /{MinPrefix}: its DHCP range would be larger than libvirt allows");
        }

        if (prefix > MaxPrefix)
        {
            return Unusable(text, $"prefix /{prefix} is longer than /{MaxPrefix}: it cannot hold a gateway and a DHCP range");
        }

        var first = address >> 24;
        if (first == 0 || first == 127 || first >= 224)
        {
            return Unusable(text, $"{FormatAddress(address)} is in a reserved range (0/8, 127/8, multicast or class E)");
        }

        var netmask = PrefixToMask(prefix);
        var network = address & netmask;
        var size = 1u << (32 - prefix);
        var gateway = address == network ? network + 1 : address;
        var candidate = new Ipv4Subnet(network, prefix, gateway);
        if (gateway == candidate.Broadcast)
        {
            return Unusable(text, $"{FormatAddress(gateway)} is the broadcast address and cannot be the gateway");
        }

        if (gateway >= candidate.DhcpStart && gateway <= candidate.DhcpEnd)
        {
            return Unusable(
                text,
                $"gateway {FormatAddress(gateway)} is inside the DHCP range {FormatAddress(candidate.DhcpStart)}-{FormatAddress(candidate.DhcpEnd)}; use an address below {FormatAddress(network + (size / 2))} or {FormatAddress(candidate.DhcpEnd + 1)}");
        }

        subnet = candidate;
        return null;
    }

    /// <summary>True when the two subnets share any address.</summary>
    public bool Overlaps(Ipv4Subnet other) => Network <= other.Broadcast && other.Network <= Broadcast;

    /// <summary>True when the address lies in the subnet.</summary>
    public bool Contains(uint address) => (address & Netmask) == Network;

    /// <summary>The subnet as network/prefix, e.g. 192.168.5.0/24.</summary>
    public override string ToString() => $"{FormatAddress(Network)}/{Prefix.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Formats a numeric address as dotted decimal.</summary>
    public static string FormatAddress(uint address) => string.Create(
        CultureInfo.InvariantCulture,
        $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");

    /// <summary>Parses strict dotted decimal: four numbers 0..255, no signs, spaces or leading zeros.</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        var parts = 0;
        while (true)
        {
            var dot = text.IndexOf('.');
            var part = dot < 0 ? text : text[..dot];
            if (!TryParseNumber(part, 255, out var octet))
            {
                return false;
            }

            address = (address << 8) | (uint)octet;
            parts++;
            if (dot < 0)
            {
                return parts == 4;
            }

            if (parts == 4)
            {
                return false;
            }

            text = text[(dot + 1)..];
        }
    }

    /// <summary>Parses 'START-END' (two dotted IPv4 addresses, START not after END).</summary>
    public static bool TryParseAddressRange(string? text, out uint start, out uint end)
    {
        start = end = 0;
        if (text is null)
        {
            return false;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && TryParseAddress(text.AsSpan(0, dash), out start)
            && TryParseAddress(text.AsSpan(dash + 1), out end)
            && start <= end;
    }

    /// <summary>The netmask of a prefix length (0..32).</summary>
    public static uint PrefixToMask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

    /// <summary>The prefix length of a contiguous netmask, or -1 when it is not contiguous.</summary>
    public static int MaskToPrefix(uint mask)
    {
        var prefix = System.Numerics.BitOperations.PopCount(mask);
        return PrefixToMask(prefix) == mask ? prefix : -1;
    }

    /// <summary>Parses a decimal number 0..<paramref name="max"/> of at most three ASCII digits, without sign or leading zeros.</summary>
    internal static bool TryParseNumber(ReadOnlySpan<char> text, int max, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 3 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= max;
    }

    private static ValidationError Malformed(string? text, string reason) => new(
        ErrorCodes.MalformedSubnet,
        "Subnet",
        text,
        $"Subnet '{DisplayText.Printable(text)}' must be an IPv4 address with a prefix length or netmask: {reason}.");

    private static ValidationError Unusable(string text, string reason) => new(
        ErrorCodes.InvalidSubnet,
        "Subnet",
        text,
        $"Subnet '{DisplayText.Printable(text)}' is not valid: {reason}.");
}
