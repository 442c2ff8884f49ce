using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using System.Threading;
using KimchiNet.Transactions;

namespace KimchiNet.Hosts.Managers;

/// <summary>
/// How the host is reached through a device before a bridge is made on it: its IPv4 addresses, its
/// static routes, and the gateway of its default route when that answered; its global IPv6 addresses
/// and IPv6 routes too. After the change the bridge must hold all of it (issue 14, item 3); <see cref="Lacks"/>
/// says what it lacks. The IPv6 rules:
/// <list type="bullet">
/// <item>A static (permanent) global IPv6 address must be on the bridge as it was (address/prefix), as IPv4 addresses must.</item>
/// <item>A dynamic one (SLAAC, DHCPv6, temporary: it has a finite lifetime) cannot be required exactly, since a stable-privacy,
/// temporary or DHCPv6 (IAID) address may depend on the interface's name. The bridge must hold some global IPv6 address in
/// the same network instead: the address's prefix, but no longer than /64 (a SLAAC /64 is compared as the /64; a DHCPv6 /128
/// as its /64, where the server's pool lies). Deprecated dynamic addresses (preferred lifetime over) are not required.</item>
/// <item>An address counts while duplicate address detection runs (tentative), not when it failed (dadfailed).</item>
/// <item>IPv6 routes that a manager or an administrator set (not the kernel's, not learned from router advertisements, not
/// the default) must be on the bridge with the same destination and gateway. When the device had an IPv6 default route
/// (static or from router advertisements, often via a link-local router, which is reached per interface) the bridge must have
/// one too; its gateway is not compared and not pinged.</item>
/// </list>
/// </summary>
/// <param name="Device">The NIC.</param>
/// <param name="Addresses">Its IPv4 addresses, as address/prefix.</param>
/// <param name="Routes">Its routes of the main table that a manager or an administrator set (not the kernel's connected routes).</param>
/// <param name="Gateway">The gateway of its default route when it answered a ping before the change, else null (then it is not checked).</param>
internal sealed record HostReach(string Device, IReadOnlyList<string> Addresses, IReadOnlyList<IpRoute> Routes, string? Gateway)
{
    /// <summary>Its static global IPv6 addresses, as address/prefix.</summary>
    public IReadOnlyList<string> Addresses6 { get; init; } = [];

    /// <summary>The networks (at most /64) of its dynamic global IPv6 addresses, e.g. 2001:db8:1::/64.</summary>
    public IReadOnlyList<string> Networks6 { get; init; } = [];

    /// <summary>Its IPv6 routes of the main table that a manager or an administrator set, but the default.</summary>
    public IReadOnlyList<IpRoute> Routes6 { get; init; } = [];

    /// <summary>Its IPv6 default route, or null.</summary>
    public IpRoute? Default6 { get; init; }

    /// <summary>Whether anything of IPv6 is to be checked.</summary>
    public bool HasIpv6 => Addresses6.Count > 0 || Networks6.Count > 0 || Routes6.Count > 0 || Default6 is not null;

    /// <summary>How the host is reached through <paramref name="device"/>, from what it holds (a pure function).</summary>
    /// <param name="device">The NIC.</param>
    /// <param name="addresses">Its IPv4 addresses.</param>
    /// <param name="routes">Its IPv4 routes.</param>
    /// <param name="addresses6">Its IPv6 addresses.</param>
    /// <param name="routes6">Its IPv6 routes.</param>
    /// <param name="answers">Whether a gateway answers (called for the IPv4 default route's gateway only).</param>
    public static HostReach Of(string device, IReadOnlyList<IpAddress> addresses, IReadOnlyList<IpRoute> routes,
        IReadOnlyList<IpAddress> addresses6, IReadOnlyList<IpRoute> routes6, Func<string, bool> answers)
    {
        var kept = routes.Where(r => r.Protocol != "kernel" && Unicast(r)).ToList();
        var gateway = kept.FirstOrDefault(r => r.Destination == "default")?.Gateway;
        var global6 = Global6(addresses6);
        return new HostReach(device, addresses.Select(a => a.Cidr).ToList(), kept, gateway is not null && answers(gateway) ? gateway : null)
        {
            Addresses6 = global6.Where(a => !IsDynamic(a)).Select(a => a.Cidr).ToList(),
            Networks6 = global6.Where(a => IsDynamic(a) && !a.Deprecated).Select(a => Network6(a.Local, a.Prefix)).Distinct(StringComparer.Ordinal).ToList(),
            Routes6 = routes6.Where(r => r.Protocol is not ("kernel" or "ra") && Unicast(r) && r.Destination != "default").ToList(),
            Default6 = routes6.FirstOrDefault(r => r.Destination == "default" && Unicast(r)),
        };
    }

    /// <summary>
    /// What a bridge that holds <paramref name="held"/> and <paramref name="held6"/> and has the routes <paramref name="via"/>
    /// and <paramref name="via6"/> lacks of this reach (the rules above; a pure function), or null when it lacks nothing.
    /// </summary>
    public string? Lacks(string bridge, IReadOnlyList<IpAddress> held, IReadOnlyList<IpAddress> held6, IReadOnlyList<IpRoute> via, IReadOnlyList<IpRoute> via6)
    {
        var wanting = new List<string>();
        if (Addresses.Concat(Addresses6).Where(a => !Holds(held, held6, a)).ToList() is { Count: > 0 } absent)
        {
            wanting.Add($"the addresses {string.Join(", ", absent)}");
        }

        var global6 = Global6(held6);
        if (Networks6.Where(n => !global6.Any(a => IPNetwork.Parse(n).Contains(IPAddress.Parse(a.Local)))).ToList() is { Count: > 0 } networks)
        {
            wanting.Add($"a global IPv6 address in {(networks.Count > 1 ? "each of " : string.Empty)}{string.Join(", ", networks)} (where '{Device}' had dynamic ones, by SLAAC or DHCPv6)");
        }

        if (wanting.Count > 0)
        {
            return $"'{bridge}' did not get {string.Join(", nor ", wanting)}";
        }

        var lost = Routes.Where(r => !Has(via, r)).Concat(Routes6.Where(r => !Has(via6, r))).ToList();
        if (lost.Count > 0)
        {
            wanting.Add($"the routes {string.Join(", ", lost.Select(r => r.Destination + (r.Gateway is null ? string.Empty : " via " + r.Gateway)))}");
        }

        if (Default6 is { } default6 && !via6.Any(v => v.Destination == "default" && Unicast(v)))
        {
            wanting.Add($"an IPv6 default route ('{Device}' had one{(default6.Gateway is null ? string.Empty : " via " + default6.Gateway)})");
        }

        return wanting.Count > 0 ? $"'{bridge}' did not get {string.Join(", nor ", wanting)}" : null;
    }

    /// <summary>Whether a device that holds <paramref name="held"/> and <paramref name="held6"/> holds every static address of this reach (IPv4 and IPv6).</summary>
    public bool HoldsAddresses(IReadOnlyList<IpAddress> held, IReadOnlyList<IpAddress> held6) =>
        Addresses.Concat(Addresses6).All(a => Holds(held, held6, a));

    /// <summary>The network of an IPv6 address as the rules compare it: its prefix, but no longer than /64.</summary>
    public static string Network6(string address, int prefix)
    {
        var length = Math.Clamp(prefix, 0, 64);
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), length).ToString();
    }

    /// <summary>The usable global IPv6 addresses of <paramref name="addresses"/> (not link-local, not failed duplicate address detection).</summary>
    private static List<IpAddress> Global6(IReadOnlyList<IpAddress> addresses) =>
        addresses.Where(a => a.Scope == "global" && !a.DadFailed && IPAddress.TryParse(a.Local, out _)).ToList();

    private static bool IsDynamic(IpAddress address) => address.Dynamic || address.ValidSeconds is not null;

    private static bool Unicast(IpRoute route) => route.Type is null or "unicast";

    private static bool Has(IReadOnlyList<IpRoute> via, IpRoute route) =>
        via.Any(v => v.Destination == route.Destination && v.Gateway == route.Gateway);

    private static bool Holds(IReadOnlyList<IpAddress> held, IReadOnlyList<IpAddress> held6, string cidr) =>
        held.Any(a => a.Cidr == cidr) || held6.Any(a => !a.DadFailed && a.Cidr == cidr);
}

/// <summary>The codes a manager's bridge errors carry: KCHNET0133E-0135E for systemd-networkd and ifupdown (<see cref="Shared"/>), KCHNET0138E, 0139E and 0114E for NetworkManager.</summary>
/// <param name="RolledBack">The verification failed and everything was rolled back.</param>
/// <param name="Failed">A step failed (what was done before was undone).</param>
/// <param name="RestoreFailed">An undo could not restore everything, or a record was refused.</param>
internal sealed record ManagedBridgeCodes(string RolledBack, string Failed, string RestoreFailed)
{
    /// <summary>The codes of systemd-networkd and ifupdown.</summary>
    public static readonly ManagedBridgeCodes Shared = new(ErrorCodes.ManagedBridgeRolledBack, ErrorCodes.ManagedBridgeFailed, ErrorCodes.ManagedBridgeRestoreFailed);
}

/// <summary>
/// The steps every bridge maker that works through a network manager's files shares
/// (<see cref="NetworkdHostBridges"/>, <see cref="IfupdownHostBridges"/>, <see cref="NetworkManagerHostBridges"/>): record how the host is
/// reached, write and restore files byte for byte (each write an undo step of a
/// <see cref="Transaction"/>), run the manager's programs, verify the bridge within a timeout, and
/// the errors (KCHNET0133E-0135E, NetworkManager's KCHNET0138E, 0139E, 0114E) that say what was rolled back.
/// </summary>
internal sealed class ManagedBridgeSteps
{
    /// <summary>Mode 0644, as networkd's and ifupdown's files are.</summary>
    public const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Mode 0600, as NetworkManager's keyfiles must be (it ignores a keyfile others can read).</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly TimeSpan s_programTimeout = TimeSpan.FromSeconds(60);
    private readonly Action<string>? _log;
    private readonly ManagedBridgeCodes _codes;

    /// <summary>Creates the steps of one manager.</summary>
    /// <param name="manager">The manager as the messages name it, e.g. "systemd-networkd".</param>
    /// <param name="log">Receives every command line and file written before it happens (for -Verbose).</param>
    /// <param name="codes">The codes of the manager's errors; <see cref="ManagedBridgeCodes.Shared"/> by default.</param>
    public ManagedBridgeSteps(string manager, Action<string>? log, ManagedBridgeCodes? codes = null)
    {
        Manager = manager;
        _log = log;
        _codes = codes ?? ManagedBridgeCodes.Shared;
        Ip = new IpRoute2(null, log);
    }

    /// <summary>The manager as the messages name it.</summary>
    public string Manager { get; }

    /// <summary>iproute2, for reading links, addresses and routes.</summary>
    public IpRoute2 Ip { get; }

    /// <summary>How the host is reached through <paramref name="device"/> now (pings its gateway).</summary>
    public HostReach Record(string device) =>
        HostReach.Of(device, Ip.Addresses(device), Ip.Routes(device), Ip.Addresses6(device), Ip.Routes6(device), gateway => Answers(gateway, bridge: null));

    /// <summary>What is missing on <paramref name="bridge"/> after the change, waited for up to <paramref name="timeout"/>; null when all is there.</summary>
    public string? Verify(HostReach reach, string bridge, TimeSpan timeout)
    {
        string? missing = "nothing was checked";
        WaitFor(
            () =>
            {
                missing = Missing(reach, bridge);
                return missing is null;
            },
            timeout);
        return missing;
    }

    /// <summary>
    /// Rolls <paramref name="transaction"/> back after a failed verification and waits for the NIC to
    /// hold its addresses again: the error (KCHNET0133E, NetworkManager's KCHNET0138E) to throw, saying what was missing and how the rollback went.
    /// </summary>
    public KimchiException RolledBack(HostReach reach, string bridge, string missing, Transaction transaction, TimeSpan timeout)
    {
        var failures = transaction.RollBack();
        var device = reach.Device;
        var back = failures.Count == 0
            && WaitFor(() => reach.HoldsAddresses(Ip.Addresses(device), reach.Addresses6.Count > 0 ? Ip.Addresses6(device) : []), timeout);
        var outcome = failures.Count > 0
            ? "These steps could not be undone: " + string.Join("; ", failures.Select(f => f.Summary))
            : back
                ? $"The files were restored byte for byte and '{bridge}' deleted: '{device}' holds its addresses again."
                : $"The files were restored byte for byte and '{bridge}' deleted, but '{device}' did not get all of {string.Join(", ", reach.Addresses.Concat(reach.Addresses6))} back within {Seconds(timeout)} s.";
        return new KimchiException(_codes.RolledBack, ErrorKind.OperationFailed,
            $"The bridge '{bridge}' made through {Manager} on '{device}' was rolled back: within {Seconds(timeout)} s {missing}. {outcome}", device);
    }

    /// <summary>KCHNET0134E (NetworkManager's KCHNET0139E) after rolling back <paramref name="transaction"/> (if any).</summary>
    public KimchiException Failed(string device, string reason, Transaction? transaction)
    {
        var failures = transaction?.RollBack() ?? [];
        var outcome = transaction is null
            ? "Nothing was changed."
            : failures.Count == 0
                ? $"Everything done before was undone: {Manager}'s files are as they were."
                : "These steps could not be undone: " + string.Join("; ", failures.Select(f => f.Summary));
        return new KimchiException(_codes.Failed, ErrorKind.OperationFailed,
            $"Cannot create a bridge on '{device}' through {Manager}: {reason}. {outcome}", device);
    }

    /// <summary>KCHNET0135E (NetworkManager's KCHNET0114E) for the undo steps in <paramref name="problems"/> that failed (the rest was done).</summary>
    public KimchiException RestoreFailed(string bridge, IReadOnlyList<string> problems) =>
        new(_codes.RestoreFailed, ErrorKind.OperationFailed,
            $"Could not undo everything KimchiNet changed through {Manager} for bridge '{bridge}'; the rest was undone. Left to do: {string.Join("; ", problems)}.", bridge);

    /// <summary>KCHNET0135E (NetworkManager's KCHNET0114E) for a record of host changes that is not trusted (nothing is touched).</summary>
    public KimchiException RecordRefused(string? bridge, string why) =>
        new(_codes.RestoreFailed, ErrorKind.InvalidInput,
            $"Not restoring {Manager}'s files for bridge '{bridge}': {why}.", bridge);

    /// <summary>Runs <paramref name="act"/> as a step of <paramref name="transaction"/>, undone by <paramref name="undo"/>.</summary>
    public static void Step(Transaction transaction, Action act, string undoText, Action undo) =>
        transaction.Do(act, new UndoStep(undoText, () => Wrap(undo)));

    /// <summary>Runs <paramref name="act"/>, adding "what: why" to <paramref name="problems"/> when it fails (undo goes on).</summary>
    public static void Try(List<string> problems, string what, Action act)
    {
        try
        {
            act();
        }
        catch (Exception e) when (e is KimchiException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{what}: {e.Message}");
        }
    }

    /// <summary>Waits, sleeping 200 ms between checks, until <paramref name="condition"/> holds or <paramref name="timeout"/> passed.</summary>
    public static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(200);
        }
    }

    /// <summary>Seconds as the messages print them.</summary>
    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="path"/> is a plain file name directly in <paramref name="folder"/>.</summary>
    public static bool IsDirectChild(string path, string folder) =>
        Path.IsPathFullyQualified(path)
        && string.Equals(Path.GetDirectoryName(path), folder, StringComparison.Ordinal)
        && Path.GetFileName(path) is { Length: > 0 } name && name != "." && name != ".." && !name.Contains('/', StringComparison.Ordinal);

    /// <summary>The bytes of a manager's file, read only when no other user could have written it (else KCHNET0134E or the manager's own code, nothing changed).</summary>
    public byte[] ReadTrusted(string device, string path)
    {
        var files = new ManagerFiles();
        if (files.ReadText(path) is null)
        {
            var why = files.Problems.Count > 0 ? files.Problems[0].Message : $"'{path}' does not exist";
            throw Failed(device, why, null);
        }

        return File.ReadAllBytes(path);
    }

    /// <summary>Creates the folder that keeps a bridge's originals (mode 0700); fails when it exists (a bridge of that name was not removed).</summary>
    public void CreateKeptFolder(string folder)
    {
        _log?.Invoke($"mkdir {folder}");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"{Manager} runs on Linux only");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(folder)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (Directory.Exists(folder))
        {
            throw new IOException($"'{folder}' exists already: a bridge of that name was made before and not removed");
        }

        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Creates a folder (mode 0755) that must not exist yet.</summary>
    public void CreateFolder(string folder)
    {
        _log?.Invoke($"mkdir {folder}");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"{Manager} runs on Linux only");
        }

        if (Directory.Exists(folder))
        {
            throw new IOException($"'{folder}' exists already");
        }

        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>Deletes a bridge's (empty) folder of kept originals, and the folder that holds such folders once no other bridge keeps any there, as before the first bridge.</summary>
    public void DeleteKeptFolder(string folder)
    {
        DeleteFolder(folder);
        var parent = Path.GetDirectoryName(folder)!;
        if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            DeleteFolder(parent);
        }
    }

    /// <summary>Deletes an (empty) folder if it exists.</summary>
    public void DeleteFolder(string folder)
    {
        _log?.Invoke($"rmdir {folder}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder);
        }
    }

    /// <summary>Copies a file byte for byte, replacing the target.</summary>
    public void CopyExact(string from, string to)
    {
        _log?.Invoke($"copy {from} {to}");
        File.Copy(from, to, overwrite: true);
    }

    /// <summary>Creates <paramref name="path"/> with <paramref name="mode"/> (<see cref="Readable"/> unless given) and <paramref name="text"/>; fails when it exists.</summary>
    public void WriteNew(string path, string text, UnixFileMode mode = Readable)
    {
        _log?.Invoke($"write {path}");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"{Manager} runs on Linux only");
        }

        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        });
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Replaces the content of an existing file with <paramref name="text"/> (its owner and mode stay).</summary>
    public void Overwrite(string path, string text)
    {
        _log?.Invoke($"write {path}");
        using var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Deletes a file.</summary>
    public void Delete(string path)
    {
        _log?.Invoke($"delete {path}");
        File.Delete(path);
    }

    /// <summary>Deletes <paramref name="bridge"/> when it exists and is a bridge; a manager that deleted it meanwhile (NetworkManager does after a reload) is no failure.</summary>
    public void DeleteBridge(string bridge)
    {
        if (Ip.Links().FirstOrDefault(l => l.Name == bridge) is { Kind: "bridge" })
        {
            try
            {
                Ip.Change("link", "del", "dev", bridge);
            }
            catch (KimchiException) when (Ip.Links().All(l => l.Name != bridge))
            {
                // gone already: what was asked for
            }
        }
    }

    /// <summary>Runs the manager's <paramref name="program"/> with <paramref name="arguments"/> (no shell, C locale) and returns what it wrote to standard output; KCHNET0134E (the manager's own failed-step code) when it fails or does not end within a minute.</summary>
    public string Run(HostProgram program, params string[] arguments)
    {
        var line = program.Path + " " + string.Join(' ', arguments);
        _log?.Invoke(line);
        var start = new ProcessStartInfo(program.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.Environment["LC_ALL"] = "C";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(s_programTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new KimchiException(_codes.Failed, ErrorKind.OperationFailed, $"'{line}' did not end within {Seconds(s_programTimeout)} s", line);
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var said = (stderr.GetAwaiter().GetResult() + " " + stdout.GetAwaiter().GetResult()).Trim();
                throw new KimchiException(_codes.Failed, ErrorKind.OperationFailed,
                    $"'{line}' failed with exit code {process.ExitCode}: {said}", line);
            }

            return stdout.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new KimchiException(_codes.Failed, ErrorKind.Unavailable, $"Cannot run '{line}': {e.Message}", line, e);
        }
    }

    private string? Missing(HostReach reach, string bridge)
    {
        if (Ip.Links().FirstOrDefault(l => l.Name == reach.Device)?.Master != bridge)
        {
            return $"'{reach.Device}' did not become a port of '{bridge}'";
        }

        var ipv6 = reach.HasIpv6;
        if (reach.Lacks(bridge, Ip.Addresses(bridge), ipv6 ? Ip.Addresses6(bridge) : [], Ip.Routes(bridge), ipv6 ? Ip.Routes6(bridge) : []) is { } lacking)
        {
            return lacking;
        }

        return reach.Gateway is not { } gateway || Answers(gateway, bridge) ? null : $"the gateway {gateway} did not answer through '{bridge}'";
    }

    /// <summary>Whether <paramref name="gateway"/> answers an ICMP echo within a second.</summary>
    private bool Answers(string gateway, string? bridge)
    {
        _log?.Invoke($"ping {gateway}" + (bridge is null ? string.Empty : $" (through {bridge})"));
        try
        {
            using var ping = new Ping();
            return ping.Send(IPAddress.Parse(gateway), 1000).Status == IPStatus.Success;
        }
        catch (PingException)
        {
            return false;
        }
    }

    /// <summary>Runs an undo, turning file errors into KimchiExceptions (a rollback reports those as data).</summary>
    private static void Wrap(Action act)
    {
        try
        {
            act();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KimchiException(ErrorCodes.ManagedBridgeRestoreFailed, ErrorKind.OperationFailed, e.Message, null, e);
        }
    }
}
