using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

// The demo host: 'default' (nat, 192.168.122.0/24, running, autostart off), 'isolated' (running, used by a VM).
[Collection(LibvirtCollection.Name)]
public sealed class FleetPlannerTests
{
    private static FleetNetworkChange Plan(TestHost host, DesiredState desired) =>
        FleetPlanner.Plan(desired, host.Ops.TryGetOne(desired.Name), host.Uri, "web");

    [Fact]
    public void Plan_WithNetworkAsConfigured_ShouldBeNoChange()
    {
        using var host = new TestHost();

        var change = Plan(host, new DesiredState { Name = "default", Connection = ConnectionType.Nat, Subnet = "192.168.122.0/24", State = NetworkState.Active, Autostart = false });

        Assert.Equal(FleetAction.NoChange, change.Action);
        Assert.Empty(change.Differences);
        Assert.Equal(string.Empty, change.Description);
        Assert.Equal((host.Uri, "web", "default"), (change.Uri, change.Group, change.Name));
    }

    [Fact]
    public void Plan_WithMissingNetwork_ShouldCreateAndDescribeIt()
    {
        using var host = new TestHost();

        var change = Plan(host, new DesiredState { Name = "lab", Connection = ConnectionType.Nat, Subnet = "10.9.1.0/24", State = NetworkState.Active });

        Assert.Equal(FleetAction.Create, change.Action);
        Assert.Equal("nat, Subnet 10.9.1.0/24, State Active", change.Description);
        Assert.Equal(host.Uri, Assert.Single(change.Differences).Uri);
    }

    [Fact]
    public void Plan_WithAbsentNetworkThatExists_ShouldRemove()
    {
        using var host = new TestHost();

        var change = Plan(host, new DesiredState { Name = "default", Ensure = Ensure.Absent });

        Assert.Equal(FleetAction.Remove, change.Action);
        Assert.Equal("remove it", change.Description);
    }

    [Fact]
    public void Plan_WithAbsentNetworkThatIsMissing_ShouldBeNoChange()
    {
        using var host = new TestHost();

        Assert.Equal(FleetAction.NoChange, Plan(host, new DesiredState { Name = "gone", Ensure = Ensure.Absent }).Action);
    }

    [Fact]
    public void Plan_WithOnlyStateAndAutostart_ShouldChangeLive()
    {
        using var host = new TestHost();

        var change = Plan(host, new DesiredState { Name = "default", Connection = ConnectionType.Nat, State = NetworkState.Inactive, Autostart = true });

        Assert.Equal(FleetAction.ChangeLive, change.Action);
        Assert.Equal("State: Active -> Inactive; Autostart: False -> True", change.Description);
    }

    [Fact]
    public void Plan_WithNewSubnetOfRunningNetwork_ShouldChangeWithRestart()
    {
        using var host = new TestHost();

        var change = Plan(host, new DesiredState { Name = "default", Connection = ConnectionType.Nat, Subnet = "10.9.2.0/24" });

        Assert.Equal(FleetAction.ChangeWithRestart, change.Action);
        Assert.Equal("Subnet: 192.168.122.0/24 -> 10.9.2.0/24", change.Description);
    }

    [Fact]
    public void Plan_WithNewSubnetOfStoppedNetwork_ShouldChangeLive()
    {
        using var host = new TestHost();
        host.Ops.Stop(host.Ops.PlanStop("default", force: true));

        var change = Plan(host, new DesiredState { Name = "default", Connection = ConnectionType.Nat, Subnet = "10.9.2.0/24" });

        Assert.Equal(FleetAction.ChangeLive, change.Action);
    }

    [Fact]
    public void Plan_WithOtherConnectionType_ShouldChangeWithRestart()
    {
        using var host = new TestHost();

        var change = Plan(host, new DesiredState { Name = "default", Connection = ConnectionType.Isolated });

        Assert.Equal(FleetAction.ChangeWithRestart, change.Action);
        Assert.Equal("Connection", Assert.Single(change.Differences).Property);
    }

    [Fact]
    public void Plan_ThenConverge_ShouldLeaveNoChange()
    {
        using var host = new TestHost();
        var desired = new DesiredState { Name = "lab", Connection = ConnectionType.Isolated, Subnet = "10.9.3.0/24", State = NetworkState.Active };

        Assert.Equal(FleetAction.Create, Plan(host, desired).Action);
        DesiredState.Converge(host.Ops, desired);

        Assert.Equal(FleetAction.NoChange, Plan(host, desired).Action);
    }

    [Fact]
    public void PreviewXml_WithCreate_ShouldAddTheWholeDocumentAndChangeNothing()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var diff = DesiredState.PreviewXml(host.Ops, new DesiredState { Name = "lab", Connection = ConnectionType.Nat, Subnet = "10.9.4.0/24" }, null);

        Assert.All(diff.Split('\n'), line => Assert.StartsWith("+ ", line, System.StringComparison.Ordinal));
        Assert.Contains("+   <name>lab</name>", diff, System.StringComparison.Ordinal);
        Assert.Contains("10.9.4.1", diff, System.StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void PreviewXml_WithNewSubnet_ShouldShowTheOldAndNewAddress()
    {
        using var host = new TestHost();
        var before = host.Snapshot();
        var desired = new DesiredState { Name = "default", Connection = ConnectionType.Nat, Subnet = "10.9.5.0/24" };

        var diff = DesiredState.PreviewXml(host.Ops, desired, host.Ops.TryGetOne("default"));

        var changed = diff.Split('\n').Where(line => !line.StartsWith("  ", System.StringComparison.Ordinal)).ToArray();
        Assert.Contains(changed, line => line.StartsWith("- ", System.StringComparison.Ordinal) && line.Contains("192.168.122.1", System.StringComparison.Ordinal));
        Assert.Contains(changed, line => line.StartsWith("+ ", System.StringComparison.Ordinal) && line.Contains("10.9.5.1", System.StringComparison.Ordinal));
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void PreviewXml_WithRemove_ShouldRemoveTheWholeDocument()
    {
        using var host = new TestHost();

        var diff = DesiredState.PreviewXml(host.Ops, new DesiredState { Name = "default", Ensure = Ensure.Absent }, host.Ops.TryGetOne("default"));

        Assert.All(diff.Split('\n'), line => Assert.StartsWith("- ", line, System.StringComparison.Ordinal));
        Assert.Contains("- <network", diff, System.StringComparison.Ordinal);
    }

    [Fact]
    public void PreviewXml_WithSubnetOverlappingAnotherNetwork_ShouldThrowAsTheCreateWould()
    {
        using var host = new TestHost();

        var error = host.Refused(() => DesiredState.PreviewXml(host.Ops, new DesiredState { Name = "lab", Connection = ConnectionType.Nat, Subnet = "192.168.122.0/24" }, null));

        Assert.Equal(ErrorCodes.InvalidSubnet, error.Code);
    }

    [Fact]
    public void Plan_WithIpv6AndPortGroupsOfARunningNetwork_ShouldRestartItAndConvergeToNoChange()
    {
        using var host = new TestHost();
        host.Ops.Create(host.Ops.PlanCreate(new NetworkSpec { Name = "lab", Connection = ConnectionType.Nat, Subnet = "10.9.1.0/24" }), start: true);
        var desired = Assert.Single(Assert.Single(FleetConfigurationReader.ParseJson(
            """
            { "Groups": [ { "Name": "web", "Uris": ["test:///x"], "Networks": [
              { "Name": "lab", "Connection": "nat", "Ipv6Subnet": "fd00:1:2:3::/64", "Ipv6Dhcp": false, "Ipv6Nat": true, "PortGroups": ["web=default", "db"] } ] } ] }
            """,
            "fleet.json").Groups).Networks);

        var change = Plan(host, desired);

        Assert.Equal(FleetAction.ChangeWithRestart, change.Action);
        Assert.Equal(["Ipv6Nat", "Ipv6Subnet", "PortGroups"], change.Differences.Select(d => d.Property).Order(StringComparer.Ordinal));
        var network = DesiredState.Converge(host.Ops, desired).Network!;
        Assert.Equal(("fd00:1:2:3::/64", false, true), (network.Ipv6Subnet, network.Ipv6Dhcp, network.Ipv6Nat));
        Assert.Equal(["web=default", "db"], network.PortGroups.Select(g => g.ToString()));
        Assert.Equal(NetworkState.Active, network.State);
        Assert.Equal(FleetAction.NoChange, Plan(host, desired).Action);
    }

    [Fact]
    public void Plan_WithPortGroupsOfAStoppedNetwork_ShouldChangeItLive()
    {
        using var host = new TestHost();
        host.Ops.Create(host.Ops.PlanCreate(new NetworkSpec { Name = "lab", Connection = ConnectionType.Nat, Subnet = "10.9.1.0/24" }), start: false);

        var change = Plan(host, new DesiredState { Name = "lab", Connection = ConnectionType.Nat }.WithPortGroups([PortGroup.Parse("web")]));

        Assert.Equal(FleetAction.ChangeLive, change.Action);
        Assert.Equal("PortGroups: (none) -> web", change.Description);
    }

    [Fact]
    public void Plan_CreateWithIpv6AndPortGroups_ShouldNameThemInTheDescription()
    {
        using var host = new TestHost();
        var desired = new DesiredState { Name = "lab", Connection = ConnectionType.Nat, Subnet = "10.9.1.0/24", Ipv6Subnet = "fd00:1:2:3::/64", Ipv6Nat = true }
            .WithPortGroups([PortGroup.Parse("web=default"), PortGroup.Parse("db")]);

        var change = Plan(host, desired);

        Assert.Equal(FleetAction.Create, change.Action);
        Assert.Equal("nat, Subnet 10.9.1.0/24, Ipv6Subnet fd00:1:2:3::/64, Ipv6Nat True, PortGroups web=default; db", change.Description);
    }
}
