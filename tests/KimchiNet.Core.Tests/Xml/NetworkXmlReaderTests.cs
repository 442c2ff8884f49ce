using System;
using System.Linq;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

public sealed class NetworkXmlReaderTests
{
    private static string Fixture(string file) => NetworkFixtures.Read(file);

    public static TheoryData<string, string, string> MalformedRows { get; } = new()
    {
        { "not XML", "this is not xml", "cannot be read" },
        { "empty", string.Empty, "cannot be read" },
        { "unclosed", "<network><name>x</name>", "cannot be read" },
        { "DOCTYPE with an external entity", "<!DOCTYPE network [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><network><name>&xxe;</name></network>", "DTD" },
        { "entity expansion", "<!DOCTYPE n [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><network><name>&b;</name></network>", "DTD" },
        { "undeclared entity", "<network><name>&xxe;</name></network>", "cannot be read" },
        { "wrong root", "<domain><name>vm</name></domain>", "<domain>" },
        { "namespaced root", "<network xmlns='urn:other'><name>x</name></network>", "urn:other" },
        { "no name", "<network><uuid>8c0e2a4b-6d8f-4a0c-9e2b-4d6f8a0c2e4a</uuid></network>", "<name>" },
    };

    [Theory]
    [MemberData(nameof(MalformedRows))]
    public void Read_WithMalformedInput_ShouldThrowMalformedXml(string row, string xml, string named)
    {
        var error = Assert.Throws<KimchiException>(() => NetworkXmlReader.Read(xml));

        Assert.Equal(ErrorCodes.MalformedXml, error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.True(error.Message.Contains(named, StringComparison.Ordinal), $"{row}: message '{error.Message}' should name '{named}'.");
    }

    [Fact]
    public void Read_WithUnknownElementsEverywhere_ShouldKeepThemRaw()
    {
        const string xml = "<network future='1'><name>n</name><forward mode='teleport' x='y'><interface dev='e'/><warp/></forward><vlan><tag id='abc'/></vlan><ip address='10.0.0.1' prefix='oops'><dhcp><range start='10.0.0.5' end='10.0.0.9'><lease expiry='1'/></range><host name='h' ip='10.0.0.2'/></dhcp></ip><sparkles/></network>";

        var network = NetworkXmlReader.Read(xml);

        Assert.Equal("future", Assert.Single(network.OtherAttributes).Name.LocalName);
        Assert.Equal("sparkles", Assert.Single(network.OtherElements).Name.LocalName);
        Assert.Equal("teleport", network.Forward!.Mode);
        Assert.Equal("warp", Assert.Single(network.Forward.OtherElements).Name.LocalName);
        Assert.Equal("x", Assert.Single(network.Forward.OtherAttributes).Name.LocalName);
        var ip = Assert.Single(network.Ips);
        Assert.Null(ip.Prefix);
        Assert.Equal("oops", Assert.Single(ip.OtherAttributes).Value);
        Assert.Equal("host", Assert.Single(ip.Dhcp!.OtherElements).Name.LocalName);
        var range = Assert.Single(ip.Dhcp.Ranges);
        Assert.Equal("1", range.Lease?.Expiry);
        Assert.Empty(range.OtherElements);
        var tag = Assert.Single(network.Vlan!.Tags);
        Assert.Null(tag.Id);
        Assert.Equal("abc", Assert.Single(tag.OtherAttributes).Value);
        XmlAssert.Equivalent(xml, NetworkXmlWriter.Write(network));
    }

    [Fact]
    public void Read_WithHostdevPciAddresses_ShouldKeepEachAddress()
    {
        var forward = NetworkXmlReader.Read(Fixture("foreign-hostdev-pci.xml")).Forward!;

        Assert.Equal("hostdev", forward.Mode);
        Assert.Empty(forward.Interfaces);
        Assert.Equal(["driver", "address", "address", "address"], forward.OtherElements.Select(e => e.Name.LocalName));
        Assert.Equal("managed", Assert.Single(forward.OtherAttributes).Name.LocalName);
    }

    [Fact]
    public void Read_WithKimchiNetMetadata_ShouldModelItAndKeepForeignMetadataRaw()
    {
        var metadata = NetworkXmlReader.Read(Fixture("foreign-kimchinet-and-other-metadata.xml")).Metadata!;

        var record = metadata.KimchiNet!;
        Assert.Equal("bridge", record.Connection);
        Assert.Equal(["bond0"], record.Interfaces);
        Assert.Equal(7, record.VlanId);
        Assert.Equal("kbr-bond0-7", record.Created!.Bridge);
        Assert.Equal(("bond0.7", "bond0", 7), (record.Created.VlanDevice, record.Created.VlanParent, record.Created.VlanId));
        Assert.Equal(["10.1.2.3/24", "10.1.3.3/24"], record.Created.MovedAddresses);
        Assert.Equal("{http://ovirt.example/network/1}net", Assert.Single(metadata.OtherElements).Name.ToString());
    }
}
