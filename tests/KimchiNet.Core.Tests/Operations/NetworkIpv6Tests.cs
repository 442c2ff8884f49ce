using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Planning;
using KimchiNet.Tests.Libvirt;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Operations;

/// <summary>IPv6 dual stack on libvirt's test driver: planning a unique-local /64, overlaps, IPv6 NAT's libvirt version, updates and IPv6 reservations.</summary>
[Collection(LibvirtCollection.Name)]
public sealed class NetworkIpv6Tests
{
    private static NetworkSpec Spec(string name, ConnectionType connection, string? ipv6, bool? dhcp6 = null, bool? nat6 = null) => new()
    {
        Name = name,
        Connection = connection,
        Ipv6Subnet = ipv6,
        Ipv6Dhcp = dhcp6,
        Ipv6Nat = nat6,
    };

    private static string Create(TestHost host, NetworkSpec spec) =>
        host.Ops.Create(host.Ops.PlanCreate(spec), start: false).Ipv6Subnet!;

    [Fact]
    public void Create_WithAuto_ShouldPlanUlaSlash64sUnderOneGlobalIdKeptInTheMetadata()
    {
        using var host = new TestHost();

        var first = Create(host, Spec("a", ConnectionType.Nat, "auto"));
        var second = Create(host, Spec("b", ConnectionType.Isolated, "auto"));
        var third = Create(host, Spec("c", ConnectionType.Routed, "auto", dhcp6: false));

        Assert.True(Ipv6Range.TryParse(first, out var a));
        Assert.True(Ipv6Range.TryParse(second, out var b));
        Assert.True(Ipv6Range.TryParse(third, out var c));
        var id = UlaPlanner.GlobalIdOf(a.First);
        Assert.NotNull(id);
        Assert.Equal(id, UlaPlanner.GlobalIdOf(b.First));
        Assert.Equal(id, UlaPlanner.GlobalIdOf(c.First));
        Assert.Equal([0, 1, 2], new[] { a, b, c }.Select(r => (int)((r.First >> 64) & 0xffff)).ToArray());
        Assert.Contains($"<kimchinet:ula global-id=\"{UlaPlanner.FormatGlobalId(id!.Value)}\"/>", host.Connection.GetNetworkXml("c", inactive: true), StringComparison.Ordinal);
        var info = host.Ops.Get(n => n == "c").Single();
        Assert.Equal(ConnectionType.Routed, info.Connection);
        Assert.False(info.Ipv6Dhcp);
        Assert.Equal(third[..^3] + "1", info.Ipv6Gateway);
    }

    [Fact]
    public void PlanCreate_WithAuto_ShouldKeepTheGlobalIdAnotherNetworkRecords_AndSkipItsSubnetIds()
    {
        // A network made by KimchiNet earlier (or on another machine) recorded fd12:3456:789a as the host's prefix, with subnet ID 0 in use.
        const string kept = """
            <network><name>kept</name><metadata><kimchinet:network xmlns:kimchinet="urn:kimchinet:network:1"><kimchinet:connection>isolated</kimchinet:connection><kimchinet:ula global-id="123456789a"/></kimchinet:network></metadata>
            <bridge name='virbr9'/><ip address='10.200.0.1' prefix='24'/><ip family='ipv6' address='fd12:3456:789a::1' prefix='64'/></network>
            """;
        using var host = new TestHost(xml => xml.Replace("</node>", kept + "</node>", StringComparison.Ordinal));

        var plan = host.Ops.PlanCreate(Spec("new", ConnectionType.Nat, "auto"));

        Assert.Equal("fd12:3456:789a:1::/64", plan.Ipv6Subnet.ToString());
        Assert.Equal(0x123456789aUL, plan.UlaGlobalId);
        Assert.EndsWith(", IPv6 subnet fd12:3456:789a:1::/64", plan.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WhenAnotherCreatorRecordedAGlobalIdSinceThePlan_ShouldPlanAgainUnderThatOne()
    {
        using var host = new TestHost();
        var plan = host.Ops.PlanCreate(Spec("late", ConnectionType.Nat, "auto"));
        Assert.NotNull(plan.UlaGlobalId);
        var other = plan.UlaGlobalId == 0x123456789a ? "fd23:4567:89ab" : "fd12:3456:789a";
        var otherId = other == "fd12:3456:789a" ? "123456789a" : "23456789ab";

        // Another creator (after this plan, before this create takes the lock) was the first to plan, under its own new ID.
        host.Connection.DefineNetwork($"""
            <network><name>early</name><metadata><kimchinet:network xmlns:kimchinet="urn:kimchinet:network:1"><kimchinet:ula global-id="{otherId}"/></kimchinet:network></metadata>
            <bridge name='virbr8'/><ip address='10.201.0.1' prefix='24'/><ip family='ipv6' address='{other}::1' prefix='64'/></network>
            """);
        var info = host.Ops.Create(plan, start: false);

        Assert.Equal($"{other}:1::/64", info.Ipv6Subnet);
        Assert.Contains($"<kimchinet:ula global-id=\"{otherId}\"/>", host.Connection.GetNetworkXml("late", inactive: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WhenACreatorTheLocksCannotSeeTakesThePlannedIpv6Subnet_ShouldUndefineAndPlanAgain()
    {
        using var host = new TestHost();
        var ops = host.Ops;
        var planned = new List<string>();
        ops.BeforeDefineForTests = current =>
        {
            planned.Add(current.Ipv6Subnet.ToString()!);
            if (planned.Count == 1)
            {
                var gateway = Ipv6Subnet.FormatAddress(current.Ipv6Subnet!.Value.Gateway);
                host.Connection.DefineNetwork($"<network><name>remote</name><bridge name='virbr9'/><ip address='10.202.0.1' prefix='24'/><ip family='ipv6' address='{gateway}' prefix='64'/></network>");
            }
        };

        var info = ops.Create(ops.PlanCreate(Spec("local", ConnectionType.Isolated, "auto")), start: false);

        Assert.Equal(2, planned.Count);
        Assert.NotEqual(planned[0], info.Ipv6Subnet);
        Assert.Equal(planned[1], info.Ipv6Subnet);
        Assert.Equal(planned[0], ops.GetOne("remote").Ipv6Subnet);
    }

    [Fact]
    public void PlanCreate_WithAnIpv6SubnetAnotherNetworkHas_ShouldRefuseItWithKCHNET0128E()
    {
        using var host = new TestHost();
        Create(host, Spec("a", ConnectionType.Nat, "fd00:1:2:3::/64"));

        var error = host.Refused(() => host.Ops.PlanCreate(Spec("b", ConnectionType.Isolated, "fd00:1:2:3::9/64")));

        Assert.Equal(ErrorCodes.Ipv6SubnetOverlap, error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal("IPv6 subnet 'fd00:1:2:3::9/64' (fd00:1:2:3::/64) overlaps IPv6 subnet fd00:1:2:3::/64 of network 'a': choose another IPv6 subnet.", error.Message);
    }

    [Fact]
    public void ResolveIpv6Subnet_ShouldAvoidAndRefuseHostAddressesAndRoutes_ButNotTheDefaultRoute()
    {
        var view = new HostNetworkView
        {
            Interfaces = [new HostInterfaceInfo { Name = "eth0", Type = HostInterfaceType.Nic, IPv6Addresses = ["fd12:3456:789a::10/64"] }],
            Routes = [new HostRouteInfo("fd12:3456:789a:1::/64", "eth1", null), new HostRouteInfo("::/0", "eth0", "fe80::1")],
            AddressesKnown = true,
        };
        var facts = HostFacts.From([], view);
        var errors = new List<ValidationError>();

        var planned = facts.ResolveIpv6Subnet(Spec("n", ConnectionType.Nat, "auto"), 0x123456789a, errors);
        Assert.Empty(errors);
        Assert.Equal("fd12:3456:789a:2::/64", planned.ToString());

        facts.ResolveIpv6Subnet(Spec("n", ConnectionType.Nat, "fd12:3456:789a:0::/64"), 0, errors);
        facts.ResolveIpv6Subnet(Spec("n", ConnectionType.Nat, "fd12:3456:789a:1::/64"), 0, errors);
        Assert.Equal([ErrorCodes.Ipv6SubnetOverlap, ErrorCodes.Ipv6SubnetOverlap], errors.Select(e => e.Code).ToArray());
        Assert.Contains("address fd12:3456:789a::10/64 of host interface 'eth0'", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("host route fd12:3456:789a:1::/64 dev eth1", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveIpv6Subnet_WhenTheHostAddressesAreUnknown_ShouldPlanNothingWithKCHNET0120E()
    {
        var facts = HostFacts.From([], new HostNetworkView { Interfaces = [], AddressesKnown = false });
        var errors = new List<ValidationError>();

        Assert.Null(facts.ResolveIpv6Subnet(Spec("n", ConnectionType.Nat, "auto"), 1, errors));
        Assert.Equal(ErrorCodes.HostAddressesUnknown, Assert.Single(errors).Code);
    }

    [Fact]
    public void PlanCreate_WithIpv6NatOnALibvirtOlderThan6Point5_ShouldRefuseItWithKCHNET0129E()
    {
        using var host = new TestHost();
        var ops = new NetworkOperations(host.Connection) { LibraryVersionForTests = new Version(6, 4, 0) };

        var error = host.Refused(() => ops.PlanCreate(Spec("n", ConnectionType.Nat, "auto", nat6: true)));

        Assert.Equal(ErrorCodes.Ipv6NatUnsupported, error.Code);
        Assert.Equal(ErrorKind.NotSupported, error.Kind);
        Assert.Contains("libvirt 6.5.0 or later", error.Message, StringComparison.Ordinal);
        Assert.Contains("runs libvirt 6.4.0", error.Message, StringComparison.Ordinal);

        ops.LibraryVersionForTests = new Version(6, 5, 0);
        Assert.Contains("<nat ipv6=\"yes\" />", ops.PlanCreate(Spec("n", ConnectionType.Nat, "auto", nat6: true)).Xml, StringComparison.Ordinal);
    }

    [Fact]
    public void LibraryVersion_ShouldBeTheVersionOfLibvirtBehindTheConnection()
    {
        using var host = new TestHost();
        Assert.True(host.Connection.LibraryVersion >= new Version(6, 5, 0), $"this machine's libvirt is {host.Connection.LibraryVersion}");
    }

    [Fact]
    public void Update_ShouldAddAnIpv6Subnet_TurnDhcpv6OffAndIpv6NatOn_AndDescribeEachChange()
    {
        using var host = new TestHost();
        var ops = host.Ops;
        ops.Stop(ops.PlanStop("default", force: true));

        var add = ops.PlanUpdate("default", new NetworkUpdate { Ipv6Subnet = "fd00:9::/64" });
        Assert.Equal("Set IPv6 subnet fd00:9::/64", add.Description);
        Assert.Equal("fd00:9::/64", ops.Update(add).Ipv6Subnet);

        var change = ops.PlanUpdate("default", new NetworkUpdate { Ipv6Dhcp = false, Ipv6Nat = true });
        Assert.Equal("Serve IPv6 by router advertisements only (SLAAC), turn IPv6 NAT on", change.Description);
        var after = ops.Update(change);
        Assert.False(after.Ipv6Dhcp);
        Assert.True(after.Ipv6Nat);

        var back = ops.Update(ops.PlanUpdate("default", new NetworkUpdate { Ipv6Dhcp = true, Ipv6Nat = false }));
        Assert.True(back.Ipv6Dhcp);
        Assert.Equal("fd00:9::100", back.Ipv6DhcpStart);
        Assert.False(back.Ipv6Nat);
        Assert.DoesNotContain("<nat", host.Connection.GetNetworkXml("default", inactive: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto", "run the command again to plan another /64")]
    [InlineData("fd00:9::/64", "choose another IPv6 subnet")]
    public void Update_WhenAnotherNetworkTookThePlannedIpv6SubnetSinceThePlan_ShouldRefuseWithKCHNET0128EAndChangeNothing(string asked, string advice)
    {
        using var host = new TestHost();
        var ops = host.Ops;
        ops.Stop(ops.PlanStop("default", force: true));
        var plan = ops.PlanUpdate("default", new NetworkUpdate { Ipv6Subnet = asked });
        var planned = NetworkDescriptions.FromXml(NetworkXmlReader.Read(plan.NewXml)).Ipv6Subnet!;
        var before = host.Connection.GetNetworkXml("default", inactive: true);

        // another creator takes the /64 between the plan and the update
        Create(host, Spec("other", ConnectionType.Isolated, planned));
        var error = host.Refused(() => ops.Update(plan));

        Assert.Equal(ErrorCodes.Ipv6SubnetOverlap, error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains($"IPv6 subnet {planned} overlaps", error.Message, StringComparison.Ordinal);
        Assert.Contains("network 'other'", error.Message, StringComparison.Ordinal);
        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, host.Connection.GetNetworkXml("default", inactive: true));
    }

    [Fact]
    public void Update_WhenAnotherNetworkTookTheNewIpv4SubnetSinceThePlan_ShouldRefuseWithKCHNET0003EAndChangeNothing()
    {
        using var host = new TestHost();
        var ops = host.Ops;
        ops.Stop(ops.PlanStop("default", force: true));
        var plan = ops.PlanUpdate("default", new NetworkUpdate { Subnet = "10.213.0.0/24" });
        var before = host.Connection.GetNetworkXml("default", inactive: true);

        host.Ops.Create(host.Ops.PlanCreate(new NetworkSpec { Name = "other", Connection = ConnectionType.Isolated, Subnet = "10.213.0.0/25" }), start: false);
        var error = host.Refused(() => ops.Update(plan));

        Assert.Equal(ErrorCodes.InvalidSubnet, error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains("Subnet 10.213.0.0/24 overlaps", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, host.Connection.GetNetworkXml("default", inactive: true));

        // planned again, the overlap is refused at once; a free subnet still goes through
        Assert.Equal(ErrorCodes.InvalidSubnet, host.Refused(() => ops.PlanUpdate("default", new NetworkUpdate { Subnet = "10.213.0.0/24" })).Code);
        Assert.Equal("10.214.0.0/24", ops.Update(ops.PlanUpdate("default", new NetworkUpdate { Subnet = "10.214.0.0/24" })).Subnet);
    }

    [Fact]
    public void Update_OnAnActiveNetwork_ShouldSayAnIpv6ChangeNeedsARestart_WithKCHNET0170E()
    {
        using var host = new TestHost();

        var error = host.Refused(() => host.Ops.PlanUpdate("default", new NetworkUpdate { Ipv6Subnet = "auto" }, restart: false));

        Assert.Equal(ErrorCodes.UpdateNeedsRestart, error.Code);
        Assert.Contains("(Ipv6Subnet)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_OnAnActiveNetworkWithRestart_ShouldMarkEachIpv6ChangeAsNeedingARestart_AndLeaveItRunningWithIpv6()
    {
        using var host = new TestHost();

        // The demo host's 'isolated' network runs and no running guest uses it (the test driver cannot reconnect guests).
        var plan = host.Ops.PlanUpdate("isolated", new NetworkUpdate { Ipv6Subnet = "fd00:5::/64", Ipv6Dhcp = false }, restart: true);

        Assert.True(plan.Restart);
        Assert.Equal("Set IPv6 subnet fd00:5::/64 (needs a restart), serve IPv6 by router advertisements only (SLAAC) (needs a restart)", plan.Description);
        var after = host.Ops.Update(plan);
        Assert.Equal(NetworkState.Active, after.State);
        Assert.Equal("fd00:5::/64", after.Ipv6Subnet);
        Assert.False(after.Ipv6Dhcp);
        Assert.Equal("192.168.100.0/24", after.Subnet);
    }

    [Fact]
    public void Ipv6Reservation_ShouldBeAddedListedAndRemovedByDuid_AndEachRuleRefused()
    {
        using var host = new TestHost();
        Create(host, Spec("v6", ConnectionType.Nat, "fd00:77::/64"));
        var dhcp = new DhcpOperations(host.Connection);

        var added = dhcp.Add(dhcp.PlanAdd(new DhcpReservationSpec { Network = "v6", Duid = "00:03:00:01:52:54:00:AA:BB:CC", IPAddress = "fd00:77::50", HostName = "web" }));
        Assert.Equal("00:03:00:01:52:54:00:aa:bb:cc", added.Duid);
        Assert.Contains("<host id='00:03:00:01:52:54:00:aa:bb:cc' name='web' ip='fd00:77::50'/>", host.Connection.GetNetworkXml("v6", inactive: true), StringComparison.Ordinal);
        dhcp.Add(dhcp.PlanAdd(new DhcpReservationSpec { Network = "v6", HostName = "db", IPAddress = "fd00:77::51" }));
        Assert.Equal(["fd00:77::50", "fd00:77::51"], dhcp.GetReservations(n => n == "v6").Select(r => r.IPAddress ?? "(none)").ToArray());

        string Refused(DhcpReservationSpec spec) => host.Refused(() => dhcp.PlanAdd(spec)).Code;
        Assert.Equal(ErrorCodes.DhcpDuidInUse, Refused(new() { Network = "v6", Duid = "00:03:00:01:52:54:00:aa:bb:cc", IPAddress = "fd00:77::52" }));
        Assert.Equal(ErrorCodes.DhcpAddressInUse, Refused(new() { Network = "v6", Duid = "00:01:02", IPAddress = "fd00:77:0:0::50" }));
        Assert.Equal(ErrorCodes.DhcpHostNameInUse, Refused(new() { Network = "v6", HostName = "WEB", IPAddress = "fd00:77::53" }));
        Assert.Equal(ErrorCodes.InvalidDuid, Refused(new() { Network = "v6", Duid = "00:03,00", IPAddress = "fd00:77::53" }));
        Assert.Equal(ErrorCodes.InvalidDuid, Refused(new() { Network = "v6", Duid = "000:03", IPAddress = "fd00:77::53" }));
        Assert.Equal(ErrorCodes.InvalidDuid, Refused(new() { Network = "v6", Duid = "03", IPAddress = "fd00:77::53" }));
        Assert.Equal(ErrorCodes.DhcpDuidInUse, Refused(new() { Network = "v6", Duid = "0:3:0:1:52:54:0:aa:bb:cc", IPAddress = "fd00:77::53" }));
        Assert.Equal(ErrorCodes.DhcpAddressOutsideSubnet, Refused(new() { Network = "v6", Duid = "00:01:02", IPAddress = "fd00:78::53" }));
        Assert.Equal(ErrorCodes.DhcpAddressReserved, Refused(new() { Network = "v6", Duid = "00:01:02", IPAddress = "fd00:77::1" }));
        Assert.Equal(ErrorCodes.DhcpReservationKeys, Refused(new() { Network = "v6", MacAddress = "52:54:00:00:00:01", IPAddress = "fd00:77::53" }));
        Assert.Equal(ErrorCodes.DhcpReservationKeys, Refused(new() { Network = "v6", IPAddress = "fd00:77::53" }));
        Assert.Equal(ErrorCodes.Dhcpv6NotAvailable, Refused(new() { Network = "default", Duid = "00:01:02", IPAddress = "fd00:77::53" }));

        // A dual-stack client has one reservation per family with the same name: no clash across families.
        dhcp.Add(dhcp.PlanAdd(new DhcpReservationSpec { Network = "v6", MacAddress = "52:54:00:00:00:01", IPAddress = NetworkDescriptions.FromXml(NetworkXmlReader.Read(host.Connection.GetNetworkXml("v6"))).Subnet![..^4] + "50", HostName = "web" }));

        var removal = dhcp.PlanRemove(new DhcpReservationSpec { Network = "v6", Duid = "00:03:00:01:52:54:00:aa:bb:cc" });
        Assert.StartsWith("Remove DHCP reservation DUID 00:03:00:01:52:54:00:aa:bb:cc -> fd00:77::50 (name web)", removal.Description, StringComparison.Ordinal);
        dhcp.Remove(removal);
        dhcp.Remove(dhcp.PlanRemove(new DhcpReservationSpec { Network = "v6", HostName = "db" }));
        Assert.Equal(["52:54:00:00:00:01"], dhcp.GetReservations(n => n == "v6").Select(r => r.MacAddress ?? "(none)").ToArray());
    }

    [Fact]
    public void Ipv6Reservation_OnARouterAdvertisementOnlyNetwork_ShouldBeRefusedWithKCHNET0174E()
    {
        using var host = new TestHost();
        Create(host, Spec("ra", ConnectionType.Routed, "fd00:78::/64", dhcp6: false));
        var dhcp = new DhcpOperations(host.Connection);

        var error = host.Refused(() => dhcp.PlanAdd(new DhcpReservationSpec { Network = "ra", Duid = "00:01:02", IPAddress = "fd00:78::50" }));

        Assert.Equal(ErrorCodes.Dhcpv6NotAvailable, error.Code);
        Assert.Contains("router advertisements only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_WithIpv6Properties_ShouldCompareThemWithTheNetwork()
    {
        using var host = new TestHost();
        Create(host, Spec("v6", ConnectionType.Nat, "fd00:79::/64", nat6: true));

        Assert.Empty(host.Ops.Test(DesiredState.From("v6", ipv6Subnet: "auto", ipv6Dhcp: true, ipv6Nat: true)));
        Assert.Empty(host.Ops.Test(DesiredState.From("v6", ipv6Subnet: "fd00:79::1/64")));
        var differences = host.Ops.Test(DesiredState.From("v6", ipv6Subnet: "fd00:80::/64", ipv6Dhcp: false, ipv6Nat: false));
        Assert.Equal(["Ipv6Subnet", "Ipv6Dhcp", "Ipv6Nat"], differences.Select(d => d.Property).ToArray());
        Assert.Equal(["Ipv6Subnet"], host.Ops.Test(DesiredState.From("default", ipv6Subnet: "auto")).Select(d => d.Property).ToArray());
    }
}
