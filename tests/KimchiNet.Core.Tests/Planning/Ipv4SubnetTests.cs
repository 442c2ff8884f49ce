using System;
using KimchiNet.Planning;

namespace KimchiNet.Core.Tests.Planning;

public sealed class Ipv4SubnetTests
{
    private static uint A(string address) =>
        Ipv4Subnet.TryParseAddress(address, out var value) ? value : throw new ArgumentException(address);

    // Columns: subnet, network/prefix, gateway, broadcast, DHCP start, DHCP end, size.
    public static TheoryData<string, string, string, string, string, string, uint> Facts => new()
    {
        { "192.168.5.0/24", "192.168.5.0/24", "192.168.5.1", "192.168.5.255", "192.168.5.128", "192.168.5.253", 256 },
        { "192.168.5.0/255.255.255.0", "192.168.5.0/24", "192.168.5.1", "192.168.5.255", "192.168.5.128", "192.168.5.253", 256 },
        { "192.168.5.77/24", "192.168.5.0/24", "192.168.5.77", "192.168.5.255", "192.168.5.128", "192.168.5.253", 256 },
        { "192.168.5.254/24", "192.168.5.0/24", "192.168.5.254", "192.168.5.255", "192.168.5.128", "192.168.5.253", 256 },
        { "172.16.0.8/29", "172.16.0.8/29", "172.16.0.9", "172.16.0.15", "172.16.0.12", "172.16.0.13", 8 },
        { "172.16.0.11/29", "172.16.0.8/29", "172.16.0.11", "172.16.0.15", "172.16.0.12", "172.16.0.13", 8 },
        { "172.16.0.14/29", "172.16.0.8/29", "172.16.0.14", "172.16.0.15", "172.16.0.12", "172.16.0.13", 8 },
        { "10.2.0.0/15", "10.2.0.0/15", "10.2.0.1", "10.3.255.255", "10.3.0.0", "10.3.255.253", 131_072 },
        { "10.2.255.255/255.254.0.0", "10.2.0.0/15", "10.2.255.255", "10.3.255.255", "10.3.0.0", "10.3.255.253", 131_072 },
    };

    [Theory]
    [MemberData(nameof(Facts))]
    public void Parse_WithUsableSubnet_ShouldDeriveGatewayAndDhcpRange(
        string text, string network, string gateway, string broadcast, string dhcpStart, string dhcpEnd, uint size)
    {
        var subnet = Ipv4Subnet.Parse(text);
        Assert.Equal(network, subnet.ToString());
        Assert.Equal(A(gateway), subnet.Gateway);
        Assert.Equal(A(broadcast), subnet.Broadcast);
        Assert.Equal(A(dhcpStart), subnet.DhcpStart);
        Assert.Equal(A(dhcpEnd), subnet.DhcpEnd);
        Assert.Equal(size, subnet.Size);
        Assert.True(subnet.Contains(subnet.Gateway));
        Assert.False(subnet.Gateway >= subnet.DhcpStart && subnet.Gateway <= subnet.DhcpEnd);
    }

    [Fact]
    public void DhcpRange_OfLongestPrefix_ShouldFitLibvirtsLimit()
    {
        var subnet = Ipv4Subnet.FromNetwork(A("10.0.0.0"), Ipv4Subnet.MinPrefix);
        var count = subnet.DhcpEnd - subnet.DhcpStart + 1;
        Assert.True(count <= 65_536, $"{count}");
        Assert.Equal(65_534u, count);
    }

    [Fact]
    public void DhcpRange_OfShortestPrefix_ShouldHoldTwoAddressesBesideGateway()
    {
        var subnet = Ipv4Subnet.FromNetwork(A("10.0.0.0"), Ipv4Subnet.MaxPrefix);
        Assert.Equal(8u, subnet.Size);
        Assert.Equal(2u, subnet.DhcpEnd - subnet.DhcpStart + 1);
        Assert.True(subnet.Gateway < subnet.DhcpStart);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(30)]
    [InlineData(0)]
    [InlineData(32)]
    public void FromNetwork_WithPrefixOutsideUsableRange_ShouldThrow(int prefix)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv4Subnet.FromNetwork(A("10.0.0.0"), prefix));
    }

    [Fact]
    public void FromNetwork_WithHostBits_ShouldClearThem()
    {
        var subnet = Ipv4Subnet.FromNetwork(A("192.168.7.99"), 24);
        Assert.Equal("192.168.7.0/24", subnet.ToString());
        Assert.Equal(A("192.168.7.1"), subnet.Gateway);
    }

    [Fact]
    public void Default_WithNoValueSet_ShouldSpanTheWholeAddressSpace()
    {
        var everything = default(Ipv4Subnet);
        Assert.Equal(uint.MaxValue, everything.Broadcast);
        Assert.True(everything.Overlaps(Ipv4Subnet.Parse("192.168.5.0/24")));
    }

    [Theory]
    [InlineData("192.168.0.0/24", "192.168.0.128/29", true)]
    [InlineData("192.168.0.0/24", "192.168.1.0/24", false)]
    [InlineData("192.168.0.0/23", "192.168.1.0/24", true)]
    [InlineData("10.0.0.0/15", "10.1.255.248/29", true)]
    [InlineData("10.0.0.0/15", "10.2.0.0/29", false)]
    public void Overlaps_OfTwoSubnets_ShouldBeSymmetric(string a, string b, bool expected)
    {
        var left = Ipv4Subnet.Parse(a);
        var right = Ipv4Subnet.Parse(b);
        Assert.Equal(expected, left.Overlaps(right));
        Assert.Equal(expected, right.Overlaps(left));
    }

    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", uint.MaxValue)]
    [InlineData("192.168.1.10", 0xC0A8010Au)]
    public void TryParseAddress_AndFormatAddress_ShouldRoundTrip(string text, uint value)
    {
        Assert.True(Ipv4Subnet.TryParseAddress(text, out var parsed));
        Assert.Equal(value, parsed);
        Assert.Equal(text, Ipv4Subnet.FormatAddress(value));
    }

    [Theory]
    [InlineData(0u, 0)]
    [InlineData(0xFFFFFFFFu, 32)]
    [InlineData(0xFFFFFF00u, 24)]
    [InlineData(0xFFFE0000u, 15)]
    [InlineData(0xFFFFFF01u, -1)]
    [InlineData(0x7FFFFFFFu, -1)]
    [InlineData(0xFF00FF00u, -1)]
    public void MaskToPrefix_WithEachMask_ShouldGiveItsPrefixOrRefuseANonContiguousOne(uint mask, int prefix)
    {
        Assert.Equal(prefix, Ipv4Subnet.MaskToPrefix(mask));
        if (prefix >= 0)
        {
            Assert.Equal(mask, Ipv4Subnet.PrefixToMask(prefix));
        }
    }

    [Fact]
    public void Parse_WithMalformedText_ShouldThrowKCHNET0013EWithPrintableMessage()
    {
        var ex = Assert.Throws<KimchiException>(() => Ipv4Subnet.Parse("10.0.0.0\u001B[2J/24"));
        Assert.Equal(ErrorCodes.MalformedSubnet, ex.Code);
        Assert.Equal("10.0.0.0\u001B[2J/24", ex.Target);
        Assert.DoesNotContain('\u001B', ex.Message);
        Assert.Contains(@"'10.0.0.0\u001B[2J/24'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithHugeText_ShouldShortenTheMessage()
    {
        var text = "1." + new string('1', 5000) + "/24";
        var ex = Assert.Throws<KimchiException>(() => Ipv4Subnet.Parse(text));
        Assert.True(ex.Message.Length < 500, ex.Message);
        Assert.Contains("(5005 characters)", ex.Message, StringComparison.Ordinal);
    }
}
