using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// DHCP reservations in a desired state, compared and converged on the test driver (demo host:
/// 'default' is an active nat network on 192.168.122.0/24 used by the running guest web01, so it
/// cannot be stopped: a reservation that needed a restart would be refused with KCHNET0018E).
/// </summary>
[Collection(LibvirtCollection.Name)]
public sealed class DesiredStateReservationTests
{
    private static readonly DhcpReservation s_web = DhcpReservation.Parse("52:54:00:00:00:01=192.168.122.50,web");
    private static readonly DhcpReservation s_db = DhcpReservation.Parse("52:54:00:00:00:02=192.168.122.51");

    private static DesiredState Default(params DhcpReservation[] reservations) =>
        new DesiredState { Name = "default" }.WithDhcpReservations(reservations);

    private static string[] HostsIn(string xml) =>
        NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).DhcpReservations.Select(r => r.ToString()).ToArray();

    [Fact]
    public void Compare_WithMissingReservation_ShouldReportTheSetsAsTexts()
    {
        using var host = new TestHost();

        var difference = Assert.Single(host.Ops.Test(Default(s_web, s_db)));

        Assert.Equal("DhcpReservations", difference.Property);
        Assert.Equal(["52:54:00:00:00:01=192.168.122.50,web", "52:54:00:00:00:02=192.168.122.51"], (string[])difference.Desired!);
        Assert.Empty((string[])difference.Actual!);
    }

    [Fact]
    public void Converge_OnActiveNetworkInUse_ShouldAddLiveWithoutARestartAndThenBeANoOp()
    {
        using var host = new TestHost();

        var result = DesiredState.Converge(host.Ops, Default(s_web, s_db));

        Assert.Equal(
            [
                "Add DHCP reservation 52:54:00:00:00:01 -> 192.168.122.50 (name web): live and in the persistent definition, without a restart",
                "Add DHCP reservation 52:54:00:00:00:02 -> 192.168.122.51: live and in the persistent definition, without a restart",
            ],
            result.Steps);
        Assert.True(host.Connection.GetNetwork("default")!.IsActive);
        Assert.Equal(["52:54:00:00:00:01=192.168.122.50,web", "52:54:00:00:00:02=192.168.122.51"], HostsIn(host.Connection.GetNetworkXml("default")));
        Assert.Equal(HostsIn(host.Connection.GetNetworkXml("default")), HostsIn(host.Connection.GetNetworkXml("default", inactive: true)));
        Assert.Equal(2, result.Network!.DhcpReservations.Count);
        var before = host.Snapshot();
        Assert.False(DesiredState.Converge(host.Ops, Default(s_db, s_web)).Changed);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Compare_SameSetInOtherSpelling_ShouldFindNoDifference()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web, s_db));

        var differences = host.Ops.Test(Default(
            DhcpReservation.Parse("52:54:00:00:00:02=192.168.122.51"),
            DhcpReservation.Parse("52-54-00-00-00-01=192.168.122.50,WEB")));

        Assert.Empty(differences);
    }

    [Fact]
    public void Converge_WithAnotherSet_ShouldRemoveTheExtraAndAddTheMissingLive()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web, s_db));
        var moved = DhcpReservation.Parse("52:54:00:00:00:01=192.168.122.60,web");

        var result = DesiredState.Converge(host.Ops, Default(moved));

        Assert.Equal(3, result.Steps.Count);
        Assert.StartsWith("Remove DHCP reservation 52:54:00:00:00:01 -> 192.168.122.50", result.Steps[0], StringComparison.Ordinal);
        Assert.StartsWith("Remove DHCP reservation 52:54:00:00:00:02 -> 192.168.122.51", result.Steps[1], StringComparison.Ordinal);
        Assert.StartsWith("Add DHCP reservation 52:54:00:00:00:01 -> 192.168.122.60", result.Steps[2], StringComparison.Ordinal);
        Assert.Equal(["52:54:00:00:00:01=192.168.122.60,web"], HostsIn(host.Connection.GetNetworkXml("default")));
        Assert.Equal(["52:54:00:00:00:01=192.168.122.60,web"], HostsIn(host.Connection.GetNetworkXml("default", inactive: true)));
        Assert.True(host.Connection.GetNetwork("default")!.IsActive);
    }

    [Fact]
    public void Converge_WithOtherLeaseTime_ShouldReplaceTheReservationAndWithoutOneTakeAny()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web with { LeaseTime = TimeSpan.FromHours(1) }));

        Assert.Empty(host.Ops.Test(Default(s_web)));
        var result = DesiredState.Converge(host.Ops, Default(s_web with { LeaseTime = TimeSpan.FromHours(2) }));

        Assert.Equal(2, result.Steps.Count);
        Assert.Equal(TimeSpan.FromHours(2), Assert.Single(result.Network!.DhcpReservations).LeaseTime);
    }

    [Fact]
    public void Converge_WithMissingNetwork_ShouldCreateItWithTheReservationsInItsXml()
    {
        using var host = new TestHost();
        var desired = new DesiredState { Name = "lab", Connection = ConnectionType.Isolated, Subnet = "10.1.9.0/24" }
            .WithDhcpReservations([DhcpReservation.Parse("52:54:00:00:00:09=10.1.9.9,nine")]);

        var result = DesiredState.Converge(host.Ops, desired);

        Assert.StartsWith("Create:", Assert.Single(result.Steps), StringComparison.Ordinal);
        Assert.Equal(["52:54:00:00:00:09=10.1.9.9,nine"], HostsIn(host.Connection.GetNetworkXml("lab", inactive: true)));
        Assert.False(DesiredState.Converge(host.Ops, desired).Changed);
    }

    [Fact]
    public void Compare_ReservationOutsideTheNetworksSubnet_ShouldRefuseKCHNET0140EAndChangeNothing()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var error = host.Refused(() => DesiredState.Converge(host.Ops, Default(DhcpReservation.Parse("52:54:00:00:00:01=10.9.9.9"))));

        Assert.Equal(ErrorCodes.DhcpAddressOutsideSubnet, error.Code);
        Assert.Contains("outside the subnet 192.168.122.0/24", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Compare_TwiceTheSameMac_ShouldRefuseKCHNET0142E()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.Test(Default(s_web, DhcpReservation.Parse("52-54-00-00-00-01=192.168.122.52"))));

        Assert.Equal(ErrorCodes.DhcpMacInUse, error.Code);
    }

    [Fact]
    public void Compare_MissingNetworkWithoutSubnet_ShouldRefuseKCHNET0177E()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.Test(new DesiredState { Name = "lab", Connection = ConnectionType.Nat }.WithDhcpReservations([s_web])));

        Assert.Equal(ErrorCodes.DhcpReservationNeedsSubnet, error.Code);
    }

    [Fact]
    public void PreviewXml_WithOtherReservations_ShouldShowTheHostsRemovedAndAddedAndChangeNothing()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web, s_db));
        var before = host.Snapshot();
        var desired = Default(s_web, DhcpReservation.Parse("52:54:00:00:00:03=192.168.122.53"));

        var diff = DesiredState.PreviewXml(host.Ops, desired, host.Ops.TryGetOne("default"));

        Assert.Equal(
            ["-       <host mac=\"52:54:00:00:00:02\" ip=\"192.168.122.51\" />", "+       <host mac=\"52:54:00:00:00:03\" ip=\"192.168.122.53\" />"],
            diff.Split('\n').Where(l => l.StartsWith('-') || l.StartsWith('+')).ToArray());
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void FleetConfiguration_WithDhcpReservations_ShouldPlanALiveChangeAndConvergeIt()
    {
        using var host = new TestHost();
        var configuration = FleetConfigurationReader.ParseJson(
            """
            { "Groups": [ { "Name": "g", "Uris": ["test:///x"], "Networks": [
              { "Name": "default", "Connection": "nat", "DhcpReservations": ["52-54-00-00-00-01=192.168.122.50,web", "52:54:00:00:00:02=192.168.122.51"] } ] } ] }
            """,
            "fleet.json");
        var desired = Assert.Single(Assert.Single(configuration.Groups).Networks);

        var change = FleetPlanner.Plan(desired, host.Ops.TryGetOne("default"), host.Uri, "g");

        Assert.Equal(FleetAction.ChangeLive, change.Action);
        Assert.Equal("DhcpReservations", Assert.Single(change.Differences).Property);
        Assert.Equal(2, DesiredState.Converge(host.Ops, desired).Steps.Count);
        Assert.Equal(FleetAction.NoChange, FleetPlanner.Plan(desired, host.Ops.TryGetOne("default"), host.Uri, "g").Action);
    }

    [Fact]
    public void FleetConfiguration_WithABadReservation_ShouldRefuseItWithItsCodeAndPlace()
    {
        var error = Assert.Throws<KimchiException>(() => FleetConfigurationReader.ParseJson(
            """
            { "Groups": [ { "Name": "g", "Uris": ["test:///x"], "Networks": [
              { "Name": "lab", "Connection": "isolated", "Subnet": "10.1.9.0/24", "DhcpReservations": ["52:54:00:00:00:01=10.1.9.1"] } ] } ] }
            """,
            "fleet.json"));

        Assert.Equal(ErrorCodes.DhcpAddressReserved, error.Code);
        Assert.Contains("network 'lab'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FleetPlan_CreateWithReservations_ShouldNameThemInTheDescription()
    {
        var desired = new DesiredState { Name = "lab", Connection = ConnectionType.Isolated, Subnet = "10.1.9.0/24" }
            .WithDhcpReservations([DhcpReservation.Parse("52:54:00:00:00:09=10.1.9.9,nine"), DhcpReservation.Parse("52:54:00:00:00:0a=10.1.9.10")]);

        var change = FleetPlanner.Plan(desired, null, "test:///x", "g");

        Assert.Equal(FleetAction.Create, change.Action);
        Assert.Equal("isolated, Subnet 10.1.9.0/24, DhcpReservations 52:54:00:00:00:09=10.1.9.9,nine; 52:54:00:00:00:0a=10.1.9.10", change.Description);
    }

    [Fact]
    public void PlanReservationSet_WithAnotherSet_ShouldNameWhatGoesAndComesAndChangeNothing()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web, s_db));
        var before = host.Snapshot();
        var added = DhcpReservation.Parse("52:54:00:00:00:03=192.168.122.53");

        var plan = DesiredState.PlanReservationSet(host.Ops, "default", [s_web, added]);

        Assert.Equal("default", plan.Network);
        Assert.Equal(["52:54:00:00:00:02=192.168.122.51"], plan.Removed.Select(r => r.ToString()));
        Assert.Equal(["52:54:00:00:00:03=192.168.122.53"], plan.Added.Select(r => r.ToString()));
        Assert.Equal("remove DHCP reservations 52:54:00:00:00:02=192.168.122.51, add DHCP reservations 52:54:00:00:00:03=192.168.122.53 (live where the network runs, without a restart)", plan.Description);
        Assert.Equal(["52:54:00:00:00:01=192.168.122.50,web", "52:54:00:00:00:03=192.168.122.53"], HostsIn(plan.Xml));
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void ReplaceReservations_OnActiveNetworkInUse_ShouldMakeExactlyTheSetLiveAndInTheDefinition()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web, s_db));
        var moved = DhcpReservation.Parse("52:54:00:00:00:02=192.168.122.61,db");

        var network = DesiredState.ReplaceReservations(host.Ops, DesiredState.PlanReservationSet(host.Ops, "default", [moved]));

        Assert.Equal(["52:54:00:00:00:02=192.168.122.61,db"], network.DhcpReservations.Select(r => r.ToString()));
        Assert.Equal(["52:54:00:00:00:02=192.168.122.61,db"], HostsIn(host.Connection.GetNetworkXml("default")));
        Assert.Equal(["52:54:00:00:00:02=192.168.122.61,db"], HostsIn(host.Connection.GetNetworkXml("default", inactive: true)));
        Assert.True(host.Connection.GetNetwork("default")!.IsActive);
        Assert.Equal("keep the DHCP reservations as they are", DesiredState.PlanReservationSet(host.Ops, "default", [moved]).Description);
    }

    [Fact]
    public void ReplaceReservations_WithAnEmptySet_ShouldRemoveThemAll()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web, s_db));

        var plan = DesiredState.PlanReservationSet(host.Ops, "default", []);
        DesiredState.ReplaceReservations(host.Ops, plan);

        Assert.Equal(2, plan.Removed.Count);
        Assert.Empty(plan.Added);
        Assert.Empty(HostsIn(host.Connection.GetNetworkXml("default")));
        Assert.Empty(HostsIn(host.Connection.GetNetworkXml("default", inactive: true)));
    }

    [Fact]
    public void PlanReservationSet_AfterAnUpdate_ShouldJudgeAgainstTheNewSubnetAndNameAndApplyAfterIt()
    {
        using var host = new TestHost();
        host.Ops.Create(host.Ops.PlanCreate(new NetworkSpec { Name = "lab", Connection = ConnectionType.Isolated, Subnet = "10.1.9.0/24" }), start: false);
        var update = host.Ops.PlanUpdate("lab", new NetworkUpdate { NewName = "lab2", Subnet = "10.1.8.0/24" });
        var before = host.Snapshot();

        var old = host.Refused(() => DesiredState.PlanReservationSet(host.Ops, "lab", [DhcpReservation.Parse("52:54:00:00:00:09=10.1.9.9")], update));
        var plan = DesiredState.PlanReservationSet(host.Ops, "lab", [DhcpReservation.Parse("52:54:00:00:00:09=10.1.8.9,nine")], update);

        Assert.Equal(ErrorCodes.DhcpAddressOutsideSubnet, old.Code);
        Assert.Equal("lab2", plan.Network);
        Assert.Equal(before, host.Snapshot());
        host.Ops.Update(update);
        DesiredState.ReplaceReservations(host.Ops, plan);
        Assert.Equal(["52:54:00:00:00:09=10.1.8.9,nine"], HostsIn(host.Connection.GetNetworkXml("lab2", inactive: true)));
    }

    [Fact]
    public void PlanReservationSet_OnMissingNetwork_ShouldRefuseKCHNET0002E()
    {
        using var host = new TestHost();

        var error = host.Refused(() => DesiredState.PlanReservationSet(host.Ops, "nosuch", [s_web]));

        Assert.Equal(ErrorCodes.NetworkNotFound, error.Code);
    }

    [Fact]
    public void Compare_EmptySetAgainstReservations_ShouldDifferAndConvergeRemovesThemLive()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web, s_db));

        var difference = Assert.Single(host.Ops.Test(Default()));
        var result = DesiredState.Converge(host.Ops, Default());

        Assert.Equal("DhcpReservations", difference.Property);
        Assert.Empty((string[])difference.Desired!);
        Assert.Equal(2, result.Steps.Count);
        Assert.All(result.Steps, step => Assert.StartsWith("Remove DHCP reservation", step, StringComparison.Ordinal));
        Assert.Empty(HostsIn(host.Connection.GetNetworkXml("default")));
        Assert.Empty(HostsIn(host.Connection.GetNetworkXml("default", inactive: true)));
        Assert.True(host.Connection.GetNetwork("default")!.IsActive);
        Assert.Empty(host.Ops.Test(Default()));
    }

    [Fact]
    public void Compare_NoSetGiven_ShouldNotCompareTheReservations()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web));

        var desired = new DesiredState { Name = "default" }.WithDhcpReservations(null);

        Assert.Null(desired.DhcpReservations);
        Assert.Empty(host.Ops.Test(desired));
        Assert.NotNull(Default().DhcpReservations);
    }

    [Fact]
    public void FleetConfiguration_WithAnEmptyList_ShouldPlanRemovingTheReservationsAndWithoutTheKeyNothing()
    {
        using var host = new TestHost();
        DesiredState.Converge(host.Ops, Default(s_web));
        var configuration = FleetConfigurationReader.ParseJson(
            """
            { "Groups": [ { "Name": "g", "Uris": ["test:///x"], "Networks": [
              { "Name": "default", "Connection": "nat", "DhcpReservations": [] }, { "Name": "isolated", "Connection": "isolated" } ] } ] }
            """,
            "fleet.json");
        var networks = Assert.Single(configuration.Groups).Networks;

        var change = FleetPlanner.Plan(networks[0], host.Ops.TryGetOne("default"), host.Uri, "g");

        Assert.Equal(FleetAction.ChangeLive, change.Action);
        Assert.Equal("DhcpReservations", Assert.Single(change.Differences).Property);
        Assert.Null(networks[1].DhcpReservations);
        Assert.Single(DesiredState.Converge(host.Ops, networks[0]).Steps);
        Assert.Empty(HostsIn(host.Connection.GetNetworkXml("default", inactive: true)));
    }

    [Fact]
    public void FleetPlan_CreateWithAnEmptyList_ShouldSayNone()
    {
        var desired = new DesiredState { Name = "lab", Connection = ConnectionType.Isolated, Subnet = "10.1.9.0/24" }.WithDhcpReservations([]);

        var change = FleetPlanner.Plan(desired, null, "test:///x", "g");

        Assert.Equal("isolated, Subnet 10.1.9.0/24, DhcpReservations none", change.Description);
    }
}
