using System;
using KimchiNet.Planning;

namespace KimchiNet.Core.Tests.Planning;

public sealed class Ipv6SubnetTests
{
    [Theory]
    [InlineData("fd12:3456:789a:1::/64", "fd12:3456:789a:1::/64", "fd12:3456:789a:1::1", "fd12:3456:789a:1::100", "fd12:3456:789a:1::1ff")]
    [InlineData("FD12:3456:789A:0001:0000:0000:0000:0007/64", "fd12:3456:789a:1::/64", "fd12:3456:789a:1::1", "fd12:3456:789a:1::100", "fd12:3456:789a:1::1ff")] // host bits dropped, case ignored
    [InlineData("2001:db8:0:5::/64", "2001:db8:0:5::/64", "2001:db8:0:5::1", "2001:db8:0:5::100", "2001:db8:0:5::1ff")]
    public void TryParse_WithASlash64_ShouldGiveTheNetworkGatewayAndDhcpRange(string text, string network, string gateway, string start, string end)
    {
        Assert.True(Ipv6Subnet.TryParse(text, out var subnet, out var error));
        Assert.Null(error);
        Assert.Equal(network, subnet.ToString());
        Assert.Equal(gateway, Ipv6Subnet.FormatAddress(subnet.Gateway));
        Assert.Equal(start, Ipv6Subnet.FormatAddress(subnet.DhcpStart));
        Assert.Equal(end, Ipv6Subnet.FormatAddress(subnet.DhcpEnd));
        Assert.True(subnet.Contains(subnet.DhcpEnd));
    }

    [Theory]
    [InlineData("fd12:3456:789a:1::/48", "only a /64")]
    [InlineData("fd12:3456:789a:1::/65", "only a /64")]
    [InlineData("fd12:3456:789a:1::/064x", "only a /64")]
    [InlineData("fd12:3456:789a:1::", "write an IPv6 network")]
    [InlineData("10.0.0.0/64", "not an IPv6 address")]
    [InlineData("fd12::1%eth0/64", "not an IPv6 address")]
    [InlineData("fd12:::1/64", "not an IPv6 address")]
    [InlineData("ff02::/64", "multicast")]
    [InlineData("fe80::/64", "link-local")]
    [InlineData("febf:1::/64", "link-local")]
    [InlineData("::/64", "::/64")]
    [InlineData("::ffff:10.0.0.1/64", "::/64")]
    [InlineData("", "write an IPv6 network")]
    public void TryParse_WithSomethingElse_ShouldRefuseItWithKCHNET0126E(string text, string reason)
    {
        Assert.False(Ipv6Subnet.TryParse(text, out _, out var error));
        Assert.Equal(ErrorCodes.InvalidIpv6Subnet, error.Code);
        Assert.Equal("Ipv6Subnet", error.ParameterName);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fd00::/8", "fd00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fd12:3456:789a:1::5/64", "fd12:3456:789a:1::", "fd12:3456:789a:1:ffff:ffff:ffff:ffff")]
    [InlineData("fd12::7", "fd12::7", "fd12::7")]
    [InlineData("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void Ipv6Range_TryParse_ShouldCoverThePrefix(string text, string first, string last)
    {
        Assert.True(Ipv6Range.TryParse(text, out var range));
        Assert.Equal(first, Ipv6Subnet.FormatAddress(range.First));
        Assert.Equal(last, Ipv6Subnet.FormatAddress(range.Last));
    }

    [Theory]
    [InlineData("10.0.0.0/24")]
    [InlineData("fd12::/129")]
    [InlineData("default")]
    [InlineData(null)]
    public void Ipv6Range_TryParse_WithAnythingButIpv6_ShouldSayNo(string? text) => Assert.False(Ipv6Range.TryParse(text, out _));

    [Fact]
    public void Overlaps_ShouldHoldForAnAddressInsideAndAWiderPrefix_AndNotForANeighbour()
    {
        Assert.True(Ipv6Subnet.TryParse("fd12:3456:789a:1::/64", out var subnet, out _));
        Assert.True(subnet.Overlaps(Range("fd12:3456:789a:1::42/128")));
        Assert.True(subnet.Overlaps(Range("fd12:3456:789a::/48")));
        Assert.False(subnet.Overlaps(Range("fd12:3456:789a:2::/64")));
        Assert.False(subnet.Overlaps(Range("fd12:3456:789a:0:ffff:ffff:ffff:ffff/128")));
    }

    private static Ipv6Range Range(string text)
    {
        Assert.True(Ipv6Range.TryParse(text, out var range));
        return range;
    }
}
