using System;
using System.IO;
using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;
using KimchiNet.Model;

namespace KimchiNet.Tests.Libvirt;

[Collection(LibvirtCollection.Name)]
public sealed class DemoHostTests
{
    [Fact]
    public void Uri_ReadTwice_PointsAtOneFileWrittenOncePerProcess()
    {
        Assert.Equal(DemoHost.Uri, DemoHost.Uri);
        Assert.StartsWith("test:///", DemoHost.Uri, StringComparison.Ordinal);
        Assert.Equal(DemoHost.ReadXml(), File.ReadAllText(DemoHost.FilePath));
    }

    [Fact]
    public void DemoHost_WhenListed_HasTheExpectedNetworksDomainsAndInterfaces()
    {
        var connection = LibvirtConnections.Get(DemoHost.Uri);

        var networks = connection.ListNetworks().ToDictionary(n => n.Name);
        var domains = connection.ListDomains().ToDictionary(d => d.Name);
        var interfaces = HostInterfaces.List(connection).ToDictionary(i => i.Name);

        Assert.Equal(
            new[] { "bridge-br0", "default", "isolated", "macvtap-eth3", "ovs", "passthrough-bond0", "vepa-eth1-eth2" },
            networks.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("<bridge name='virbr0'", networks["default"].Xml, StringComparison.Ordinal);
        Assert.Contains("<bridge name='br0'", networks["bridge-br0"].Xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<bridge", networks["macvtap-eth3"].Xml, StringComparison.Ordinal);
        Assert.All(networks.Values, n => Assert.True(n.IsActive && n.IsPersistent));

        Assert.Equal(new[] { "app01", "build01", "db01", "web01" }, domains.Keys.Order(StringComparer.Ordinal));
        Assert.False(domains["build01"].IsActive);
        Assert.True(domains["web01"].IsActive);

        Assert.Equal(
            new[] { "bond0", "br0", "eth0", "eth1", "eth2", "eth3", "eth4", "eth4.100", "eth5", "eth6", "eth7" },
            interfaces.Keys);
        Assert.Equal(HostInterfaceType.Bonding, interfaces["bond0"].Type);
        Assert.Equal(new[] { "eth5", "eth6" }, interfaces["bond0"].Members);
        Assert.Equal(HostInterfaceType.Bridge, interfaces["br0"].Type);
        Assert.Equal("eth7", Assert.Single(interfaces["br0"].Members));
        Assert.True(interfaces["eth7"].IsBridgePort);
        Assert.Equal("br0", interfaces["eth7"].Master);
        Assert.Equal("bond0", interfaces["eth5"].Master);
        Assert.False(interfaces["eth5"].IsBridgePort);
        Assert.Equal(HostInterfaceType.Vlan, interfaces["eth4.100"].Type);
        Assert.Equal(100, interfaces["eth4.100"].VlanId);
        Assert.Equal("eth4", interfaces["eth4.100"].Parent);
        Assert.Equal("192.0.2.10", interfaces["eth0"].IPv4Address);
        Assert.Equal("255.255.255.0", interfaces["eth0"].IPv4Netmask);
        Assert.Equal(HostInterfaceStatus.Up, interfaces["eth0"].Status);
    }

    [Fact]
    public void NetworkUsage_OfTheDemoHost_ListsTheVmsOnEachNetwork()
    {
        var connection = LibvirtConnections.Get(DemoHost.Uri);

        var usage = NetworkUsage.Compute(connection.ListNetworks(), connection.ListDomains());

        Assert.Equal(new[] { "build01", "web01" }, usage["default"]);         // network NICs, web01 also on br0
        Assert.Equal(new[] { "build01" }, usage["isolated"]);                 // a shut-off VM counts
        Assert.Equal(new[] { "web01" }, usage["bridge-br0"]);                 // bridge NIC on br0
        Assert.Equal(new[] { "db01" }, usage["macvtap-eth3"]);                // direct NIC on eth3
        Assert.Equal(new[] { "app01" }, usage["vepa-eth1-eth2"]);             // network NIC and direct NIC, listed once
        Assert.Empty(usage["passthrough-bond0"]);
        Assert.Empty(usage["ovs"]);
    }

    [Fact]
    public void FixtureHostFile_SmallHost_LoadsItsNetworkVmAndInterface()
    {
        var uri = TestUris.Host("small-host.xml");
        try
        {
            var connection = LibvirtConnections.Get(uri);

            var usage = NetworkUsage.Compute(connection.ListNetworks(), connection.ListDomains());
            var ens3 = Assert.Single(HostInterfaces.List(connection));

            Assert.Equal(new[] { "probe" }, usage["lab"]);
            Assert.Equal("ens3", ens3.Name);
            Assert.Equal(HostInterfaceStatus.Down, ens3.Status);
        }
        finally
        {
            LibvirtConnections.Close(uri);
        }
    }
}
