using System;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Operations;

// In the pool's collection: these tests open and close connections and temp files, which would
// disturb HandleTests' process-wide handle count if they ran beside it.
[Collection(LibvirtCollection.Name)]
public sealed class NetworkUpdateTests
{
    private const string ForeignXml = """
        <network>
          <name>lab</name>
          <uuid>c0ffee00-1111-4222-8333-444455556666</uuid>
          <metadata>
            <app:info xmlns:app="urn:example:app">keep me</app:info>
          </metadata>
          <forward mode="nat"/>
          <bridge name="labbr7" stp="on" delay="0"/>
          <mtu size="9000"/>
          <mac address="52:54:00:12:34:56"/>
          <dns>
            <host ip="10.50.0.5"><hostname>files</hostname></host>
          </dns>
          <ip address="10.50.0.1" netmask="255.255.255.0">
            <dhcp>
              <range start="10.50.0.128" end="10.50.0.253"/>
              <host mac="52:54:00:00:00:99" name="pinned" ip="10.50.0.9"/>
            </dhcp>
          </ip>
          <portgroup name="engineering" default="yes"/>
        </network>
        """;

    private static TestHost HostWithLab(bool autostart)
    {
        var host = new TestHost();
        host.Connection.DefineNetwork(ForeignXml);
        host.Connection.SetAutostart("lab", autostart);
        return host;
    }

    [Fact]
    public void PlanUpdate_RenameWhenActive_ShouldThrowKCHNET0170E()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanUpdate("ovs", new NetworkUpdate { NewName = "ovs2" }));

        Assert.Equal(ErrorCodes.UpdateNeedsRestart, error.Code);
        Assert.Equal(ErrorKind.InvalidState, error.Kind);
    }

    [Fact]
    public void PlanUpdate_WithUnknownName_ShouldThrowKCHNET0002E()
    {
        using var host = new TestHost();

        Assert.Equal(ErrorCodes.NetworkNotFound, host.Refused(() => host.Ops.PlanUpdate("nope", new NetworkUpdate { NewName = "x" })).Code);
    }

    [Fact]
    public void Update_Rename_ShouldKeepUuidAutostartAndEveryForeignElement()
    {
        using var host = HostWithLab(autostart: true);
        var oldXml = host.Connection.GetNetworkXml("lab", inactive: true);
        var before = host.Snapshot();

        var plan = host.Ops.PlanUpdate("lab", new NetworkUpdate { NewName = "lab2" });
        Assert.Equal(before, host.Snapshot());
        Assert.Equal("Rename to lab2", plan.Description);
        Assert.Equal(oldXml, plan.OldXml);

        var info = host.Ops.Update(plan);

        Assert.Equal("lab2", info.Name);
        Assert.Equal("c0ffee00-1111-4222-8333-444455556666", info.Uuid);
        Assert.True(info.Autostart);
        Assert.Null(host.Connection.GetNetwork("lab"));
        var newXml = host.Connection.GetNetworkXml("lab2", inactive: true);
        Assert.Equal(oldXml.Replace("<name>lab</name>", "<name>lab2</name>", StringComparison.Ordinal), newXml);
        foreach (var kept in new[] { "keep me", "labbr7", "9000", "52:54:00:12:34:56", "files", "pinned", "engineering" })
        {
            Assert.Contains(kept, newXml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Update_RenameOfAVlanBridgeNetwork_ShouldKeepItsVlan()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);
        ops.Create(ops.PlanCreate(new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth0"], VlanId = 20 }), start: false);

        var info = ops.Update(ops.PlanUpdate("lan", new NetworkUpdate { NewName = "lan20" }));

        Assert.Equal(20, info.VlanId);
        Assert.Equal("kbeth0.20", info.BridgeName);
        Assert.Equal(["eth0"], info.Interfaces);
        var recorded = NetworkDescriptions.FromXml(NetworkXmlReader.Read(host.Connection.GetNetworkXml("lan20", inactive: true))).HostChanges!;
        Assert.Equal("kbeth0.20", recorded.CreatedBridge);
        Assert.Empty(bridges.Undone);
    }

    [Fact]
    public void Update_Subnet_ShouldMoveAddressAndDhcpRangeAndKeepTheRest()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("isolated");
        var old = host.Ops.GetOne("isolated");

        var plan = host.Ops.PlanUpdate("isolated", new NetworkUpdate { Subnet = "10.60.0.0/24" });
        Assert.Equal("Change subnet to 10.60.0.0/24", plan.Description);
        var info = host.Ops.Update(plan);

        Assert.Equal("10.60.0.0/24", info.Subnet);
        Assert.Equal("10.60.0.1", info.Gateway);
        Assert.Equal("10.60.0.128", info.DhcpStart);
        Assert.Equal("10.60.0.253", info.DhcpEnd);
        Assert.Equal(old.Uuid, info.Uuid);
        Assert.Equal("virbr1", info.BridgeName);
        Assert.Equal(old.Autostart, info.Autostart);
        Assert.Equal(["build01"], info.VMs);
    }

    [Fact]
    public void PlanUpdate_SubnetOverlappingAnotherNetwork_ShouldThrowKCHNET0003EButItsOwnSubnetIsFine()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("isolated");

        var error = host.Refused(() => host.Ops.PlanUpdate("isolated", new NetworkUpdate { Subnet = "192.168.122.0/24" }));
        Assert.Equal(ErrorCodes.InvalidSubnet, error.Code);
        Assert.Contains("network 'default'", error.Message, StringComparison.Ordinal);

        var info = host.Ops.Update(host.Ops.PlanUpdate("isolated", new NetworkUpdate { Subnet = "192.168.100.0/25" }));
        Assert.Equal("192.168.100.0/25", info.Subnet);
    }

    [Fact]
    public void PlanUpdate_SubnetThatLosesAStaticDhcpHost_ShouldThrowKCHNET0003E()
    {
        using var host = HostWithLab(autostart: false);

        var error = host.Refused(() => host.Ops.PlanUpdate("lab", new NetworkUpdate { Subnet = "10.51.0.0/24" }));

        Assert.Equal(ErrorCodes.InvalidSubnet, error.Code);
        Assert.Contains("10.50.0.9", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("macvtap-eth3", null, "10.9.0.0/24", "KCHNET0031E")]
    [InlineData("isolated", "eth0", null, "KCHNET0032E")]
    [InlineData("isolated", null, "10.9.0.0/30", "KCHNET0003E")]
    [InlineData("macvtap-eth3", "eth3,eth4", null, "KCHNET0030E")]
    public void PlanUpdate_Invalid_ShouldLeaveEveryNetworkByteIdentical(string name, string? interfaces, string? subnet, string code)
    {
        using var host = new TestHost();
        host.Connection.StopNetwork(name);
        var update = new NetworkUpdate { Subnet = subnet, Interfaces = interfaces?.Split(',') };

        var error = host.Refused(() => host.Ops.PlanUpdate(name, update));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void PlanUpdate_RenameToATakenName_ShouldThrowKCHNET0001E()
    {
        using var host = HostWithLab(autostart: false);

        Assert.Equal(ErrorCodes.NetworkExists, host.Refused(() => host.Ops.PlanUpdate("lab", new NetworkUpdate { NewName = "default" })).Code);
    }

    [Fact]
    public void Update_Interfaces_ShouldReplaceTheForwardDevicesAndRecordThem()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("passthrough-bond0");
        var uuid = NetworkXmlReader.Read(host.Connection.GetNetworkXml("passthrough-bond0", inactive: true)).Uuid;

        var info = host.Ops.Update(host.Ops.PlanUpdate("passthrough-bond0", new NetworkUpdate { Interfaces = ["eth0"] }));

        Assert.Equal(["eth0"], info.Interfaces);
        var xml = NetworkXmlReader.Read(host.Connection.GetNetworkXml("passthrough-bond0", inactive: true));
        Assert.Equal("eth0", Assert.Single(xml.Forward!.Interfaces).Dev);
        Assert.Equal(["eth0"], xml.Metadata!.KimchiNet!.Interfaces);
        Assert.Equal(uuid, xml.Uuid);
    }

    [Fact]
    public void PlanUpdate_InterfacesUsedByAnotherNetwork_ShouldThrowKCHNET0006EButItsOwnAreFine()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("passthrough-bond0");

        var error = host.Refused(() => host.Ops.PlanUpdate("passthrough-bond0", new NetworkUpdate { Interfaces = ["bond0", "eth3"] }));
        Assert.Equal(ErrorCodes.InterfaceInUse, error.Code);
        Assert.Contains("network 'macvtap-eth3'", error.Message, StringComparison.Ordinal);

        var info = host.Ops.Update(host.Ops.PlanUpdate("passthrough-bond0", new NetworkUpdate { Interfaces = ["eth4", "bond0"] }));
        Assert.Equal(["eth4", "bond0"], info.Interfaces);
    }

    [Theory]
    [InlineData("macvtap-eth3", null, "eth4", "db01")]
    [InlineData("vepa-eth1-eth2", "vepa2", null, "app01")]
    public void PlanUpdate_OfANetworkVMsUse_ShouldRefuseRenameAndNewDevicesWithKCHNET0108E(string name, string? newName, string? device, string vm)
    {
        using var host = new TestHost();
        host.Connection.StopNetwork(name);

        var error = host.Refused(() => host.Ops.PlanUpdate(name, new NetworkUpdate { NewName = newName, Interfaces = device is null ? null : [device] }));

        Assert.Equal(ErrorCodes.UpdateInUse, error.Code);
        Assert.Contains(vm, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanUpdate_OfANetworkVMsUse_ShouldStillAllowAutostart()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("macvtap-eth3");

        var info = host.Ops.Update(host.Ops.PlanUpdate("macvtap-eth3", new NetworkUpdate { Autostart = true }));

        Assert.True(info.Autostart);
    }

    [Fact]
    public void PlanUpdate_BridgeNetworkOntoANic_ShouldThrowKCHNET0105E()
    {
        using var host = new TestHost();
        host.Connection.StopNetwork("bridge-br0");

        var error = host.Refused(() => host.Ops.PlanUpdate("bridge-br0", new NetworkUpdate { Interfaces = ["eth0"] }));

        Assert.Equal(ErrorCodes.RemoteNotSupported, error.Code);
        Assert.Equal(ErrorKind.NotSupported, error.Kind);
    }

    [Fact]
    public void Update_AutostartOnly_ShouldNotRedefine()
    {
        using var host = HostWithLab(autostart: true);
        var oldXml = host.Connection.GetNetworkXml("lab", inactive: true);
        var calls = new System.Collections.Generic.List<string>();
        host.Connection.CallLogged += calls.Add;

        var info = host.Ops.Update(host.Ops.PlanUpdate("lab", new NetworkUpdate { Autostart = false }));

        Assert.False(info.Autostart);
        Assert.False(host.Connection.GetNetwork("lab")!.Autostart);
        Assert.Equal(oldXml, host.Connection.GetNetworkXml("lab", inactive: true));
        Assert.DoesNotContain(calls, c => c.Contains("virNetworkDefineXML", StringComparison.Ordinal));
    }

    [Fact]
    public void Update_WhenLibvirtRejectsTheRenamedDefinition_ShouldRestoreTheOriginalAndThrowKCHNET0022E()
    {
        using var host = HostWithLab(autostart: true);
        var plan = host.Ops.PlanUpdate("lab", new NetworkUpdate { NewName = "lab2" });
        // Another client takes the new name between plan and update: libvirt refuses the define.
        host.Connection.DefineNetwork("<network><name>lab2</name><bridge name='other9'/></network>");
        var before = host.Snapshot();

        var error = Assert.ThrowsAny<KimchiException>(() => host.Ops.Update(plan));

        Assert.Equal(ErrorCodes.UpdateFailed, error.Code);
        Assert.Contains("restored", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot()); // lab exactly as it was, autostart included; lab2 still the other one
        Assert.Contains("other9", host.Connection.GetNetworkXml("lab2"), StringComparison.Ordinal);
    }

    [Fact]
    public void Update_WhenTheNetworkChangedSincePlanning_ShouldRefuseWithoutChanges()
    {
        using var host = HostWithLab(autostart: false);
        var plan = host.Ops.PlanUpdate("lab", new NetworkUpdate { NewName = "lab2" });
        host.Connection.DefineNetwork(ForeignXml.Replace("9000", "1500", StringComparison.Ordinal));

        var error = host.Refused(() => host.Ops.Update(plan));

        Assert.Equal(ErrorCodes.UpdateFailed, error.Code);
        Assert.Equal(ErrorKind.InvalidState, error.Kind);
    }

    [Fact]
    public void Update_WhenStartedSincePlanning_ShouldThrowKCHNET0005E()
    {
        using var host = HostWithLab(autostart: false);
        var plan = host.Ops.PlanUpdate("lab", new NetworkUpdate { NewName = "lab2" });
        host.Connection.StartNetwork("lab");

        Assert.Equal(ErrorCodes.NetworkActive, host.Refused(() => host.Ops.Update(plan)).Code);
    }

    [Fact]
    public void PlanUpdate_OfANetworkOfAnotherKind_ShouldAllowOnlyRenameAndAutostart()
    {
        using var host = new TestHost();
        // Forward mode private has no connection type (route, the example before Routed, now has one).
        host.Connection.DefineNetwork("<network><name>private</name><forward mode='private'><interface dev='eth4'/></forward></network>");

        var error = host.Refused(() => host.Ops.PlanUpdate("private", new NetworkUpdate { Subnet = "10.71.0.0/24" }));
        Assert.Equal(ErrorCodes.InvalidConnection, error.Code);

        var info = host.Ops.Update(host.Ops.PlanUpdate("private", new NetworkUpdate { NewName = "private2", Autostart = true }));
        Assert.Equal("private", info.ForwardMode);
        Assert.True(info.Autostart);
        Assert.Null(host.Connection.GetNetwork("private"));
    }
}
