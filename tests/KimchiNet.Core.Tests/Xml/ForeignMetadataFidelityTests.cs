using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

/// <summary>
/// Issue 12, item 6: everything KimchiNet does not manage comes back as libvirt had it. Another
/// tool's metadata goes through <see cref="NetworkXmlReader"/> and <see cref="NetworkXmlWriter"/> on
/// every Set-KimchiNetwork; its comments, processing instructions and character references that change
/// meaning (a CR in text, CR, LF, CRLF and tabs in attributes) must survive. Only indentation between
/// elements of element-only content may differ; an element holding text, comments or processing
/// instructions is written exactly as read, white space included.
/// </summary>
public sealed class ForeignMetadataFidelityTests
{
    private const string Head = "<network><name>n</name><metadata>";
    private const string Tail = "</metadata><bridge name='virbr9'/></network>";

    public static TheoryData<string, string> Documents { get; } = new()
    {
        { "comment", "<o:tool xmlns:o='urn:o'><!-- keep me --><o:a/></o:tool>" },
        { "processing instruction", "<o:tool xmlns:o='urn:o'><?other-tool run=\"1\"?><o:a/></o:tool>" },
        { "comment and PI around text", "<o:tool xmlns:o='urn:o'><!-- c --><?pi x?>before<o:a/>after<!-- d --></o:tool>" },
        { "CR in text", "<o:tool xmlns:o='urn:o'>line1&#13;line2</o:tool>" },
        { "CRLF in text", "<o:tool xmlns:o='urn:o'>line1&#13;\nline2</o:tool>" },
        { "CR in attribute", "<o:tool xmlns:o='urn:o' v='a&#13;b'/>" },
        { "LF in attribute", "<o:tool xmlns:o='urn:o' v='a&#10;b'/>" },
        { "CRLF in attribute", "<o:tool xmlns:o='urn:o' v='a&#13;&#10;b'/>" },
        { "tab in attribute", "<o:tool xmlns:o='urn:o' v='a&#9;b'/>" },
        { "all of them, nested", "<o:tool xmlns:o='urn:o' t='&#9;x&#13;&#10;'><o:deep><!-- c1 --><o:leaf v='1&#13;2'>t&#13;u<?p q?></o:leaf></o:deep></o:tool>" },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void WriteRead_WithForeignMetadata_ShouldKeepItAsItWas(string row, string foreign)
    {
        var written = NetworkXmlWriter.Write(NetworkXmlReader.Read(Head + foreign + Tail));

        var expected = ForeignElement(Head + foreign + Tail);
        var actual = ForeignElement(written);
        Assert.True(
            XNode.DeepEquals(expected, actual),
            $"{row}: expected {expected.ToString(SaveOptions.DisableFormatting)} but KimchiNet wrote {actual.ToString(SaveOptions.DisableFormatting)} (XML: {written})");
    }

    [Theory]
    [InlineData("<o:tool xmlns:o=\"urn:o\"><!-- keep me --><o:a /></o:tool>")]
    [InlineData("<o:tool xmlns:o=\"urn:o\"><!-- c --><?pi x?>before<o:a />after<!-- d --></o:tool>")]
    [InlineData("<o:tool xmlns:o=\"urn:o\"><o:a /> between <o:b /></o:tool>")]
    [InlineData("<o:tool xmlns:o=\"urn:o\">\n  <!-- indented by hand -->\n  <o:a />\n</o:tool>")]
    public void Write_AnElementHoldingMoreThanElements_ShouldBeWrittenExactlyAsRead(string foreign)
    {
        var written = NetworkXmlWriter.Write(NetworkXmlReader.Read(Head + foreign + Tail));

        Assert.Contains("\n    " + foreign + "\n", written, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WithACarriageReturnInForeignText_ShouldWriteItAsAReference()
    {
        var written = NetworkXmlWriter.Write(NetworkXmlReader.Read(Head + "<o:tool xmlns:o='urn:o'>a&#13;b</o:tool>" + Tail));

        Assert.Contains("a&#xD;b", written, System.StringComparison.Ordinal);
        Assert.DoesNotContain('\r', written);
    }

    [Fact]
    public void Write_WithForeignMetadata_ShouldStillEndLinesWithLineFeeds()
    {
        var written = NetworkXmlWriter.Write(NetworkXmlReader.Read(Head + "<o:tool xmlns:o='urn:o'><o:a/></o:tool>" + Tail));

        Assert.StartsWith("<network>\n  <name>n</name>\n", written, System.StringComparison.Ordinal);
    }

    /// <summary>The foreign element with comments, PIs and references resolved; white-space-only text (indentation) left out.</summary>
    private static XElement ForeignElement(string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var root = XDocument.Load(reader, LoadOptions.None).Root!;
        return root.Element("metadata")!.Elements().Single(e => e.Name.NamespaceName == "urn:o");
    }
}
