using System;
using System.Collections.Generic;

namespace KimchiNet.Planning;

/// <summary>
/// Picks a subnet for a nat or isolated network that was created without one, the way Kimchi does:
/// the first /24 of the private pools, in the order 192.168.0.0/16, 172.16.0.0/12, 10.0.0.0/8,
/// that shares no address with anything in use on the host.
/// </summary>
/// <remarks>
/// Kimchi tries every candidate against every used subnet; with thousands of used ranges and 69,888
/// candidates that is quadratic. Here the used ranges become [first, last] intervals, are sorted and
/// merged once (O(n log n)), and the walk over candidates jumps past each merged interval to the
/// next /24 boundary, so it visits each interval once per pool (O(n)).
/// </remarks>
public static class SubnetPlanner
{
    /// <summary>The prefix length of every planned subnet.</summary>
    public const int PlannedPrefix = 24;

    private const uint BlockSize = 1u << (32 - PlannedPrefix);

    /// <summary>The private pools searched, in the order they are searched.</summary>
    public static IReadOnlyList<Ipv4Range> Pools { get; } =
    [
        new Ipv4Range(0xC0A80000, 16), // 192.168.0.0/16
        new Ipv4Range(0xAC100000, 12), // 172.16.0.0/12
        new Ipv4Range(0x0A000000, 8),  // 10.0.0.0/8
    ];

    /// <summary>
    /// The first free /24 in pool order, with its first host address as gateway.
    /// </summary>
    /// <param name="used">What is in use: other networks' subnets, host interface addresses; any order, overlaps and duplicates allowed.</param>
    /// <exception cref="KimchiException">KCHNET0009E (<see cref="ErrorKind.Conflict"/>) when every candidate overlaps something in use.</exception>
    public static Ipv4Subnet FindFreeSubnet(IEnumerable<Ipv4Range> used)
    {
        if (TryFindFreeSubnet(used, out var subnet))
        {
            return subnet;
        }

        throw new KimchiException(
            ErrorCodes.NoFreeSubnet,
            ErrorKind.Conflict,
            "No free /24 subnet is left in 192.168.0.0/16, 172.16.0.0/12 or 10.0.0.0/8: each one overlaps a subnet or address in use on the host. Give a subnet explicitly.");
    }

    /// <summary>As <see cref="FindFreeSubnet"/>, but returns false instead of throwing when nothing is free.</summary>
    public static bool TryFindFreeSubnet(IEnumerable<Ipv4Range> used, out Ipv4Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(used);
        var intervals = Merge(used);
        foreach (var pool in Pools)
        {
            if (TryFindInPool(intervals, pool.First, pool.Last, out var network))
            {
                subnet = Ipv4Subnet.FromNetwork(network, PlannedPrefix);
                return true;
            }
        }

        subnet = default;
        return false;
    }

    /// <summary>
    /// The first range of <paramref name="used"/>, in its order, that shares an address with
    /// <paramref name="subnet"/>; null when none does. For a subnet the user gave explicitly.
    /// </summary>
    public static Ipv4Range? FindOverlap(Ipv4Subnet subnet, IEnumerable<Ipv4Range> used)
    {
        ArgumentNullException.ThrowIfNull(used);
        foreach (var range in used)
        {
            if (range.Overlaps(subnet))
            {
                return range;
            }
        }

        return null;
    }

    /// <summary>Sorted, disjoint, non-adjacent [First, Last] intervals covering exactly the used addresses.</summary>
    private static List<(uint First, uint Last)> Merge(IEnumerable<Ipv4Range> used)
    {
        var sorted = new List<(uint First, uint Last)>();
        foreach (var range in used)
        {
            sorted.Add((range.First, range.Last));
        }

        sorted.Sort();
        var merged = new List<(uint First, uint Last)>(sorted.Count);
        foreach (var (first, last) in sorted)
        {
            // Compare in 64 bits: Last + 1 overflows when an interval ends at 255.255.255.255.
            if (merged.Count > 0 && first <= (ulong)merged[^1].Last + 1)
            {
                if (last > merged[^1].Last)
                {
                    merged[^1] = (merged[^1].First, last);
                }
            }
            else
            {
                merged.Add((first, last));
            }
        }

        return merged;
    }

    private static bool TryFindInPool(List<(uint First, uint Last)> intervals, uint poolFirst, uint poolLast, out uint network)
    {
        // Candidates and bounds are 64-bit so that jumping past an interval ending at
        // 255.255.255.255 cannot wrap around to 0.0.0.0.
        ulong candidate = poolFirst;
        var i = FirstEndingAtOrAfter(intervals, poolFirst);
        while (candidate + BlockSize - 1 <= poolLast)
        {
            while (i < intervals.Count && intervals[i].Last < candidate)
            {
                i++;
            }

            if (i == intervals.Count || intervals[i].First > candidate + BlockSize - 1)
            {
                network = (uint)candidate;
                return true;
            }

            // intervals[i] touches this candidate: go to the first /24 boundary after it.
            candidate = ((ulong)intervals[i].Last + BlockSize) & ~(ulong)(BlockSize - 1);
        }

        network = 0;
        return false;
    }

    /// <summary>Index of the first interval whose end is at or after <paramref name="address"/> (merged ends ascend).</summary>
    private static int FirstEndingAtOrAfter(List<(uint First, uint Last)> intervals, uint address)
    {
        int low = 0, high = intervals.Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (intervals[mid].Last < address)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
