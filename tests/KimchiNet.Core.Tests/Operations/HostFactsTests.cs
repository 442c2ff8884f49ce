using System.Collections.Generic;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Planning;

namespace KimchiNet.Tests.Operations;

/// <summary>The checks of a subnet against the host's addresses and routes (issue 17, defects 1 and 8).</summary>
public sealed class HostFactsTests
{
    private const string Isolated10 = "<network><name>iso</name><bridge name='virbr7'/><ip address='10.40.0.129' netmask='255.255.255.128'/></network>";

    private static HostInterfaceInfo Nic(string name, params string[] addresses) => new()
    {
        Name = name,
        Type = HostInterfaceType.Nic,
        IPv4Address = addresses.Length > 0 ? addresses[0][..addresses[0].IndexOf('/', System.StringComparison.Ordinal)] : null,
        IPv4Prefix = addresses.Length > 0 ? int.Parse(addresses[0][(addresses[0].IndexOf('/', System.StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture) : null,
        IPv4Addresses = addresses,
    };

    private static HostFacts Facts(HostNetworkView? view, string? ignored = null, params NetworkRecord[] networks) =>
        HostFacts.From(networks, view, ignored);

    [Fact]
    public void ResolveSubnet_WhenTheHostAddressesAreUnknown_ShouldPlanNothingAndSayWhyWithKCHNET0120E()
    {
        var facts = Facts(new HostNetworkView { Interfaces = [Nic("eth1")], AddressesKnown = false });
        var errors = new List<ValidationError>();

        var subnet = facts.ResolveSubnet(null, errors);

        Assert.Null(subnet);
        var error = Assert.Single(errors);
        Assert.Equal(ErrorCodes.HostAddressesUnknown, error.Code);
        Assert.Equal(ErrorKind.InvalidState, error.Kind);
        Assert.Contains("could not be read", error.Message, System.StringComparison.Ordinal);
        Assert.False(facts.AddressesKnown);
    }

    [Fact]
    public void ResolveSubnet_WhenTheHostAddressesAreUnknown_ShouldStillTakeAnExplicitSubnet()
    {
        var facts = Facts(new HostNetworkView { Interfaces = [Nic("eth1")], AddressesKnown = false });
        var errors = new List<ValidationError>();

        Assert.Equal("10.50.0.0/24", facts.ResolveSubnet("10.50.0.0/24", errors).ToString());
        Assert.Empty(errors);
    }

    [Fact]
    public void UncheckedSubnetWarnings_WhenTheHostAddressesAreUnknown_ShouldWarnForTheIpv4AndTheIpv6SubnetEach()
    {
        var facts = Facts(new HostNetworkView { Interfaces = [Nic("eth1")], AddressesKnown = false });
        Assert.True(Ipv6Subnet.TryParse("fd00:5:6:7::/64", out var ipv6, out _));

        var warnings = facts.UncheckedSubnetWarnings(Ipv4Subnet.Parse("10.50.0.0/24"), ipv6, "qemu+ssh://far/system");

        Assert.Equal(
            [
                "The addresses of host 'qemu+ssh://far/system' could not be read (libvirt's interface backend reports none, and this machine is not that host's network stack), so subnet 10.50.0.0/24 was not checked against them.",
                "The addresses of host 'qemu+ssh://far/system' could not be read (libvirt's interface backend reports none, and this machine is not that host's network stack), so IPv6 subnet fd00:5:6:7::/64 was not checked against them.",
            ],
            warnings);
        Assert.Equal(
            ["The addresses of host 'qemu+ssh://far/system' could not be read (libvirt's interface backend reports none, and this machine is not that host's network stack), so IPv6 subnet fd00:5:6:7::/64 was not checked against them."],
            facts.UncheckedSubnetWarnings(null, ipv6, "qemu+ssh://far/system"));
    }

    [Fact]
    public void UncheckedSubnetWarnings_WhenTheHostAddressesAreKnown_ShouldWarnOfNothing()
    {
        var facts = Facts(new HostNetworkView { Interfaces = [Nic("eth1", "192.168.0.5/24")], AddressesKnown = true });
        Assert.True(Ipv6Subnet.TryParse("fd00:5:6:7::/64", out var ipv6, out _));

        Assert.Empty(facts.UncheckedSubnetWarnings(Ipv4Subnet.Parse("10.50.0.0/24"), ipv6, "test:///default"));
    }

    [Fact]
    public void ResolveSubnet_WithHostAddressesAndRoutes_ShouldSkipEveryOneOfThem()
    {
        // eth2's second address and a static route through a gateway hold the next /24s.
        var view = new HostNetworkView
        {
            Interfaces = [Nic("eth2", "192.168.0.5/24", "192.168.1.7/24")],
            Routes = [new HostRouteInfo("192.168.2.0/23", "eth2", "192.168.0.1"), new HostRouteInfo("192.168.0.0/24", "eth2", null)],
            AddressesKnown = true,
            FromKernel = true,
        };
        var errors = new List<ValidationError>();

        Assert.Equal("192.168.4.0/24", Facts(view).ResolveSubnet(null, errors).ToString());
        Assert.Empty(errors);
    }

    [Fact]
    public void ResolveSubnet_WithASubnetOverlappingAHostRoute_ShouldRefuseKCHNET0003ENamingTheRoute()
    {
        var view = new HostNetworkView
        {
            Interfaces = [Nic("eth2", "192.168.0.5/24")],
            Routes = [new HostRouteInfo("10.200.0.0/16", "eth2", "192.168.0.1")],
            AddressesKnown = true,
            FromKernel = true,
        };
        var errors = new List<ValidationError>();

        Facts(view).ResolveSubnet("10.200.5.0/24", errors);

        var error = Assert.Single(errors);
        Assert.Equal(ErrorCodes.InvalidSubnet, error.Code);
        Assert.Contains("host route 10.200.0.0/16 via 192.168.0.1 dev eth2", error.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveSubnet_WithTheIgnoredNetworksOwnBridge_ShouldNotCountItsAddressOrRoute()
    {
        // The kernel shows the network's own bridge with its gateway: no conflict with itself on update.
        var view = new HostNetworkView
        {
            Interfaces = [Nic("virbr7", "10.40.0.129/25")],
            Routes = [new HostRouteInfo("10.40.0.128/25", "virbr7", null)],
            AddressesKnown = true,
            FromKernel = true,
        };
        var errors = new List<ValidationError>();

        Facts(view, "iso", new NetworkRecord("iso", Isolated10, true, true, true)).ResolveSubnet("10.40.0.0/24", errors);

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("10.40.0.128/25", "Subnet '10.40.0.128/25' overlaps")]
    [InlineData("10.40.0.130/25", "Subnet '10.40.0.130/25' (10.40.0.128/25) overlaps")]
    public void ResolveSubnet_OverlapMessage_ShouldShowTheSubnetOnceUnlessItWasReadDifferently(string subnet, string expected)
    {
        var errors = new List<ValidationError>();

        Facts(null, null, new NetworkRecord("iso", Isolated10, true, true, true)).ResolveSubnet(subnet, errors);

        Assert.StartsWith(expected, Assert.Single(errors).Message, System.StringComparison.Ordinal);
    }
}
