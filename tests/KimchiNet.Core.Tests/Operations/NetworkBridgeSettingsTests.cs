using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Operations;

/// <summary>Routed and open networks and the bridge settings (MTU, DHCP range, lease time, DHCP off) created, updated and compared on the test driver.</summary>
[Collection(LibvirtCollection.Name)]
public sealed class NetworkBridgeSettingsTests
{
    private const string LabXml = """
        <network>
          <name>lab</name>
          <forward mode="route"/>
          <bridge name="labbr7" stp="on" delay="0"/>
          <mtu size="9000"/>
          <dns>
            <host ip="10.50.0.5"><hostname>files</hostname></host>
          </dns>
          <ip address="10.50.0.1" netmask="255.255.255.0">
            <dhcp>
              <range start="10.50.0.128" end="10.50.0.253"/>
              <host mac="52:54:00:00:00:99" name="pinned" ip="10.50.0.9"/>
            </dhcp>
          </ip>
        </network>
        """;

    private static TestHost HostWithLab()
    {
        var host = new TestHost();
        host.Connection.DefineNetwork(LabXml);
        return host;
    }

    [Fact]
    public void Create_RoutedWithEveryKnob_ShouldDefineItAndReadItBack()
    {
        using var host = new TestHost();
        var spec = new NetworkSpec
        {
            Name = "rt",
            Connection = ConnectionType.Routed,
            Interfaces = ["eth1"],
            Subnet = "10.81.0.0/24",
            Mtu = 9000,
            DhcpRange = "10.81.0.100-10.81.0.200",
            DhcpLeaseTime = TimeSpan.FromHours(2),
        };

        var plan = host.Ops.PlanCreate(spec);
        var info = host.Ops.Create(plan, start: false);

        Assert.StartsWith("Define routed network with subnet 10.81.0.0/24 on bridge ", plan.Description, StringComparison.Ordinal);
        Assert.EndsWith(", routed through eth1", plan.Description, StringComparison.Ordinal);
        Assert.Equal(ConnectionType.Routed, info.Connection);
        Assert.Equal("route", info.ForwardMode);
        Assert.Equal(["eth1"], info.Interfaces);
        Assert.Equal(9000, info.Mtu);
        Assert.Equal(("10.81.0.100", "10.81.0.200"), (info.DhcpStart, info.DhcpEnd));
        Assert.Equal(TimeSpan.FromHours(2), info.DhcpLeaseTime);
        Assert.True(info.Dhcp);
    }

    [Fact]
    public void Create_OpenWithoutDhcp_ShouldDefineItWithoutDhcp()
    {
        using var host = new TestHost();

        var info = host.Ops.Create(host.Ops.PlanCreate(new NetworkSpec { Name = "op", Connection = ConnectionType.Open, Subnet = "10.82.0.0/24", Dhcp = false }), start: false);

        Assert.Equal(ConnectionType.Open, info.Connection);
        Assert.False(info.Dhcp);
        Assert.Null(info.DhcpStart);
        Assert.DoesNotContain("<dhcp", host.Connection.GetNetworkXml("op", inactive: true), StringComparison.Ordinal);
    }

    [Fact]
    public void PlanCreate_RoutedOnAMissingDevice_ShouldThrowKCHNET0102E()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanCreate(new NetworkSpec { Name = "rt", Connection = ConnectionType.Routed, Interfaces = ["eth99"], Subnet = "10.81.0.0/24" }));

        Assert.Equal(ErrorCodes.InterfaceNotFound, error.Code);
    }

    [Fact]
    public void Update_MtuRangeAndLease_ShouldEditOnlyThemAndKeepDnsAndReservations()
    {
        using var host = HostWithLab();

        var plan = host.Ops.PlanUpdate("lab", new NetworkUpdate { Mtu = 1400, DhcpRange = "10.50.0.100-10.50.0.120", DhcpLeaseTime = TimeSpan.FromMinutes(30) });
        var info = host.Ops.Update(plan);

        Assert.Equal("Set MTU 1400, set DHCP range 10.50.0.100-10.50.0.120, set DHCP lease time 00:30:00", plan.Description);
        Assert.Equal(1400, info.Mtu);
        Assert.Equal(("10.50.0.100", "10.50.0.120"), (info.DhcpStart, info.DhcpEnd));
        Assert.Equal(TimeSpan.FromMinutes(30), info.DhcpLeaseTime);
        var xml = NetworkXmlReader.Read(host.Connection.GetNetworkXml("lab", inactive: true));
        Assert.Single(xml.Ips[0].Dhcp!.Hosts);
        Assert.Equal("files", Assert.Single(xml.Dns!.Hosts).Hostnames.Single());
        Assert.Equal(ConnectionType.Routed, info.Connection);
    }

    [Fact]
    public void PlanUpdate_DhcpOffWithAReservation_ShouldThrowKCHNET0166E()
    {
        using var host = HostWithLab();

        var error = host.Refused(() => host.Ops.PlanUpdate("lab", new NetworkUpdate { Dhcp = false }));

        Assert.Equal(ErrorCodes.DhcpReservationsWithoutDhcp, error.Code);
        Assert.Contains("1 reservation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_DhcpOffThenOn_ShouldRemoveTheServiceThenGiveTheDefaultRange()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("isolated");

        var off = host.Ops.Update(host.Ops.PlanUpdate("isolated", new NetworkUpdate { Dhcp = false }));
        Assert.False(off.Dhcp);
        Assert.Null(off.DhcpStart);

        var on = host.Ops.Update(host.Ops.PlanUpdate("isolated", new NetworkUpdate { Dhcp = true }));
        Assert.True(on.Dhcp);
        Assert.NotNull(on.DhcpStart);
    }

    [Theory]
    [InlineData("10.51.0.10-10.51.0.20", ErrorCodes.DhcpRangeOutsideSubnet)]
    [InlineData("10.50.0.1-10.50.0.20", ErrorCodes.DhcpRangeOutsideSubnet)]
    [InlineData("10.50.0.20-10.50.0.10", ErrorCodes.MalformedDhcpRange)]
    public void PlanUpdate_BadRange_ShouldThrowItsCodeAndChangeNothing(string range, string code)
    {
        using var host = HostWithLab();

        Assert.Equal(code, host.Refused(() => host.Ops.PlanUpdate("lab", new NetworkUpdate { DhcpRange = range })).Code);
    }

    [Fact]
    public void PlanUpdate_MtuOnAMacvtapNetwork_ShouldThrowKCHNET0161E()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("macvtap-eth3");

        Assert.Equal(ErrorCodes.KnobNotAllowed, host.Refused(() => host.Ops.PlanUpdate("macvtap-eth3", new NetworkUpdate { Mtu = 1500 })).Code);
    }

    [Fact]
    public void PlanUpdate_MtuOnANetworkOfNoKnownKind_ShouldThrowKCHNET0012E()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork("<network><name>hd</name><forward mode='hostdev' managed='yes'><pf dev='eth4'/></forward></network>");

        Assert.Equal(ErrorCodes.InvalidConnection, host.Refused(() => host.Ops.PlanUpdate("hd", new NetworkUpdate { Mtu = 1500 })).Code);
    }

    [Fact]
    public void DesiredState_WithOtherKnobs_ShouldDifferInEachAndConvergeByUpdate()
    {
        using var host = HostWithLab();
        var desired = DesiredState.From("lab", mtu: 1400, dhcpRange: "10.50.0.100-10.50.0.120", dhcpLeaseTime: TimeSpan.FromHours(1));

        var differences = host.Ops.Test(desired);
        Assert.Equal(["Mtu", "DhcpRange", "DhcpLeaseTime"], differences.Select(d => d.Property));
        Assert.Equal("10.50.0.128-10.50.0.253", differences[1].Actual);

        var result = DesiredState.Converge(host.Ops, desired);
        Assert.Contains(result.Steps, s => s.StartsWith("Update: Set MTU 1400", StringComparison.Ordinal));
        Assert.Empty(host.Ops.Test(desired));
        Assert.Empty(host.Ops.Test(DesiredState.From("lab", dhcp: true, mtu: 1400)));
        Assert.Equal(["Dhcp"], host.Ops.Test(DesiredState.From("lab", dhcp: false)).Select(d => d.Property));
    }

    [Fact]
    public void DesiredState_WithMtuOnAVepaNetwork_ShouldThrowKCHNET0161E()
    {
        using var host = new TestHost();

        Assert.Equal(ErrorCodes.KnobNotAllowed, host.Refused(() => host.Ops.Test(DesiredState.From("vepa-eth1-eth2", mtu: 1500))).Code);
    }

    [Fact]
    public void Update_InterfacesOfARoutedNetwork_ShouldBindItToAnyExistingDevice()
    {
        using var host = new TestHost();
        host.Ops.Create(host.Ops.PlanCreate(new NetworkSpec { Name = "rt", Connection = ConnectionType.Routed, Subnet = "10.81.0.0/24" }), start: false);

        var info = host.Ops.Update(host.Ops.PlanUpdate("rt", new NetworkUpdate { Interfaces = ["br0"] }));

        Assert.Equal(["br0"], info.Interfaces);
        Assert.Equal(ConnectionType.Routed, info.Connection);
        Assert.Equal(ErrorCodes.InterfaceNotFound, host.Refused(() => host.Ops.PlanUpdate("rt", new NetworkUpdate { Interfaces = ["eth99"] })).Code);
    }
}
