using KimchiNet.Model;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

public sealed class NetworkDescriptionsTests
{
    private static NetworkDescription Describe(string file) => NetworkDescriptions.FromXml(
        NetworkXmlReader.Read(NetworkFixtures.Read(file)));

    public static TheoryData<string, ConnectionType?, string?, string[]> ConnectionRows { get; } = new()
    {
        { "foreign-default-nat.xml", ConnectionType.Nat, "nat", [] },
        { "foreign-nat-no-mode.xml", ConnectionType.Nat, null, [] },
        { "foreign-route.xml", ConnectionType.Routed, "route", ["eth1"] },
        { "foreign-open.xml", ConnectionType.Open, "open", [] },
        { "foreign-hostdev-pci.xml", null, "hostdev", [] },
        { "foreign-hostdev-pf.xml", null, "hostdev", [] },
        { "foreign-private.xml", null, "private", ["eth4", "eth5"] },
        { "foreign-bridge-mactable.xml", ConnectionType.Bridge, "bridge", ["br0"] },
        { "foreign-portgroups.xml", ConnectionType.Bridge, "bridge", ["ovsbr1"] },
        { "foreign-kimchinet-and-other-metadata.xml", ConnectionType.Bridge, "bridge", ["bond0"] },
        { "foreign-forward-dev-only.xml", ConnectionType.Macvtap, "bridge", ["eth6"] },
        { "foreign-vepa-dev-and-interfaces.xml", ConnectionType.Vepa, "vepa", ["eth1", "eth2"] },
        { "written-passthrough.xml", ConnectionType.Passthrough, "passthrough", ["ens1f0", "bond0"] },
        { "written-isolated.xml", ConnectionType.Isolated, null, [] },
    };

    [Theory]
    [MemberData(nameof(ConnectionRows))]
    public void FromXml_WithEachFixture_ShouldReportConnectionModeAndInterfaces(string file, ConnectionType? connection, string? mode, string[] interfaces)
    {
        var description = Describe(file);

        Assert.Equal(connection, description.Connection);
        Assert.Equal(mode, description.ForwardMode);
        Assert.Equal(interfaces, description.Interfaces);
    }

    [Fact]
    public void FromXml_WithSeveralIps_ShouldTakeTheFirstIpv4AndListAll()
    {
        var description = Describe("foreign-ipv6-several-ip.xml");

        Assert.Equal("192.168.60.0/24", description.Subnet);
        Assert.Equal("192.168.60.1", description.Gateway);
        Assert.Equal(("192.168.60.128", "192.168.60.254"), (description.DhcpStart, description.DhcpEnd));
        Assert.Equal(["192.168.60.0/24", "192.168.61.0/24", "fd00:60::/64"], description.AllSubnets);
    }

    [Fact]
    public void FromXml_WithIpv6First_ShouldStillFindTheIpv4Subnet()
    {
        var network = NetworkXmlReader.Read("<network><name>n</name><ip family='ipv6' address='2001:db8::1' prefix='48'/><ip address='10.1.2.3' netmask='255.255.240.0'/></network>");

        var description = NetworkDescriptions.FromXml(network);

        Assert.Equal("10.1.0.0/20", description.Subnet);
        Assert.Equal(["2001:db8::/48", "10.1.0.0/20"], description.AllSubnets);
    }

    [Fact]
    public void FromXml_WithOvsVlanAndPortGroups_ShouldTakeTheNetworkVlan()
    {
        var description = Describe("foreign-portgroups.xml");

        Assert.Equal(100, description.VlanId);
        Assert.Equal("openvswitch", description.VirtualPortType);
        Assert.Equal("ovsbr1", description.BridgeName);
    }

    [Fact]
    public void FromXml_WithKimchiNetRecord_ShouldGiveVlanAndHostChanges()
    {
        var description = Describe("foreign-kimchinet-and-other-metadata.xml");

        Assert.Equal(7, description.VlanId);
        Assert.Equal("kbr-bond0-7", description.HostChanges?.CreatedBridge);
        Assert.Equal(new HostVlanDevice("bond0.7", "bond0", 7), description.HostChanges?.CreatedVlan);
        Assert.Equal(["10.1.2.3/24", "10.1.3.3/24"], description.HostChanges?.MovedAddresses);
    }

    [Fact]
    public void FromXml_WithRecordForAnotherBridge_ShouldReportTheBridgeItself()
    {
        var network = NetworkXmlReader.Read(
            "<network><name>n</name><metadata><k:network xmlns:k='urn:kimchinet:network:1'><k:interface dev='eth0'/><k:created><k:bridge name='kbr0'/></k:created></k:network></metadata><forward mode='bridge'/><bridge name='br9'/></network>");

        Assert.Equal(["br9"], NetworkDescriptions.FromXml(network).Interfaces);
    }

    [Fact]
    public void FromXml_WithUuid_ShouldReportIt()
    {
        Assert.Equal("9b1c3e9a-6f0e-4d5b-8f0a-1c2d3e4f5a6b", Describe("foreign-default-nat.xml").Uuid);
        Assert.Equal("virbr0", Describe("foreign-default-nat.xml").BridgeName);
    }

    [Fact]
    public void FromXml_WithForeignMtuAndRange_ShouldReportMtuDhcpOnAndNoLeaseTime()
    {
        var description = Describe("foreign-open.xml");

        Assert.Equal(9000, description.Mtu);
        Assert.True(description.Dhcp);
        Assert.Null(description.DhcpLeaseTime);
        Assert.Equal(("10.7.0.100", "10.7.0.150"), (description.DhcpStart, description.DhcpEnd));
    }

    [Fact]
    public void FromXml_WithForeignRangeLease_ShouldReportTheLeaseTime()
    {
        var network = NetworkXmlReader.Read(
            "<network><name>n</name><forward mode='route'/><ip address='10.3.0.1' prefix='24'><dhcp><range start='10.3.0.10' end='10.3.0.20'><lease expiry='90' unit='seconds'/></range></dhcp></ip></network>");

        var description = NetworkDescriptions.FromXml(network);

        Assert.Equal(System.TimeSpan.FromSeconds(90), description.DhcpLeaseTime);
        Assert.Equal(ConnectionType.Routed, description.Connection);
        Assert.Null(description.Mtu);
    }

    [Fact]
    public void FromXml_WithIpv4AndNoDhcp_ShouldReportDhcpOff()
    {
        var description = Describe("written-open.xml");

        Assert.False(description.Dhcp);
        Assert.Equal(1400, description.Mtu);
        Assert.Null(description.DhcpStart);
    }

    [Fact]
    public void FromXml_WithoutIpv4_ShouldReportNoDhcpSetting()
    {
        Assert.Null(Describe("written-macvtap.xml").Dhcp);
    }

    [Fact]
    public void Read_WithMtuHoldingMoreThanASize_ShouldKeepItRawAndReportNoMtu()
    {
        var network = NetworkXmlReader.Read("<network><name>n</name><mtu size='9000' future='x'/></network>");

        Assert.Null(network.Mtu);
        Assert.Single(network.OtherElements, e => e.Name == "mtu");
        Assert.Null(NetworkDescriptions.FromXml(network).Mtu);
    }
}
