using System;
using System.Globalization;
using System.IO;
using System.Threading;
using CsCheck;
using Xunit.Abstractions;

namespace KimchiNet.Tests.Fuzz;

/// <summary>
/// How many cases each fuzz property runs, and where the counts are reported. The test command runs
/// each property's small default (seconds in all). <c>build.ps1 Fuzz</c> sets
/// <c>KIMCHINET_FUZZ_ITER</c> to the number of cases for an ordinary property (the costly ones, with
/// megabyte inputs, run a fixed fraction of it) and <c>KIMCHINET_FUZZ_REPORT</c> to a file each
/// property appends "name cases" to. <c>KIMCHINET_FUZZ_SEED</c> replays the seed CsCheck printed
/// for a failure.
/// </summary>
internal static class FuzzBudget
{
    private static readonly object s_reportGate = new();

    /// <summary>The number of cases for a property: its default in the test command, else the budget times its weight (at least 1).</summary>
    public static long Iterations(long testDefault, double weight = 1.0)
    {
        var text = Environment.GetEnvironmentVariable("KIMCHINET_FUZZ_ITER");
        if (string.IsNullOrWhiteSpace(text))
        {
            return testDefault;
        }

        var budget = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return Math.Max(1, (long)(budget * weight));
    }

    /// <summary>Runs the property over <paramref name="gen"/> and reports how many cases ran (CsCheck shrinks and throws on a failure).</summary>
    public static void Run<T>(ITestOutputHelper output, string name, Gen<T> gen, Action<T> property, long testDefault, double weight = 1.0, Func<T, string>? print = null)
    {
        var iterations = Iterations(testDefault, weight);
        long ran = 0;
        var seed = Environment.GetEnvironmentVariable("KIMCHINET_FUZZ_SEED");
        var started = DateTime.UtcNow;
        gen.Sample(
            value =>
            {
                Interlocked.Increment(ref ran);
                property(value);
            },
            seed: string.IsNullOrWhiteSpace(seed) ? null : seed,
            iter: iterations,
            print: print);
        Report(output, name, Interlocked.Read(ref ran), DateTime.UtcNow - started);
    }

    private static void Report(ITestOutputHelper output, string name, long cases, TimeSpan elapsed)
    {
        // The count includes CsCheck's own repeats (none unless a case fails and is shrunk).
        var line = string.Create(CultureInfo.InvariantCulture, $"fuzz {name}: {cases} cases in {elapsed.TotalSeconds:F1} s");
        output.WriteLine(line);
        var report = Environment.GetEnvironmentVariable("KIMCHINET_FUZZ_REPORT");
        if (!string.IsNullOrWhiteSpace(report))
        {
            lock (s_reportGate)
            {
                File.AppendAllText(report, line + Environment.NewLine);
            }
        }
    }
}
