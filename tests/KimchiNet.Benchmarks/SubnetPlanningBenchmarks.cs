using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using KimchiNet.Planning;

namespace KimchiNet.Benchmarks;

/// <summary>
/// Picking the subnet of a nat/isolated network created without one, with 10, 1,000 and 10,000
/// ranges in use on the host.
/// </summary>
/// <remarks>
/// The used ranges are the first N /24s in Kimchi's pool order (192.168.0.0/16, then
/// 172.16.0.0/12, then 10.0.0.0/8) in a shuffled order, so the answer is the (N+1)-th candidate:
/// the worst case for a candidate-by-candidate search. Baseline: Kimchi's algorithm written here
/// in C# (every candidate /24, in pool order, against every used range until one is free), so the
/// ratio shows the algorithm, not Python against .NET.
/// </remarks>
[MemoryDiagnoser]
public class SubnetPlanningBenchmarks
{
    private Ipv4Range[] _used = [];

    [Params(10, 1_000, 10_000)]
    public int Used { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var used = new List<Ipv4Range>(Used);
        foreach (var pool in SubnetPlanner.Pools)
        {
            for (ulong a = pool.First; a + 255 <= pool.Last && used.Count < Used; a += 256)
            {
                used.Add(new Ipv4Range((uint)a, 24));
            }
        }

        var random = new System.Random(42);
        _used = [.. used];
        random.Shuffle(_used);
        if (KimchiAlgorithm() != SubnetPlanner.FindFreeSubnet(_used))
        {
            throw new System.InvalidOperationException("the baseline and SubnetPlanner disagree");
        }
    }

    [Benchmark(Baseline = true, Description = "Kimchi's algorithm (C#)")]
    public Ipv4Subnet KimchiAlgorithm()
    {
        foreach (var pool in SubnetPlanner.Pools)
        {
            for (ulong a = pool.First; a + 255 <= pool.Last; a += 256)
            {
                var candidate = Ipv4Subnet.FromNetwork((uint)a, SubnetPlanner.PlannedPrefix);
                var free = true;
                foreach (var range in _used)
                {
                    if (range.Overlaps(candidate))
                    {
                        free = false;
                        break;
                    }
                }

                if (free)
                {
                    return candidate;
                }
            }
        }

        throw new System.InvalidOperationException("no free subnet");
    }

    [Benchmark(Description = "SubnetPlanner.FindFreeSubnet")]
    public Ipv4Subnet FindFreeSubnet() => SubnetPlanner.FindFreeSubnet(_used);
}
