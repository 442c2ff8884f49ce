using System.Collections.Generic;
using System.Text;
using KimchiNet.Hosts;

namespace KimchiNet.Tests.Hosts;

public sealed class HostBridgeNamesTests
{
    [Fact]
    public void BridgeAndVlan_WithShortDeviceNames_ShouldKeepThemReadable()
    {
        Assert.Equal("kbeth1", HostBridgeNames.Bridge("eth1", null));
        Assert.Equal("kbeth4.10", HostBridgeNames.Bridge("eth4", 10));
        Assert.Equal("eth4.10", HostBridgeNames.Vlan("eth4", 10));
        Assert.Equal("kbenp0s31f6", HostBridgeNames.Bridge("enp0s31f6", null));
    }

    [Theory]
    [InlineData("enp0s31f6", 4094)] // kbenp0s31f6.4094 is 16 bytes
    [InlineData("enx0123456789ab", 1)]
    public void Bridge_WithATooLongName_ShouldHashItDeterministicallyToFit(string device, int vlan)
    {
        var bridge = HostBridgeNames.Bridge(device, vlan);
        Assert.Matches("^kb[0-9a-f]{8}$", bridge);
        Assert.Equal(bridge, HostBridgeNames.Bridge(device, vlan));
        Assert.NotEqual(bridge, HostBridgeNames.Bridge(device, vlan == 1 ? 2 : 1));
        Assert.NotEqual(bridge, HostBridgeNames.Bridge(device, null));
        Assert.True(Encoding.UTF8.GetByteCount(bridge) <= HostBridgeNames.MaxNameBytes);
    }

    [Fact]
    public void Vlan_WithATooLongName_ShouldHashItAndKeepTheId()
    {
        var name = HostBridgeNames.Vlan("enx0123456789ab", 4094);
        Assert.Matches("^kv[0-9a-f]{8}\\.4094$", name);
        Assert.Equal(15, name.Length);
        Assert.Equal("enp0s31f6.4094", HostBridgeNames.Vlan("enp0s31f6", 4094)); // 14 bytes: fits
    }

    [Fact]
    public void Bridge_WithTakenNames_ShouldSkipToTheFirstFreeOne()
    {
        var taken = new HashSet<string> { "kbeth1" };
        var first = HostBridgeNames.Bridge("eth1", null, taken.Contains);
        Assert.Matches("^kb[0-9a-f]{8}$", first);

        taken.Add(first);
        var second = HostBridgeNames.Bridge("eth1", null, taken.Contains);
        Assert.Matches("^kb[0-9a-f]{8}$", second);
        Assert.NotEqual(first, second);
        Assert.Equal(second, HostBridgeNames.Bridge("eth1", null, taken.Contains));

        Assert.Matches("^kv[0-9a-f]{8}\\.10$", HostBridgeNames.Vlan("eth4", 10, n => n == "eth4.10"));
    }

    [Theory]
    [InlineData("kbeth1", "eth1", null, true)]
    [InlineData("kbeth1.10", "eth1", 10, true)]
    [InlineData("kb1f0c3a9e", "averyverylongnic", null, true)]
    [InlineData("br0", "eth1", null, false)]
    [InlineData("virbr0", "eth1", null, false)]
    [InlineData("kbeth2", "eth1", null, false)]
    [InlineData("kb1F0C3A9E", "eth1", null, false)]
    public void IsBridgeName_WithEachCandidate_ShouldFollowTheNamingRule(string name, string device, int? vlan, bool expected) =>
        Assert.Equal(expected, HostBridgeNames.IsBridgeName(name, device, vlan));
}
