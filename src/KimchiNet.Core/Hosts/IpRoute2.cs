using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace KimchiNet.Hosts;

/// <summary>A link as <c>ip -d -json link show</c> describes it (only what host bridges need).</summary>
/// <param name="Name">The device name (ifname).</param>
/// <param name="Master">The bridge or bond it is enslaved to, or null.</param>
/// <param name="Mac">Its MAC address (lower-case), or null.</param>
/// <param name="IsUp">Whether it is administratively up (flag UP).</param>
/// <param name="Kind">linkinfo's info_kind (bridge, vlan, veth, bond, tun...), or null for a plain NIC.</param>
/// <param name="LinkType">link_type (ether, loopback...).</param>
/// <param name="Lower">For a VLAN device: the device it sits on ("link"), else null or a veth peer.</param>
/// <param name="VlanId">For a VLAN device: its id.</param>
/// <param name="Ifindex">Its interface index (0 when ip printed none).</param>
internal sealed record IpLink(string Name, string? Master, string? Mac, bool IsUp, string? Kind, string? LinkType, string? Lower, int? VlanId, int Ifindex = 0)
{
    /// <summary>The kernel's operstate (UP, DOWN, UNKNOWN, LOWERLAYERDOWN...), or null.</summary>
    public string? OperState { get; init; }

    /// <summary>Whether the link has a carrier (flag LOWER_UP).</summary>
    public bool HasCarrier { get; init; }
}

/// <summary>An IPv4 or IPv6 address of some device, as <c>ip -json addr show</c> describes it.</summary>
/// <param name="Device">The device (ifname).</param>
/// <param name="Family">inet or inet6.</param>
/// <param name="Local">The address.</param>
/// <param name="Prefix">The prefix length.</param>
/// <param name="Scope">global, link, host...</param>
internal sealed record IpDeviceAddress(string Device, string Family, string Local, int Prefix, string? Scope);

/// <summary>A route of the main table of either family, as <c>ip -json [-6] route show table main</c> describes it.</summary>
/// <param name="Family">inet or inet6.</param>
/// <param name="Destination">dst: "default" or address/prefix (a host route may lack the prefix).</param>
/// <param name="Device">The device, or null.</param>
/// <param name="Gateway">The gateway, or null.</param>
/// <param name="Type">The route type (null for unicast).</param>
internal sealed record IpRouteEntry(string Family, string Destination, string? Device, string? Gateway, string? Type);

/// <summary>An IPv4 or IPv6 address of a device as <c>ip -json -4 addr show</c> (or <c>-6</c>) describes it.</summary>
internal sealed record IpAddress(string Local, int Prefix, string? Broadcast, string? Scope, string? Label, bool Secondary)
{
    /// <summary>True for an address with a finite lifetime (<c>dynamic</c>): one a DHCP client (or IPv6 SLAAC) set, which it must renew or lose.</summary>
    public bool Dynamic { get; init; }

    /// <summary>True for an IPv6 address whose duplicate address detection failed (<c>dadfailed</c>): the host cannot use it.</summary>
    public bool DadFailed { get; init; }

    /// <summary>True for an IPv6 address whose preferred lifetime ran out (<c>deprecated</c>): kept for running connections only.</summary>
    public bool Deprecated { get; init; }

    /// <summary>Seconds the address stays valid (<c>valid_lft</c>), or null when it is permanent.</summary>
    public long? ValidSeconds { get; init; }

    /// <summary>address/prefix, e.g. 10.99.1.5/24.</summary>
    public string Cidr => Local + "/" + Prefix.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An IPv4 or IPv6 route of the main table as <c>ip -json -4 route show</c> (or <c>-6</c>) describes it.</summary>
internal sealed record IpRoute(string Destination, string? Gateway, long? Metric, string? Protocol, string? Scope, string? PreferredSource, bool OnLink, string? Type);

/// <summary>
/// Runs iproute2's <c>ip</c> by its checked absolute path (<see cref="HostPrograms.Ip"/>) with an argument list (never through a shell), optionally in another
/// network namespace with ip's own <c>-n NS</c> option, and reads state with <c>ip -json</c>.
/// A failing command throws a <see cref="KimchiException"/> (KCHNET0025E) naming the command and ip's stderr.
/// </summary>
internal sealed class IpRoute2
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly HostProgram _program;
    private readonly Action<string>? _log;

    /// <summary>Creates the runner.</summary>
    /// <param name="networkNamespace">A named network namespace (ip netns) to act in; null for the process's own.</param>
    /// <param name="log">Receives every command line before it runs (the cmdlets show them under -Verbose).</param>
    /// <param name="program">The ip program; <see cref="HostPrograms.Ip"/> (by absolute path, checked) by default.</param>
    public IpRoute2(string? networkNamespace = null, Action<string>? log = null, HostProgram? program = null)
    {
        Namespace = networkNamespace;
        _log = log;
        _program = program ?? HostPrograms.Ip;
    }

    /// <summary>The network namespace the commands act in; null for the process's own.</summary>
    public string? Namespace { get; }

    /// <summary>Testing hook: the Nth changing command (1-based, counting from construction) fails without running.</summary>
    public int? FailAtChange { get; init; }

    /// <summary>How many changing commands were run (or attempted) so far.</summary>
    public int ChangeCount { get; private set; }

    /// <summary>Runs a command that changes the host; counts it for <see cref="FailAtChange"/>.</summary>
    public void Change(params string[] arguments)
    {
        ChangeCount++;
        if (ChangeCount == FailAtChange)
        {
            var line = CommandLine(arguments);
            _log?.Invoke(line + "   (injected failure)");
            throw new IpCommandException(line, 255, "injected failure (test hook)");
        }

        Run(arguments);
    }

    /// <summary>Runs a command and returns its standard output.</summary>
    public string Run(params string[] arguments)
    {
        var line = CommandLine(arguments);
        _log?.Invoke(line);
        var start = new ProcessStartInfo(_program.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.Environment["LC_ALL"] = "C";
        foreach (var argument in FullArguments(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IpCommandException(line, -1, "the process did not start");
        }
        catch (Win32Exception e)
        {
            throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.Unavailable,
                $"Cannot run '{_program.Path}' ({_program.Package}): {e.Message}. Install {_program.Package} to create host bridges.", _program.Name, e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                    // It ended in the meantime.
                }

                throw new IpCommandException(line, -1, $"timed out after {s_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            }

            process.WaitForExit();
            var error = stderr.GetAwaiter().GetResult().Trim();
            if (process.ExitCode != 0)
            {
                throw new IpCommandException(line, process.ExitCode, error.Length == 0 ? "no message" : error);
            }

            return stdout.GetAwaiter().GetResult();
        }
    }

    /// <summary>Every link with details (<c>ip -d -json link show</c>).</summary>
    public IReadOnlyList<IpLink> Links()
    {
        using var json = Parse("-d", "-json", "link", "show");
        return json.RootElement.EnumerateArray().Select(ReadLink).ToList();
    }

    /// <summary>The IPv4 addresses of a device, primaries first (<c>ip -json -4 addr show dev X</c>).</summary>
    public IReadOnlyList<IpAddress> Addresses(string device) => DeviceAddresses(device, "-4", "inet");

    /// <summary>The IPv6 addresses of a device, link-local ones too (<c>ip -json -6 addr show dev X</c>).</summary>
    public IReadOnlyList<IpAddress> Addresses6(string device) => DeviceAddresses(device, "-6", "inet6");

    /// <summary>The IPv4 routes of the main table through a device (<c>ip -json -4 route show table main dev X</c>).</summary>
    public IReadOnlyList<IpRoute> Routes(string device) => DeviceRoutes(device, "-4");

    /// <summary>The IPv6 routes of the main table through a device (<c>ip -json -6 route show table main dev X</c>).</summary>
    public IReadOnlyList<IpRoute> Routes6(string device) => DeviceRoutes(device, "-6");

    /// <summary>Every IPv4 and IPv6 address of every device (<c>ip -json addr show</c>).</summary>
    public IReadOnlyList<IpDeviceAddress> AllAddresses()
    {
        using var json = Parse("-json", "addr", "show");
        var list = new List<IpDeviceAddress>();
        foreach (var link in json.RootElement.EnumerateArray())
        {
            if (String(link, "ifname") is not { } device || !link.TryGetProperty("addr_info", out var infos) || infos.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var info in infos.EnumerateArray())
            {
                if (String(info, "family") is ("inet" or "inet6") and var family && String(info, "local") is { } local
                    && info.TryGetProperty("prefixlen", out var prefix) && prefix.ValueKind == JsonValueKind.Number)
                {
                    list.Add(new IpDeviceAddress(device, family, local, prefix.GetInt32(), String(info, "scope")));
                }
            }
        }

        return list;
    }

    /// <summary>Every IPv4 and IPv6 route of the main table (<c>ip -json -4 route show table main</c>, then <c>-6</c>).</summary>
    public IReadOnlyList<IpRouteEntry> AllRoutes()
    {
        var list = new List<IpRouteEntry>();
        foreach (var (option, family) in new[] { ("-4", "inet"), ("-6", "inet6") })
        {
            using var json = Parse("-json", option, "route", "show", "table", "main");
            foreach (var route in json.RootElement.EnumerateArray())
            {
                if (String(route, "dst") is { } dst)
                {
                    list.Add(new IpRouteEntry(family, dst, String(route, "dev"), String(route, "gateway"), String(route, "type")));
                }
            }
        }

        return list;
    }

    /// <summary>The command line as a person reads it (arguments with spaces quoted).</summary>
    public string CommandLine(IEnumerable<string> arguments)
    {
        var text = new StringBuilder(_program.Name);
        foreach (var argument in FullArguments(arguments))
        {
            text.Append(' ');
            text.Append(argument.Length == 0 || argument.Any(char.IsWhiteSpace) ? "'" + argument + "'" : argument);
        }

        return text.ToString();
    }

    private IReadOnlyList<IpAddress> DeviceAddresses(string device, string option, string family)
    {
        using var json = Parse("-json", option, "addr", "show", "dev", device);
        var list = new List<IpAddress>();
        foreach (var link in json.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("addr_info", out var infos))
            {
                continue;
            }

            foreach (var info in infos.EnumerateArray())
            {
                if (String(info, "family") == family && String(info, "local") is { } local && info.TryGetProperty("prefixlen", out var prefix))
                {
                    list.Add(new IpAddress(local, prefix.GetInt32(), String(info, "broadcast"), String(info, "scope"), String(info, "label"), True(info, "secondary"))
                    {
                        Dynamic = True(info, "dynamic"),
                        DadFailed = True(info, "dadfailed"),
                        Deprecated = True(info, "deprecated"),
                        ValidSeconds = info.TryGetProperty("valid_life_time", out var valid) && valid.TryGetInt64(out var seconds) && seconds < uint.MaxValue ? seconds : null,
                    });
                }
            }
        }

        return list;
    }

    private IReadOnlyList<IpRoute> DeviceRoutes(string device, string option)
    {
        using var json = Parse("-json", option, "route", "show", "table", "main", "dev", device);
        var list = new List<IpRoute>();
        foreach (var route in json.RootElement.EnumerateArray())
        {
            if (String(route, "dst") is not { } dst)
            {
                continue;
            }

            var flags = route.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.EnumerateArray().Select(x => x.GetString()).ToList()
                : new List<string?>();
            list.Add(new IpRoute(dst, String(route, "gateway"),
                route.TryGetProperty("metric", out var metric) && metric.ValueKind == JsonValueKind.Number ? metric.GetInt64() : null,
                String(route, "protocol"), String(route, "scope"), String(route, "prefsrc"), flags.Contains("onlink"), String(route, "type")));
        }

        return list;
    }

    private IEnumerable<string> FullArguments(IEnumerable<string> arguments) =>
        Namespace is null ? arguments : new[] { "-n", Namespace }.Concat(arguments);

    private JsonDocument Parse(params string[] arguments)
    {
        var text = Run(arguments);
        try
        {
            return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "[]" : text);
        }
        catch (JsonException e)
        {
            throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed,
                $"'{CommandLine(arguments)}' printed something that is not JSON: {e.Message}", null, e);
        }
    }

    private static IpLink ReadLink(JsonElement link)
    {
        string? kind = null;
        int? vlanId = null;
        if (link.TryGetProperty("linkinfo", out var info))
        {
            kind = String(info, "info_kind");
            if (kind == "vlan" && info.TryGetProperty("info_data", out var data) && data.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number)
            {
                vlanId = id.GetInt32();
            }
        }

        var flags = link.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Array
            ? f.EnumerateArray().Select(x => x.GetString()).ToList()
            : new List<string?>();
        return new IpLink(String(link, "ifname") ?? string.Empty, String(link, "master"), String(link, "address")?.ToLowerInvariant(),
            flags.Contains("UP"), kind, String(link, "link_type"), String(link, "link"), vlanId,
            link.TryGetProperty("ifindex", out var ifindex) && ifindex.ValueKind == JsonValueKind.Number ? ifindex.GetInt32() : 0)
        {
            OperState = String(link, "operstate"),
            HasCarrier = flags.Contains("LOWER_UP"),
        };
    }

    private static bool True(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>An <c>ip</c> command that failed: KCHNET0025E with the command line, exit code and ip's stderr.</summary>
internal sealed class IpCommandException : KimchiException
{
    /// <summary>Creates the exception.</summary>
    public IpCommandException(string commandLine, int exitCode, string stderr)
        : base(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed, $"'{commandLine}' failed (exit code {exitCode.ToString(CultureInfo.InvariantCulture)}): {stderr}", commandLine)
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        Stderr = stderr;
    }

    /// <summary>The command as run.</summary>
    public string CommandLine { get; }

    /// <summary>ip's exit code (-1 when it did not start or timed out).</summary>
    public int ExitCode { get; }

    /// <summary>ip's standard error, trimmed.</summary>
    public string Stderr { get; }
}
