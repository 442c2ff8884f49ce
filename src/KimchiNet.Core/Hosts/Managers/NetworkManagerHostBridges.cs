using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using KimchiNet.Model;
using KimchiNet.Transactions;

namespace KimchiNet.Hosts.Managers;

/// <summary>
/// Makes the host bridge of a bridge network on a NIC that NetworkManager manages, through
/// NetworkManager's own connection profiles (keyfiles), so that it persists across reboots (issue 14,
/// items 2-4):
/// <list type="bullet">
/// <item><c>BRIDGE.nmconnection</c>: a bridge profile with the NIC's MAC (<c>bridge.mac-address</c>, so a DHCP server gives the same lease), STP off, and the NIC profile's [ipv4], [ipv6] and [proxy] sections verbatim (method: DHCP, manual, SLAAC; addresses, gateway, routes, DNS);</item>
/// <item>the NIC's keyfile: every other section, and <c>master=BRIDGE</c>, <c>slave-type=bridge</c> in [connection], which makes it the bridge's port.</item>
/// </list>
/// The original keyfile is kept byte for byte in <c>/etc/NetworkManager/system-connections/.kimchinet/BRIDGE/</c>
/// (NetworkManager reads no subfolder), and every file written is recorded in the network's metadata.
/// After <c>nmcli connection reload</c> and <c>nmcli connection up</c> of the bridge and the port, the
/// bridge must hold the NIC's IPv4 addresses and routes, and the gateway must answer (when it answered
/// before), within <see cref="ManagerBridgeMaker.VerifyTimeout"/>; otherwise the keyfiles are restored, NetworkManager
/// reloaded (which deletes the bridge), and the NIC's own profile activated again (KCHNET0138E).
/// </summary>
/// <remarks>
/// Only a profile stored as a keyfile in /etc/NetworkManager/system-connections is changed: a profile
/// in /run (netplan's) or elsewhere is refused (KCHNET0139E). nmcli (by its checked path, with an
/// argument list) loads and activates the profiles; the files are written directly so that every
/// setting of the NIC's profile moves exactly, as NetworkManager stored it. NetworkManager's own
/// checkpoints (D-Bus CheckpointCreate) are not used: nmcli has no command for them, and the byte
/// copy plus reload restores the same state.
/// </remarks>
public sealed class NetworkManagerHostBridges : ManagerBridgeMaker
{
    /// <summary>The folder of NetworkManager's keyfiles.</summary>
    public const string DefaultFolder = "/etc/NetworkManager/system-connections";

    private static readonly ManagedBridgeCodes s_codes = new(
        ErrorCodes.NetworkManagerBridgeRolledBack, ErrorCodes.NetworkManagerBridgeFailed, ErrorCodes.NetworkManagerBridgeRestoreFailed);

    /// <summary>Creates the bridge maker.</summary>
    /// <param name="log">Receives every command line and file written before it happens (for -Verbose).</param>
    public NetworkManagerHostBridges(Action<string>? log = null)
        : base("NetworkManager", DefaultFolder, log, s_codes)
    {
    }

    /// <summary>The files a bridge named <paramref name="bridge"/> would write, given the NIC profile's keyfile (for -WhatIf).</summary>
    public IReadOnlyList<string> FilesFor(string bridge, string keyfile) => [BridgeFile(bridge), keyfile];

    /// <inheritdoc/>
    private protected override HostChanges Create(IpLink dev, string bridge, string keyfile)
    {
        var ip = Steps.Ip;
        var device = dev.Name;
        if (!ManagedBridgeSteps.IsDirectChild(keyfile, Folder))
        {
            throw Steps.Failed(device, $"its profile is stored in '{keyfile}', not as a keyfile of {Folder}; KimchiNet changes only those", null);
        }

        var original = Steps.ReadTrusted(device, keyfile);
        var bridgeUuid = Guid.NewGuid().ToString();
        var split = Split(Encoding.UTF8.GetString(original), bridge, device, dev.Mac, bridgeUuid);
        if (split.NicUuid is not { } nicUuid)
        {
            throw Steps.Failed(device, $"'{keyfile}' has no valid uuid in its [connection] section", null);
        }

        var bridgeFile = BridgeFile(bridge);
        if (File.Exists(bridgeFile))
        {
            throw Steps.Failed(device, $"'{bridgeFile}' exists already", null);
        }

        // How the host is reached through the NIC now: checked on the bridge after the change.
        var reach = Steps.Record(device);
        var keptFolder = KeptFolder(bridge);
        var kept = Path.Combine(keptFolder, Path.GetFileName(keyfile));
        var transaction = new Transaction();
        try
        {
            // Undone last: the NIC's own profile is activated again once the files are back and the bridge is gone.
            transaction.Push($"{HostPrograms.Nmcli.Path} connection up {nicUuid}", () => Up(nicUuid));
            transaction.Push($"{ip.CommandLine(["link", "del", "dev", bridge])}", () => Steps.DeleteBridge(bridge));
            transaction.Push($"{HostPrograms.Nmcli.Path} connection reload", Reload);
            ManagedBridgeSteps.Step(transaction, () => Steps.CreateKeptFolder(keptFolder), $"delete folder {keptFolder}", () => Steps.DeleteKeptFolder(keptFolder));
            ManagedBridgeSteps.Step(transaction, () => Steps.CopyExact(keyfile, kept), $"delete {kept}", () => Steps.Delete(kept));
            ManagedBridgeSteps.Step(transaction, () => Steps.WriteNew(bridgeFile, split.Bridge, ManagedBridgeSteps.Private), $"delete {bridgeFile}", () => Steps.Delete(bridgeFile));
            ManagedBridgeSteps.Step(transaction, () => Steps.Overwrite(keyfile, split.Nic), $"restore {keyfile} from {kept}", () => Steps.CopyExact(kept, keyfile));
            Reload();
            Up(bridgeUuid);
            Up(nicUuid);
        }
        catch (Exception e) when (e is KimchiException or IOException or UnauthorizedAccessException)
        {
            throw Steps.Failed(device, e.Message, transaction);
        }

        // A rollback restores the keyfiles, reloads NetworkManager, deletes the bridge and activates the NIC's profile again.
        if (Steps.Verify(reach, bridge, VerifyTimeout) is { } missing)
        {
            throw Steps.RolledBack(reach, bridge, missing, transaction, VerifyTimeout);
        }

        transaction.Commit();
        return Made(bridge, reach, HostNetworkManager.NetworkManager, new ManagerFileChange(bridgeFile, null), new ManagerFileChange(keyfile, kept));
    }

    /// <summary>Why the record's files cannot be trusted (a path outside the keyfile folder, a created file that is not the bridge's, a kept copy outside the bridge's own folder), or null.</summary>
    public override string? CheckRecord(HostChanges changes) =>
        CheckFiles(changes, "NetworkManager keyfiles", (file, bridge) =>
            !ManagedBridgeSteps.IsDirectChild(file.Path, Folder) ? $"the file '{file.Path}' is not a keyfile of {Folder}"
            : file.Kept is null && file.Path != BridgeFile(bridge) ? $"the created file '{file.Path}' is not the bridge's keyfile {BridgeFile(bridge)}"
            : null);

    /// <inheritdoc/>
    private protected override void UndoTrusted(HostChanges changes)
    {
        var bridge = changes.CreatedBridge!;
        var problems = new List<string>();
        void Try(string what, Action act) => ManagedBridgeSteps.Try(problems, what, act);

        var ports = Ports(bridge);
        RestoreFiles(changes, problems);

        // The NIC's own profiles, from the keyfiles restored (their kept copies are gone).
        var profiles = changes.ManagerFiles
            .Where(f => f.Kept is { } kept && !File.Exists(kept))
            .Select(f => new ManagerFiles().ReadText(f.Path) is { } restored ? Uuid(restored) : null)
            .OfType<string>()
            .ToList();
        Try("run nmcli connection reload", Reload);
        Try($"delete {bridge}", () => Steps.DeleteBridge(bridge));
        foreach (var uuid in profiles)
        {
            Try($"run nmcli connection up {uuid}", () => Up(uuid));
        }

        if (profiles.Count == 0)
        {
            foreach (var port in ports)
            {
                Try($"run nmcli device connect {port}", () => Nmcli("device", "connect", port));
            }
        }

        if (problems.Count > 0)
        {
            throw Steps.RestoreFailed(bridge, problems);
        }
    }

    /// <summary>The sections a port's profile gives to its bridge: NetworkManager keeps no IP or proxy settings on a port.</summary>
    private static readonly string[] s_movedSections = ["[ipv4]", "[ipv6]", "[proxy]"];

    /// <summary>
    /// The NIC's new keyfile text (every section but [ipv4], [ipv6] and [proxy], with master= and
    /// slave-type= in [connection]), the bridge's keyfile text (those sections verbatim under a bridge
    /// [connection] with <paramref name="bridgeUuid"/> and a [bridge] with the MAC and STP off), and the
    /// NIC profile's uuid (null when it has no valid one).
    /// </summary>
    internal static (string Nic, string Bridge, string? NicUuid) Split(string text, string bridge, string device, string? mac, string bridgeUuid)
    {
        var nic = new StringBuilder();
        var moved = new StringBuilder();
        nic.Append(CultureInfo.InvariantCulture, $"# Made a port of {bridge} by KimchiNet; the original is kept in {KeptFolderName}/{bridge}/ and restored by Remove-KimchiNetwork.\n");
        moved.Append(CultureInfo.InvariantCulture, $"# Made by KimchiNet from the profile of {device}; deleted by Remove-KimchiNetwork.\n")
            .Append(CultureInfo.InvariantCulture, $"[connection]\nid={bridge}\nuuid={bridgeUuid}\ntype=bridge\ninterface-name={bridge}\n\n[bridge]\n")
            .Append(mac is null ? string.Empty : $"mac-address={mac}\n")
            .Append("stp=false\n");
        var current = nic;
        var section = string.Empty;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line;
                current = s_movedSections.Contains(line, StringComparer.Ordinal) ? moved : nic;
                if (current == moved)
                {
                    moved.Append('\n');
                }

                current.Append(raw).Append('\n');
                if (line == "[connection]")
                {
                    nic.Append(CultureInfo.InvariantCulture, $"master={bridge}\nslave-type=bridge\n");
                }

                continue;
            }

            // A port's own controller settings are replaced by the bridge's.
            if (section == "[connection]" && Key(line) is "master" or "slave-type" or "controller" or "port-type")
            {
                continue;
            }

            current.Append(raw).Append('\n');
        }

        return (nic.ToString(), moved.ToString(), Uuid(text));
    }

    /// <summary>The uuid= of a keyfile's [connection] section, when it is a valid UUID.</summary>
    internal static string? Uuid(string text)
    {
        var section = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line;
            }
            else if (section == "[connection]" && Key(line) == "uuid")
            {
                return Guid.TryParse(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim(), out var uuid) ? uuid.ToString() : null;
            }
        }

        return null;
    }

    private static string? Key(string line) =>
        line.IndexOf('=', StringComparison.Ordinal) is > 0 and var at && !line.StartsWith('#') ? line[..at].Trim() : null;

    private string BridgeFile(string bridge) => Path.Combine(Folder, bridge + ".nmconnection");

    private void Reload() => Nmcli("connection", "reload");

    /// <summary>Activates a profile, waiting at most 20 s (nmcli's own limit, below the 30 s a client may take).</summary>
    private void Up(string uuid) => Nmcli("--wait", "20", "connection", "up", "uuid", uuid);

    private void Nmcli(params string[] arguments) => Steps.Run(HostPrograms.Nmcli, arguments);
}
