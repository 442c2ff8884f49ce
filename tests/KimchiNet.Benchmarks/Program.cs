using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using System.Linq;
using Perfolizer.Horology;

namespace KimchiNet.Benchmarks;

/// <summary>
/// Entry point. Without arguments every benchmark runs with the short job below; any
/// BenchmarkDotNet option works (e.g. --filter '*Subnet*', --job Default for a long, precise run,
/// --artifacts DIR).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            args = ["--filter", "*"];
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, CreateConfig());
        // Non-zero only when a benchmark could not run (build error, exception): never on timings.
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    /// <summary>
    /// A short job for a 2-core machine shared with other work: one launch, 3 warm-ups, 7
    /// measured iterations of about 150 ms. Ratios to the baseline come from the same run.
    /// </summary>
    public static IConfig CreateConfig() => DefaultConfig.Instance
        .AddJob(Job.ShortRun
            .WithWarmupCount(3)
            .WithIterationCount(7)
            .WithIterationTime(TimeInterval.FromMilliseconds(150))
            .WithId("Short"))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddExporter(MarkdownExporter.GitHub)
        .AddColumn(StatisticColumn.Median)
        .WithOptions(ConfigOptions.DisableLogFile);
}
