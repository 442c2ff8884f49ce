using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;

namespace KimchiNet.Tests.Hosts;

/// <summary>
/// A throw-away network namespace per test class: kn-hbt-RANDOM (the "host", NICs eth1..eth4) and
/// kn-hbt-RANDOM-sw (the "switch", the veth peers sw1..sw4). Nothing is made outside them; both are
/// deleted on dispose. It runs ip itself, so tests check the host's state independently of the code
/// under test. Needs root. Names start with kn- so tests/lab/lab-host down-all also removes leftovers.
/// </summary>
public sealed class NetnsLab : IDisposable
{
    public NetnsLab()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        Host = "kn-hbt-" + id;
        Switch = Host + "-sw";
        try
        {
            Run("ip", "netns", "add", Host);
            Run("ip", "netns", "add", Switch);

            // No IPv6 duplicate address detection: its "tentative" flag would vanish from link-local
            // addresses a second after each link comes up and make snapshots differ on their own.
            foreach (var ns in new[] { Host, Switch })
            {
                Run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
            }

            Ip("link", "set", "lo", "up");
            Sw("link", "set", "lo", "up");
            for (var i = 1; i <= 4; i++)
            {
                AddNic("eth" + i, "sw" + i);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The namespace playing the host.</summary>
    public string Host { get; }

    /// <summary>The namespace holding the NICs' peers (the "switch").</summary>
    public string Switch { get; }

    /// <summary>Adds a NIC to the host whose peer is in the switch namespace, both up.</summary>
    public void AddNic(string nic, string peer)
    {
        Ip("link", "add", nic, "type", "veth", "peer", "name", peer, "netns", Switch);
        Ip("link", "set", nic, "up");
        Sw("link", "set", peer, "up");
    }

    /// <summary>ip -n HOST ...; throws on failure.</summary>
    public string Ip(params string[] args) => Run("ip", new[] { "-n", Host }.Concat(args).ToArray());

    /// <summary>ip -n SWITCH ...; throws on failure.</summary>
    public string Sw(params string[] args) => Run("ip", new[] { "-n", Switch }.Concat(args).ToArray());

    /// <summary>One link of the host as ip -d -json prints it, or null.</summary>
    public JsonObject? Link(string name) =>
        JsonNode.Parse(Ip("-d", "-json", "link", "show"))!.AsArray().OfType<JsonObject>().FirstOrDefault(l => (string?)l["ifname"] == name);

    /// <summary>The IPv4 address/prefix list of a host device, in ip's order.</summary>
    public List<string> Ipv4(string device) =>
        JsonNode.Parse(Ip("-json", "-4", "addr", "show", "dev", device))!.AsArray()
            .SelectMany(l => l!["addr_info"]?.AsArray() ?? new JsonArray())
            .Select(a => $"{a!["local"]}/{a["prefixlen"]}").ToList();

    /// <summary>The host's IPv4 routes of the main table as JSON objects.</summary>
    public List<JsonObject> Routes() =>
        JsonNode.Parse(Ip("-json", "-4", "route", "show", "table", "main"))!.AsArray().OfType<JsonObject>().ToList();

    /// <summary>
    /// Links (with details), addresses (both families) and routes (all tables) of the host, one line
    /// each, sorted, without what changes on its own: ifindex numbers are kept (the NIC is never
    /// recreated, so they must not churn); only bridge-port timers are dropped.
    /// </summary>
    public string Snapshot()
    {
        var lines = new List<string>();
        foreach (var link in JsonNode.Parse(Ip("-d", "-json", "link", "show"))!.AsArray().OfType<JsonObject>())
        {
            if (link["linkinfo"]?["info_slave_data"] is JsonObject slave)
            {
                foreach (var timer in new[] { "hold_timer", "message_age_timer", "forward_delay_timer" })
                {
                    slave.Remove(timer);
                }
            }

            lines.Add("link " + link.ToJsonString());
        }

        foreach (var link in JsonNode.Parse(Ip("-json", "addr", "show"))!.AsArray().OfType<JsonObject>())
        {
            lines.Add("addr " + link.ToJsonString());
        }

        foreach (var route in JsonNode.Parse(Ip("-json", "-4", "route", "show", "table", "all"))!.AsArray())
        {
            lines.Add("route4 " + route!.ToJsonString());
        }

        foreach (var route in JsonNode.Parse(Ip("-json", "-6", "route", "show", "table", "all"))!.AsArray())
        {
            lines.Add("route6 " + route!.ToJsonString());
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    /// <summary>Fails with the lines that differ when two snapshots differ.</summary>
    public static void AssertSame(string before, string after, string because)
    {
        if (before == after)
        {
            return;
        }

        var b = before.Split('\n');
        var a = after.Split('\n');
        var text = new StringBuilder($"The host namespace changed ({because}).\nOnly before:\n");
        foreach (var line in b.Except(a))
        {
            text.AppendLine("  " + line);
        }

        text.AppendLine("Only after:");
        foreach (var line in a.Except(b))
        {
            text.AppendLine("  " + line);
        }

        Assert.Fail(text.ToString());
    }

    /// <summary>
    /// Whether a TCP connection from <paramref name="clientNs"/> reaches a listener on
    /// <paramref name="address"/> in <paramref name="serverNs"/> (tries for about 3 s).
    /// </summary>
    public static bool CanConnect(string clientNs, string serverNs, string address)
    {
        var port = Random.Shared.Next(20000, 60000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var listener = Start("ip", "netns", "exec", serverNs, "nc", "-l", address, port);
        try
        {
            for (var attempt = 0; attempt < 15; attempt++)
            {
                if (listener.HasExited)
                {
                    // A listener that could not start is a fault of the lab, never "cannot reach".
                    throw new InvalidOperationException(
                        $"nc -l {address} {port} in {serverNs} exited with {listener.ExitCode}: {listener.StandardError.ReadToEnd().Trim()}");
                }

                using var client = Start("ip", "netns", "exec", clientNs, "nc", "-z", "-w", "1", address, port);
                client.WaitForExit();
                if (client.ExitCode == 0)
                {
                    return true;
                }

                Thread.Sleep(100);
            }

            return false;
        }
        finally
        {
            if (!listener.HasExited)
            {
                listener.Kill();
            }

            listener.WaitForExit();
        }
    }

    /// <summary>Runs a program with an argument list; throws with its stderr on failure.</summary>
    public static string Run(string program, params string[] args)
    {
        using var process = Start(program, args);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout;
    }

    public void Dispose()
    {
        foreach (var ns in new[] { Host, Switch })
        {
            try
            {
                Run("ip", "netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
                // Not made (a failed constructor) or gone already.
            }
        }
    }

    private static Process Start(string program, params string[] args)
    {
        // "ip netns exec NS PROGRAM ...": the program run inside must be there too.
        if (program == "ip" && args.Length > 3 && args[0] == "netns" && args[1] == "exec")
        {
            ExternalPrograms.Find(args[3]);
        }

        var start = new ProcessStartInfo(ExternalPrograms.Find(program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
