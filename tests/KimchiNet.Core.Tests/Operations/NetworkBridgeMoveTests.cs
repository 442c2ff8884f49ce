using System;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Operations;

/// <summary>Set-KimchiNetwork -Interfaces on a bridge network whose new or old device needs a host bridge (issue 14, item 4).</summary>
[Collection(LibvirtCollection.Name)]
public sealed class NetworkBridgeMoveTests
{
    private static HostChanges Recorded(TestHost host, string name) =>
        NetworkDescriptions.FromXml(NetworkXmlReader.Read(host.Connection.GetNetworkXml(name, inactive: true))).HostChanges!;

    /// <summary>The demo host without web01's NIC on br0, so that a network on br0 has no guest.</summary>
    private static TestHost HostWithFreeBr0() => new(xml => xml.Replace("<source bridge=\"br0\"/>", "<source bridge=\"virbr0\"/>", StringComparison.Ordinal));

    /// <summary>A bridge network 'onbr' on the host's br0, which no guest uses.</summary>
    private static TestHost DefineOnBr0()
    {
        var host = HostWithFreeBr0();
        host.Connection.StopNetwork("bridge-br0");
        host.Connection.UndefineNetwork("bridge-br0");
        host.Connection.DefineNetwork("<network><name>onbr</name><forward mode='bridge'/><bridge name='br0'/></network>");
        return host;
    }

    private static KimchiNetworkInfo CreateOnNic(NetworkOperations ops, string name, string nic) =>
        ops.Create(ops.PlanCreate(new NetworkSpec { Name = name, Connection = ConnectionType.Bridge, Interfaces = [nic] }), start: false);

    [Fact]
    public void Update_FromABridgeOntoANic_ShouldMakeTheHostBridgeOnlyWhenCarriedOutAndRecordIt()
    {
        using var host = DefineOnBr0();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);

        var plan = ops.PlanUpdate("onbr", new NetworkUpdate { Interfaces = ["eth0"] });

        Assert.Empty(bridges.Created);
        Assert.Contains("create host bridge kbeth0 over eth0", plan.Description, StringComparison.Ordinal);
        Assert.Empty(plan.Warnings);

        var info = ops.Update(plan);

        Assert.Equal(("eth0", (int?)null), Assert.Single(bridges.Created));
        Assert.Empty(bridges.Undone);
        Assert.Equal("kbeth0", info.BridgeName);
        Assert.Equal(["eth0"], info.Interfaces);
        Assert.Equal("kbeth0", Recorded(host, "onbr").CreatedBridge);
    }

    [Fact]
    public void Update_FromOneNicToAnother_ShouldMakeTheNewHostBridgeThenUndoTheOld()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);
        CreateOnNic(ops, "lan", "eth0");
        var old = Recorded(host, "lan");

        var plan = ops.PlanUpdate("lan", new NetworkUpdate { Interfaces = ["eth4"] });
        Assert.Contains("create host bridge kbeth4 over eth4, then undo the old host changes (bridge kbeth0; addresses 192.0.2.10/24)", plan.Description, StringComparison.Ordinal);
        var info = ops.Update(plan);

        Assert.Equal(["eth0", "eth4"], bridges.Created.ConvertAll(c => c.Device));
        Assert.Equal(old.CreatedBridge, Assert.Single(bridges.Undone).CreatedBridge);
        Assert.Equal("kbeth4", info.BridgeName);
        Assert.Equal("kbeth4", Recorded(host, "lan").CreatedBridge);
    }

    [Fact]
    public void Update_FromANicOntoABridge_ShouldUndoTheHostBridgeAndDropItsRecord()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);
        CreateOnNic(ops, "lan", "eth0");
        host.Connection.StopNetwork("bridge-br0");
        host.Connection.UndefineNetwork("bridge-br0");

        var info = ops.Update(ops.PlanUpdate("lan", new NetworkUpdate { Interfaces = ["br0"] }));

        Assert.Equal("kbeth0", Assert.Single(bridges.Undone).CreatedBridge);
        Assert.Equal("br0", info.BridgeName);
        Assert.Null(NetworkDescriptions.FromXml(NetworkXmlReader.Read(host.Connection.GetNetworkXml("lan", inactive: true))).HostChanges);
    }

    [Fact]
    public void Update_WhenTheNewHostBridgeFails_ShouldChangeNothing()
    {
        using var host = DefineOnBr0();
        var bridges = new FakeHostBridges
        {
            CreateFailure = new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed, "ip link add failed"),
        };
        var ops = host.WithBridges(bridges);
        var plan = ops.PlanUpdate("onbr", new NetworkUpdate { Interfaces = ["eth0"] });
        var before = host.Snapshot();

        var error = host.Refused(() => ops.Update(plan));

        Assert.Equal(ErrorCodes.BridgeCreateFailed, error.Code);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Update_WhenTheDefineFails_ShouldUndoTheNewHostBridgeAndKeepTheOld()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);
        CreateOnNic(ops, "lan", "eth0");
        var plan = ops.PlanUpdate("lan", new NetworkUpdate { Interfaces = ["eth4"], NewName = "lan2" });
        // Someone else takes the new name between plan and update: libvirt refuses the define.
        host.Connection.DefineNetwork("<network><name>lan2</name><bridge name='other0'/></network>");

        Assert.ThrowsAny<KimchiException>(() => ops.Update(plan));

        Assert.Equal(["eth0", "eth4"], bridges.Created.ConvertAll(c => c.Device));
        Assert.Equal("kbeth4", Assert.Single(bridges.Undone).CreatedBridge);
        Assert.Equal("kbeth0", Recorded(host, "lan").CreatedBridge);
    }

    [Fact]
    public void PlanUpdate_VlanOnTheSameNic_ShouldThrowKCHNET0105E()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);
        CreateOnNic(ops, "lan", "eth0");

        var error = host.Refused(() => ops.PlanUpdate("lan", new NetworkUpdate { VlanId = 5 }));

        Assert.Equal(ErrorCodes.RemoteNotSupported, error.Code);
        Assert.Contains("holds 'eth0' now", error.Message, StringComparison.Ordinal);
        Assert.Single(bridges.Created);
    }

    [Fact]
    public void Update_WhenTheOldRecordDoesNotMatchTheHost_ShouldWarnAndLeaveItsBridge()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);
        CreateOnNic(ops, "lan", "eth0");
        // The bridge the record names is gone (or forged): nothing is done to it.
        bridges.Links.Remove("kbeth0");

        var plan = ops.PlanUpdate("lan", new NetworkUpdate { Interfaces = ["eth4"] });
        Assert.Contains(plan.Warnings, w => w.Contains("kbeth0", StringComparison.Ordinal));
        var info = ops.Update(plan);

        Assert.Empty(bridges.Undone);
        Assert.Equal("kbeth4", info.BridgeName);
    }

    [Fact]
    public void PlanUpdate_OntoANicWithoutHostBridges_ShouldThrowKCHNET0105E()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("bridge-br0");

        var error = host.Refused(() => host.Ops.PlanUpdate("bridge-br0", new NetworkUpdate { Interfaces = ["eth0"] }));

        Assert.Equal(ErrorCodes.RemoteNotSupported, error.Code);
        Assert.Equal(ErrorKind.NotSupported, error.Kind);
    }
}
