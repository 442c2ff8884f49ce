using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

/// <summary>DHCP &lt;host&gt; reservations and their &lt;lease&gt;: read from libvirt's XML, written back unchanged, and written alone for the network update call.</summary>
public sealed class NetworkDhcpHostXmlTests
{
    private static string Fixture(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "network", file));

    [Fact]
    public void Hosts_OfAForeignNetwork_ShouldReadMacNameIpAndLease()
    {
        var dhcp = NetworkXmlReader.Read(Fixture("foreign-dns.xml")).Ips.Single().Dhcp!;

        var hosts = dhcp.Hosts;

        Assert.Equal(3, hosts.Count);
        Assert.Equal(("52:54:00:6f:78:f3", "static1", "192.168.80.10"), (hosts[0].Mac, hosts[0].Name, hosts[0].Ip));
        Assert.Null(hosts[0].Lease);
        Assert.Equal("30", hosts[1].Lease!.Expiry);
        Assert.Equal("minutes", hosts[1].Lease!.Unit);
        Assert.Equal(TimeSpan.FromMinutes(30), hosts[1].Lease!.ToLeaseTime());
        Assert.Null(hosts[2].Mac);
        Assert.Equal("static3", hosts[2].Name);
    }

    [Fact]
    public void Hosts_OfAnIpv6Dhcp_ShouldReadTheDuid()
    {
        var ipv6 = NetworkXmlReader.Read(Fixture("foreign-ipv6-several-ip.xml")).Ips.Single(ip => ip.Family == "ipv6");

        var host = Assert.Single(ipv6.Dhcp!.Hosts);

        Assert.Equal("0:3:0:1:0:16:3e:11:22:33", host.Id);
        Assert.Null(host.Mac);
    }

    [Fact]
    public void Write_WithAForeignHostAndUnknownParts_ShouldKeepEveryOneAsRead()
    {
        const string xml = "<network><name>n</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.9' end='10.0.0.20'/><host future='x' mac='52:54:00:00:00:09' ip='10.0.0.5'><lease expiry='0' extra='1'/><hint>keep</hint></host><bootp file='f'/></dhcp></ip></network>";
        var network = NetworkXmlReader.Read(xml);

        var written = NetworkXmlWriter.Write(network);
        var host = Assert.Single(NetworkXmlReader.Read(written).Ips[0].Dhcp!.Hosts);

        XmlAssert.Equivalent(xml, written);
        Assert.Equal(written, NetworkXmlWriter.Write(NetworkXmlReader.Read(written)));
        Assert.Equal("future", Assert.Single(host.OtherAttributes).Name.LocalName);
        Assert.Equal("hint", Assert.Single(host.OtherElements).Name.LocalName);
        Assert.Equal("extra", Assert.Single(host.Lease!.OtherAttributes).Name.LocalName);
        Assert.Equal(TimeSpan.Zero, host.Lease.ToLeaseTime());
    }

    [Theory]
    [InlineData(0, "<host mac=\"52:54:00:12:34:56\" name=\"web01\" ip=\"10.0.0.5\"><lease expiry=\"0\" /></host>")]
    [InlineData(7200, "<host mac=\"52:54:00:12:34:56\" name=\"web01\" ip=\"10.0.0.5\"><lease expiry=\"2\" unit=\"hours\" /></host>")]
    [InlineData(150, "<host mac=\"52:54:00:12:34:56\" name=\"web01\" ip=\"10.0.0.5\"><lease expiry=\"150\" unit=\"seconds\" /></host>")]
    [InlineData(180, "<host mac=\"52:54:00:12:34:56\" name=\"web01\" ip=\"10.0.0.5\"><lease expiry=\"3\" unit=\"minutes\" /></host>")]
    public void WriteDhcpHost_ShouldWriteLibvirtsElementInTheLargestWholeUnit(int seconds, string expected)
    {
        var host = new NetworkDhcpHostXml
        {
            Mac = "52:54:00:12:34:56",
            Name = "web01",
            Ip = "10.0.0.5",
            Lease = NetworkDhcpLeaseXml.FromLeaseTime(TimeSpan.FromSeconds(seconds)),
        };

        var text = NetworkXmlWriter.WriteDhcpHost(host);

        Assert.Equal(expected, text);
        var back = NetworkXmlReader.ReadDhcpHost(XElement.Parse(text));
        Assert.Equal(TimeSpan.FromSeconds(seconds), back.Lease!.ToLeaseTime());
        Assert.Equal((host.Mac, host.Name, host.Ip), (back.Mac, back.Name, back.Ip));
    }

    [Fact]
    public void WriteDhcpHost_WithMarkupInValues_ShouldEscapeThem()
    {
        var text = NetworkXmlWriter.WriteDhcpHost(new NetworkDhcpHostXml { Name = "a'\"<&>", Ip = "10.0.0.5" });

        Assert.Equal("a'\"<&>", NetworkXmlReader.ReadDhcpHost(XElement.Parse(text)).Name);
    }

    [Fact]
    public void Hosts_AddedAsElements_ShouldBeWrittenInLibvirtsPlaceAndReadBack()
    {
        var network = NetworkXmlReader.Read(Fixture("written-nat.xml"));
        var ip = network.Ips[0];
        var host = new NetworkDhcpHostXml { Mac = "52:54:00:12:34:56", Ip = ip.Dhcp!.Ranges[0].Start, Lease = NetworkDhcpLeaseXml.FromLeaseTime(TimeSpan.FromHours(1)) };
        var changed = network with
        {
            Ips = [ip with { Dhcp = ip.Dhcp with { OtherElements = [NetworkXmlWriter.ToElement(host)] } }],
        };

        var written = NetworkXmlWriter.Write(changed);
        var read = NetworkXmlReader.Read(written).Ips[0].Dhcp!;

        Assert.Equal(["range", "host"], XElement.Parse(written).Descendants("dhcp").Single().Elements().Select(e => e.Name.LocalName));
        Assert.Equal(TimeSpan.FromHours(1), Assert.Single(read.Hosts).Lease!.ToLeaseTime());
        VirtXmlValidate.AssertValid(written, "a network with a DHCP host and lease");
    }

    [Theory]
    [InlineData("5", null, 300)]
    [InlineData("5", "seconds", 5)]
    [InlineData("2", "hours", 7200)]
    [InlineData("0", "hours", 0)]
    [InlineData("-1", "hours", null)]
    [InlineData("1.5", "hours", null)]
    [InlineData("5", "days", null)]
    [InlineData(null, "hours", null)]
    public void ToLeaseTime_ShouldReadWhatLibvirtReads(string? expiry, string? unit, int? seconds)
    {
        var lease = new NetworkDhcpLeaseXml { Expiry = expiry, Unit = unit };

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, lease.ToLeaseTime());
    }
}
