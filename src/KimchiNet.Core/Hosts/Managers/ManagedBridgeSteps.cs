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
/// static routes, and the gateway of its default route when that answered. After the change the
/// bridge must hold all of it (issue 14, item 3).
/// </summary>
/// <param name="Device">The NIC.</param>
/// <param name="Addresses">Its IPv4 addresses, as address/prefix.</param>
/// <param name="Routes">Its routes of the main table that a manager or an administrator set (not the kernel's connected routes).</param>
/// <param name="Gateway">The gateway of its default route when it answered a ping before the change, else null (then it is not checked).</param>
internal sealed record HostReach(string Device, IReadOnlyList<string> Addresses, IReadOnlyList<IpRoute> Routes, string? Gateway);

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
    public HostReach Record(string device)
    {
        var addresses = Ip.Addresses(device).Select(a => a.Cidr).ToList();
        var routes = Ip.Routes(device).Where(r => r.Protocol != "kernel" && r.Type is null or "unicast").ToList();
        var gateway = routes.FirstOrDefault(r => r.Destination == "default")?.Gateway;
        return new HostReach(device, addresses, routes, gateway is not null && Answers(gateway, bridge: null) ? gateway : null);
    }

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
            && WaitFor(() => reach.Addresses.All(Ip.Addresses(device).Select(a => a.Cidr).Contains), timeout);
        var outcome = failures.Count > 0
            ? "These steps could not be undone: " + string.Join("; ", failures.Select(f => f.Summary))
            : back
                ? $"The files were restored byte for byte and '{bridge}' deleted: '{device}' holds its addresses again."
                : $"The files were restored byte for byte and '{bridge}' deleted, but '{device}' did not get all of {string.Join(", ", reach.Addresses)} back within {Seconds(timeout)} s.";
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

    /// <summary>Runs the manager's <paramref name="program"/> with <paramref name="arguments"/> (no shell, C locale); KCHNET0134E (the manager's own failed-step code) when it fails or does not end within a minute.</summary>
    public void Run(HostProgram program, params string[] arguments)
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

        var held = Ip.Addresses(bridge).Select(a => a.Cidr).ToHashSet(StringComparer.Ordinal);
        if (reach.Addresses.Where(a => !held.Contains(a)).ToList() is { Count: > 0 } absent)
        {
            return $"'{bridge}' did not get the addresses {string.Join(", ", absent)}";
        }

        var via = Ip.Routes(bridge);
        if (reach.Routes.Where(r => !via.Any(v => v.Destination == r.Destination && v.Gateway == r.Gateway)).ToList() is { Count: > 0 } lost)
        {
            return $"'{bridge}' did not get the routes {string.Join(", ", lost.Select(r => r.Destination + (r.Gateway is null ? string.Empty : " via " + r.Gateway)))}";
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
