using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.Versioning;
using System.Threading;
using System.Xml.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// Past libvirt's 256 bridge names, and creators racing for subnets and bridges: the create lock
/// (one process, one machine) and the check after define (creators the locks cannot see).
/// </summary>
[Collection(LibvirtCollection.Name)]
public sealed class NetworkCreateScaleTests
{
    private static NetworkSpec Spec(string name, ConnectionType connection = ConnectionType.Isolated, string? subnet = null) => new()
    {
        Name = name,
        Connection = connection,
        Subnet = subnet,
    };

    /// <summary>The demo host without its two networks that have bridges (virbr0, virbr1), so the seeds name every bridge.</summary>
    private static TestHost HostWithoutVirbr(Func<string, string>? edit = null) =>
        new(xml => (edit ?? (x => x))(TestHost.WithoutNetwork(TestHost.WithoutNetwork(xml, "default"), "isolated")));

    /// <summary>An isolated network with an explicit bridge virbrN on 10.X.Y.0/24, as a seed.</summary>
    private static string SeedXml(string name, int n, string? bridge = null) => string.Create(
        CultureInfo.InvariantCulture,
        $"<network><name>{name}</name><bridge name='{bridge ?? "virbr" + n}'/><ip address='10.{n / 256}.{n % 256}.1' netmask='255.255.255.0'/></network>");

    private static void Seed(TestHost host, int count)
    {
        for (var n = 0; n < count; n++)
        {
            host.Connection.DefineNetwork(SeedXml("seed" + n.ToString(CultureInfo.InvariantCulture), n));
        }
    }

    [Fact]
    public void PlanCreate_With300BridgesVirbr0To299_ShouldChooseVirbr300AndCreateDefinesIt()
    {
        using var host = HostWithoutVirbr();
        Seed(host, 300);

        var plan = host.Ops.PlanCreate(Spec("iso301"));
        var info = host.Ops.Create(plan, start: false);

        Assert.Equal("virbr300", plan.BridgeName);
        Assert.Equal("virbr300", NetworkXmlReader.Read(plan.Xml).Bridge?.Name);
        Assert.Equal("virbr300", info.BridgeName);
        Assert.Equal("virbr300", XDocument.Parse(host.Connection.GetNetworkXml("iso301", inactive: true)).Root!.Element("bridge")!.Attribute("name")!.Value);
        Assert.Equal(301, host.Connection.ListNetworks().Count(n => n.Xml.Contains("<bridge name='virbr", StringComparison.Ordinal)));
    }

    [Fact]
    public void PlanCreate_WithAGapInTheBridgeNames_ShouldReuseTheLowestFreeName()
    {
        using var host = HostWithoutVirbr();
        Seed(host, 300);
        host.Connection.UndefineNetwork("seed17");
        host.Connection.UndefineNetwork("seed260");

        var first = host.Ops.Create(host.Ops.PlanCreate(Spec("a")), start: false);
        var second = host.Ops.Create(host.Ops.PlanCreate(Spec("b", ConnectionType.Nat)), start: false);
        var third = host.Ops.PlanCreate(Spec("c"));

        Assert.Equal(("virbr17", "virbr260", "virbr300"), (first.BridgeName, second.BridgeName, third.BridgeName));
    }

    [Fact]
    public void PlanCreate_WhenAHostInterfaceHasTheNextName_ShouldSkipIt()
    {
        // A bridge left on the host (e.g. by a network removed behind libvirt's back) is not in any
        // network's XML, but defining a network on it would clash when it starts.
        const string leftover = "<interface type=\"bridge\" name=\"virbr300\"><start mode=\"onboot\"/><bridge stp=\"off\" delay=\"0\"/></interface>\n  <network>";
        using var host = HostWithoutVirbr(xml => ReplaceFirst(xml, "<network>", leftover));
        Assert.Contains(host.Connection.ListInterfaces(), i => i.Name == "virbr300");
        Seed(host, 300);

        var plan = host.Ops.PlanCreate(Spec("iso"));

        Assert.Equal("virbr301", plan.BridgeName);
    }

    [Fact]
    public void Create_WhenThePlannedSubnetAndBridgeWereTakenAfterThePlan_ShouldChooseFreeOnesUnderTheLock()
    {
        using var host = new TestHost();
        var plan = host.Ops.PlanCreate(Spec("late", ConnectionType.Nat));
        Assert.Equal(("192.168.0.0/24", "virbr2"), (plan.Subnet.ToString(), plan.BridgeName));
        host.Connection.DefineNetwork("<network><name>early</name><bridge name='virbr2'/><ip address='192.168.0.1' netmask='255.255.255.0'/></network>");

        var info = host.Ops.Create(plan, start: false);

        Assert.Equal(("192.168.1.0/24", "virbr3"), (info.Subnet, info.BridgeName));
    }

    [Fact]
    public void Create_WhenAnExplicitSubnetWasTakenAfterThePlan_ShouldRefuseWithKCHNET0003E()
    {
        using var host = new TestHost();
        var plan = host.Ops.PlanCreate(Spec("late", subnet: "10.9.0.0/24"));
        host.Connection.DefineNetwork("<network><name>early</name><ip address='10.9.0.1' netmask='255.255.0.0'/></network>");

        var error = host.Refused(() => host.Ops.Create(plan, start: false));

        Assert.Equal("KCHNET0003E", error.Code);
        Assert.Contains("network 'early'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WhenACreatorTheLocksCannotSeeDefinesTheSameSubnet_ShouldUndefineAndPlanAgain()
    {
        using var host = new TestHost();
        var ops = host.Ops;
        var calls = new List<string>();
        ops.BeforeDefineForTests = current =>
        {
            calls.Add($"{current.Subnet} {current.BridgeName}");
            if (calls.Count == 1)
            {
                // "Another machine" defines the same subnet on another bridge between the re-check and the define.
                host.Connection.DefineNetwork($"<network><name>remote</name><bridge name='virbr9'/><ip address='{current.Subnet!.Value.ToString()[..^5]}.1' netmask='255.255.255.0'/></network>");
            }
        };

        var info = ops.Create(ops.PlanCreate(Spec("local", ConnectionType.Nat)), start: false);

        Assert.Equal(["192.168.0.0/24 virbr2", "192.168.1.0/24 virbr2"], calls);
        Assert.Equal("192.168.1.0/24", info.Subnet);
        Assert.Equal("192.168.0.0/24", ops.GetOne("remote").Subnet);
        AssertNoOverlap(host);
    }

    [Fact]
    public void Create_WhenACreatorTheLocksCannotSeeTakesTheBridge_ShouldEndOnAnotherBridge()
    {
        using var host = new TestHost();
        var ops = host.Ops;
        var attempts = 0;
        ops.BeforeDefineForTests = current =>
        {
            if (++attempts == 1)
            {
                host.Connection.DefineNetwork($"<network><name>remote</name><bridge name='{current.BridgeName}'/><ip address='10.200.0.1' netmask='255.255.255.0'/></network>");
            }
        };

        var info = ops.Create(ops.PlanCreate(Spec("local")), start: false);

        Assert.Equal(2, attempts);
        Assert.Equal("virbr3", info.BridgeName);
        Assert.Equal("virbr2", ops.GetOne("remote").BridgeName);
    }

    [Fact]
    public void Create_WhenAnExplicitSubnetIsTakenByACreatorTheLocksCannotSee_ShouldRemoveItsNetworkAndRefuse()
    {
        using var host = new TestHost();
        var ops = host.Ops;
        ops.BeforeDefineForTests = _ => host.Connection.DefineNetwork("<network><name>remote</name><ip address='10.9.0.1' netmask='255.255.255.0'/></network>");

        var error = Assert.Throws<KimchiException>(() => ops.Create(ops.PlanCreate(Spec("local", subnet: "10.9.0.0/24")), start: false));

        Assert.Equal("KCHNET0003E", error.Code);
        Assert.Null(host.Connection.GetNetwork("local"));
        Assert.NotNull(host.Connection.GetNetwork("remote"));
    }

    [Fact]
    public void Create_WhenEveryAttemptCollides_ShouldGiveUpAfterTheBoundWithoutLeavingItsNetwork()
    {
        using var host = new TestHost();
        var ops = host.Ops;
        var attempts = 0;
        ops.BeforeDefineForTests = current =>
        {
            attempts++;
            host.Connection.DefineNetwork($"<network><name>remote{attempts}</name><bridge name='x{attempts}'/><ip address='{current.Subnet!.Value.ToString()[..^5]}.1' netmask='255.255.255.0'/></network>");
        };

        var error = Assert.Throws<KimchiException>(() => ops.Create(ops.PlanCreate(Spec("local", ConnectionType.Nat)), start: false));

        Assert.Equal("KCHNET0008E", error.Code);
        Assert.Equal(NetworkOperations.MaxDefineAttempts, attempts);
        Assert.Null(host.Connection.GetNetwork("local"));
        AssertNoOverlap(host);
    }

    [Fact]
    public void Create_By8ThreadsWith25NatNetworksEach_ShouldGive200NetworksWithoutOverlapsOrErrors()
    {
        using var host = new TestHost();
        var before = host.Connection.ListNetworks().Count;
        var errors = new ConcurrentQueue<Exception>();
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            // Each thread its own operations object, as each runspace has, on the one pooled connection.
            var ops = new NetworkOperations(host.Connection);
            start.SignalAndWait();
            for (var i = 0; i < 25; i++)
            {
                try
                {
                    var spec = Spec(string.Create(CultureInfo.InvariantCulture, $"t{t}n{i}"), ConnectionType.Nat);
                    ops.Create(ops.PlanCreate(spec), start: false);
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                }
            }
        })).ToArray();

        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(errors);
        Assert.Equal(before + 200, host.Connection.ListNetworks().Count);
        AssertNoOverlap(host);
    }

    [Fact]
    public void CreateLock_ForALibvirtdUri_ShouldHoldAnFlockThatAnotherProcessSees()
    {
        var uri = "qemu+unix:///system?socket=/nonexistent/xunit-" + Guid.NewGuid().ToString("N");
        string path;
        using (var held = CreateLock.Acquire(uri))
        {
            path = held.FilePath!;
            Assert.NotNull(path);
            Assert.Equal(CreateLock.LockFilePath(Path.GetDirectoryName(path)!, uri), path);
            Assert.Equal(1, FlockNonBlocking(path));
        }

        // Released: another process can take it. (A process another test forks at the moment of the
        // release holds a copy of the open file until its exec closes it (O_CLOEXEC), and with it the
        // flock, for a few milliseconds: so the other process may try for up to 5 s.)
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var result = FlockNonBlocking(path);
        while (result != 0 && DateTime.UtcNow < deadline)
        {
            System.Threading.Thread.Sleep(50);
            result = FlockNonBlocking(path);
        }

        Assert.Equal(0, result);
        File.Delete(path);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void CreateLock_WithTheLockDirVariable_ShouldMakeTheFolder0755AndLockAFileInIt()
    {
        var folder = Directory.CreateTempSubdirectory("kimchinet-lockdir-");
        var lockDir = Path.Combine(folder.FullName, "locks");
        var saved = Environment.GetEnvironmentVariable(CreateLock.DirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(CreateLock.DirectoryVariable, lockDir);
            var uri = "qemu+unix:///system?socket=/nonexistent/xunit-dir";
            using (var held = CreateLock.Acquire(uri))
            {
                Assert.Equal(CreateLock.LockFilePath(lockDir, uri), held.FilePath);
                Assert.Equal(1, FlockNonBlocking(held.FilePath!));
            }

            // Issue 12: no longer shared like /tmp (any user could plant symbolic links or FIFOs there):
            // the caller's own folder, which group and others cannot write to.
            Assert.Equal(
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                File.GetUnixFileMode(lockDir));
        }
        finally
        {
            Environment.SetEnvironmentVariable(CreateLock.DirectoryVariable, saved);
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void CreateLock_ForTheTestDriver_ShouldTakeNoFileLock()
    {
        using var held = CreateLock.Acquire("test:///default", fileLock: false);

        Assert.Null(held.FilePath);
    }

    /// <summary>Exit code of util-linux <c>flock -n FILE true</c>: 0 when the lock was free, 1 when another process holds it.</summary>
    private static int FlockNonBlocking(string path)
    {
        var info = new ProcessStartInfo(ExternalPrograms.Find("flock")) { RedirectStandardError = true };
        info.ArgumentList.Add("-n");
        info.ArgumentList.Add(path);
        info.ArgumentList.Add("true");
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        return text[..at] + with + text[(at + what.Length)..];
    }

    /// <summary>
    /// Every pair of networks with an IPv4 address has disjoint subnets and every network's bridge
    /// is its own, computed here from the XML (address AND netmask), not with the module's planner.
    /// </summary>
    private static void AssertNoOverlap(TestHost host)
    {
        var ranges = new List<(string Name, uint First, uint Last)>();
        var bridges = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in host.Connection.ListNetworks())
        {
            var root = XDocument.Parse(record.Xml).Root!;
            if (root.Element("bridge")?.Attribute("name")?.Value is { } bridge)
            {
                Assert.True(bridges.TryAdd(bridge, record.Name), $"{record.Name} and {bridges.GetValueOrDefault(bridge)} share bridge {bridge}");
            }

            foreach (var ip in root.Elements("ip").Where(e => e.Attribute("netmask") is not null))
            {
                var address = ToUInt(ip.Attribute("address")!.Value);
                var mask = ToUInt(ip.Attribute("netmask")!.Value);
                ranges.Add((record.Name, address & mask, (address & mask) | ~mask));
            }
        }

        for (var i = 0; i < ranges.Count; i++)
        {
            for (var j = i + 1; j < ranges.Count; j++)
            {
                var (a, b) = (ranges[i], ranges[j]);
                Assert.False(a.First <= b.Last && b.First <= a.Last, $"{a.Name} and {b.Name} overlap");
            }
        }
    }

    private static uint ToUInt(string address)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}
