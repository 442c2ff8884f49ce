using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

// In the pool's collection: these tests open and close connections and temp files, which would
// disturb HandleTests' process-wide handle count if they ran beside it.
[Collection(LibvirtCollection.Name)]
public sealed class DesiredStateTests
{
    private static KimchiNetworkInfo Network(TestHost host, string name) => host.Ops.GetOne(name);

    private static KimchiNetworkInfo? TryNetwork(TestHost host, string name) =>
        host.Ops.Get(n => n == name).SingleOrDefault();

    /// <summary>An isolated network 'lab' on 10.1.1.0/24 with gateway 10.1.1.1, autostart on, running.</summary>
    private static void CreateLab(TestHost host, ConnectionType connection = ConnectionType.Isolated, string[]? interfaces = null)
    {
        var spec = new NetworkSpec
        {
            Name = "lab",
            Connection = connection,
            Subnet = connection.HasSubnet() ? "10.1.1.0/24" : null,
            Interfaces = interfaces,
        };
        host.Ops.Create(host.Ops.PlanCreate(spec), start: true);
    }

    [Fact]
    public void Compare_WithMissingNetworkAndPresent_ShouldReportOnlyEnsure()
    {
        var differences = DesiredState.Compare(new DesiredState { Name = "lab", Connection = ConnectionType.Nat, State = NetworkState.Active }, null);

        var difference = Assert.Single(differences);
        Assert.Equal(new DesiredStateDifference("lab", "Ensure", Ensure.Present, Ensure.Absent), difference);
    }

    [Fact]
    public void Compare_WithMissingNetworkAndAbsent_ShouldReportNothing()
    {
        Assert.Empty(DesiredState.Compare(new DesiredState { Name = "lab", Ensure = Ensure.Absent }, null));
    }

    [Fact]
    public void Compare_WithExistingNetworkAndAbsent_ShouldReportOnlyEnsure()
    {
        using var host = new TestHost();

        var differences = DesiredState.Compare(new DesiredState { Name = "ovs", Ensure = Ensure.Absent, State = NetworkState.Inactive }, Network(host, "ovs"));

        Assert.Equal([new DesiredStateDifference("ovs", "Ensure", Ensure.Absent, Ensure.Present)], differences);
    }

    [Fact]
    public void Compare_WithOnlyName_ShouldCareAboutNothingElse()
    {
        using var host = new TestHost();

        Assert.All(host.Ops.Get(), n => Assert.Empty(DesiredState.Compare(new DesiredState { Name = n.Name }, n)));
    }

    [Fact]
    public void Compare_WithEveryPropertyWrong_ShouldReportEachInPropertyOrder()
    {
        using var host = new TestHost();
        var desired = new DesiredState
        {
            Name = "vepa-eth1-eth2",
            Connection = ConnectionType.Passthrough,
            Interfaces = ["eth1", "eth4"],
            State = NetworkState.Inactive,
            Autostart = true,
        };

        var differences = DesiredState.Compare(desired, Network(host, "vepa-eth1-eth2"));

        Assert.Equal(["Connection", "Interfaces", "State", "Autostart"], differences.Select(d => d.Property));
        Assert.Equal(ConnectionType.Vepa, differences[0].Actual);
        Assert.Equal(new[] { "eth1", "eth2" }, (string[])differences[1].Actual!);
        Assert.Equal(new[] { "eth1", "eth4" }, (string[])differences[1].Desired!);
        Assert.Equal(NetworkState.Active, differences[2].Actual);
        Assert.Equal(false, differences[3].Actual);
    }

    [Theory]
    [InlineData(new[] { "eth1", "eth2" }, true)]
    [InlineData(new[] { "eth2", "eth1" }, true)]   // a set: the order only picks libvirt's first forward dev
    [InlineData(new[] { "eth1" }, false)]
    [InlineData(new[] { "eth1", "eth2", "eth4" }, false)]
    [InlineData(new[] { "ETH1", "eth2" }, false)]  // Linux device names are case-sensitive
    public void Compare_WithVepaInterfaces_ShouldCompareAsSet(string[] interfaces, bool same)
    {
        using var host = new TestHost();

        var differences = DesiredState.Compare(new DesiredState { Name = "vepa-eth1-eth2", Interfaces = interfaces }, Network(host, "vepa-eth1-eth2"));

        Assert.Equal(same, differences.Count == 0);
    }

    [Theory]
    [InlineData("192.168.122.0/24", true, null)]               // network address: any gateway will do
    [InlineData("192.168.122.0/255.255.255.0", true, null)]    // a netmask is the same prefix
    [InlineData("192.168.122.1/24", true, null)]               // host address: must be the gateway, and is
    [InlineData("192.168.122.7/24", false, "192.168.122.1/24")] // host address that is not the gateway
    [InlineData("192.168.122.0/25", false, "192.168.122.0/24")]
    [InlineData("192.168.0.0/16", false, "192.168.122.0/24")]
    [InlineData("10.1.2.0/24", false, "192.168.122.0/24")]
    public void Compare_WithSubnet_ShouldCompareNetworkPrefixAndNamedGateway(string subnet, bool same, string? shownActual)
    {
        using var host = new TestHost();

        var differences = DesiredState.Compare(new DesiredState { Name = "default", Subnet = subnet }, Network(host, "default"));

        Assert.Equal(same, differences.Count == 0);
        if (!same)
        {
            var difference = Assert.Single(differences);
            Assert.Equal(("Subnet", subnet, shownActual), (difference.Property, (string)difference.Desired!, (string?)difference.Actual));
        }
    }

    [Fact]
    public void Compare_WithSubnetForNetworkWithoutOne_ShouldDiffer()
    {
        using var host = new TestHost();

        var differences = DesiredState.Compare(
            new DesiredState { Name = "ovs", Connection = ConnectionType.Nat, Subnet = "10.1.2.0/24" },
            Network(host, "ovs"));

        Assert.Equal(["Connection", "Subnet"], differences.Select(d => d.Property));
        Assert.Null(differences[1].Actual);
    }

    [Theory]
    [InlineData("macvtap-eth3", null, "10.1.2.0/24", null, null, ErrorCodes.SubnetNotAllowed)]      // judged as the network's type
    [InlineData("lab", ConnectionType.Nat, null, new[] { "eth1" }, null, ErrorCodes.InterfacesNotAllowed)]
    [InlineData("lab", ConnectionType.Macvtap, null, new[] { "eth1", "eth2" }, null, ErrorCodes.TooManyInterfaces)]
    [InlineData("lab", null, "10.1.2.0", null, null, ErrorCodes.MalformedSubnet)]                    // no type known: form only
    [InlineData("lab", null, null, null, 4095, ErrorCodes.InvalidVlanId)]
    [InlineData("lab", null, null, new[] { "eth/1" }, null, ErrorCodes.InvalidInterfaceName)]
    [InlineData("la/b", null, null, null, null, ErrorCodes.InvalidName)]
    public void Compare_WithImpossibleDesiredState_ShouldThrowKimchiCode(string name, ConnectionType? connection, string? subnet, string[]? interfaces, int? vlan, string code)
    {
        using var host = new TestHost();
        var desired = new DesiredState { Name = name, Connection = connection, Subnet = subnet, Interfaces = interfaces, VlanId = vlan };

        var error = Assert.Throws<KimchiException>(() => DesiredState.Compare(desired, TryNetwork(host, name)));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Compare_WithMissingRequiredProperty_ShouldNotThrow()
    {
        // "Vepa needs interfaces" is the create's business: a desired state may leave them out.
        var differences = DesiredState.Compare(new DesiredState { Name = "lab", Connection = ConnectionType.Vepa }, null);

        Assert.Equal("Ensure", Assert.Single(differences).Property);
    }

    [Fact]
    public void Converge_WhenEveryDemoNetworkIsAsItIs_ShouldChangeNothing()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        foreach (var network in host.Ops.Get())
        {
            var desired = new DesiredState
            {
                Name = network.Name,
                Connection = network.Connection,
                Interfaces = network.Interfaces.Count == 0 ? null : network.Interfaces,
                Subnet = network.Subnet,
                VlanId = network.VlanId,
                State = network.State,
                Autostart = network.Autostart,
            };

            var result = DesiredState.Converge(host.Ops, desired);

            Assert.False(result.Changed);
            Assert.Empty(result.Differences);
            Assert.Equal(network.Name, result.Network?.Name);
        }

        Assert.Equal(before, host.Snapshot());
        Assert.False(DesiredState.Converge(host.Ops, new DesiredState { Name = "nothing-here", Ensure = Ensure.Absent }).Changed);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Converge_WithMissingNetwork_ShouldCreateItAsDesiredAndThenBeANoOp()
    {
        using var host = new TestHost();
        var desired = new DesiredState
        {
            Name = "lab",
            Connection = ConnectionType.Isolated,
            Subnet = "10.1.2.5/24",
            State = NetworkState.Active,
            Autostart = false,
        };

        var result = DesiredState.Converge(host.Ops, desired);

        Assert.True(result.Changed);
        Assert.Equal("Ensure", Assert.Single(result.Differences).Property);
        Assert.Equal("Create: Define isolated network with subnet 10.1.2.0/24 on bridge virbr2, then start it", Assert.Single(result.Steps));
        var lab = Network(host, "lab");
        Assert.Equal((ConnectionType.Isolated, "10.1.2.0/24", "10.1.2.5", NetworkState.Active, false), (lab.Connection!.Value, lab.Subnet, lab.Gateway, lab.State, lab.Autostart));
        var before = host.Snapshot();
        Assert.False(DesiredState.Converge(host.Ops, desired).Changed);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void Converge_WithMissingNetworkAndNothingSaid_ShouldCreateItAsNewKimchiNetworkWould()
    {
        using var host = new TestHost();

        DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Connection = ConnectionType.Macvtap, Interfaces = ["eth4"] });

        var lab = Network(host, "lab");
        Assert.Equal((NetworkState.Inactive, true), (lab.State, lab.Autostart));
    }

    [Fact]
    public void Converge_WithMissingNetworkAndNoConnection_ShouldRefuseKCHNET0012E()
    {
        using var host = new TestHost();

        var error = host.Refused(() => DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Subnet = "10.1.2.0/24" }));

        Assert.Equal(ErrorCodes.InvalidConnection, error.Code);
        Assert.Contains("no connection type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Converge_WithAbsent_ShouldStopAndRemoveAnUnusedNetwork()
    {
        using var host = new TestHost();

        var result = DesiredState.Converge(host.Ops, new DesiredState { Name = "ovs", Ensure = Ensure.Absent });

        Assert.Equal("Remove: Stop, undefine network", Assert.Single(result.Steps));
        Assert.Null(result.Network);
        Assert.Null(TryNetwork(host, "ovs"));
    }

    [Fact]
    public void Converge_WithAbsentForNetworkInUse_ShouldRefuseKCHNET0017EAndChangeNothing()
    {
        using var host = new TestHost();

        var error = host.Refused(() => DesiredState.Converge(host.Ops, new DesiredState { Name = "default", Ensure = Ensure.Absent }));

        Assert.Equal(ErrorCodes.RemoveInUse, error.Code);
    }

    [Fact]
    public void Converge_WithOnlyAutostart_ShouldSetItWithoutStoppingTheNetwork()
    {
        using var host = new TestHost();
        var before = Network(host, "default");

        var result = DesiredState.Converge(host.Ops, new DesiredState { Name = "default", Autostart = true, State = NetworkState.Active });

        Assert.Equal(["Turn autostart on"], result.Steps);
        var after = Network(host, "default");
        Assert.Equal((NetworkState.Active, true), (after.State, after.Autostart));
        Assert.Equal(before.Xml, after.Xml);
    }

    [Fact]
    public void Converge_WithOnlyState_ShouldStopOrStartAndNothingElse()
    {
        using var host = new TestHost();
        var xml = Network(host, "ovs").Xml;

        var stopped = DesiredState.Converge(host.Ops, new DesiredState { Name = "ovs", State = NetworkState.Inactive });
        var started = DesiredState.Converge(host.Ops, new DesiredState { Name = "ovs", State = NetworkState.Active });

        Assert.Equal(["Stop"], stopped.Steps);
        Assert.Equal(NetworkState.Inactive, stopped.Network!.State);
        Assert.Equal(xml, Network(host, "ovs").Xml);
        Assert.Equal(["Start"], started.Steps);
        Assert.Equal(NetworkState.Active, Network(host, "ovs").State);
    }

    [Fact]
    public void Converge_StoppingANetworkInUse_ShouldRefuseKCHNET0018EAndChangeNothing()
    {
        using var host = new TestHost();

        var error = host.Refused(() => DesiredState.Converge(host.Ops, new DesiredState { Name = "default", State = NetworkState.Inactive }));

        Assert.Equal(ErrorCodes.StopInUse, error.Code);
    }

    [Fact]
    public void Converge_WithOtherSubnetOnActiveNetwork_ShouldStopUpdateAndStartAgain()
    {
        using var host = new TestHost();
        CreateLab(host);
        var before = Network(host, "lab");

        var result = DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Subnet = "10.1.2.0/24", Autostart = false });

        Assert.Equal(["Stop", "Update: Change subnet to 10.1.2.0/24, turn autostart off", "Start"], result.Steps);
        var after = Network(host, "lab");
        Assert.Equal(("10.1.2.0/24", NetworkState.Active, false, before.Uuid), (after.Subnet, after.State, after.Autostart, after.Uuid));
    }

    [Fact]
    public void Converge_WithOtherSubnetAndInactiveWanted_ShouldStopAndUpdateOnly()
    {
        using var host = new TestHost();
        CreateLab(host);

        var result = DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Subnet = "10.1.2.0/24", State = NetworkState.Inactive });

        Assert.Equal(["Stop", "Update: Change subnet to 10.1.2.0/24"], result.Steps);
        Assert.Equal(NetworkState.Inactive, Network(host, "lab").State);
    }

    [Fact]
    public void Converge_WithOverlappingSubnet_ShouldRefuseBeforeStoppingAnything()
    {
        using var host = new TestHost();
        CreateLab(host);

        var error = host.Refused(() => DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Subnet = "192.168.122.0/24" }));

        Assert.Equal(ErrorCodes.InvalidSubnet, error.Code);
        Assert.Equal(NetworkState.Active, Network(host, "lab").State);
    }

    [Fact]
    public void Converge_WithOtherSubnetOnNetworkInUse_ShouldRefuseKCHNET0018EAndChangeNothing()
    {
        using var host = new TestHost();

        var error = host.Refused(() => DesiredState.Converge(host.Ops, new DesiredState { Name = "isolated", Subnet = "10.1.2.0/24" }));

        Assert.Equal(ErrorCodes.StopInUse, error.Code);
    }

    [Fact]
    public void Converge_WithOtherInterfaces_ShouldUpdateThemInPlace()
    {
        using var host = new TestHost();
        CreateLab(host, ConnectionType.Macvtap, ["eth4"]);

        var result = DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Interfaces = ["eth0"] });

        Assert.Equal(["Stop", "Update: Change interfaces to eth0", "Start"], result.Steps);
        Assert.Equal(["eth0"], Network(host, "lab").Interfaces);
    }

    [Fact]
    public void Converge_WithOtherConnection_ShouldReplaceKeepingSubnetGatewayStateAndAutostart()
    {
        using var host = new TestHost();
        host.Ops.Create(host.Ops.PlanCreate(new NetworkSpec { Name = "lab", Connection = ConnectionType.Isolated, Subnet = "10.1.1.9/24", Autostart = false }), start: true);

        var result = DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Connection = ConnectionType.Nat });

        Assert.Equal(["Remove: Stop, undefine network", "Create: Define nat network with subnet 10.1.1.0/24 on bridge virbr2, then start it"], result.Steps);
        var lab = Network(host, "lab");
        Assert.Equal((ConnectionType.Nat, "10.1.1.0/24", "10.1.1.9", NetworkState.Active, false), (lab.Connection!.Value, lab.Subnet, lab.Gateway, lab.State, lab.Autostart));
        Assert.False(DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Connection = ConnectionType.Nat, Subnet = "10.1.1.9/24" }).Changed);
    }

    [Fact]
    public void Converge_WithOtherConnectionOnTheSameDevice_ShouldReplaceKeepingTheDevice()
    {
        using var host = new TestHost();
        CreateLab(host, ConnectionType.Macvtap, ["eth4"]);

        DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Connection = ConnectionType.Passthrough });

        var lab = Network(host, "lab");
        Assert.Equal((ConnectionType.Passthrough, "eth4"), (lab.Connection!.Value, Assert.Single(lab.Interfaces)));
    }

    [Fact]
    public void Converge_WithOtherConnectionOnADeviceInUse_ShouldRefuseBeforeRemoving()
    {
        using var host = new TestHost();
        CreateLab(host, ConnectionType.Macvtap, ["eth4"]);

        var error = host.Refused(() => DesiredState.Converge(host.Ops, new DesiredState { Name = "lab", Connection = ConnectionType.Vepa, Interfaces = ["eth4", "eth1"] }));

        Assert.Equal(ErrorCodes.InterfaceInUse, error.Code);
    }

    [Fact]
    public void Converge_WithOtherConnectionForNetworkInUse_ShouldRefuseKCHNET0017EAndChangeNothing()
    {
        using var host = new TestHost();

        var error = host.Refused(() => DesiredState.Converge(host.Ops, new DesiredState { Name = "macvtap-eth3", Connection = ConnectionType.Passthrough }));

        Assert.Equal(ErrorCodes.RemoveInUse, error.Code);
    }

    [Fact]
    public void ThrowIfInvalidOnAnyHost_WithABrokenNameOrAPropertyBrokenForTheDesiredType_ShouldThrowTheValidatorsCode()
    {
        Assert.Equal(ErrorCodes.InvalidName, Assert.Throws<KimchiException>(() => new DesiredState { Name = "a/b", Ensure = Ensure.Absent }.ThrowIfInvalidOnAnyHost()).Code);
        Assert.Equal(ErrorCodes.MalformedSubnet, Assert.Throws<KimchiException>(() => new DesiredState { Name = "lab", Connection = ConnectionType.Isolated, Subnet = "10.1.1.0" }.ThrowIfInvalidOnAnyHost()).Code);

        var valid = new DesiredState { Name = "lab", Connection = ConnectionType.Isolated, Subnet = "10.1.1.0/24" };
        Assert.Same(valid, valid.ThrowIfInvalidOnAnyHost());
    }

    [Fact]
    public void ThrowIfInvalidOnAnyHost_WhenTheRuleDependsOnTheHostsNetwork_ShouldLeaveItToCompare()
    {
        using var host = new TestHost();

        // Without a desired type the subnet is judged as the network's type, which each host has its own.
        var desired = new DesiredState { Name = "isolated", Subnet = "10.1.1.0" };

        Assert.Same(desired, desired.ThrowIfInvalidOnAnyHost());
        Assert.Equal(ErrorCodes.MalformedSubnet, Assert.Throws<KimchiException>(() => DesiredState.Compare(desired, Network(host, "isolated"))).Code);
    }
}
