using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Hosts;

namespace KimchiNet.Tests.Hosts;

/// <summary>
/// LinuxHostBridges on real links in a throw-away network namespace (root needed). Every check of the
/// host's state runs ip itself (NetnsLab), never the code under test. Each test uses its own NIC and
/// leaves it as it found it, so one namespace serves the whole class.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LinuxHostBridgesTests : IClassFixture<NetnsLab>
{
    private readonly NetnsLab _lab;

    public LinuxHostBridgesTests(NetnsLab lab) => _lab = lab;

    [Fact]
    public void CreateBridge_OnANicWithAddressesAndRoutes_ShouldMoveThemKeepTheHostReachableAndUndoToTheNic()
    {
        // The switch side: the gateway 10.99.1.1, and 192.0.2.1 only reachable through it.
        _lab.Sw("addr", "add", "10.99.1.1/24", "dev", "sw1");
        _lab.Sw("addr", "add", "192.0.2.1/32", "dev", "lo");
        _lab.Ip("addr", "add", "10.99.1.5/24", "dev", "eth1");
        _lab.Ip("addr", "add", "10.99.1.6/24", "dev", "eth1");
        _lab.Ip("route", "add", "default", "via", "10.99.1.1", "dev", "eth1", "metric", "100");
        _lab.Ip("route", "add", "10.200.0.0/16", "via", "10.99.1.254", "dev", "eth1", "proto", "static");
        var before = _lab.Snapshot();
        var nicMac = (string?)_lab.Link("eth1")!["address"];
        var log = new List<string>();
        var bridges = new LinuxHostBridges(_lab.Host, log.Add);

        var changes = bridges.CreateBridge("eth1", null);
        try
        {
            Assert.Equal("kbeth1", changes.CreatedBridge);
            Assert.Null(changes.CreatedVlan);
            Assert.Equal(new[] { "10.99.1.5/24", "10.99.1.6/24" }, changes.MovedAddresses);

            var bridge = _lab.Link("kbeth1")!;
            Assert.Equal("bridge", (string?)bridge["linkinfo"]!["info_kind"]);
            Assert.Equal(0, (int)bridge["linkinfo"]!["info_data"]!["stp_state"]!);
            Assert.Equal(0, (int)bridge["linkinfo"]!["info_data"]!["forward_delay"]!);
            Assert.Contains("UP", bridge["flags"]!.AsArray().Select(f => (string?)f));
            Assert.Equal(nicMac, (string?)bridge["address"]);
            Assert.Equal("kbeth1", (string?)_lab.Link("eth1")!["master"]);
            Assert.Equal(new[] { "10.99.1.5/24", "10.99.1.6/24" }, _lab.Ipv4("kbeth1"));
            Assert.Empty(_lab.Ipv4("eth1"));

            var routes = _lab.Routes();
            Assert.DoesNotContain(routes, r => (string?)r["dev"] == "eth1");
            Assert.Contains(routes, r => (string?)r["dst"] == "default" && (string?)r["gateway"] == "10.99.1.1" && (string?)r["dev"] == "kbeth1" && (int?)r["metric"] == 100);
            Assert.Contains(routes, r => (string?)r["dst"] == "10.200.0.0/16" && (string?)r["dev"] == "kbeth1" && (string?)r["protocol"] == "static");

            // Reachable from the switch on its own address, and reaching past the gateway by the default route.
            Assert.True(NetnsLab.CanConnect(_lab.Switch, _lab.Host, "10.99.1.5"), "the switch side cannot reach 10.99.1.5 on the bridge");
            Assert.True(NetnsLab.CanConnect(_lab.Host, _lab.Switch, "192.0.2.1"), "the host cannot reach 192.0.2.1 through the default route on the bridge");

            Assert.NotEmpty(log);
            Assert.All(log, line => Assert.StartsWith($"ip -n {_lab.Host} ", line, StringComparison.Ordinal));
            Assert.Contains($"ip -n {_lab.Host} link set dev eth1 master kbeth1", log);
        }
        finally
        {
            bridges.Undo(changes);
        }

        NetnsLab.AssertSame(before, _lab.Snapshot(), "after Undo");
        Assert.True(NetnsLab.CanConnect(_lab.Switch, _lab.Host, "10.99.1.5"), "the switch side cannot reach 10.99.1.5 on the NIC after Undo");

        // A second Undo finds everything undone and changes nothing.
        bridges.Undo(changes);
        NetnsLab.AssertSame(before, _lab.Snapshot(), "after a second Undo");
    }

    [Fact]
    public void CreateBridge_FailingAtEveryStep_ShouldLeaveTheNamespaceExactlyAsItWas()
    {
        _lab.Ip("addr", "add", "10.99.2.5/24", "broadcast", "10.99.2.255", "dev", "eth2");
        _lab.Ip("addr", "add", "10.98.2.5/16", "label", "eth2:web", "dev", "eth2");
        _lab.Ip("addr", "add", "10.99.2.6/24", "dev", "eth2");
        _lab.Ip("route", "add", "default", "via", "10.99.2.1", "dev", "eth2", "metric", "200");
        _lab.Ip("route", "add", "10.201.0.0/16", "via", "10.99.2.254", "dev", "eth2", "proto", "static");
        _lab.Ip("route", "add", "10.202.0.0/16", "dev", "eth2", "scope", "link");
        var before = _lab.Snapshot();

        // A clean run counts the steps (and proves the full run undoes cleanly too).
        var counting = new LinuxHostBridges(_lab.Host);
        var changes = counting.CreateBridge("eth2", null);
        var steps = counting.ChangeCount;
        Assert.Equal(new[] { "10.99.2.5/24", "10.98.2.5/16", "10.99.2.6/24" }, changes.MovedAddresses);
        Assert.Contains("kbeth2:web", _lab.Ip("-4", "addr", "show", "dev", "kbeth2"), StringComparison.Ordinal);
        counting.Undo(changes);
        NetnsLab.AssertSame(before, _lab.Snapshot(), "after a clean create and Undo");

        // bridge, MAC, bridge up, master, 3 adds, 3 deletes, 3 routes
        Assert.Equal(13, steps);
        for (var step = 1; step <= steps; step++)
        {
            var failing = new LinuxHostBridges(_lab.Host, null, step);
            var e = Assert.Throws<KimchiException>(() => failing.CreateBridge("eth2", null));
            Assert.Equal(ErrorCodes.BridgeCreateFailed, e.Code);
            Assert.Equal(ErrorKind.OperationFailed, e.Kind);
            Assert.Contains("injected failure", e.Message, StringComparison.Ordinal);
            Assert.Contains("'eth2' is as it was", e.Message, StringComparison.Ordinal);
            NetnsLab.AssertSame(before, _lab.Snapshot(), $"after a failure at step {step} of {steps}");
        }
    }

    [Fact]
    public void CreateBridge_FailingAtEveryStepOnADownNicWithoutAddresses_ShouldTakeItDownAgain()
    {
        _lab.AddNic("eth7", "sw7");
        try
        {
            _lab.Ip("link", "set", "eth7", "down");
            var before = _lab.Snapshot();
            var counting = new LinuxHostBridges(_lab.Host);
            var changes = counting.CreateBridge("eth7", null);
            Assert.Contains("UP", _lab.Link("eth7")!["flags"]!.AsArray().Select(f => (string?)f));
            Assert.Empty(changes.MovedAddresses);
            var steps = counting.ChangeCount;
            counting.Undo(changes);

            // bridge, MAC, NIC up, bridge up, master
            Assert.Equal(5, steps);
            _lab.Ip("link", "set", "eth7", "down"); // Undo leaves the NIC up: nothing records that it was down
            NetnsLab.AssertSame(before, _lab.Snapshot(), "after create, Undo and taking eth7 down");
            for (var step = 1; step <= steps; step++)
            {
                Assert.Throws<KimchiException>(() => new LinuxHostBridges(_lab.Host, null, step).CreateBridge("eth7", null));
                NetnsLab.AssertSame(before, _lab.Snapshot(), $"after a failure at step {step} of {steps}");
            }
        }
        finally
        {
            _lab.Ip("link", "del", "eth7");
        }
    }

    [Fact]
    public void CreateBridge_OnAMissingDevice_ShouldRefuseAndChangeNothing()
    {
        var before = _lab.Snapshot();
        var log = new List<string>();

        var e = Assert.Throws<KimchiException>(() => new LinuxHostBridges(_lab.Host, log.Add).CreateBridge("eth99", null));

        Assert.Equal(ErrorCodes.BridgeCreateFailed, e.Code);
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("'eth99'", e.Message, StringComparison.Ordinal);
        Assert.Contains("no device of that name exists", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log, l => l.Contains(" add ", StringComparison.Ordinal) || l.Contains(" set ", StringComparison.Ordinal));
        NetnsLab.AssertSame(before, _lab.Snapshot(), "after refusing a missing device");
    }

    [Fact]
    public void CreateBridge_OnAnEnslavedDeviceABridgeOrBadInput_ShouldRefuseAndChangeNothing()
    {
        _lab.Ip("link", "add", "br-other", "type", "bridge");
        try
        {
            _lab.Ip("link", "set", "eth3", "master", "br-other");
            var before = _lab.Snapshot();
            var bridges = new LinuxHostBridges(_lab.Host);

            var enslaved = Assert.Throws<KimchiException>(() => bridges.CreateBridge("eth3", null));
            Assert.Equal(ErrorCodes.BridgeCreateFailed, enslaved.Code);
            Assert.Equal(ErrorKind.Conflict, enslaved.Kind);
            Assert.Contains("already enslaved to 'br-other'", enslaved.Message, StringComparison.Ordinal);

            var bridge = Assert.Throws<KimchiException>(() => bridges.CreateBridge("br-other", null));
            Assert.Equal(ErrorCodes.BridgeCreateFailed, bridge.Code);
            Assert.Contains("is a bridge itself", bridge.Message, StringComparison.Ordinal);

            Assert.Equal(ErrorCodes.BridgeCreateFailed, Assert.Throws<KimchiException>(() => bridges.CreateBridge("lo", null)).Code);
            Assert.Equal(ErrorCodes.BridgeCreateFailed, Assert.Throws<KimchiException>(() => bridges.CreateBridge("eth3/x", null)).Code);
            Assert.Equal(ErrorCodes.InvalidVlanId, Assert.Throws<KimchiException>(() => bridges.CreateBridge("eth2", 4095)).Code);

            NetnsLab.AssertSame(before, _lab.Snapshot(), "after the refusals");
        }
        finally
        {
            _lab.Ip("link", "del", "br-other");
        }
    }

    [Fact]
    public void CreateBridge_OnANicWithALongName_ShouldHashTheBridgeNameAndUndoByTheNicsMac()
    {
        const string nic = "enx0123456789ab"; // 15 bytes: "kb" + it would not fit
        _lab.AddNic(nic, "sw8");
        try
        {
            _lab.Ip("addr", "add", "10.99.8.5/24", "dev", nic);
            var before = _lab.Snapshot();
            var bridges = new LinuxHostBridges(_lab.Host);

            var changes = bridges.CreateBridge(nic, null);

            Assert.Equal(HostBridgeNames.Bridge(nic, null), changes.CreatedBridge);
            Assert.Matches("^kb[0-9a-f]{8}$", changes.CreatedBridge);
            Assert.Equal(changes.CreatedBridge, (string?)_lab.Link(nic)!["master"]);
            Assert.Equal(new[] { "10.99.8.5/24" }, _lab.Ipv4(changes.CreatedBridge!));

            bridges.Undo(changes);
            NetnsLab.AssertSame(before, _lab.Snapshot(), "after Undo of a hashed bridge");
        }
        finally
        {
            _lab.Ip("link", "del", nic);
        }
    }

    [Fact]
    public void Undo_WhenTheNicVanished_ShouldRemoveTheBridgeAndReportTheAddresses()
    {
        _lab.AddNic("eth9", "sw9");
        _lab.Ip("addr", "add", "10.99.9.5/24", "dev", "eth9");
        var bridges = new LinuxHostBridges(_lab.Host);
        var changes = bridges.CreateBridge("eth9", null);
        _lab.Ip("link", "del", "eth9"); // the NIC is unplugged (its veth pair goes with it)

        var e = Assert.Throws<KimchiException>(() => bridges.Undo(changes));

        Assert.Equal(ErrorCodes.BridgeCreateFailed, e.Code);
        Assert.Contains("10.99.9.5/24", e.Message, StringComparison.Ordinal);
        Assert.Contains("(eth9) is gone", e.Message, StringComparison.Ordinal);
        Assert.Null(_lab.Link("kbeth9"));
    }

    [VlanFact]
    public void CreateBridge_WithAVlan_ShouldPutAVlanDeviceUnderTheBridgeKeepTheNicsAddressAndUndoBoth()
    {
        _lab.Ip("addr", "add", "10.99.4.5/24", "dev", "eth4");
        var before = _lab.Snapshot();
        var bridges = new LinuxHostBridges(_lab.Host);

        var changes = bridges.CreateBridge("eth4", 10);
        try
        {
            Assert.Equal("kbeth4.10", changes.CreatedBridge);
            Assert.Equal(new KimchiNet.Model.HostVlanDevice("eth4.10", "eth4", 10), changes.CreatedVlan);
            Assert.Empty(changes.MovedAddresses);

            var vlan = _lab.Link("eth4.10")!;
            Assert.Equal("vlan", (string?)vlan["linkinfo"]!["info_kind"]);
            Assert.Equal(10, (int)vlan["linkinfo"]!["info_data"]!["id"]!);
            Assert.Equal("eth4", (string?)vlan["link"]);
            Assert.Equal("kbeth4.10", (string?)vlan["master"]);
            Assert.Null(_lab.Link("eth4")!["master"]);
            Assert.Equal(new[] { "10.99.4.5/24" }, _lab.Ipv4("eth4"));
            Assert.Equal((string?)_lab.Link("eth4")!["address"], (string?)_lab.Link("kbeth4.10")!["address"]);
        }
        finally
        {
            bridges.Undo(changes);
        }

        Assert.Null(_lab.Link("eth4.10"));
        Assert.Null(_lab.Link("kbeth4.10"));
        NetnsLab.AssertSame(before, _lab.Snapshot(), "after Undo of a VLAN bridge");
        _lab.Ip("addr", "flush", "dev", "eth4");
    }

    [NoVlanFact]
    public void CreateBridge_WithAVlanOnAKernelWithout8021q_ShouldFailWithIpsMessageAndRollBack()
    {
        var before = _lab.Snapshot();

        var e = Assert.Throws<KimchiException>(() => new LinuxHostBridges(_lab.Host).CreateBridge("eth4", 10));

        Assert.Equal(ErrorCodes.BridgeCreateFailed, e.Code);
        Assert.Contains("type vlan id 10", e.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown device type", e.Message, StringComparison.Ordinal);
        Assert.Contains("'eth4' is as it was", e.Message, StringComparison.Ordinal);
        NetnsLab.AssertSame(before, _lab.Snapshot(), "after a VLAN the kernel refused");
    }
}
