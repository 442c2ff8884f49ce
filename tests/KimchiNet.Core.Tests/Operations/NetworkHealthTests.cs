using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// Issue 17: a network whose bridge or NIC vanished was reported healthy; the plan (-WhatIf) skipped
/// the host bridge maker's own checks; Set with nothing to change gave nothing back; KCHNET0017E
/// did not say how to detach. All on libvirt's test driver (the lab tests cover real hosts).
/// </summary>
[Collection(LibvirtCollection.Name)]
public sealed class NetworkHealthTests
{
    private const string Gone = "<network><name>gone</name><forward mode='bridge'/><bridge name='kbgone0'/></network>";
    private const string GoneNic = "<network><name>gonenic</name><forward mode='vepa'><interface dev='eth9'/></forward></network>";

    [Fact]
    public void Get_WhenTheHostLacksANetworksBridgeOrNic_ShouldReportItUnhealthy()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(Gone);
        host.Connection.DefineNetwork(GoneNic);

        var networks = host.Ops.Get().ToDictionary(n => n.Name, StringComparer.Ordinal);

        Assert.Equal(NetworkHealth.Unhealthy, networks["gone"].Health);
        Assert.Equal("its bridge 'kbgone0' is missing on the host", Assert.Single(networks["gone"].Problems));
        Assert.Equal(NetworkHealth.Unhealthy, networks["gonenic"].Health);
        Assert.Equal("its host interface 'eth9' is missing on the host", Assert.Single(networks["gonenic"].Problems));
        Assert.Equal(NetworkHealth.Healthy, networks["bridge-br0"].Health);
        Assert.Empty(networks["bridge-br0"].Problems);
        Assert.Equal(NetworkHealth.Healthy, networks["vepa-eth1-eth2"].Health);
        Assert.Equal(NetworkHealth.Unhealthy, host.Ops.GetOne("gone").Health);
    }

    [Fact]
    public void CompareAndConverge_OfAnUnhealthyNetwork_ShouldReportItsHealthAndRefuseWithKCHNET0121E()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(Gone);
        var desired = new DesiredState { Name = "gone", Connection = ConnectionType.Bridge };

        var difference = Assert.Single(DesiredState.Compare(desired, host.Ops.GetOne("gone")));

        Assert.Equal("Health", difference.Property);
        Assert.Equal(NetworkHealth.Healthy, difference.Desired);
        Assert.Contains("kbgone0", (string)difference.Actual!, StringComparison.Ordinal);
        var error = host.Refused(() => DesiredState.Converge(host.Ops, desired));
        Assert.Equal(ErrorCodes.NetworkUnhealthy, error.Code);
        Assert.Contains("kbgone0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanCreate_OfABridgeOnANic_ShouldRunTheHostBridgeMakersChecksAsTheRealRunWould()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges
        {
            CheckFailure = new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.NotFound, "Cannot create a bridge on 'eth0': no device of that name exists on this machine (where KimchiNet runs).", "eth0"),
        };
        var ops = host.WithBridges(bridges);

        var error = host.Refused(() => ops.PlanCreate(new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth0"] }));

        Assert.Equal(ErrorCodes.BridgeCreateFailed, error.Code);
        Assert.Contains("this machine", error.Message, StringComparison.Ordinal);
        Assert.Contains("The libvirt host has 'eth0'", error.Message, StringComparison.Ordinal);
        Assert.Equal(("eth0", (int?)null), Assert.Single(bridges.Checked));
        Assert.Empty(bridges.Created);
    }

    [Fact]
    public void Update_WithNothingToChange_ShouldReturnTheNetworkEvenWhenItIsActive()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate());
        var info = host.Ops.Update(plan);

        Assert.True(plan.ChangesNothing);
        Assert.Equal("default", info.Name);
        Assert.Equal(NetworkState.Active, info.State);
        Assert.Equal(before, host.Snapshot());
        Assert.False(host.Ops.PlanUpdate("default", new NetworkUpdate { Autostart = !info.Autostart }).Restart); // autostart goes live
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void PlanRemove_WhenUsedByVMs_ShouldNameTheCommandThatDetachesThem()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanRemove("macvtap-eth3", force: true));

        Assert.Equal(ErrorCodes.RemoveInUse, error.Code);
        Assert.Contains("virsh detach-interface", error.Message, StringComparison.Ordinal);
    }
}
