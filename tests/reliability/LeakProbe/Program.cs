// LeakProbe: the cycle of tests/reliability/Measure-Leaks.ps1 (New, Get, Start, Stop -Force,
// Remove -Force of one isolated network, 10.95.0.0/24) made through KimchiNet.Core exactly as the
// cmdlets make it, without PowerShell, printing the process's memory every SAMPLE cycles.
//
//   dotnet build -c Release tests/reliability/LeakProbe
//   URI=$(bash tests/lab/lab-host up hp1)
//   dotnet tests/reliability/LeakProbe/bin/Release/net10.0/LeakProbe.dll "$URI" 1500 100
//   heaptrack dotnet tests/reliability/LeakProbe/bin/Release/net10.0/LeakProbe.dll "$URI" 300
//   (add --errors: each cycle also makes two calls libvirt fails, so its errors are captured and reset)
//   tests/reliability/LeakProbe/heaptrack-leaks.py heaptrack.dotnet.A.zst heaptrack.dotnet.B.zst
//   (never-freed bytes by origin of two recordings, e.g. 300 and 1500 cycles, and what grew between them)
//   bash tests/lab/lab-host down hp1
//
// Columns: RssKiB (VmRSS), MallocInUseKiB (glibc mallinfo2: uordblks + hblkhd, every arena: what
// malloc has handed out and not got back), MallocHeldKiB (arena + hblkhd: what malloc holds from the
// kernel), ManagedKiB (GC.GetTotalMemory after a full collection), JitMethods (methods the JIT has
// compiled so far, tier-ups included). RSS growing while MallocInUse stays flat is the allocator or
// the runtime holding memory, not something left unfreed.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using KimchiNet;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Operations;

var errors = args.Contains("--errors");
args = args.Where(a => a != "--errors").ToArray();
if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("usage: LeakProbe URI [CYCLES=1000] [SAMPLE=100] [--errors]");
    return 2;
}

var uri = args[0];
var cycles = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var sampleEvery = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
const string Name = "leak";

// Each cmdlet call is one RunOnHost (KimchiHostCmdlet): a log scope, the pooled connection, its URI,
// then the operations object the cmdlet makes (OperationsFor: host bridges on a local, non-test URI).
void Cmdlet(Action<LibvirtConnection, NetworkOperations> body)
{
    using var scope = LibvirtConnection.BeginLogScope(static _ => { });
    var connection = LibvirtConnections.Get(uri);
    var canChangeHost = connection.IsLocal && !connection.Uri.StartsWith("test:", StringComparison.OrdinalIgnoreCase);
    body(connection, new NetworkOperations(connection, canChangeHost ? new LinuxHostBridges(log: static _ => { }) : null));
}

void Cycle()
{
    Cmdlet((_, ops) => // New-KimchiNetwork -Name leak -Connection Isolated -Subnet 10.95.0.0/24
    {
        var spec = new NetworkSpec { Name = Name, Connection = ConnectionTypes.Parse("Isolated"), Subnet = "10.95.0.0/24" };
        ops.Create(ops.PlanCreate(spec), start: false);
    });
    Cmdlet((connection, _) => // Get-KimchiNetwork -Name leak (Get makes its operations without host bridges)
    {
        var found = new NetworkOperations(connection).Get(n => n == Name);
        if (found.Count != 1)
        {
            throw new InvalidOperationException($"Get returned {found.Count} networks");
        }
    });
    Cmdlet((_, ops) => // Start-KimchiNetwork
    {
        ops.GetOne(Name);
        ops.Start(Name);
    });
    Cmdlet((_, ops) => ops.Stop(ops.PlanStop(Name, force: true))); // Stop-KimchiNetwork -Force
    Cmdlet((_, ops) => ops.Remove(ops.PlanRemove(Name, force: true))); // Remove-KimchiNetwork -Force
    if (errors)
    {
        Cmdlet((connection, ops) =>
        {
            Expect<KimchiException>(() => ops.GetOne("leak-missing")); // virNetworkLookupByName: VIR_ERR_NO_NETWORK
            Expect<LibvirtException>(() => connection.DefineNetwork("<network><name>leak-bad</name><forward mode='bogus'/></network>"));
        });
    }
}

static void Expect<T>(Action call)
    where T : Exception
{
    try
    {
        call();
    }
    catch (T)
    {
        return;
    }

    throw new InvalidOperationException($"expected {typeof(T).Name}");
}

var clock = Stopwatch.StartNew();
Cmdlet((_, ops) => ops.Get()); // the connection is in the baseline, as in Measure-Leaks.ps1
Console.WriteLine("Cycle Seconds RssKiB MallocInUseKiB MallocHeldKiB ManagedKiB JitMethods");
Sample(0);
for (var i = 1; i <= cycles; i++)
{
    Cycle();
    if (i % sampleEvery == 0 || i == cycles)
    {
        Sample(i);
    }
}

LibvirtConnections.CloseAll();
return 0;

void Sample(int cycle)
{
    var managed = GC.GetTotalMemory(forceFullCollection: true) / 1024;
    var rss = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    var m = Native.mallinfo2();
    Console.WriteLine(string.Join(' ', cycle, clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture), rss,
        (m.uordblks + m.hblkhd) / 1024, (m.arena + m.hblkhd) / 1024, managed, System.Runtime.JitInfo.GetCompiledMethodCount()));
}

/// <summary>glibc's malloc statistics (struct mallinfo2, glibc 2.33 and later), summed over every arena.</summary>
internal static partial class Native
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [LibraryImport("libc.so.6")]
    internal static partial MallInfo2 mallinfo2();
}
