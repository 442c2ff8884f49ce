using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using CsCheck;
using KimchiNet.Planning;
using Xunit.Abstractions;

namespace KimchiNet.Tests.Fuzz;

/// <summary>
/// <see cref="Ipv4Subnet"/> and <see cref="Ipv4Range"/> parsing over random strings: TryParse never
/// throws, Parse throws only KCHNET0013E/KCHNET0003E <see cref="KimchiException"/>s and agrees with
/// TryParse, what parses prints back to the same subnet or range, and the dotted-decimal reader
/// agrees with an independent strict reading written here.
/// </summary>
public sealed partial class Ipv4ParsingFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] s_octets =
    [
        "0", "1", "9", "10", "00", "01", "010", "99", "100", "127", "192", "224", "254", "255", "256", "299", "999", "1000",
        "0000", "4294967296", "-1", "+1", " 1", "1 ", "", "a", "0x1", "1e2", "١", "１", "\u00A0", "\0",
    ];

    private static readonly string[] s_suffixes =
    [
        "", "/", "/0", "/8", "/15", "/16", "/24", "/29", "/30", "/32", "/33", "/-1", "/+8", "/024", "/ 24", "/24 ", "/2 4", "/1000",
        "/255.255.255.0", "/255.255.0.255", "/0.0.0.0", "/255.255.255.255", "/255.255.255.248", "/255.255.254.0", "/255.255.255",
        "/24/24", "//24", "/24.", ":80", "::", "/٢٤",
    ];

    /// <summary>Dotted pieces (one to six, sometimes joined by another separator), then a prefix or netmask.</summary>
    private static readonly Gen<string> s_dotted = Gen.Select(Gen.OneOfConst(s_octets).Array[1, 6], Gen.OneOfConst(".", ".", ".", ".", "..", ",", "/", ":"), Gen.OneOfConst(s_suffixes))
        .Select((parts, separator, suffix) => string.Join(separator, parts) + suffix);

    private static readonly Gen<string> s_random = Gen.Frequency(
        (4, Gen.String[Gen.Char["0123456789./"], 0, 24]),
        (2, Gen.String[Gen.Char["0123456789./: -+x\u0660\uFF10"], 0, 24]),
        (1, Gen.String[Gen.Char, 0, 24]),
        (1, Gen.String[Gen.Char["0123456789./"], 100, 3000]));

    /// <summary>A valid subnet with one character changed, inserted or removed.</summary>
    private static readonly Gen<string> s_nearValid = Gen.Select(Gen.Int[1, 223], Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[0, 32], Gen.Int[0, 40], Gen.Char["0123456789./ "], Gen.Int[0, 2])
        .Select((a, b, c, d, prefix, at, ch, edit) =>
        {
            var s = string.Create(CultureInfo.InvariantCulture, $"{a}.{b}.{c}.{d}/{prefix}");
            var i = Math.Min(at, s.Length - 1);
            return edit switch { 0 => s.Remove(i, 1).Insert(i, ch.ToString()), 1 => s.Insert(i, ch.ToString()), _ => s.Remove(i, 1) };
        });

    private static readonly Gen<string?> s_input = Gen.Frequency(
        (5, s_dotted.Select(s => (string?)s)),
        (4, s_random.Select(s => (string?)s)),
        (3, s_nearValid.Select(s => (string?)s)),
        (1, Gen.Const((string?)null)));

    [Fact]
    public void Ipv4SubnetParsing_WithRandomText_ShouldAgreeAndThrowOnlyKimchiExceptions()
    {
        FuzzBudget.Run(output, "Ipv4Subnet.TryParse/Parse", s_input, text =>
        {
            var ok = Ipv4Subnet.TryParse(text, out var subnet, out var error);
            if (ok)
            {
                Assert.Null(error);
                Assert.Equal(subnet, Ipv4Subnet.Parse(text));
                Assert.InRange(subnet.Prefix, Ipv4Subnet.MinPrefix, Ipv4Subnet.MaxPrefix);
                var again = Ipv4Subnet.Parse(subnet.ToString());
                Assert.Equal((subnet.Network, subnet.Prefix), (again.Network, again.Prefix));
                Assert.True(ReferenceDotted(text![..text!.IndexOf('/', StringComparison.Ordinal)]));
            }
            else
            {
                Assert.NotNull(error);
                Assert.Contains(error.Code, new[] { ErrorCodes.MalformedSubnet, ErrorCodes.InvalidSubnet });
                var thrown = Assert.Throws<KimchiException>(() => Ipv4Subnet.Parse(text));
                Assert.Equal(error.Code, thrown.Code);
            }
        }, testDefault: 20_000, print: Show);
    }

    [Fact]
    public void Ipv4RangeParsing_WithRandomText_ShouldAgreeAndThrowOnlyKimchiExceptions()
    {
        FuzzBudget.Run(output, "Ipv4Range.TryParse/Parse", s_input, text =>
        {
            if (Ipv4Range.TryParse(text, out var range))
            {
                Assert.Equal(range, Ipv4Range.Parse(text));
                Assert.Equal(range, Ipv4Range.Parse(range.ToString()));
                Assert.True(range.First <= range.Address && range.Address <= range.Last);
                var slash = text!.IndexOf('/', StringComparison.Ordinal);
                Assert.True(ReferenceDotted(slash < 0 ? text : text[..slash]));
            }
            else
            {
                var thrown = Assert.Throws<KimchiException>(() => Ipv4Range.Parse(text));
                Assert.Equal(ErrorCodes.MalformedSubnet, thrown.Code);
            }
        }, testDefault: 20_000, print: Show);
    }

    [Fact]
    public void TryParseAddress_WithRandomText_ShouldAgreeWithAStrictReferenceReading()
    {
        var gen = Gen.Frequency(
            (3, Gen.Select(Gen.OneOfConst(s_octets).Array[1, 6], Gen.OneOfConst(".", ".", ".", "..")).Select((parts, separator) => string.Join(separator, parts))),
            (2, s_random));
        FuzzBudget.Run(output, "Ipv4Subnet.TryParseAddress (differential)", gen, text =>
        {
            var ok = Ipv4Subnet.TryParseAddress(text, out var address);
            Assert.Equal(ReferenceDotted(text), ok);
            if (ok)
            {
                Assert.Equal(text, Ipv4Subnet.FormatAddress(address));
            }
        }, testDefault: 20_000, print: Show);
    }

    /// <summary>Four ASCII decimal numbers 0..255 without leading zeros, signs or spaces, joined by single dots.</summary>
    private static bool ReferenceDotted(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => Octet().IsMatch(p));
    }

    [GeneratedRegex("^(0|[1-9][0-9]?|1[0-9]{2}|2[0-4][0-9]|25[0-5])\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Octet();

    private static string Show(string? text) => text is null ? "null" : "\"" + string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}")) + "\"";
}
