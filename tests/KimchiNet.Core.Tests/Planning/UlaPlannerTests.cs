using System.Linq;
using KimchiNet.Planning;

namespace KimchiNet.Core.Tests.Planning;

public sealed class UlaPlannerTests
{
    private const ulong GlobalId = 0x123456789a;

    private static Ipv6Range[] Ranges(params string[] texts) => texts.Select(t =>
    {
        Assert.True(Ipv6Range.TryParse(t, out var range), t);
        return range;
    }).ToArray();

    public static TheoryData<string[], string> PlanCases => new()
    {
        { [], "fd12:3456:789a::/64" },
        { ["fd12:3456:789a::/64"], "fd12:3456:789a:1::/64" },
        { ["fd12:3456:789a::/64", "fd12:3456:789a:2::/64"], "fd12:3456:789a:1::/64" },       // a hole
        { ["fd12:3456:789a::42/128"], "fd12:3456:789a:1::/64" },                               // a host address blocks its /64
        { ["fd12:3456:789a::/62"], "fd12:3456:789a:4::/64" },                                  // a wider route blocks four
        { ["fd99::/64", "2001:db8::/32"], "fd12:3456:789a::/64" },                               // elsewhere: no matter
        { ["fd12:3456:789a::/49"], "fd12:3456:789a:8000::/64" },
    };

    [Theory]
    [MemberData(nameof(PlanCases))]
    public void TryFindFreeSubnet_ShouldPickTheLowestFreeSubnetIdUnderTheGlobalId(string[] used, string expected)
    {
        Assert.True(UlaPlanner.TryFindFreeSubnet(GlobalId, Ranges(used), out var subnet));
        Assert.Equal(expected, subnet.ToString());
        Assert.Equal(GlobalId, UlaPlanner.GlobalIdOf(subnet.Network));
    }

    [Theory]
    [InlineData("fd12:3456:789a::/48")]
    [InlineData("fd00::/8")]
    [InlineData("::/0")]
    public void TryFindFreeSubnet_WhenTheWholeSlash48IsUsed_ShouldFindNothing(string used) =>
        Assert.False(UlaPlanner.TryFindFreeSubnet(GlobalId, Ranges(used), out _));

    [Fact]
    public void NewGlobalId_ShouldBe40RandomBits()
    {
        var ids = Enumerable.Range(0, 64).Select(_ => UlaPlanner.NewGlobalId()).ToArray();
        Assert.All(ids, id => Assert.True(id <= UlaPlanner.MaxGlobalId));
        Assert.True(ids.Distinct().Count() > 60, "64 draws of 40 random bits repeat almost never");
        Assert.True(ids.Any(id => id > 0xffffffff), "the top 8 bits are used too");
    }

    [Fact]
    public void SitePrefixAndGlobalIdOf_ShouldRoundTrip_AndKnowOnlyFd00Slash8()
    {
        Assert.Equal("fd12:3456:789a::", Ipv6Subnet.FormatAddress(UlaPlanner.SitePrefix(GlobalId)));
        Assert.Equal(GlobalId, UlaPlanner.GlobalIdOf(UlaPlanner.SitePrefix(GlobalId) | 0x1234));
        Assert.True(Ipv6Subnet.TryParseAddress("fc12:3456:789a::1", out var fc));
        Assert.Null(UlaPlanner.GlobalIdOf(fc));
        Assert.Equal("123456789a", UlaPlanner.FormatGlobalId(GlobalId));
        Assert.True(UlaPlanner.TryParseGlobalId("123456789A", out var parsed));
        Assert.Equal(GlobalId, parsed);
        Assert.False(UlaPlanner.TryParseGlobalId("123456789", out _));
        Assert.False(UlaPlanner.TryParseGlobalId("123456789g", out _));
        Assert.False(UlaPlanner.TryParseGlobalId("+123456789", out _));
    }
}
