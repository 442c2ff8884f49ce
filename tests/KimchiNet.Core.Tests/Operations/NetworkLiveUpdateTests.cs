using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// Updates of an active network on the test driver (demo host: every network active; web01, db01,
/// app01 running, build01 shut off; web01 and build01 use 'default', build01 uses 'isolated').
/// </summary>
[Collection(LibvirtCollection.Name)]
public sealed class NetworkLiveUpdateTests
{
    [Fact]
    public void PlanUpdate_SubnetOfActiveNetwork_ShouldThrowKCHNET0170ENamingTheRunningGuestOnly()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanUpdate("default", new NetworkUpdate { Subnet = "10.60.0.0/24" }, restart: false));

        Assert.Equal((ErrorCodes.UpdateNeedsRestart, ErrorKind.InvalidState), (error.Code, error.Kind));
        Assert.Contains("change subnet to 10.60.0.0/24 (Subnet)", error.Message, StringComparison.Ordinal);
        Assert.Contains("running guests web01 would lose their network", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("build01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanUpdate_ActiveNetworkWithoutRunningGuests_ShouldSayNoneWouldLoseTheirNetwork()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanUpdate("isolated", new NetworkUpdate { Subnet = "10.61.0.0/24", Autostart = false }, restart: false));

        Assert.Equal(ErrorCodes.UpdateNeedsRestart, error.Code);
        Assert.Contains("no running guest uses it", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Autostart", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanUpdate_ActiveNetwork_ShouldClassifyEachChangeAsLiveOrRestart()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate { Subnet = "10.62.0.0/24", Autostart = false }, restart: true);

        Assert.Equal(before, host.Snapshot());
        Assert.True(plan.Active);
        Assert.True(plan.Restart);
        Assert.Equal(["web01"], plan.RunningGuests);
        Assert.Equal(
            [("Subnet", false), ("Autostart", true)],
            plan.Changes.Select(c => (c.Property, c.Live)).ToArray());
        Assert.Equal("Change subnet to 10.62.0.0/24 (needs a restart), turn autostart off (live)", plan.Description);
        Assert.Empty(plan.LiveEdits);
    }

    [Fact]
    public void Update_DhcpRangeOfActiveNetwork_ShouldGoLiveAndIntoTheDefinition()
    {
        using var host = new TestHost();

        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate { DhcpRange = "192.168.122.100-192.168.122.150" }, restart: false);
        var info = host.Ops.Update(plan);

        Assert.False(plan.Restart);
        Assert.Equal("Set DHCP range 192.168.122.100-192.168.122.150 (live)", plan.Description);
        Assert.Equal(2, plan.LiveEdits.Count); // the new range added, then the old one deleted
        Assert.Equal(NetworkState.Active, info.State);
        var live = host.Connection.GetNetworkXml("default");
        Assert.Contains("<range start='192.168.122.100' end='192.168.122.150'/>", live, StringComparison.Ordinal);
        Assert.DoesNotContain("192.168.122.254", live, StringComparison.Ordinal);
        Assert.Contains("192.168.122.100", host.Connection.GetNetworkXml("default", inactive: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Update_AutostartOfActiveNetwork_ShouldNeedNoRestart()
    {
        using var host = new TestHost();
        var autostart = host.Connection.GetNetwork("isolated")!.Autostart;

        var info = host.Ops.Update(host.Ops.PlanUpdate("isolated", new NetworkUpdate { Autostart = !autostart }, restart: false));

        Assert.Equal(!autostart, info.Autostart);
        Assert.Equal(NetworkState.Active, info.State);
    }

    [Theory]
    [InlineData("192.168.122.100", "KCHNET0162E")]
    [InlineData("192.168.122.150-192.168.122.100", "KCHNET0162E")]
    [InlineData("192.168.122.1-192.168.122.100", "KCHNET0163E")]
    [InlineData("192.168.122.100-192.168.122.255", "KCHNET0163E")]
    [InlineData("10.0.0.5-10.0.0.9", "KCHNET0163E")]
    public void PlanUpdate_BadDhcpRangeOnAnActiveNetwork_ShouldThrowTheRangeRuleCode(string range, string code)
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanUpdate("default", new NetworkUpdate { DhcpRange = range }, restart: false));

        Assert.Equal((code, ErrorKind.InvalidInput), (error.Code, error.Kind));
    }

    [Fact]
    public void Update_WithRestartAndNoRunningGuests_ShouldStopRedefineAndStart()
    {
        using var host = new TestHost();

        var plan = host.Ops.PlanUpdate("isolated", new NetworkUpdate { Subnet = "10.63.0.0/24" }, restart: true);
        var info = host.Ops.Update(plan);

        Assert.Empty(plan.RunningGuests);
        Assert.Equal(NetworkState.Active, info.State);
        Assert.Equal("10.63.0.0/24", info.Subnet);
        Assert.Contains("10.63.0.1", host.Connection.GetNetworkXml("isolated"), StringComparison.Ordinal);
    }

    [Fact]
    public void Update_WithRestartWhenReconnectingAGuestFails_ShouldRollBackToTheOriginalRunningNetwork()
    {
        using var host = new TestHost();
        var before = host.Snapshot();
        var liveBefore = host.Connection.GetNetworkXml("default");
        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate { Subnet = "10.64.0.0/24" }, restart: true);

        // The test driver cannot change a domain's devices, so reconnecting web01 fails after the
        // network was stopped, redefined and started: every step is rolled back.
        var error = Assert.ThrowsAny<KimchiException>(() => host.Ops.Update(plan));

        Assert.Equal(ErrorCodes.LiveUpdateFailed, error.Code);
        Assert.Contains("reconnecting its running guests failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
        Assert.Contains("192.168.122.1", host.Connection.GetNetworkXml("default"), StringComparison.Ordinal);
        Assert.True(host.Connection.GetNetwork("default")!.IsActive);
        Assert.Equal(liveBefore, host.Connection.GetNetworkXml("default"));
    }

    [Fact]
    public void Update_WhenStoppedSincePlanningLive_ShouldChangeNothing()
    {
        using var host = new TestHost();
        var plan = host.Ops.PlanUpdate("isolated", new NetworkUpdate { DhcpRange = "192.168.100.10-192.168.100.20" }, restart: false);
        host.Connection.StopNetwork("isolated");

        var error = host.Refused(() => host.Ops.Update(plan));

        Assert.Equal((ErrorCodes.UpdateFailed, ErrorKind.InvalidState), (error.Code, error.Kind));
    }

    [Fact]
    public void Update_InterfacesOfActivePassthroughNetwork_ShouldGoLiveAddingBeforeDeleting()
    {
        using var host = new TestHost();

        var plan = host.Ops.PlanUpdate("passthrough-bond0", new NetworkUpdate { Interfaces = ["eth0"] }, restart: false);
        var info = host.Ops.Update(plan);

        Assert.False(plan.Restart);
        Assert.Equal(
            ["Add ForwardInterface <interface dev=\"eth0\" />", "Delete ForwardInterface <interface dev=\"bond0\" />"],
            plan.LiveEdits.Select(e => $"{e.Command} {e.Section} {e.Xml}").ToArray());
        Assert.Equal(NetworkState.Active, info.State);
        Assert.Equal(["eth0"], info.Interfaces);
        Assert.Contains("<interface dev='eth0'/>", host.Connection.GetNetworkXml("passthrough-bond0"), StringComparison.Ordinal);
        Assert.DoesNotContain("dev='bond0'", host.Connection.GetNetworkXml("passthrough-bond0"), StringComparison.Ordinal);
    }
}
