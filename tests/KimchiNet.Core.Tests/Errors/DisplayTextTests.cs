
namespace KimchiNet.Core.Tests.Errors;

public sealed class DisplayTextTests
{
    public static TheoryData<string?, string> Cases => new()
    {
        { null, "" },
        { "", "" },
        { "eth0", "eth0" },
        { "réseau 😀 שלום", "réseau 😀 שלום" },
        { "<&'\">", "<&'\">" },
        { "a\u0007b", @"a\u0007b" },
        { "\0", @"\u0000" },
        { "\t\r\n", @"\u0009\u000D\u000A" },
        { "\u001B[31m", @"\u001B[31m" },
        { "\u007F\u0085", @"\u007F\u0085" },
        { "\u202Eexe.txt", @"\u202Eexe.txt" },
        { "\u200B\u200D\uFEFF\u00AD", @"\u200B\u200D\uFEFF\u00AD" },
        { "\u2066x\u2069", @"\u2066x\u2069" },
        { "a\u00A0b\u3000", @"a\u00A0b\u3000" },
        { "\u2028\u2029", @"\u2028\u2029" },
        { "a\uD800b", @"a\uD800b" },
        { "\uDC00", @"\uDC00" },
        { "\uFFFF\uE000", @"\uFFFF\uE000" },
        { "\U000E0041", @"\U000E0041" },
        { "x\\u0007", @"x\u0007" },
        { new string('a', 64), new string('a', 64) },
        { new string('a', 65), new string('a', 60) + "... (65 characters)" },
        { new string('a', 59) + "😀" + new string('b', 10), new string('a', 59) + "... (71 characters)" },
        { new string('a', 58) + "😀" + new string('b', 10), new string('a', 58) + "😀... (70 characters)" },
        { new string('\u0007', 100), string.Concat(System.Linq.Enumerable.Repeat(@"\u0007", 60)) + "... (100 characters)" },
    };

    [Theory]
    // Not enumerated at discovery: serializing a lone surrogate to the runner would turn it into U+FFFD.
    [MemberData(nameof(Cases), DisableDiscoveryEnumeration = true)]
    public void Printable_WithInvisibleOrHugeValues_ShouldEscapeAndShortenThem(string? value, string expected)
    {
        Assert.Equal(expected, DisplayText.Printable(value));
    }
}
