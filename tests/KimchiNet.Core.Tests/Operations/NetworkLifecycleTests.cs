using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

// In the pool's collection: these tests open and close connections and temp files, which would
// disturb HandleTests' process-wide handle count if they ran beside it.
[Collection(LibvirtCollection.Name)]
public sealed class NetworkLifecycleTests
{
    private static readonly string[] s_demoNetworks =
        ["bridge-br0", "default", "isolated", "macvtap-eth3", "ovs", "passthrough-bond0", "vepa-eth1-eth2"];

    [Fact]
    public void Get_OnDemoHost_ShouldListEveryNetworkSortedWithItsState()
    {
        using var host = new TestHost();

        var networks = host.Ops.Get();

        Assert.Equal(s_demoNetworks, networks.Select(n => n.Name));
        Assert.All(networks, n =>
        {
            Assert.Equal(NetworkState.Active, n.State);
            Assert.True(n.Persistent);
            Assert.Equal(host.Connection.Uri, n.Uri);
            Assert.NotNull(n.Uuid);
        });
        var byName = networks.ToDictionary(n => n.Name);
        var nat = byName["default"];
        Assert.Equal(ConnectionType.Nat, nat.Connection);
        Assert.Equal("192.168.122.0/24", nat.Subnet);
        Assert.Equal("192.168.122.1", nat.Gateway);
        Assert.Equal("192.168.122.2", nat.DhcpStart);
        Assert.Equal("192.168.122.254", nat.DhcpEnd);
        Assert.Equal("virbr0", nat.BridgeName);
        Assert.Equal("a8b3f1d2-4c5e-4f60-9a7b-1c2d3e4f5a01", nat.Uuid);
        Assert.Equal(ConnectionType.Isolated, byName["isolated"].Connection);
        Assert.Equal(ConnectionType.Macvtap, byName["macvtap-eth3"].Connection);
        Assert.Equal(["eth3"], byName["macvtap-eth3"].Interfaces);
        Assert.Equal(ConnectionType.Bridge, byName["bridge-br0"].Connection);
        Assert.Equal("br0", byName["bridge-br0"].BridgeName);
        Assert.Equal(["eth1", "eth2"], byName["vepa-eth1-eth2"].Interfaces);
        Assert.Equal(ConnectionType.Passthrough, byName["passthrough-bond0"].Connection);
        Assert.Null(byName["macvtap-eth3"].Subnet);
    }

    [Fact]
    public void Get_OnDemoHost_ShouldReportTheVMsOfEveryNicKind()
    {
        using var host = new TestHost();

        var vms = host.Ops.Get().ToDictionary(n => n.Name, n => n.VMs);

        Assert.Equal(["build01", "web01"], vms["default"]);            // type='network' (running and shut off)
        Assert.Equal(["build01"], vms["isolated"]);
        Assert.Equal(["web01"], vms["bridge-br0"]);                     // type='bridge' on br0
        Assert.Equal(["db01"], vms["macvtap-eth3"]);                    // type='direct' on eth3
        Assert.Equal(["app01"], vms["vepa-eth1-eth2"]);                 // network and direct on eth2, once
        Assert.Empty(vms["passthrough-bond0"]);
        Assert.Empty(vms["ovs"]);
        var info = host.Ops.Get();
        Assert.All(info, n => Assert.Equal(n.VMs.Count > 0, n.InUse));
    }

    [Fact]
    public void Get_WithFilter_ShouldReturnOnlyMatchingNames()
    {
        using var host = new TestHost();

        var networks = host.Ops.Get(name => name.Contains("eth", StringComparison.Ordinal));

        Assert.Equal(["macvtap-eth3", "vepa-eth1-eth2"], networks.Select(n => n.Name));
        Assert.Empty(host.Ops.Get(_ => false));
    }

    [Fact]
    public void Get_WithAnyNumberOfNetworks_ShouldListNetworksAndDomainsOnce()
    {
        using var host = new TestHost();
        var calls = new List<string>();
        host.Connection.CallLogged += calls.Add;

        host.Ops.Get();

        // One unfiltered list each, plus the fixed filtered lists that give the states: never a call per
        // network or domain beyond its XML. The host's devices (for each network's Health) are listed
        // once, whatever the number of networks.
        Assert.Equal(1, calls.Count(c => c.StartsWith("libvirt virConnectListAllNetworks(flags=0)", StringComparison.Ordinal)));
        Assert.Equal(4, calls.Count(c => c.StartsWith("libvirt virConnectListAllNetworks", StringComparison.Ordinal)));
        Assert.Equal(1, calls.Count(c => c.StartsWith("libvirt virConnectListAllDomains(flags=0)", StringComparison.Ordinal)));
        Assert.Equal(2, calls.Count(c => c.StartsWith("libvirt virConnectListAllDomains", StringComparison.Ordinal)));
        Assert.Equal(7 + 4, calls.Count(c => c.Contains("GetXMLDesc", StringComparison.Ordinal) && !c.Contains("virInterface", StringComparison.Ordinal)));
        Assert.DoesNotContain(calls, c => c.Contains("IsActive", StringComparison.Ordinal) || c.Contains("GetAutostart", StringComparison.Ordinal) || c.Contains("GetBridgeName", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.Contains("virNetworkLookupByName", StringComparison.Ordinal));
        Assert.Equal(1, calls.Count(c => c.StartsWith("libvirt virConnectListAllInterfaces(flags=0)", StringComparison.Ordinal)));
        Assert.DoesNotContain(calls, c => c.Contains("Interface", StringComparison.Ordinal) && !c.Contains("virConnectListAllInterfaces", StringComparison.Ordinal) && !c.Contains("virInterface", StringComparison.Ordinal));
    }

    [Fact]
    public void GetOne_WithUnknownName_ShouldThrowKCHNET0002E()
    {
        using var host = new TestHost();

        var error = Assert.ThrowsAny<KimchiException>(() => host.Ops.GetOne("no-such-net"));

        Assert.Equal(ErrorCodes.NetworkNotFound, error.Code);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("no-such-net", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetOne_OfAListedNetwork_ShouldMatchItsListEntry()
    {
        using var host = new TestHost();

        var one = host.Ops.GetOne("vepa-eth1-eth2");

        var listed = host.Ops.Get().Single(n => n.Name == "vepa-eth1-eth2");
        Assert.Equal(listed.VMs, one.VMs);
        Assert.Equal(listed.Problems, one.Problems);
        Assert.Equal(listed with { VMs = one.VMs, Interfaces = one.Interfaces, Problems = one.Problems }, one);
    }

    [Fact]
    public void Start_WhenActive_ShouldBeAQuietNoOp()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var info = host.Ops.Start("default");

        Assert.Equal(NetworkState.Active, info.State);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Start_WithUnknownName_ShouldThrowKCHNET0002E()
    {
        using var host = new TestHost();

        Assert.Equal(ErrorCodes.NetworkNotFound, host.Refused(() => host.Ops.Start("nope")).Code);
    }

    [Fact]
    public void PlanStop_WhenUsedByVMs_ShouldThrowKCHNET0018ENamingThem()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanStop("default", force: false));

        Assert.Equal(ErrorCodes.StopInUse, error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains("build01, web01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stop_WithForce_ShouldStopANetworkInUseAndStartShouldBringItBack()
    {
        using var host = new TestHost();

        var plan = host.Ops.PlanStop("default", force: true);
        Assert.True(plan.IsActive);
        Assert.Equal(["build01", "web01"], plan.VMs);
        Assert.Equal(NetworkState.Active, host.Ops.GetOne("default").State); // planning changed nothing

        var stopped = host.Ops.Stop(plan);
        Assert.Equal(NetworkState.Inactive, stopped.State);
        Assert.False(host.Connection.GetNetwork("default")!.IsActive);

        var started = host.Ops.Start("default");
        Assert.Equal(NetworkState.Active, started.State);
        Assert.True(host.Connection.GetNetwork("default")!.IsActive);
    }

    [Fact]
    public void Stop_WhenInactive_ShouldBeAQuietNoOp()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("ovs");
        var before = host.Snapshot();

        var plan = host.Ops.PlanStop("ovs", force: false);
        var info = host.Ops.Stop(plan);

        Assert.False(plan.IsActive);
        Assert.Equal(NetworkState.Inactive, info.State);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Stop_OfAnUnusedNetwork_ShouldNeedNoForce()
    {
        using var host = new TestHost();

        var info = host.Ops.Stop(host.Ops.PlanStop("ovs", force: false));

        Assert.Equal(NetworkState.Inactive, info.State);
        Assert.Equal(NetworkState.Active, host.Ops.GetOne("default").State);
    }

    [Fact]
    public void PlanRemove_WhenUsedByVMs_ShouldThrowKCHNET0017EEvenWithForce()
    {
        using var host = new TestHost();

        foreach (var force in new[] { false, true })
        {
            var error = host.Refused(() => host.Ops.PlanRemove("macvtap-eth3", force));
            Assert.Equal(ErrorCodes.RemoveInUse, error.Code);
            Assert.Equal(ErrorKind.Conflict, error.Kind);
            Assert.Contains("db01", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PlanRemove_WhenActive_ShouldThrowKCHNET0005EWithoutForce()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanRemove("ovs", force: false));

        Assert.Equal(ErrorCodes.NetworkActive, error.Code);
        Assert.Equal(ErrorKind.InvalidState, error.Kind);
    }

    [Fact]
    public void Remove_WithForce_ShouldStopAndUndefineOnlyThatNetwork()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var plan = host.Ops.PlanRemove("ovs", force: true);
        Assert.True(plan.IsActive);
        Assert.Null(plan.HostChanges);
        Assert.Equal(before, host.Snapshot());
        host.Ops.Remove(plan);

        Assert.Null(host.Connection.GetNetwork("ovs"));
        var after = host.Snapshot();
        Assert.Equal(before.Where(p => p.Key != "ovs"), after);
    }

    [Fact]
    public void Remove_OfAnInactiveNetwork_ShouldUndefineIt()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("passthrough-bond0");

        host.Ops.Remove(host.Ops.PlanRemove("passthrough-bond0", force: false));

        Assert.Null(host.Connection.GetNetwork("passthrough-bond0"));
        Assert.Equal(ErrorCodes.NetworkNotFound, Assert.ThrowsAny<KimchiException>(() => host.Ops.GetOne("passthrough-bond0")).Code);
    }

    [Fact]
    public void Remove_WhenStartedAfterAnUnforcedPlan_ShouldThrowKCHNET0005E()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("ovs");
        var plan = host.Ops.PlanRemove("ovs", force: false);
        host.Connection.StartNetwork("ovs");

        var error = host.Refused(() => host.Ops.Remove(plan));

        Assert.Equal(ErrorCodes.NetworkActive, error.Code);
    }

    [Fact]
    public void GetStopRemove_OfANetworkWhoseDeviceVanished_ShouldStillWork()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork("<network><name>ghost</name><forward mode='bridge'><interface dev='eth9'/></forward></network>");
        host.Connection.StartNetwork("ghost");

        var listed = host.Ops.GetOne("ghost");
        Assert.Equal(["eth9"], listed.Interfaces);
        Assert.Equal(NetworkState.Inactive, host.Ops.Stop(host.Ops.PlanStop("ghost", force: false)).State);
        host.Ops.Remove(host.Ops.PlanRemove("ghost", force: false));

        Assert.Null(host.Connection.GetNetwork("ghost"));
    }

    private const string MadeBridgeXml = """
        <network>
          <name>made</name>
          <metadata>
            <kimchinet:network xmlns:kimchinet="urn:kimchinet:network:1">
              <kimchinet:connection>bridge</kimchinet:connection>
              <kimchinet:interface dev="eth9"/>
              <kimchinet:vlan id="12"/>
              <kimchinet:created>
                <kimchinet:bridge name="kbeth9.12" mac="52:54:00:aa:bb:cc" ifindex="42"/>
                <kimchinet:vlan dev="eth9.12" parent="eth9" id="12"/>
                <kimchinet:address value="203.0.113.4/24"/>
              </kimchinet:created>
            </kimchinet:network>
          </metadata>
          <forward mode="bridge"/>
          <bridge name="kbeth9.12"/>
        </network>
        """;

    [Fact]
    public void PlanRemove_WithRecordedHostChangesAndNoHostBridges_ShouldThrowKCHNET0105E()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(MadeBridgeXml);

        var error = host.Refused(() => host.Ops.PlanRemove("made", force: false));
        Assert.Equal(ErrorCodes.RemoteNotSupported, error.Code);
        Assert.Equal(ErrorKind.NotSupported, error.Kind);

        // An IHostBridges is not enough on the test driver through the public constructor.
        var remote = new NetworkOperations(host.Connection, new FakeHostBridges());
        Assert.Equal(ErrorCodes.RemoteNotSupported, host.Refused(() => remote.PlanRemove("made", force: false)).Code);
    }

    [Fact]
    public void Remove_OfANetworkWithRecordedHostChanges_ShouldUndoExactlyThoseChanges()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(MadeBridgeXml);
        var bridges = new FakeHostBridges();
        bridges.Links["kbeth9.12"] = new HostLinkIdentity("kbeth9.12", "bridge", "52:54:00:aa:bb:cc", 42);
        var ops = host.WithBridges(bridges);

        var plan = ops.PlanRemove("made", force: false);
        Assert.Empty(bridges.Undone);
        Assert.Contains("kbeth9.12", plan.Description, StringComparison.Ordinal);
        Assert.Null(plan.HostChangesWarning);
        Assert.Null(ops.Remove(plan));

        Assert.Null(host.Connection.GetNetwork("made"));
        var undone = Assert.Single(bridges.Undone);
        Assert.Equal("kbeth9.12", undone.CreatedBridge);
        Assert.Equal(new HostVlanDevice("eth9.12", "eth9", 12), undone.CreatedVlan);
        Assert.Equal(["203.0.113.4/24"], undone.MovedAddresses);
        Assert.Empty(bridges.Created);
    }

    [Fact]
    public void Remove_OfANetworkWithoutRecord_ShouldUndoNothingEvenWhenItsBridgeLooksLikeOurs()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork("<network><name>lookalike</name><forward mode='bridge'/><bridge name='kbeth0'/></network>");
        var bridges = new FakeHostBridges();

        var ops = host.WithBridges(bridges);
        ops.Remove(ops.PlanRemove("lookalike", force: false));

        Assert.Null(host.Connection.GetNetwork("lookalike"));
        Assert.Empty(bridges.Undone);
    }
}
