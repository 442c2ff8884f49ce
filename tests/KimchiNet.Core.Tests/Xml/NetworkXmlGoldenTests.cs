using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

/// <summary>
/// Golden files in Fixtures/network (<see cref="NetworkFixtures"/>): every one survives a read-write-read
/// and passes libvirt's schema, as a file and as rewritten. <see cref="NetworkXmlWriterTests"/> checks
/// that written-NAME.xml is exactly what the writer gives.
/// </summary>
public sealed class NetworkXmlGoldenTests
{
    /// <summary>Fixtures left out of the round trip, with the reason. Empty: every file takes part.</summary>
    private static readonly Dictionary<string, string> s_skips = new(StringComparer.Ordinal);

    private static string FixtureDirectory => NetworkFixtures.Folder;

    private static IEnumerable<string> Files => Directory.EnumerateFiles(FixtureDirectory, "*.xml").Order(StringComparer.Ordinal);

    public static TheoryData<string> AllFixtures => [.. Files.Select(Path.GetFileName).OfType<string>().Where(f => !s_skips.ContainsKey(f))];

    [Fact]
    public void Fixtures_InTheOutputFolder_ShouldHoldForeignDocumentsAndEveryWrittenCase()
    {
        Assert.True(Directory.Exists(FixtureDirectory), $"Fixture folder {FixtureDirectory} is missing.");
        Assert.True(Files.Count(f => Path.GetFileName(f).StartsWith("foreign-", StringComparison.Ordinal)) >= 10, "Expected the foreign fixtures in " + FixtureDirectory);
        Assert.Equal(NetworkCases.All.Count, Files.Count(f => Path.GetFileName(f).StartsWith("written-", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void ReadWriteRead_WithEachFixture_ShouldKeepEveryElementAndAttribute(string file)
    {
        var original = NetworkFixtures.Read(file);

        var written = NetworkXmlWriter.Write(NetworkXmlReader.Read(original));
        var rewritten = NetworkXmlWriter.Write(NetworkXmlReader.Read(written));

        XmlAssert.Equivalent(original, written);
        Assert.Equal(written, rewritten);
    }

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void Fixture_AsFileAndAsRewritten_ShouldPassLibvirtSchema(string file)
    {
        var path = NetworkFixtures.PathOf(file);
        VirtXmlValidate.AssertValidFile(path);
        VirtXmlValidate.AssertValid(NetworkXmlWriter.Write(NetworkXmlReader.Read(File.ReadAllText(path))), "the rewritten " + file);
    }

    [Fact]
    public void XmlAssert_WithDifferentDocuments_ShouldReportTheFirstDifferenceByPath()
    {
        var difference = XmlAssert.FirstDifference(
            System.Xml.Linq.XElement.Parse("<network><forward mode='vepa'><interface dev='a'/><interface dev='b'/></forward></network>"),
            System.Xml.Linq.XElement.Parse("<network><forward mode='vepa'><interface dev='a'/><interface dev='c'/></forward></network>"));

        Assert.Equal("/network/forward[1]/interface[2]/@dev: 'c' where 'b' was expected", difference);
        Assert.Null(XmlAssert.FirstDifference(
            System.Xml.Linq.XElement.Parse("<a x='1' y='2'>\n  <b/>\n</a>"),
            System.Xml.Linq.XElement.Parse("<a y='2' x='1'><b/></a>")));
    }
}
