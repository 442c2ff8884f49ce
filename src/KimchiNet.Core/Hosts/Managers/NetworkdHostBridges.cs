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
using KimchiNet.Model;
using KimchiNet.Transactions;

namespace KimchiNet.Hosts.Managers;

/// <summary>
/// Makes the host bridge of a bridge network on a NIC that systemd-networkd manages, through
/// networkd's own files, so that it persists across reboots (issue 14, items 2-4):
/// <list type="bullet">
/// <item><c>00-kimchinet-BRIDGE.netdev</c>: the bridge, with the NIC's MAC (so a DHCP server gives the same lease), STP off, no forward delay;</item>
/// <item><c>00-kimchinet-BRIDGE.network</c>: every section of the NIC's .network file but [Match] and [Link] ([Network], [Address], [Route], [DHCPv4]...), matched to the bridge;</item>
/// <item>the NIC's .network file: its [Match] and [Link] sections, and <c>[Network] Bridge=BRIDGE</c>.</item>
/// </list>
/// The original .network file is kept byte for byte in <c>/etc/systemd/network/.kimchinet/BRIDGE/</c>
/// (networkd reads no subfolder), and every file written is recorded in the network's metadata. After
/// <c>networkctl reload</c> and <c>reconfigure</c>, the bridge must hold the NIC's IPv4 addresses and
/// routes, and the gateway of its default route must answer (when it answered before), within
/// <see cref="VerifyTimeout"/>; otherwise the files are restored, networkd reloaded, the bridge
/// deleted and the NIC reconfigured as before (KCHNET0133E).
/// </summary>
/// <remarks>
/// The bridge's files are named 00-kimchinet-* so they sort before the NIC's: a [Match] by MAC in the
/// NIC's file would otherwise match the bridge too (it has the same MAC). A .network file that is not
/// in /etc/systemd/network (in /run or /usr/lib) is not edited: a file of the same name in
/// /etc/systemd/network, which takes precedence, is created instead and deleted on undo.
/// </remarks>
public sealed class NetworkdHostBridges
{
    /// <summary>The folder where KimchiNet writes networkd's files.</summary>
    public const string DefaultFolder = "/etc/systemd/network";

    /// <summary>The subfolder (of <see cref="DefaultFolder"/>) where the originals are kept, one folder per bridge.</summary>
    public const string KeptFolderName = ".kimchinet";

    private static readonly object s_gate = new();
    private static readonly TimeSpan s_programTimeout = TimeSpan.FromSeconds(30);
    private readonly IpRoute2 _ip;
    private readonly Action<string>? _log;

    /// <summary>Creates the bridge maker.</summary>
    /// <param name="log">Receives every command line and file written before it happens (for -Verbose).</param>
    public NetworkdHostBridges(Action<string>? log = null)
    {
        _log = log;
        _ip = new IpRoute2(null, log);
    }

    /// <summary>The folder networkd's files are written to; <see cref="DefaultFolder"/> on a host.</summary>
    public string Folder { get; init; } = DefaultFolder;

    /// <summary>How long the bridge may take to hold the NIC's addresses and routes and reach the gateway; 30 s by default.</summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The files a bridge named <paramref name="bridge"/> would write, given the NIC's .network file (for -WhatIf).</summary>
    public IReadOnlyList<string> FilesFor(string bridge, string networkFile) =>
        [BridgeFile(bridge, ".netdev"), BridgeFile(bridge, ".network"), Path.Combine(Folder, Path.GetFileName(networkFile))];

    /// <summary>Makes the bridge over <paramref name="device"/>, whose .network file is <paramref name="networkFile"/>, and verifies it; rolls everything back on failure.</summary>
    /// <exception cref="KimchiException">KCHNET0133E when the verification failed (rolled back); KCHNET0134E when a step failed (rolled back).</exception>
    public HostChanges CreateBridge(string device, string networkFile)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(networkFile);
        lock (s_gate)
        {
            return Create(device, networkFile);
        }
    }

    private HostChanges Create(string device, string networkFile)
    {
        var links = _ip.Links();
        var dev = links.FirstOrDefault(l => l.Name == device)
            ?? throw Failed(device, $"no device '{device}' exists on this machine", null);
        var bridge = HostBridgeNames.Bridge(device, null, n => links.Any(l => l.Name == n));
        var target = Path.Combine(Folder, Path.GetFileName(networkFile));
        var inPlace = string.Equals(Path.GetFullPath(networkFile), Path.GetFullPath(target), StringComparison.Ordinal);
        var original = ReadTrusted(device, networkFile);
        if (!inPlace && File.Exists(target))
        {
            throw Failed(device, $"'{target}' exists but networkd uses '{networkFile}' for '{device}'; KimchiNet does not guess which to change", null);
        }

        var (nicText, bridgeText) = Split(Encoding.UTF8.GetString(original), bridge, device);
        var netdev = BridgeFile(bridge, ".netdev");
        var bridgeNetwork = BridgeFile(bridge, ".network");
        foreach (var path in new[] { netdev, bridgeNetwork })
        {
            if (File.Exists(path))
            {
                throw Failed(device, $"'{path}' exists already", null);
            }
        }

        // How the host is reached through the NIC now: checked on the bridge after the change.
        var addresses = _ip.Addresses(device).Select(a => a.Cidr).ToList();
        var routes = _ip.Routes(device).Where(r => r.Protocol != "kernel" && r.Type is null or "unicast").ToList();
        var gateway = routes.FirstOrDefault(r => r.Destination == "default")?.Gateway;
        var gatewayAnswered = gateway is not null && Answers(gateway, bridge: null);

        var keptFolder = KeptFolder(bridge);
        var kept = inPlace ? Path.Combine(keptFolder, Path.GetFileName(target)) : null;
        var transaction = new Transaction();
        try
        {
            // Undone last: the NIC is reconfigured from its restored file once the bridge is gone.
            transaction.Push($"{HostPrograms.Networkctl.Path} reconfigure {device}", () => Networkctl("reconfigure", device));
            transaction.Push($"{_ip.CommandLine(["link", "del", "dev", bridge])}", () => DeleteBridge(bridge));
            transaction.Push($"{HostPrograms.Networkctl.Path} reload", () => Networkctl("reload"));
            Step(transaction, () => CreateKeptFolder(keptFolder), $"delete folder {keptFolder}", () => DeleteFolder(keptFolder));
            if (kept is not null)
            {
                Step(transaction, () => CopyExact(target, kept), $"delete {kept}", () => Delete(kept));
            }

            Step(transaction, () => WriteNew(netdev, NetdevText(bridge, dev.Mac)), $"delete {netdev}", () => Delete(netdev));
            Step(transaction, () => WriteNew(bridgeNetwork, bridgeText), $"delete {bridgeNetwork}", () => Delete(bridgeNetwork));
            if (kept is not null)
            {
                Step(transaction, () => Overwrite(target, nicText), $"restore {target} from {kept}", () => CopyExact(kept, target));
            }
            else
            {
                Step(transaction, () => WriteNew(target, nicText), $"delete {target}", () => Delete(target));
            }

            Networkctl("reload");
            WaitFor(() => _ip.Links().Any(l => l.Name == bridge), TimeSpan.FromSeconds(10));
            Networkctl("reconfigure", device, bridge);
        }
        catch (KimchiException e)
        {
            throw Failed(device, e.Message, transaction);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(device, e.Message, transaction);
        }

        var missing = Verify(device, bridge, addresses, routes, gatewayAnswered ? gateway : null);
        if (missing is not null)
        {
            var failures = transaction.RollBack();
            var back = failures.Count == 0
                ? WaitFor(() => addresses.All(_ip.Addresses(device).Select(a => a.Cidr).Contains), VerifyTimeout)
                : false;
            var outcome = failures.Count > 0
                ? "These steps could not be undone: " + string.Join("; ", failures.Select(f => f.Summary))
                : back
                    ? $"The files were restored byte for byte, networkd reloaded and '{bridge}' deleted: '{device}' holds its addresses again."
                    : $"The files were restored byte for byte, networkd reloaded and '{bridge}' deleted, but '{device}' did not get all of {string.Join(", ", addresses)} back within {Seconds(VerifyTimeout)} s.";
            throw new KimchiException(ErrorCodes.ManagedBridgeRolledBack, ErrorKind.OperationFailed,
                $"The bridge '{bridge}' made through systemd-networkd on '{device}' was rolled back: within {Seconds(VerifyTimeout)} s {missing}. {outcome}", device);
        }

        transaction.Commit();
        var made = _ip.Links().First(l => l.Name == bridge);
        return new HostChanges
        {
            CreatedBridge = bridge,
            BridgeMac = made.Mac,
            BridgeIfindex = made.Ifindex > 0 ? made.Ifindex : null,
            MovedAddresses = addresses,
            Manager = HostNetworkManager.Networkd,
            ManagerFiles =
            [
                new ManagerFileChange(netdev, null),
                new ManagerFileChange(bridgeNetwork, null),
                new ManagerFileChange(target, kept),
            ],
        };
    }

    /// <summary>Restores the files <paramref name="changes"/> records byte for byte, reloads networkd, deletes the bridge and reconfigures its NIC.</summary>
    /// <exception cref="KimchiException">KCHNET0135E naming what could not be restored (the rest was).</exception>
    public void Undo(HostChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (s_gate)
        {
            UndoLocked(changes);
        }
    }

    /// <summary>Why the record's files cannot be trusted (a path outside networkd's folder, a kept copy outside the bridge's own folder), or null.</summary>
    public string? CheckRecord(HostChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.CreatedBridge is not { } bridge || changes.ManagerFiles.Count == 0)
        {
            return "it names no bridge or no networkd files";
        }

        var folder = KeptFolder(bridge);
        foreach (var file in changes.ManagerFiles)
        {
            if (!IsDirectChild(file.Path, Folder) || !(file.Path.EndsWith(".network", StringComparison.Ordinal) || file.Path.EndsWith(".netdev", StringComparison.Ordinal)))
            {
                return $"the file '{file.Path}' is not a .network or .netdev file of {Folder}";
            }

            if (file.Kept is { } kept && (!IsDirectChild(kept, folder) || Path.GetFileName(kept) != Path.GetFileName(file.Path)))
            {
                return $"the kept original '{kept}' is not in {folder}";
            }
        }

        return null;
    }

    private void UndoLocked(HostChanges changes)
    {
        if (CheckRecord(changes) is { } refused)
        {
            throw new KimchiException(ErrorCodes.ManagedBridgeRestoreFailed, ErrorKind.InvalidInput,
                $"Not restoring networkd's files for bridge '{changes.CreatedBridge}': {refused}.", changes.CreatedBridge);
        }

        var bridge = changes.CreatedBridge!;
        var problems = new List<string>();
        void Try(string what, Action act)
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

        var ports = _ip.Links().Where(l => l.Master == bridge && l.Kind is not ("tun" or "macvtap")).Select(l => l.Name).ToList();
        foreach (var file in changes.ManagerFiles)
        {
            if (file.Kept is { } kept)
            {
                Try($"restore {file.Path} from {kept} by hand", () =>
                {
                    CopyExact(kept, file.Path);
                    Delete(kept);
                });
            }
            else
            {
                Try($"delete {file.Path} by hand", () => Delete(file.Path));
            }
        }

        if (problems.Count == 0)
        {
            Try($"delete folder {KeptFolder(bridge)}", () => DeleteFolder(KeptFolder(bridge)));
        }

        Try("run networkctl reload", () => Networkctl("reload"));
        Try($"delete {bridge}", () => DeleteBridge(bridge));
        if (ports.Count > 0)
        {
            Try($"run networkctl reconfigure {string.Join(' ', ports)}", () => Networkctl(["reconfigure", .. ports]));
        }

        if (problems.Count > 0)
        {
            throw new KimchiException(ErrorCodes.ManagedBridgeRestoreFailed, ErrorKind.OperationFailed,
                $"Could not undo everything KimchiNet changed through systemd-networkd for bridge '{bridge}'; the rest was undone. Left to do: {string.Join("; ", problems)}.", bridge);
        }
    }

    /// <summary>What is missing on the bridge after the change, waited for up to <see cref="VerifyTimeout"/>; null when all is there.</summary>
    private string? Verify(string device, string bridge, IReadOnlyList<string> addresses, IReadOnlyList<IpRoute> routes, string? gateway)
    {
        string? missing = "nothing was checked";
        WaitFor(
            () =>
            {
                missing = Missing(device, bridge, addresses, routes, gateway);
                return missing is null;
            },
            VerifyTimeout);
        return missing;
    }

    private string? Missing(string device, string bridge, IReadOnlyList<string> addresses, IReadOnlyList<IpRoute> routes, string? gateway)
    {
        var links = _ip.Links();
        if (links.FirstOrDefault(l => l.Name == device)?.Master != bridge)
        {
            return $"'{device}' did not become a port of '{bridge}'";
        }

        var held = _ip.Addresses(bridge).Select(a => a.Cidr).ToHashSet(StringComparer.Ordinal);
        if (addresses.Where(a => !held.Contains(a)).ToList() is { Count: > 0 } absent)
        {
            return $"'{bridge}' did not get the addresses {string.Join(", ", absent)}";
        }

        var via = _ip.Routes(bridge);
        if (routes.Where(r => !via.Any(v => v.Destination == r.Destination && v.Gateway == r.Gateway)).ToList() is { Count: > 0 } lost)
        {
            return $"'{bridge}' did not get the routes {string.Join(", ", lost.Select(r => r.Destination + (r.Gateway is null ? string.Empty : " via " + r.Gateway)))}";
        }

        return gateway is null || Answers(gateway, bridge) ? null : $"the gateway {gateway} did not answer through '{bridge}'";
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

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
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

    /// <summary>The NIC's new .network text (its [Match] and [Link] sections, lines before the first section, and Bridge=) and the bridge's (every other section, matched to the bridge).</summary>
    internal static (string Nic, string Bridge) Split(string text, string bridge, string device)
    {
        var nic = new StringBuilder();
        var moved = new StringBuilder();
        nic.Append(CultureInfo.InvariantCulture, $"# Made a port of {bridge} by KimchiNet; the original is kept in {KeptFolderName}/{bridge}/ and restored by Remove-KimchiNetwork.\n");
        moved.Append(CultureInfo.InvariantCulture, $"# Made by KimchiNet from the .network file of {device}; deleted by Remove-KimchiNetwork.\n[Match]\nName={bridge}\n");
        var current = nic;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = line is "[Match]" or "[Link]" ? nic : moved;
                if (current == moved)
                {
                    moved.Append('\n');
                }
            }

            current.Append(raw).Append('\n');
        }

        nic.Append(CultureInfo.InvariantCulture, $"\n[Network]\nBridge={bridge}\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n");
        return (nic.ToString(), moved.ToString());
    }

    private static string NetdevText(string bridge, string? mac) =>
        $"# Made by KimchiNet for a bridge network; deleted by Remove-KimchiNetwork.\n[NetDev]\nName={bridge}\nKind=bridge\n"
        + (mac is null ? string.Empty : $"MACAddress={mac}\n")
        + "\n[Bridge]\nSTP=no\nForwardDelaySec=0\n";

    private string BridgeFile(string bridge, string extension) => Path.Combine(Folder, "00-kimchinet-" + bridge + extension);

    private string KeptFolder(string bridge) => Path.Combine(Folder, KeptFolderName, bridge);

    private static bool IsDirectChild(string path, string folder) =>
        Path.IsPathFullyQualified(path)
        && string.Equals(Path.GetDirectoryName(path), folder, StringComparison.Ordinal)
        && Path.GetFileName(path) is { Length: > 0 } name && name != "." && name != ".." && !name.Contains('/', StringComparison.Ordinal);

    /// <summary>The bytes of the NIC's .network file, read only when no other user could have written it.</summary>
    private static byte[] ReadTrusted(string device, string path)
    {
        var files = new ManagerFiles();
        if (files.ReadText(path) is null)
        {
            var why = files.Problems.Count > 0 ? files.Problems[0].Message : $"'{path}' does not exist";
            throw Failed(device, why, null);
        }

        return File.ReadAllBytes(path);
    }

    private void Step(Transaction transaction, Action act, string undoText, Action undo)
    {
        transaction.Do(act, new UndoStep(undoText, () => Wrap(undo)));
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

    private void CreateKeptFolder(string folder)
    {
        _log?.Invoke($"mkdir {folder}");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("systemd-networkd runs on Linux only");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(folder)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (Directory.Exists(folder))
        {
            throw new IOException($"'{folder}' exists already: a bridge of that name was made before and not removed");
        }

        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private void DeleteFolder(string folder)
    {
        _log?.Invoke($"rmdir {folder}");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder);
        }
    }

    private void CopyExact(string from, string to)
    {
        _log?.Invoke($"copy {from} {to}");
        File.Copy(from, to, overwrite: true);
    }

    /// <summary>Creates <paramref name="path"/> (mode 0644, as networkd's files are) with <paramref name="text"/>; fails when it exists.</summary>
    private void WriteNew(string path, string text)
    {
        _log?.Invoke($"write {path}");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("systemd-networkd runs on Linux only");
        }

        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        });
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }

    private void Overwrite(string path, string text)
    {
        _log?.Invoke($"write {path}");
        using var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write);
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }

    private void Delete(string path)
    {
        _log?.Invoke($"delete {path}");
        File.Delete(path);
    }

    private void DeleteBridge(string bridge)
    {
        if (_ip.Links().FirstOrDefault(l => l.Name == bridge) is { Kind: "bridge" })
        {
            _ip.Change("link", "del", "dev", bridge);
        }
    }

    private void Networkctl(params string[] arguments)
    {
        var program = HostPrograms.Networkctl;
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
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(s_programTimeout))
            {
                process.Kill();
                throw new KimchiException(ErrorCodes.ManagedBridgeFailed, ErrorKind.OperationFailed, $"'{line}' did not end within {Seconds(s_programTimeout)} s", line);
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new KimchiException(ErrorCodes.ManagedBridgeFailed, ErrorKind.OperationFailed,
                    $"'{line}' failed with exit code {process.ExitCode}: {stderr.GetAwaiter().GetResult().Trim()}", line);
            }
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new KimchiException(ErrorCodes.ManagedBridgeFailed, ErrorKind.Unavailable, $"Cannot run '{line}': {e.Message}", line, e);
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>KCHNET0134E after rolling back <paramref name="transaction"/> (if any).</summary>
    private static KimchiException Failed(string device, string reason, Transaction? transaction)
    {
        var failures = transaction?.RollBack() ?? [];
        var outcome = transaction is null
            ? "Nothing was changed."
            : failures.Count == 0
                ? "Everything done before was undone: networkd's files are as they were."
                : "These steps could not be undone: " + string.Join("; ", failures.Select(f => f.Summary));
        return new KimchiException(ErrorCodes.ManagedBridgeFailed, ErrorKind.OperationFailed,
            $"Cannot create a bridge on '{device}' through systemd-networkd: {reason}. {outcome}", device);
    }
}
