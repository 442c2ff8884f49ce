using System;
using KimchiNet.Planning;

namespace KimchiNet.Core.Tests.Planning;

public sealed class Ipv4RangeTests
{
    [Theory]
    [InlineData("192.168.1.10/24", "192.168.1.0", "192.168.1.255", 24)]
    [InlineData("192.168.1.10", "192.168.1.10", "192.168.1.10", 32)]
    [InlineData("192.168.1.10/32", "192.168.1.10", "192.168.1.10", 32)]
    [InlineData("0.0.0.0/0", "0.0.0.0", "255.255.255.255", 0)]
    [InlineData("10.1.2.3/8", "10.0.0.0", "10.255.255.255", 8)]
    [InlineData("172.20.0.1/255.240.0.0", "172.16.0.0", "172.31.255.255", 12)]
    [InlineData("255.255.255.255/31", "255.255.255.254", "255.255.255.255", 31)]
    public void TryParse_WithRange_ShouldGiveFirstAndLast(string text, string first, string last, int prefix)
    {
        Assert.True(Ipv4Range.TryParse(text, out var range));
        Assert.Equal(first, Ipv4Subnet.FormatAddress(range.First));
        Assert.Equal(last, Ipv4Subnet.FormatAddress(range.Last));
        Assert.Equal(prefix, range.Prefix);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("192.168.1.10/33")]
    [InlineData("192.168.1.10/")]
    [InlineData("192.168.1.10/-1")]
    [InlineData("192.168.1.10/08")]
    [InlineData("192.168.1.10/255.0.255.0")]
    [InlineData("192.168.1.256/24")]
    [InlineData("192.168.01.1/24")]
    [InlineData("fe80::1/64")]
    [InlineData(" 192.168.1.10/24")]
    [InlineData("192.168.1/24")]
    public void TryParse_WithMalformedText_ShouldRefuse(string? text)
    {
        Assert.False(Ipv4Range.TryParse(text, out _));
        var ex = Assert.Throws<KimchiException>(() => Ipv4Range.Parse(text));
        Assert.Equal(ErrorCodes.MalformedSubnet, ex.Code);
    }

    [Fact]
    public void ToString_OfARangeParsedWithANetmask_ShouldKeepTheAddressAsGiven()
    {
        Assert.Equal("192.168.1.10/24", Ipv4Range.Parse("192.168.1.10/255.255.255.0").ToString());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(33)]
    public void Constructor_WithPrefixOutside0To32_ShouldThrow(int prefix)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ipv4Range(0, prefix));
    }
}
