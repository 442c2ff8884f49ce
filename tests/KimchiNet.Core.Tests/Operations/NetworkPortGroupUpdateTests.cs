using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// Port groups of a network created, updated (inactive and live) and compared on the test driver (demo
/// host: 'default' is an active nat network on 192.168.122.0/24, used by the running guest web01).
/// </summary>
[Collection(LibvirtCollection.Name)]
public sealed class NetworkPortGroupUpdateTests
{
    private static readonly PortGroup s_web = PortGroup.Parse("web=default");
    private static readonly PortGroup s_db = PortGroup.Parse("db");

    [Fact]
    public void Create_WithPortGroups_ShouldDefineThemAndReadThemBack()
    {
        using var host = new TestHost();
        var spec = new NetworkSpec { Name = "pgnet", Connection = ConnectionType.Isolated, Subnet = "10.83.0.0/24", PortGroups = [s_web, s_db] };

        var info = host.Ops.Create(host.Ops.PlanCreate(spec), start: false);

        Assert.Equal(["web=default", "db"], info.PortGroups.Select(g => g.ToString()).ToArray());
    }

    [Fact]
    public void PlanUpdate_PortGroupsOfActiveNetwork_ShouldGoLiveAndChangeNothing()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate { PortGroups = [s_web, s_db] }, restart: false);

        Assert.Equal(before, host.Snapshot());
        Assert.False(plan.Restart);
        Assert.Equal("Add port group web=default, add port group db (live)", plan.Description);
        Assert.Equal([("PortGroups", true)], plan.Changes.Select(c => (c.Property, c.Live)).ToArray());
    }

    [Fact]
    public void Update_PortGroupsOfActiveNetwork_ShouldAddChangeAndRemoveThemLive()
    {
        using var host = new TestHost();

        var added = host.Ops.Update(host.Ops.PlanUpdate("default", new NetworkUpdate { PortGroups = [s_web, s_db] }, restart: false));
        var definition = host.Connection.GetNetworkXml("default", inactive: true);
        // web loses its default flag, db becomes the default: the old default must go before the new one comes.
        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate { PortGroups = [PortGroup.Parse("web"), PortGroup.Parse("db=default")] }, restart: false);
        var swapped = host.Ops.Update(plan);
        var live = host.Connection.GetNetworkXml("default");
        var cleared = host.Ops.Update(host.Ops.PlanUpdate("default", new NetworkUpdate { PortGroups = [] }, restart: false));

        Assert.Equal(NetworkState.Active, added.State);
        Assert.Equal(["web=default", "db"], added.PortGroups.Select(g => g.ToString()).ToArray());
        Assert.Equal("Change port group web, change port group db=default (live)", plan.Description);
        Assert.Equal(["web", "db=default"], swapped.PortGroups.Select(g => g.ToString()).ToArray());
        Assert.Contains("<portgroup name='db' default='yes'>", live, StringComparison.Ordinal);
        // The definition after the first update (the test driver's own after a delete is no guide; Lab.PortGroup checks libvirt's).
        Assert.Contains("<portgroup name='web' default='yes'>", definition, StringComparison.Ordinal);
        Assert.Empty(cleared.PortGroups);
        Assert.DoesNotContain("portgroup", host.Connection.GetNetworkXml("default"), StringComparison.Ordinal);
        Assert.Equal(NetworkState.Active, cleared.State);
    }

    [Fact]
    public void PlanUpdate_PortGroupsAndARestartChange_ShouldSayWhichIsWhich()
    {
        using var host = new TestHost();

        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate { PortGroups = [s_db], Domain = "lab.example" }, restart: true);

        Assert.True(plan.Restart);
        Assert.Equal("Set domain lab.example (needs a restart), add port group db (live)", plan.Description);
    }

    [Fact]
    public void PlanUpdate_BadPortGroups_ShouldThrowTheRuleCodeAndChangeNothing()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var vlan = host.Refused(() => host.Ops.PlanUpdate("default", new NetworkUpdate { PortGroups = [PortGroup.Parse("office=vlan:10")] }, restart: false));
        var twice = host.Refused(() => host.Ops.PlanUpdate("default", new NetworkUpdate { PortGroups = [s_web, PortGroup.Parse("db=default")] }, restart: false));
        var same = host.Refused(() => host.Ops.PlanUpdate("default", new NetworkUpdate { PortGroups = [s_db, s_db] }, restart: false));

        Assert.Equal(ErrorCodes.PortGroupVlanNotAllowed, vlan.Code);
        Assert.Equal(ErrorCodes.MultipleDefaultPortGroups, twice.Code);
        Assert.Equal(ErrorCodes.DuplicatePortGroup, same.Code);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void PlanUpdate_VlanOnALinuxBridgeNetwork_ShouldThrowKCHNET0197E()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork("<network><name>hostbr</name><forward mode='bridge'/><bridge name='br0'/></network>");
        host.Connection.DefineNetwork("<network><name>ovsbr</name><forward mode='bridge'/><bridge name='ovsbr0'/><virtualport type='openvswitch'/></network>");

        var error = host.Refused(() => host.Ops.PlanUpdate("hostbr", new NetworkUpdate { PortGroups = [PortGroup.Parse("office=vlan:10")] }));
        var plan = host.Ops.PlanUpdate("ovsbr", new NetworkUpdate { PortGroups = [PortGroup.Parse("office=vlan:10")] });

        Assert.Equal(ErrorCodes.PortGroupVlanNotAllowed, error.Code);
        Assert.Contains("Linux bridge", error.Message, StringComparison.Ordinal);
        Assert.Contains("<tag id=\"10\" />", plan.NewXml, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanCreate_VlanOnABridgeNetworkOnALinuxBridge_ShouldThrowKCHNET0197E()
    {
        using var host = new TestHost(xml => TestHost.WithoutNetwork(xml, "bridge-br0"));
        var spec = new NetworkSpec { Name = "lab", Connection = ConnectionType.Bridge, Interfaces = ["br0"], PortGroups = [PortGroup.Parse("office=vlan:10")] };

        var error = host.Refused(() => host.Ops.PlanCreate(spec));
        var plain = host.Ops.PlanCreate(spec with { PortGroups = [PortGroup.Parse("office")] });

        Assert.Equal(ErrorCodes.PortGroupVlanNotAllowed, error.Code);
        Assert.Contains("Linux bridge", error.Message, StringComparison.Ordinal);
        Assert.Contains("<portgroup name=\"office\" />", plain.Xml, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanUpdate_ChangedForeignPortGroup_ShouldKeepItsVirtualport()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork("<network><name>ovsbr</name><forward mode='bridge'/><bridge name='ovsbr0'/><virtualport type='openvswitch'/><portgroup name='web'><virtualport type='openvswitch'><parameters profileid='p1'/></virtualport></portgroup></network>");

        var plan = host.Ops.PlanUpdate("ovsbr", new NetworkUpdate { PortGroups = [PortGroup.Parse("web=default,vlan:42")] });

        Assert.Contains("<portgroup name=\"web\" default=\"yes\">", plan.NewXml, StringComparison.Ordinal);
        Assert.Contains("<parameters profileid=\"p1\" />", plan.NewXml, StringComparison.Ordinal);
        Assert.Contains("<tag id=\"42\" />", plan.NewXml, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_PortGroups_ShouldCompareThemAsASet()
    {
        using var host = new TestHost();
        host.Ops.Update(host.Ops.PlanUpdate("default", new NetworkUpdate { PortGroups = [s_web, s_db] }, restart: false));
        var actual = host.Ops.Get(n => n == "default").Single();

        var same = DesiredState.From("default").WithPortGroups([s_db, s_web]);
        var other = DesiredState.From("default").WithPortGroups([PortGroup.Parse("web"), s_db]);

        Assert.Empty(DesiredState.Compare(same, actual));
        var difference = Assert.Single(DesiredState.Compare(other, actual));
        Assert.Equal("PortGroups", difference.Property);
    }
}
