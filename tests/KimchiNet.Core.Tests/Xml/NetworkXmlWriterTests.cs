using System;
using System.Linq;
using System.Xml.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

public sealed class NetworkXmlWriterTests
{
    public static TheoryData<string> ConnectionCases => [.. NetworkCases.All.Keys];

    public static TheoryData<string, string> HostileNameRows { get; } = new()
    {
        { "a<b", "a&lt;b" },
        { "a&b", "a&amp;b" },
        { "it's", "it's" },
        { "x]]>y", "x]]&gt;y" },
        { "<![CDATA[x]]>", "&lt;![CDATA[x]]&gt;" },
        { "&lt;", "&amp;lt;" },
        { "\u202Eevil", "\u202Eevil" },
        { "net-\U0001F680", "net-\U0001F680" },
        { " spaced ", " spaced " },
    };

    [Theory]
    [MemberData(nameof(ConnectionCases))]
    public void Write_WithEachConnectionType_ShouldGiveItsGoldenFileExactly(string name)
    {
        var golden = NetworkFixtures.Read($"written-{name}.xml");

        // Golden files end with the one newline .editorconfig asks for; the writer adds none.
        Assert.Equal(golden, NetworkCases.Write(name) + "\n");
    }

    [Theory]
    [MemberData(nameof(HostileNameRows))]
    public void Write_WithHostileName_ShouldEscapeIt(string name, string escaped)
    {
        var (spec, options) = NetworkCases.All["macvtap"];

        var xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec with { Name = name }, options));

        // The macvtap golden file with the name escaped: nothing else may change.
        var expected = NetworkFixtures.Read("written-macvtap.xml")
            .Replace("<name>lab-macvtap</name>", $"<name>{escaped}</name>", StringComparison.Ordinal);
        Assert.Equal(expected, xml + "\n");
        Assert.Equal(name, NetworkXmlReader.Read(xml).Name);
    }

    [Fact]
    public void Write_WithHostileAttributeValue_ShouldEscapeQuotesAndMarkup()
    {
        var network = new NetworkXml
        {
            Name = "n",
            Bridge = new NetworkBridgeXml { Name = "a\"b'<c>&d" },
        };

        var xml = NetworkXmlWriter.Write(network);

        Assert.Contains("<bridge name=\"a&quot;b'&lt;c&gt;&amp;d\" />", xml, StringComparison.Ordinal);
        Assert.Equal("a\"b'<c>&d", NetworkXmlReader.Read(xml).Bridge!.Name);
    }

    [Fact]
    public void Write_OfAnyNetwork_ShouldUseTwoSpaceIndentsLineFeedsAndNoDeclaration()
    {
        var xml = NetworkCases.Write("nat");

        Assert.StartsWith("<network>\n  <name>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<?xml", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("\t", xml, StringComparison.Ordinal);
        Assert.EndsWith("</network>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WithRawElements_ShouldPlaceThemInLibvirtOrder()
    {
        var network = new NetworkXml
        {
            Name = "order",
            Forward = new NetworkForwardXml { Mode = "nat" },
            Ips = [new NetworkIpXml { Address = "192.168.3.1", Prefix = 24 }],
            PortGroups = [new NetworkPortGroupXml { Name = "pg" }],
            OtherElements =
            [
                new XElement("route", new XAttribute("address", "10.0.0.0"), new XAttribute("prefix", "8"), new XAttribute("gateway", "192.168.3.2")),
                new XElement("unknown-future"),
                new XElement("dns"),
                new XElement("mtu", new XAttribute("size", "9000")),
            ],
        };

        var names = XElement.Parse(NetworkXmlWriter.Write(network)).Elements().Select(e => e.Name.LocalName);

        Assert.Equal(["name", "forward", "mtu", "dns", "ip", "route", "portgroup", "unknown-future"], names);
    }

    [Fact]
    public void Build_WithIsolated_ShouldHaveNoForward()
    {
        var (spec, options) = NetworkCases.All["isolated"];

        var network = NetworkXmlBuilder.Build(spec, options);

        Assert.Null(network.Forward);
        Assert.Equal("kbr-iso0", network.Bridge?.Name);
    }

    [Fact]
    public void Build_WithNatAndNoBridgeName_ShouldLetLibvirtPickTheBridge()
    {
        var (spec, options) = NetworkCases.All["nat"];

        var network = NetworkXmlBuilder.Build(spec, options);

        Assert.Null(network.Bridge);
        Assert.Equal("nat", network.Forward?.Mode);
    }

    [Fact]
    public void Build_WithNatAndOnlyTheSpecSubnet_ShouldUseTheSpecSubnet()
    {
        var spec = new NetworkSpec { Name = "n", Connection = ConnectionType.Nat, Subnet = "172.30.0.0/16" };

        var ip = Assert.Single(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions()).Ips);

        Assert.Equal(("172.30.0.1", "255.255.0.0"), (ip.Address, ip.Netmask));
        var range = Assert.Single(ip.Dhcp!.Ranges);
        Assert.Equal(("172.30.128.0", "172.30.255.253"), (range.Start, range.End));
    }

    [Fact]
    public void Build_WithPlannedSubnet_ShouldPreferItOverNothing()
    {
        var spec = new NetworkSpec { Name = "n", Connection = ConnectionType.Isolated };
        var options = new NetworkBuildOptions { Subnet = Ipv4Subnet.FromNetwork(0xC0A86400, 24) };

        var ip = Assert.Single(NetworkXmlBuilder.Build(spec, options).Ips);

        Assert.Equal("192.168.100.1", ip.Address);
    }

    [Fact]
    public void Build_WithNatAndNoSubnetAnywhere_ShouldThrow()
    {
        var spec = new NetworkSpec { Name = "n", Connection = ConnectionType.Nat };

        var error = Assert.Throws<ArgumentException>(() => NetworkXmlBuilder.Build(spec, new NetworkBuildOptions()));

        Assert.Contains("subnet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithLinuxBridgeAndVlan_ShouldKeepVlanOutOfTheXmlAndInTheMetadata()
    {
        var (spec, options) = NetworkCases.All["bridge-created-vlan"];

        var network = NetworkXmlBuilder.Build(spec, options);

        Assert.Null(network.Vlan);
        Assert.Null(network.VirtualPort);
        Assert.Equal(10, network.Metadata?.KimchiNet?.VlanId);
        Assert.Equal("eth0.10", network.Metadata?.KimchiNet?.Created?.VlanDevice);
    }

    [Fact]
    public void Build_WithOpenVSwitchAndNoVlan_ShouldHaveVirtualPortOnly()
    {
        var spec = new NetworkSpec { Name = "n", Connection = ConnectionType.Bridge, Interfaces = ["ovsbr0"] };

        var network = NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { BridgeName = "ovsbr0", OpenVSwitch = true });

        Assert.Equal("openvswitch", network.VirtualPort?.Type);
        Assert.Null(network.Vlan);
    }

    [Fact]
    public void Build_WithBridgeAndNoBridgeName_ShouldTakeTheInterfaceAsTheBridge()
    {
        var spec = new NetworkSpec { Name = "n", Connection = ConnectionType.Bridge, Interfaces = ["br7"] };

        var network = NetworkXmlBuilder.Build(spec, new NetworkBuildOptions());

        Assert.Equal("br7", network.Bridge?.Name);
        Assert.Equal("bridge", network.Forward?.Mode);
    }

    [Fact]
    public void Build_WithVepaOnTwoDevices_ShouldListEachDeviceInTheGivenOrder()
    {
        var spec = new NetworkSpec { Name = "n", Connection = ConnectionType.Vepa, Interfaces = ["eth2", "eth1"] };

        var forward = NetworkXmlBuilder.Build(spec, new NetworkBuildOptions()).Forward!;

        Assert.Equal("vepa", forward.Mode);
        Assert.Null(forward.Dev);
        Assert.Equal(["eth2", "eth1"], forward.Interfaces.Select(i => i.Dev));
    }

    [Fact]
    public void Build_WithMacvtap_ShouldUseBridgeModeOnTheOneDevice()
    {
        var (spec, options) = NetworkCases.All["macvtap"];

        var forward = NetworkXmlBuilder.Build(spec, options).Forward!;

        Assert.Equal("bridge", forward.Mode);
        Assert.Equal("eth3", Assert.Single(forward.Interfaces).Dev);
    }

    [Fact]
    public void Write_WhenTheRootDeclaresKimchiNetsNamespaceUnderAnotherPrefix_ShouldKeepThatPrefixAndBeStable()
    {
        const string xml = "<network xmlns:kn='urn:kimchinet:network:1'><name>n</name><metadata><kn:network><kn:connection>isolated</kn:connection><kn:other>B</kn:other></kn:network></metadata></network>";

        var written = NetworkXmlWriter.Write(NetworkXmlReader.Read(xml));

        Assert.Contains("<kn:network>", written);
        Assert.Contains("<kn:connection>isolated</kn:connection>", written);
        Assert.Contains("<kn:other>B</kn:other>", written);
        Assert.DoesNotContain("xmlns:kimchinet", written);
        Assert.Equal(written, NetworkXmlWriter.Write(NetworkXmlReader.Read(written)));
    }
}
