using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

/// <summary>IPv6 dual stack in libvirt's network XML, both ways: what KimchiNet writes, and what it reads from anyone's XML.</summary>
public sealed class NetworkIpv6XmlTests
{
    private static NetworkSpec Spec(ConnectionType connection, string ipv6, bool? dhcp6 = null, bool? nat6 = null) => new()
    {
        Name = "dual",
        Connection = connection,
        Subnet = "10.9.0.0/24",
        Ipv6Subnet = ipv6,
        Ipv6Dhcp = dhcp6,
        Ipv6Nat = nat6,
    };

    [Fact]
    public void ToXml_NatWithDhcpv6AndIpv6Nat_ShouldWriteTheIpv6IpWithRangeAndNatIpv6Yes()
    {
        var xml = OfflineConversion.ToXml(Spec(ConnectionType.Nat, "fd12:3456:789a:1::/64", nat6: true));

        Assert.Equal(
            """
            <network>
              <name>dual</name>
              <metadata>
                <kimchinet:network xmlns:kimchinet="urn:kimchinet:network:1">
                  <kimchinet:connection>nat</kimchinet:connection>
                </kimchinet:network>
              </metadata>
              <forward mode="nat">
                <nat ipv6="yes" />
              </forward>
              <ip address="10.9.0.1" netmask="255.255.255.0">
                <dhcp>
                  <range start="10.9.0.128" end="10.9.0.253" />
                </dhcp>
              </ip>
              <ip family="ipv6" address="fd12:3456:789a:1::1" prefix="64">
                <dhcp>
                  <range start="fd12:3456:789a:1::100" end="fd12:3456:789a:1::1ff" />
                </dhcp>
              </ip>
            </network>
            """,
            xml);
    }

    [Theory]
    [InlineData(ConnectionType.Routed, "route")]
    [InlineData(ConnectionType.Open, "open")]
    [InlineData(ConnectionType.Isolated, null)]
    public void ToXml_RouterAdvertisementsOnly_ShouldWriteAnIpv6IpWithoutDhcpAndNoNat(ConnectionType connection, string? mode)
    {
        var network = NetworkXmlReader.Read(OfflineConversion.ToXml(Spec(connection, "fd12:3456:789a:2::/64", dhcp6: false)));

        var ip6 = Assert.Single(network.Ips, ip => ip.Family == "ipv6");
        Assert.Equal("fd12:3456:789a:2::1", ip6.Address);
        Assert.Equal(64u, ip6.Prefix);
        Assert.Null(ip6.Dhcp);
        Assert.Equal(mode, network.Forward?.Mode);
        Assert.Empty(network.Forward?.OtherElements ?? []);
        var description = NetworkDescriptions.FromXml(network);
        Assert.Equal("fd12:3456:789a:2::/64", description.Ipv6Subnet);
        Assert.False(description.Ipv6Dhcp);
        Assert.Null(description.Ipv6Nat);
        Assert.Equal("10.9.0.0/24", description.Subnet);
    }

    [Fact]
    public void ToXml_WithAuto_ShouldBeRefusedOfflineWithKCHNET0126E()
    {
        var error = Assert.Throws<KimchiException>(() => OfflineConversion.ToXml(Spec(ConnectionType.Nat, "auto")));
        Assert.Equal(ErrorCodes.InvalidIpv6Subnet, error.Code);
    }

    [Fact]
    public void FromXml_WithForeignDualStackXml_ShouldReadTheIpv6SubnetGatewayRangeNatAndHosts()
    {
        // As libvirt's documentation writes it: IPv6 first, a prefix, a host by DUID, and IPv6 NAT among other nat settings.
        const string xml = """
            <network>
              <name>foreign</name>
              <forward mode='nat'><nat ipv6='yes'><port start='1024' end='65535'/></nat></forward>
              <ip family='ipv6' address='2001:db8:ca2:2::1' prefix='64'>
                <dhcp>
                  <range start='2001:db8:ca2:2::100' end='2001:db8:ca2:2::1ff'/>
                  <host id='0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63' name='lucas' ip='2001:db8:ca2:2:3::4'/>
                </dhcp>
              </ip>
              <ip address='192.168.122.1' netmask='255.255.255.0'/>
            </network>
            """;

        var network = NetworkXmlReader.Read(xml);
        var description = NetworkDescriptions.FromXml(network);

        Assert.Equal(ConnectionType.Nat, description.Connection);
        Assert.Equal("2001:db8:ca2:2::/64", description.Ipv6Subnet);
        Assert.Equal("2001:db8:ca2:2::1", description.Ipv6Gateway);
        Assert.True(description.Ipv6Dhcp);
        Assert.Equal("2001:db8:ca2:2::100", description.Ipv6DhcpStart);
        Assert.Equal("2001:db8:ca2:2::1ff", description.Ipv6DhcpEnd);
        Assert.True(description.Ipv6Nat);
        Assert.Null(description.UlaGlobalId);
        Assert.Equal("192.168.122.0/24", description.Subnet);
        var host = Assert.Single(network.Ips[0].Dhcp!.Hosts);
        Assert.Equal("0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63", host.Id);
        Assert.Equal("lucas", host.Name);
        Assert.Contains("<nat ipv6=\"yes\">", NetworkXmlWriter.Write(network), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<forward mode='nat'/>", false)]
    [InlineData("<forward mode='nat'><nat ipv6='no'/></forward>", false)]
    [InlineData("<forward/>", true)]
    public void FromXml_Ipv6Nat_ShouldBeTrueOnlyForNatIpv6Yes(string forward, bool natYes)
    {
        var xml = $"<network><name>n</name>{forward.Replace("<forward/>", "<forward><nat ipv6='yes'/></forward>", System.StringComparison.Ordinal)}<ip family='ipv6' address='fd00:1::1' prefix='64'/></network>";
        Assert.Equal(natYes, NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).Ipv6Nat);
    }

    [Fact]
    public void UlaRecord_ShouldRoundTripAndBeTrustedOnlyWhenTheSubnetLiesUnderIt()
    {
        var spec = Spec(ConnectionType.Isolated, "auto");
        Assert.True(UlaPlanner.TryFindFreeSubnet(0x123456789a, [], out var planned));
        var written = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { Ipv6Subnet = planned, UlaGlobalId = 0x123456789a }));

        Assert.Contains("<kimchinet:ula global-id=\"123456789a\" />", written, System.StringComparison.Ordinal);
        var read = NetworkXmlReader.Read(written);
        Assert.Equal("123456789a", read.Metadata!.KimchiNet!.UlaGlobalId);
        Assert.Equal(written, NetworkXmlWriter.Write(read));
        Assert.Equal(0x123456789aUL, NetworkDescriptions.FromXml(read).UlaGlobalId);

        // A record whose ID is not the one of the network's subnet (forged, or copied from another network) is not trusted.
        var forged = written.Replace("global-id=\"123456789a\"", "global-id=\"abcdef0123\"", System.StringComparison.Ordinal);
        Assert.Null(NetworkDescriptions.FromXml(NetworkXmlReader.Read(forged)).UlaGlobalId);
        var malformed = written.Replace("global-id=\"123456789a\"", "global-id=\"12345\"", System.StringComparison.Ordinal);
        Assert.Null(NetworkDescriptions.FromXml(NetworkXmlReader.Read(malformed)).UlaGlobalId);
    }
}
