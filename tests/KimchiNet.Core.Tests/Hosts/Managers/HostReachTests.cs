using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Hosts.Managers;

namespace KimchiNet.Tests.Hosts.Managers;

/// <summary>
/// What a bridge made through a manager must hold of how the host was reached through its NIC (issue 14, item 3):
/// the record (<see cref="HostReach.Of"/>) and the rule (<see cref="HostReach.Lacks"/>) for IPv4 and IPv6, from given
/// addresses and routes; and the record from what ip really prints in a network namespace.
/// </summary>
public sealed class HostReachTests
{
    private static readonly IpAddress s_v4 = Address("192.0.2.10", 24);
    private static readonly IpAddress s_static6 = Address("2001:db8:1::10", 64);
    private static readonly IpAddress s_slaac = Address("2001:db8:2::a8bb:ccff:fedd:eeff", 64, valid: 86400, dynamic: true);
    private static readonly IpAddress s_linkLocal = Address("fe80::a8bb:ccff:fedd:eeff", 64, scope: "link");
    private static readonly IpRoute s_default4 = Route("default", "192.0.2.1", "boot");
    private static readonly IpRoute s_default6 = Route("default", "fe80::1", "ra");

    [Fact]
    public void Of_ShouldRecordStaticIpv6AddressesExactlyAndDynamicOnesAsTheirNetworks()
    {
        var temporary = Address("2001:db8:2::1234:5678:9abc:def0", 64, valid: 3600, dynamic: true);
        var deprecated = Address("2001:db8:9::1", 64, valid: 600, dynamic: true) with { Deprecated = true };
        var failed = Address("2001:db8:8::1", 64) with { DadFailed = true };
        var dhcp6 = Address("2001:db8:3::1:5", 128, valid: 7200, dynamic: true);
        var finiteOnly = Address("2001:db8:4::7", 64, valid: 300);
        var reach = HostReach.Of("eth1", [s_v4], [s_default4, Route("192.0.2.0/24", null, "kernel")],
            [s_static6, s_slaac, temporary, deprecated, failed, dhcp6, finiteOnly, s_linkLocal],
            [s_default6, Route("2001:db8:1::/64", null, "kernel"), Route("2001:db8:2::/64", null, "ra"), Route("2001:db8:5::/48", "2001:db8:1::1", "static")],
            gateway => gateway == "192.0.2.1");

        Assert.Equal(["192.0.2.10/24"], reach.Addresses);
        Assert.Equal(["default"], reach.Routes.Select(r => r.Destination));
        Assert.Equal("192.0.2.1", reach.Gateway);
        Assert.Equal(["2001:db8:1::10/64"], reach.Addresses6);
        Assert.Equal(["2001:db8:2::/64", "2001:db8:3::/64", "2001:db8:4::/64"], reach.Networks6);
        Assert.Equal(["2001:db8:5::/48"], reach.Routes6.Select(r => r.Destination));
        Assert.Equal("fe80::1", reach.Default6?.Gateway);
        Assert.True(reach.HasIpv6);
    }

    [Fact]
    public void Of_WithoutIpv6AndAGatewayThatDoesNotAnswer_ShouldRecordNoIpv6AndNoGateway()
    {
        var reach = HostReach.Of("eth1", [s_v4], [s_default4], [s_linkLocal], [Route("fe80::/64", null, "kernel")], _ => false);

        Assert.Null(reach.Gateway);
        Assert.False(reach.HasIpv6);
        Assert.Null(reach.Lacks("kbeth1", [s_v4], [], [s_default4], []));
    }

    [Theory]
    [InlineData("2001:db8:1:0:a:b:c:d", 64, "2001:db8:1::/64")]
    [InlineData("2001:db8:1:0:a:b:c:d", 128, "2001:db8:1::/64")]
    [InlineData("2001:db8:1:abcd::1", 56, "2001:db8:1:ab00::/56")]
    [InlineData("fd12:3456:789a:1::1", 48, "fd12:3456:789a::/48")]
    public void Network6_ShouldBeThePrefixButNoLongerThan64(string address, int prefix, string expected) =>
        Assert.Equal(expected, HostReach.Network6(address, prefix));

    [Fact]
    public void Lacks_WhenTheBridgeHoldsEverything_ShouldBeNull()
    {
        var reach = Reach();
        var otherSlaac = Address("2001:db8:2::4c2f:11ff:fe22:3344", 64, valid: 86400, dynamic: true);

        Assert.Null(reach.Lacks("kbeth1", [s_v4], [s_static6, otherSlaac, s_linkLocal], [s_default4], [Route("default", "fe80::2", "ra"), Route("2001:db8:5::/48", "2001:db8:1::1", "static")]));
    }

    [Fact]
    public void Lacks_WithTheStaticIpv6AddressMissing_ShouldNameItAfterTheIpv4Ones()
    {
        var reach = Reach();
        var slaacOnBridge = Address("2001:db8:2::1", 64, valid: 600, dynamic: true);

        Assert.Equal("'kbeth1' did not get the addresses 2001:db8:1::10/64",
            reach.Lacks("kbeth1", [s_v4], [slaacOnBridge], [s_default4], [s_default6]));
        Assert.Equal("'kbeth1' did not get the addresses 192.0.2.10/24, 2001:db8:1::10/64",
            reach.Lacks("kbeth1", [], [slaacOnBridge], [s_default4], [s_default6]));
    }

    [Fact]
    public void Lacks_WithOnlyIpv4Missing_ShouldSayWhatItSaidBefore()
    {
        var reach = HostReach.Of("eth1", [s_v4], [s_default4], [], [], _ => true);

        Assert.Equal("'kbeth1' did not get the addresses 192.0.2.10/24", reach.Lacks("kbeth1", [], [], [s_default4], []));
        Assert.Equal("'kbeth1' did not get the routes default via 192.0.2.1", reach.Lacks("kbeth1", [s_v4], [], [], []));
    }

    [Fact]
    public void Lacks_WithAStaticIpv6AddressWhoseDuplicateDetectionFailed_ShouldCountItMissingButATentativeOneHeld()
    {
        var reach = HostReach.Of("eth1", [], [], [s_static6], [], _ => true);

        Assert.Equal("'kbeth1' did not get the addresses 2001:db8:1::10/64", reach.Lacks("kbeth1", [], [s_static6 with { DadFailed = true }], [], []));
        Assert.Null(reach.Lacks("kbeth1", [], [s_static6], [], []));
        Assert.False(reach.HoldsAddresses([], [s_static6 with { DadFailed = true }]));
        Assert.True(reach.HoldsAddresses([], [s_static6, s_linkLocal]));
    }

    [Fact]
    public void Lacks_WithNoGlobalAddressInADynamicNetwork_ShouldNameTheNetwork()
    {
        var reach = Reach();
        var elsewhere = Address("2001:db8:7::1", 64, valid: 600, dynamic: true);

        Assert.Equal("'kbeth1' did not get a global IPv6 address in 2001:db8:2::/64 (where 'eth1' had dynamic ones, by SLAAC or DHCPv6)",
            reach.Lacks("kbeth1", [s_v4], [s_static6, elsewhere, s_linkLocal], [s_default4], [s_default6]));
        Assert.Equal("'kbeth1' did not get the addresses 2001:db8:1::10/64, nor a global IPv6 address in 2001:db8:2::/64 (where 'eth1' had dynamic ones, by SLAAC or DHCPv6)",
            reach.Lacks("kbeth1", [s_v4], [s_linkLocal], [s_default4], [s_default6]));
    }

    [Fact]
    public void Lacks_WithADhcpv6AddressOfAnotherIaid_ShouldAcceptAnyAddressOfItsSlash64()
    {
        var reach = HostReach.Of("eth1", [], [], [Address("2001:db8:3::1:5", 128, valid: 7200, dynamic: true)], [], _ => true);

        Assert.Null(reach.Lacks("kbeth1", [], [Address("2001:db8:3::1:9", 128, valid: 7200, dynamic: true)], [], []));
        Assert.NotNull(reach.Lacks("kbeth1", [], [Address("2001:db8:33::1:5", 128, valid: 7200, dynamic: true)], [], []));
    }

    [Fact]
    public void Lacks_WithoutTheIpv6DefaultRouteOrAStaticIpv6Route_ShouldNameThem()
    {
        var reach = Reach();
        var held6 = new[] { s_static6, s_slaac };

        Assert.Equal("'kbeth1' did not get an IPv6 default route ('eth1' had one via fe80::1)",
            reach.Lacks("kbeth1", [s_v4], held6, [s_default4], [Route("2001:db8:5::/48", "2001:db8:1::1", "static")]));
        Assert.Equal("'kbeth1' did not get the routes default via 192.0.2.1, 2001:db8:5::/48 via 2001:db8:1::1, nor an IPv6 default route ('eth1' had one via fe80::1)",
            reach.Lacks("kbeth1", [s_v4], held6, [], [Route("fe80::/64", null, "kernel"), Route("default", null, "kernel") with { Type = "unreachable" }]));
    }

    [Fact]
    public void Of_FromWhatIpPrintsInANamespace_ShouldTellStaticFromDynamicIpv6Addresses()
    {
        using var lab = new NetnsLab();
        lab.Ip("addr", "add", "2001:db8:1::10/64", "dev", "eth1");
        lab.Ip("addr", "add", "2001:db8:2::5/64", "dev", "eth1", "valid_lft", "600", "preferred_lft", "300");
        lab.Ip("-6", "route", "add", "default", "via", "fe80::1", "dev", "eth1");
        var ip = new IpRoute2(lab.Host);

        var addresses6 = ip.Addresses6("eth1");
        var reach = HostReach.Of("eth1", ip.Addresses("eth1"), ip.Routes("eth1"), addresses6, ip.Routes6("eth1"), _ => true);

        Assert.Contains(addresses6, a => a.Scope == "link");
        Assert.Contains(addresses6, a => a.Cidr == "2001:db8:2::5/64" && a.Dynamic && a.ValidSeconds is > 0 and <= 600);
        Assert.Equal(["2001:db8:1::10/64"], reach.Addresses6);
        Assert.Equal(["2001:db8:2::/64"], reach.Networks6);
        Assert.Empty(reach.Routes6);
        Assert.Equal("fe80::1", reach.Default6?.Gateway);
        Assert.Empty(reach.Addresses);
        Assert.Null(reach.Lacks("eth1", [], addresses6, [], ip.Routes6("eth1")));
    }

    private static HostReach Reach() =>
        HostReach.Of("eth1", [s_v4], [s_default4], [s_static6, s_slaac, s_linkLocal], [s_default6, Route("2001:db8:5::/48", "2001:db8:1::1", "static")], _ => true);

    private static IpAddress Address(string local, int prefix, long? valid = null, bool dynamic = false, string scope = "global") =>
        new(local, prefix, null, scope, null, false) { Dynamic = dynamic, ValidSeconds = valid };

    private static IpRoute Route(string destination, string? gateway, string? protocol) =>
        new(destination, gateway, null, protocol, null, null, false, null);
}
