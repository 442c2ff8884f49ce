using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using KimchiNet.Planning;

namespace KimchiNet.Core.Tests.Planning;

public sealed class SubnetPlannerTests
{
    private static Ipv4Range[] Ranges(params string[] texts) => texts.Select(Ipv4Range.Parse).ToArray();

    private static string Plan(params string[] used) => SubnetPlanner.FindFreeSubnet(Ranges(used)).ToString();

    public static TheoryData<string[], string> PlanCases => new()
    {
        { [], "192.168.0.0/24" },
        { ["192.168.0.0/24", "192.168.1.0/24"], "192.168.2.0/24" },
        { ["192.168.1.0/24"], "192.168.0.0/24" },
        { ["192.168.0.0/16"], "172.16.0.0/24" },
        { ["192.168.0.0/17"], "192.168.128.0/24" },
        { ["192.168.0.10/24"], "192.168.1.0/24" },                       // a host interface address
        { ["192.168.0.255/32"], "192.168.1.0/24" },                      // one address blocks its /24
        { ["192.168.0.128/25"], "192.168.1.0/24" },
        { ["192.168.0.0/23"], "192.168.2.0/24" },
        { ["192.168.0.0/255.255.254.0"], "192.168.2.0/24" },
        { ["192.168.0.0/16", "172.16.0.0/12"], "10.0.0.0/24" },
        { ["192.0.0.0/2"], "172.16.0.0/24" },                            // wider than a pool
        { ["128.0.0.0/1"], "10.0.0.0/24" },                              // covers two pools at once
        { ["192.168.0.0/16", "172.16.0.0/13", "172.24.0.0/14", "172.28.0.0/15", "172.30.0.0/16", "172.31.0.0/17"], "172.31.128.0/24" },
        { ["10.0.0.0/8", "172.16.0.0/12"], "192.168.0.0/24" },           // other pools used: not our problem
        { ["192.167.255.0/24", "192.169.0.0/16"], "192.168.0.0/24" },    // neighbours of the pool
        { ["255.255.255.255/32", "192.168.0.0/16"], "172.16.0.0/24" },   // ends at the top of the address space
        { ["0.0.0.0/32", "192.168.0.0/24"], "192.168.1.0/24" },
        { ["192.168.3.0/24", "192.168.0.0/23", "192.168.0.0/24", "192.168.0.0/24", "192.168.1.128/25", "192.168.2.0/24", "192.168.2.7/32"], "192.168.4.0/24" },
        { ["192.168.5.0/24", "192.168.0.0/22", "192.168.4.0/24", "192.168.1.0/24"], "192.168.6.0/24" }, // unsorted, overlapping
        { ["192.168.0.0/24", "192.168.2.0/24"], "192.168.1.0/24" },      // a hole between used ranges
        { ["192.168.0.0/24", "192.168.1.0/25", "192.168.1.128/25"], "192.168.2.0/24" }, // adjacent halves merge
    };

    [Theory]
    [MemberData(nameof(PlanCases))]
    public void FindFreeSubnet_WithUsedRanges_ShouldReturnFirstFreeSlash24(string[] used, string expected)
    {
        var subnet = SubnetPlanner.FindFreeSubnet(Ranges(used));
        Assert.Equal(expected, subnet.ToString());
        Assert.Equal(24, subnet.Prefix);
        Assert.Equal(subnet.Network + 1, subnet.Gateway);
    }

    public static TheoryData<string[]> FullCases => new()
    {
        { ["0.0.0.0/0"] },
        { ["0.0.0.0/0", "192.168.0.0/24"] },
        { ["192.168.0.0/16", "172.16.0.0/12", "10.0.0.0/8"] },
        { ["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12", "172.16.0.0/12"] },
        { ["128.0.0.0/1", "10.255.255.255/32", "10.0.0.0/9", "10.128.0.0/255.128.0.0"] },
    };

    [Theory]
    [MemberData(nameof(FullCases))]
    public void FindFreeSubnet_WithEveryPoolCovered_ShouldThrowKCHNET0009E(string[] used)
    {
        var ex = Assert.Throws<KimchiException>(() => SubnetPlanner.FindFreeSubnet(Ranges(used)));
        Assert.Equal(ErrorCodes.NoFreeSubnet, ex.Code);
        Assert.Equal(ErrorKind.Conflict, ex.Kind);
        Assert.False(SubnetPlanner.TryFindFreeSubnet(Ranges(used), out _));
    }

    [Fact]
    public void FindFreeSubnet_WithLastSlash24OfLastPoolFree_ShouldReturnIt()
    {
        Assert.Equal(
            "10.255.255.0/24",
            Plan("192.168.0.0/16", "172.16.0.0/12", "10.0.0.0/9", "10.128.0.0/10", "10.192.0.0/11", "10.224.0.0/12",
                 "10.240.0.0/13", "10.248.0.0/14", "10.252.0.0/15", "10.254.0.0/16", "10.255.0.0/17", "10.255.128.0/18",
                 "10.255.192.0/19", "10.255.224.0/20", "10.255.240.0/21", "10.255.248.0/22", "10.255.252.0/23", "10.255.254.0/24"));
    }

    [Fact]
    public void FindFreeSubnet_With10000UsedSlash24s_ShouldSkipThemAll()
    {
        // 256 fill 192.168/16, 4,096 fill 172.16/12, and the other 5,648 the start of 10/8.
        var networks = new List<uint>();
        for (uint n = 0; n < 256; n++)
        {
            networks.Add(0xC0A80000 + (n << 8));
        }

        for (uint n = 0; n < 4096; n++)
        {
            networks.Add(0xAC100000 + (n << 8));
        }

        for (uint n = 0; n < 5648; n++)
        {
            networks.Add(0x0A000000 + (n << 8));
        }

        Assert.Equal(10_000, networks.Count);
        var random = new Random(20240610);
        var used = networks.Select(n => new Ipv4Range(n, 24)).OrderBy(_ => random.Next()).ToList();
        Assert.Equal("10.22.16.0/24", SubnetPlanner.FindFreeSubnet(used).ToString());

        // Free one in the middle of the first pool: it is found again.
        used.RemoveAll(r => r.Address == 0xC0A87B00); // 192.168.123.0
        Assert.Equal("192.168.123.0/24", SubnetPlanner.FindFreeSubnet(used).ToString());
    }

    [Fact]
    public void FindFreeSubnet_WithNull_ShouldThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => SubnetPlanner.FindFreeSubnet(null!));
        Assert.Throws<ArgumentNullException>(() => SubnetPlanner.FindOverlap(Ipv4Subnet.Parse("192.168.1.0/24"), null!));
    }

    [Fact]
    public void FindFreeSubnet_WithALazySequence_ShouldEnumerateItOnce()
    {
        var enumerations = 0;
        IEnumerable<Ipv4Range> Used()
        {
            enumerations++;
            yield return Ipv4Range.Parse("192.168.0.0/24");
        }

        Assert.Equal("192.168.1.0/24", SubnetPlanner.FindFreeSubnet(Used()).ToString());
        Assert.Equal(1, enumerations);
    }

    // ---------------------------------------------------------------- overlap check for explicit subnets

    public static TheoryData<string, string[], string?> OverlapCases => new()
    {
        { "192.168.1.0/24", [], null },
        { "192.168.1.0/24", ["192.168.0.0/24", "192.168.2.0/24"], null },       // adjacent on both sides
        { "192.168.1.0/24", ["10.0.0.0/8", "192.168.1.10/24"], "192.168.1.10/24" },
        { "192.168.1.0/24", ["192.168.1.255/32"], "192.168.1.255/32" },
        { "192.168.1.0/24", ["192.168.1.0/32"], "192.168.1.0/32" },
        { "192.168.1.0/24", ["192.168.0.255/32", "192.168.2.0/32"], null },
        { "192.168.1.0/24", ["192.168.0.0/16", "192.168.1.0/24"], "192.168.0.0/16" },  // the first in input order
        { "192.168.1.0/24", ["0.0.0.0/0"], "0.0.0.0/0" },
        { "10.0.0.0/15", ["10.1.255.0/24"], "10.1.255.0/24" },
        { "10.0.0.0/15", ["10.2.0.0/24"], null },
        { "192.168.1.3/29", ["192.168.1.8/29"], null },
        { "192.168.1.3/29", ["192.168.1.7/32"], "192.168.1.7/32" },
    };

    [Theory]
    [MemberData(nameof(OverlapCases))]
    public void FindOverlap_WithUsedRanges_ShouldReturnFirstOverlappingRange(string subnet, string[] used, string? expected)
    {
        var overlap = SubnetPlanner.FindOverlap(Ipv4Subnet.Parse(subnet), Ranges(used));
        Assert.Equal(expected, overlap?.ToString());
    }

    // ---------------------------------------------------------------- property test against a brute-force oracle

    /// <summary>Every candidate in pool order against every range: obviously right, and quadratic.</summary>
    private static Ipv4Subnet? Oracle(Ipv4Range[] used)
    {
        foreach (var pool in SubnetPlanner.Pools)
        {
            for (ulong network = pool.First; network + 255 <= pool.Last; network += 256)
            {
                var candidate = Ipv4Subnet.FromNetwork((uint)network, 24);
                if (!used.Any(r => r.Overlaps(candidate)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static readonly Gen<Ipv4Range> s_genRange =
        Gen.Select(
            Gen.OneOf(
                Gen.Int[0, 2].Select(i => SubnetPlanner.Pools[i].First),  // start of a pool
                Gen.UInt[0xC0A80000, 0xC0A8FFFF],                           // inside 192.168/16
                Gen.UInt[0xAC100000, 0xAC1FFFFF],                           // inside 172.16/12
                Gen.UInt[0x0A000000, 0x0AFFFFFF],                           // inside 10/8
                Gen.UInt),                                                  // anywhere
            Gen.Frequency(
                (1, Gen.Int[0, 7]),
                (4, Gen.Int[8, 18]),
                (6, Gen.Int[19, 32])),
            (address, prefix) => new Ipv4Range(address, prefix));

    [Fact]
    public void FindFreeSubnet_ForRandomUsedSets_ShouldMatchBruteForceOracle()
    {
        s_genRange.Array[0, 24].Sample(
            used =>
            {
                var expected = Oracle(used);
                var found = SubnetPlanner.TryFindFreeSubnet(used, out var subnet);
                Assert.Equal(expected.HasValue, found);
                if (found)
                {
                    Assert.Equal(expected, subnet);
                    Assert.DoesNotContain(used, r => r.Overlaps(subnet));
                    Assert.Contains(SubnetPlanner.Pools, p => p.Overlaps(Ipv4Range.FromSubnet(subnet)));
                }
            },
            iter: 300);
    }

    [Fact]
    public void FindOverlap_ForRandomInput_ShouldMatchLinearScan()
    {
        Gen.Select(s_genRange.Array[0, 16], Gen.UInt[0x0A000000, 0xC0A8FFFF], Gen.Int[15, 29]).Sample(
            t =>
            {
                var (used, address, prefix) = t;
                var subnet = Ipv4Subnet.FromNetwork(address, prefix);
                var expected = used.Where(r => (ulong)r.First <= subnet.Broadcast && r.Last >= subnet.Network).Select(r => (Ipv4Range?)r).FirstOrDefault();
                Assert.Equal(expected, SubnetPlanner.FindOverlap(subnet, used));
            },
            iter: 300);
    }
}
