using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Operations;

// In the pool's collection: these tests open and close connections and temp files, which would
// disturb HandleTests' process-wide handle count if they ran beside it.
[Collection(LibvirtCollection.Name)]
public sealed class NetworkCreateTests
{
    private static NetworkSpec Spec(string name, ConnectionType connection, string? subnet = null, string[]? interfaces = null, int? vlan = null, bool autostart = true) => new()
    {
        Name = name,
        Connection = connection,
        Subnet = subnet,
        Interfaces = interfaces,
        VlanId = vlan,
        Autostart = autostart,
    };

    [Fact]
    public void PlanCreate_NatWithoutSubnet_ShouldPickTheFirstFreeSubnetAndChangeNothing()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var plan = host.Ops.PlanCreate(Spec("lab", ConnectionType.Nat));

        // 192.168.122/24 (default), 192.168.100/24 (isolated), 192.0.2/24 (eth0), 198.51.100/24 (br0) are in use.
        Assert.Equal("192.168.0.0/24", plan.Subnet.ToString());
        Assert.False(plan.CreatesHostBridge);
        Assert.Equal("Define nat network with subnet 192.168.0.0/24 on bridge virbr2", plan.Description);
        var xml = NetworkXmlReader.Read(plan.Xml);
        Assert.Equal("lab", xml.Name);
        Assert.Equal("192.168.0.1", Assert.Single(xml.Ips).Address);
        Assert.Equal("virbr2", xml.Bridge?.Name); // the lowest free virbrN: the demo host's networks have virbr0 and virbr1
        Assert.Equal("virbr2", plan.BridgeName);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Create_Nat_ShouldDefineAPersistentAutostartNetworkThatIsNotStarted()
    {
        using var host = new TestHost();

        var info = host.Ops.Create(host.Ops.PlanCreate(Spec("lab", ConnectionType.Nat)), start: false);

        Assert.Equal("lab", info.Name);
        Assert.Equal(ConnectionType.Nat, info.Connection);
        Assert.Equal("192.168.0.0/24", info.Subnet);
        Assert.Equal("192.168.0.1", info.Gateway);
        Assert.Equal("192.168.0.128", info.DhcpStart);
        Assert.Equal("192.168.0.253", info.DhcpEnd);
        Assert.Equal(NetworkState.Inactive, info.State);
        Assert.True(info.Persistent);
        Assert.True(info.Autostart);
        Assert.False(info.InUse);
        Assert.Equal(host.Connection.Uri, info.Uri);
        var record = host.Connection.GetNetwork("lab")!;
        Assert.True(record is { IsPersistent: true, Autostart: true, IsActive: false });
        Assert.Contains("urn:kimchinet:network:1", record.Xml, StringComparison.Ordinal);
        Assert.Equal(8, host.Snapshot().Count);
    }

    [Fact]
    public void Create_WithStartAndNoAutostart_ShouldRunWithoutAutostart()
    {
        using var host = new TestHost();

        var info = host.Ops.Create(host.Ops.PlanCreate(Spec("lab", ConnectionType.Isolated, autostart: false)), start: true);

        Assert.Equal(NetworkState.Active, info.State);
        Assert.False(info.Autostart);
        Assert.False(host.Connection.GetNetwork("lab")!.Autostart);
    }

    [Fact]
    public void Create_IsolatedWithExplicitSubnet_ShouldUseIt()
    {
        using var host = new TestHost();

        var plan = host.Ops.PlanCreate(Spec("iso2", ConnectionType.Isolated, subnet: "10.20.30.0/24"));
        var info = host.Ops.Create(plan, start: false);

        Assert.Equal("10.20.30.0/24", info.Subnet);
        Assert.Equal("10.20.30.1", info.Gateway);
        Assert.Equal(ConnectionType.Isolated, info.Connection);
        Assert.Null(info.ForwardMode);
        Assert.Equal("Define isolated network with subnet 10.20.30.0/24 on bridge virbr2", plan.Description);
    }

    [Theory]
    [InlineData("192.168.122.128/25", "network 'default'")]
    [InlineData("192.168.96.0/20", "network 'isolated'")]
    [InlineData("192.0.2.0/24", "host interface 'eth0'")]
    [InlineData("198.51.100.0/25", "host interface 'br0'")]
    public void PlanCreate_WithOverlappingSubnet_ShouldThrowKCHNET0003ENamingWhatItOverlaps(string subnet, string owner)
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("lab", ConnectionType.Nat, subnet: subnet)));

        Assert.Equal(ErrorCodes.InvalidSubnet, error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains(owner, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConnectionType.Macvtap, new[] { "eth3" }, "macvtap-eth3")]
    [InlineData(ConnectionType.Vepa, new[] { "eth1", "eth2" }, "vepa-eth1-eth2")]
    [InlineData(ConnectionType.Vepa, new[] { "eth0", "eth2" }, "vepa-eth1-eth2")]
    [InlineData(ConnectionType.Passthrough, new[] { "bond0" }, "passthrough-bond0")]
    [InlineData(ConnectionType.Bridge, new[] { "br0" }, "bridge-br0")]
    public void PlanCreate_OnAnInterfaceUsedByAnotherNetwork_ShouldThrowKCHNET0006ENamingIt(ConnectionType connection, string[] interfaces, string user)
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("lab", connection, interfaces: interfaces)));

        Assert.Equal(ErrorCodes.InterfaceInUse, error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains($"network '{user}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConnectionType.Vepa, "br0", "KCHNET0028E")]
    [InlineData(ConnectionType.Vepa, "eth4.100", "KCHNET0028E")]
    [InlineData(ConnectionType.Macvtap, "eth5", "KCHNET0028E")]       // enslaved to bond0
    [InlineData(ConnectionType.Passthrough, "eth7", "KCHNET0028E")]   // port of br0
    [InlineData(ConnectionType.Bridge, "eth4.100", "KCHNET0007E")]
    [InlineData(ConnectionType.Bridge, "eth6", "KCHNET0007E")]
    public void PlanCreate_OnAnInterfaceOfTheWrongKind_ShouldBeRefused(ConnectionType connection, string device, string code)
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("lab", connection, interfaces: [device])));

        Assert.Equal(code, error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains(device, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("br0")]
    [InlineData("eth4.100")]
    public void PlanCreate_BridgeWithVlanOnABridgeOrVlanDevice_ShouldThrowKCHNET0019E(string device)
    {
        using var host = new TestHost(xml => TestHost.WithoutNetwork(xml, "bridge-br0"));

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("lab", ConnectionType.Bridge, interfaces: [device], vlan: 10)));

        Assert.Equal(ErrorCodes.VlanOnVlan, error.Code);
    }

    [Theory]
    [InlineData(ConnectionType.Macvtap, "eth9")]
    [InlineData(ConnectionType.Vepa, "eth9")]
    [InlineData(ConnectionType.Passthrough, "eth9")]
    [InlineData(ConnectionType.Bridge, "ovsbr0")]
    public void PlanCreate_OnAMissingInterface_ShouldThrowKCHNET0102E(ConnectionType connection, string device)
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("lab", connection, interfaces: [device])));

        Assert.Equal(ErrorCodes.InterfaceNotFound, error.Code);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal(device, error.Target);
    }

    [Fact]
    public void PlanCreate_WithSeveralBrokenHostRules_ShouldNameThemAllInOneError()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("default", ConnectionType.Vepa, interfaces: ["eth1", "nosuch", "br0"])));

        Assert.Equal(ErrorCodes.NetworkExists, error.Code);
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
        Assert.Contains("[KCHNET0006E]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[KCHNET0102E]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[KCHNET0028E]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanCreate_WithDuplicateName_ShouldThrowKCHNET0001E()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("isolated", ConnectionType.Isolated)));

        Assert.Equal(ErrorCodes.NetworkExists, error.Code);
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
    }

    [Fact]
    public void PlanCreate_WithAnInvalidSpec_ShouldThrowTheValidatorsErrorBeforeAskingTheHost()
    {
        using var host = new TestHost();
        var calls = new List<string>();
        host.Connection.CallLogged += calls.Add;

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("lab", ConnectionType.Macvtap, subnet: "10.0.0.0/24", interfaces: ["eth0"])));

        Assert.Equal(ErrorCodes.SubnetNotAllowed, error.Code);
        Assert.DoesNotContain(calls, c => c.Contains("virConnectListAllInterfaces", StringComparison.Ordinal));
    }

    [Fact]
    public void PlanCreate_OfAVepaNetwork_ShouldListNetworksAndInterfacesOnce()
    {
        using var host = new TestHost();
        var calls = new List<string>();
        host.Connection.CallLogged += calls.Add;

        host.Ops.PlanCreate(Spec("lab", ConnectionType.Vepa, interfaces: ["eth0", "eth4"]));

        Assert.Equal(1, calls.Count(c => c.StartsWith("libvirt virConnectListAllNetworks(flags=0)", StringComparison.Ordinal)));
        Assert.Equal(1, calls.Count(c => c.StartsWith("libvirt virConnectListAllInterfaces", StringComparison.Ordinal)));
    }

    [Fact]
    public void Create_VepaOnFreeDevices_ShouldWork()
    {
        // eth4 carries the VLAN device eth4.100 but is itself a bare NIC: it counts as free.
        using var host = new TestHost();

        var plan = host.Ops.PlanCreate(Spec("vepa2", ConnectionType.Vepa, interfaces: ["eth0", "eth4"]));
        var info = host.Ops.Create(plan, start: true);

        Assert.Equal("Define vepa network on eth0, eth4", plan.Description);
        Assert.Equal(ConnectionType.Vepa, info.Connection);
        Assert.Equal(["eth0", "eth4"], info.Interfaces);
        Assert.Equal(NetworkState.Active, info.State);

        // Now eth0 is taken by it.
        var error = host.Refused(() => host.Ops.PlanCreate(Spec("mv", ConnectionType.Macvtap, interfaces: ["eth0"])));
        Assert.Equal(ErrorCodes.InterfaceInUse, error.Code);
        Assert.Contains("network 'vepa2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BridgeOnAFreeExistingBridge_ShouldUseIt()
    {
        using var host = new TestHost(xml => TestHost.WithoutNetwork(xml, "bridge-br0"));

        var plan = host.Ops.PlanCreate(Spec("lan", ConnectionType.Bridge, interfaces: ["br0"]));
        var info = host.Ops.Create(plan, start: false);

        Assert.False(plan.CreatesHostBridge);
        Assert.Equal("Define bridge network on existing bridge br0", plan.Description);
        Assert.Equal(ConnectionType.Bridge, info.Connection);
        Assert.Equal("br0", info.BridgeName);
        Assert.Equal(["br0"], info.Interfaces);
        Assert.Equal(["web01"], info.VMs); // web01 has a NIC on br0
    }

    [Fact]
    public void PlanCreate_BridgeOnANicOnTheTestDriver_ShouldThrowKCHNET0105E()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("lan", ConnectionType.Bridge, interfaces: ["eth0"])));
        Assert.Equal(ErrorCodes.RemoteNotSupported, error.Code);
        Assert.Equal(ErrorKind.NotSupported, error.Kind);

        var bridges = new FakeHostBridges();
        var withBridges = new NetworkOperations(host.Connection, bridges);
        Assert.Equal(ErrorCodes.RemoteNotSupported, host.Refused(() => withBridges.PlanCreate(Spec("lan", ConnectionType.Bridge, interfaces: ["eth0"], vlan: 5))).Code);
        Assert.Empty(bridges.Created);
    }

    [Fact]
    public void Create_BridgeOnANic_ShouldMakeTheHostBridgeOnlyWhenCarriedOutAndRecordIt()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);

        var plan = ops.PlanCreate(Spec("lan", ConnectionType.Bridge, interfaces: ["eth0"], vlan: 10));
        Assert.True(plan.CreatesHostBridge);
        Assert.Empty(bridges.Created);
        Assert.Contains("kbeth0.10", plan.Description, StringComparison.Ordinal);

        var info = ops.Create(plan, start: false);

        Assert.Equal(("eth0", (int?)10), Assert.Single(bridges.Created));
        Assert.Equal("kbeth0.10", info.BridgeName);
        Assert.Equal(["eth0"], info.Interfaces);
        Assert.Equal(10, info.VlanId);
        var recorded = NetworkDescriptions.FromXml(NetworkXmlReader.Read(host.Connection.GetNetworkXml("lan", inactive: true))).HostChanges!;
        Assert.Equal("kbeth0.10", recorded.CreatedBridge);
        Assert.Equal(new HostVlanDevice("eth0.10", "eth0", 10), recorded.CreatedVlan);
        Assert.Equal(["192.0.2.10/24"], recorded.MovedAddresses);
        Assert.Empty(bridges.Undone);

        // Its NIC is now in use by it.
        Assert.Equal(ErrorCodes.InterfaceInUse, host.Refused(() => ops.PlanCreate(Spec("mv", ConnectionType.Macvtap, interfaces: ["eth0"]))).Code);

        // And removing it undoes exactly the record.
        ops.Remove(ops.PlanRemove("lan", force: false));
        var undone = Assert.Single(bridges.Undone);
        Assert.Equal(recorded.CreatedBridge, undone.CreatedBridge);
        Assert.Equal(recorded.CreatedVlan, undone.CreatedVlan);
        Assert.Equal(recorded.MovedAddresses, undone.MovedAddresses);
    }

    [Fact]
    public void Create_WhenDefineFailsAfterTheHostBridgeWasMade_ShouldUndoItAndKeepTheOtherNetwork()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);
        var plan = ops.PlanCreate(Spec("lan", ConnectionType.Bridge, interfaces: ["eth0"]));
        // Someone else takes the name between plan and create.
        host.Connection.DefineNetwork("<network><name>lan</name><bridge name='other0'/></network>");
        var before = host.Snapshot();

        var error = Assert.ThrowsAny<KimchiException>(() => ops.Create(plan, start: false));

        Assert.Equal(ErrorCodes.NetworkExists, error.Code);
        Assert.Single(bridges.Created);
        Assert.Equal("kbeth0", Assert.Single(bridges.Undone).CreatedBridge);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Create_WhenTheHostBridgeFails_ShouldDefineNothing()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges
        {
            CreateFailure = new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed, "ip link add failed"),
        };
        var ops = host.WithBridges(bridges);
        var plan = ops.PlanCreate(Spec("lan", ConnectionType.Bridge, interfaces: ["eth0"]));

        var error = host.Refused(() => ops.Create(plan, start: true));

        Assert.Equal(ErrorCodes.BridgeCreateFailed, error.Code);
        Assert.Empty(bridges.Undone);
    }

    [Fact]
    public void Create_WhenTheNameWasTakenSincePlanning_ShouldRefuseAndLeaveTheOtherNetworkAlone()
    {
        using var host = new TestHost();
        var plan = host.Ops.PlanCreate(Spec("lab", ConnectionType.Nat));
        host.Connection.DefineNetwork("<network><name>lab</name><bridge name='lab0'/></network>");
        var before = host.Snapshot();

        var error = Assert.ThrowsAny<KimchiException>(() => host.Ops.Create(plan, start: true));

        Assert.Equal(ErrorCodes.NetworkExists, error.Code);
        Assert.Equal(before, host.Snapshot());
    }
}
