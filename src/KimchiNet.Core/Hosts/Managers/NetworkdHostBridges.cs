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
/// <see cref="ManagerBridgeMaker.VerifyTimeout"/>; otherwise the files are restored, networkd reloaded, the bridge
/// deleted and the NIC reconfigured as before (KCHNET0133E).
/// </summary>
/// <remarks>
/// The bridge's files are named 00-kimchinet-* so they sort before the NIC's: a [Match] by MAC in the
/// NIC's file would otherwise match the bridge too (it has the same MAC). A .network file that is not
/// in /etc/systemd/network (in /run or /usr/lib) is not edited: a file of the same name in
/// /etc/systemd/network, which takes precedence, is created instead and deleted on undo.
/// </remarks>
public sealed class NetworkdHostBridges : ManagerBridgeMaker
{
    /// <summary>The folder where KimchiNet writes networkd's files.</summary>
    public const string DefaultFolder = "/etc/systemd/network";

    /// <summary>Creates the bridge maker.</summary>
    /// <param name="log">Receives every command line and file written before it happens (for -Verbose).</param>
    public NetworkdHostBridges(Action<string>? log = null)
        : base("systemd-networkd", DefaultFolder, log)
    {
    }

    /// <summary>The files a bridge named <paramref name="bridge"/> would write, given the NIC's .network file (for -WhatIf).</summary>
    public IReadOnlyList<string> FilesFor(string bridge, string networkFile) =>
        [BridgeFile(bridge, ".netdev"), BridgeFile(bridge, ".network"), Path.Combine(Folder, Path.GetFileName(networkFile))];

    /// <inheritdoc/>
    private protected override HostChanges Create(IpLink dev, string bridge, string networkFile)
    {
        var ip = Steps.Ip;
        var device = dev.Name;
        var target = Path.Combine(Folder, Path.GetFileName(networkFile));
        var inPlace = string.Equals(Path.GetFullPath(networkFile), Path.GetFullPath(target), StringComparison.Ordinal);
        var original = Steps.ReadTrusted(device, networkFile);
        if (!inPlace && File.Exists(target))
        {
            throw Steps.Failed(device, $"'{target}' exists but networkd uses '{networkFile}' for '{device}'; KimchiNet does not guess which to change", null);
        }

        var (nicText, bridgeText) = Split(Encoding.UTF8.GetString(original), bridge, device, DhcpIaid(Steps, device));
        var netdev = BridgeFile(bridge, ".netdev");
        var bridgeNetwork = BridgeFile(bridge, ".network");
        foreach (var path in new[] { netdev, bridgeNetwork })
        {
            if (File.Exists(path))
            {
                throw Steps.Failed(device, $"'{path}' exists already", null);
            }
        }

        // How the host is reached through the NIC now: checked on the bridge after the change.
        var reach = Steps.Record(device);
        var keptFolder = KeptFolder(bridge);
        var kept = inPlace ? Path.Combine(keptFolder, Path.GetFileName(target)) : null;
        var transaction = new Transaction();
        try
        {
            // Undone last: the NIC is reconfigured from its restored file once the bridge is gone.
            transaction.Push($"{HostPrograms.Networkctl.Path} reconfigure {device}", () => Networkctl("reconfigure", device));
            transaction.Push($"{ip.CommandLine(["link", "del", "dev", bridge])}", () => Steps.DeleteBridge(bridge));
            transaction.Push($"{HostPrograms.Networkctl.Path} reload", () => Networkctl("reload"));
            ManagedBridgeSteps.Step(transaction, () => Steps.CreateKeptFolder(keptFolder), $"delete folder {keptFolder}", () => Steps.DeleteKeptFolder(keptFolder));
            if (kept is not null)
            {
                ManagedBridgeSteps.Step(transaction, () => Steps.CopyExact(target, kept), $"delete {kept}", () => Steps.Delete(kept));
            }

            ManagedBridgeSteps.Step(transaction, () => Steps.WriteNew(netdev, NetdevText(bridge, dev.Mac)), $"delete {netdev}", () => Steps.Delete(netdev));
            ManagedBridgeSteps.Step(transaction, () => Steps.WriteNew(bridgeNetwork, bridgeText), $"delete {bridgeNetwork}", () => Steps.Delete(bridgeNetwork));
            if (kept is not null)
            {
                ManagedBridgeSteps.Step(transaction, () => Steps.Overwrite(target, nicText), $"restore {target} from {kept}", () => Steps.CopyExact(kept, target));
            }
            else
            {
                ManagedBridgeSteps.Step(transaction, () => Steps.WriteNew(target, nicText), $"delete {target}", () => Steps.Delete(target));
            }

            Networkctl("reload");
            ManagedBridgeSteps.WaitFor(() => ip.Links().Any(l => l.Name == bridge), TimeSpan.FromSeconds(10));
            ReconfigureWhenKnown(Steps, device, bridge);
        }
        catch (Exception e) when (e is KimchiException or IOException or UnauthorizedAccessException)
        {
            throw Steps.Failed(device, e.Message, transaction);
        }

        if (Steps.Verify(reach, bridge, VerifyTimeout) is { } missing)
        {
            throw Steps.RolledBack(reach, bridge, missing, transaction, VerifyTimeout);
        }

        transaction.Commit();
        return Made(bridge, reach, HostNetworkManager.Networkd,
            new ManagerFileChange(netdev, null),
            new ManagerFileChange(bridgeNetwork, null),
            new ManagerFileChange(target, kept));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A file the record says KimchiNet created (Remove deletes it) must be one of the bridge's own
    /// (00-kimchinet-BRIDGE.netdev or .network), or the NIC's .network that KimchiNet wrote over one in
    /// /run or /usr/lib, which then begins with KimchiNet's line naming the bridge: anyone who can define
    /// a libvirt network can write the record, and must not make Remove delete another file of networkd's.
    /// </remarks>
    public override string? CheckRecord(HostChanges changes) =>
        CheckFiles(changes, "networkd files", (file, bridge) =>
            !ManagedBridgeSteps.IsDirectChild(file.Path, Folder) || !(file.Path.EndsWith(".network", StringComparison.Ordinal) || file.Path.EndsWith(".netdev", StringComparison.Ordinal))
                ? $"the file '{file.Path}' is not a .network or .netdev file of {Folder}"
            : file.Kept is null && file.Path != BridgeFile(bridge, ".netdev") && file.Path != BridgeFile(bridge, ".network") && !WrittenByKimchiNet(file.Path, bridge)
                ? $"the created file '{file.Path}' is neither one of the bridge's files nor a .network file KimchiNet wrote for '{bridge}'"
            : null);

    /// <summary>Whether <paramref name="path"/> (read only when no other user could have written it) begins with the line KimchiNet writes at the head of a NIC's .network that it made a port of <paramref name="bridge"/>.</summary>
    private static bool WrittenByKimchiNet(string path, string bridge) =>
        new ManagerFiles().ReadText(path) is { } text && text.StartsWith(PortHeader(bridge), StringComparison.Ordinal);

    /// <summary>The first line of a NIC's .network that KimchiNet made a port of <paramref name="bridge"/>.</summary>
    private static string PortHeader(string bridge) =>
        $"# Made a port of {bridge} by KimchiNet; the original is kept in {KeptFolderName}/{bridge}/ and restored by Remove-KimchiNetwork.\n";

    /// <inheritdoc/>
    private protected override void UndoTrusted(HostChanges changes)
    {
        var bridge = changes.CreatedBridge!;
        var problems = new List<string>();
        var ports = Ports(bridge);
        RestoreFiles(changes, problems);
        ManagedBridgeSteps.Try(problems, "run networkctl reload", () => Networkctl("reload"));
        ManagedBridgeSteps.Try(problems, $"delete {bridge}", () => Steps.DeleteBridge(bridge));
        if (ports.Count > 0)
        {
            ManagedBridgeSteps.Try(problems, $"run networkctl reconfigure {string.Join(' ', ports)}", () => Networkctl(["reconfigure", .. ports]));
        }

        if (problems.Count > 0)
        {
            throw Steps.RestoreFailed(bridge, problems);
        }
    }

    /// <summary>
    /// The NIC's new .network text (its [Match] and [Link] sections, lines before the first section, and
    /// Bridge=) and the bridge's (every other section, matched to the bridge). With <paramref name="iaid"/>
    /// (the IAID the NIC's DHCPv4 client uses) and no IAID= of its own, the bridge's text gets
    /// <c>[DHCPv4] IAID=</c> with it: networkd derives the IAID, part of the DHCP client identifier, from the
    /// interface name, so without it the bridge would be another DHCP client to the server, and a server
    /// that keys its leases by client identifier would give it another address.
    /// </summary>
    internal static (string Nic, string Bridge) Split(string text, string bridge, string device, uint? iaid = null)
    {
        var nic = new StringBuilder();
        var moved = new StringBuilder();
        nic.Append(PortHeader(bridge));
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
        if (iaid is { } id && !moved.ToString().Split('\n').Any(l => l.TrimStart().StartsWith("IAID=", StringComparison.Ordinal)))
        {
            moved.Append(CultureInfo.InvariantCulture, $"\n# {device}'s DHCP client identity (networkd derives the IAID from the interface name), so that the DHCP server gives the same lease\n[DHCPv4]\nIAID={id}\n");
        }

        return (nic.ToString(), moved.ToString());
    }

    /// <summary>The IAID of networkd's DHCPv4 client on <paramref name="device"/> ("DHCP4 Client ID: IAID:0x…" in <c>networkctl status</c>), or null when it runs none or networkctl cannot say.</summary>
    internal static uint? DhcpIaid(ManagedBridgeSteps steps, string device)
    {
        try
        {
            return ParseDhcpIaid(steps.Run(HostPrograms.Networkctl, "status", "--no-pager", device));
        }
        catch (KimchiException)
        {
            return null;
        }
    }

    /// <summary>The IAID in <c>networkctl status</c> output ("DHCP4 Client ID: IAID:0x0a83b73e/DUID"), or null.</summary>
    internal static uint? ParseDhcpIaid(string status)
    {
        var match = System.Text.RegularExpressions.Regex.Match(status, @"DHCP4 Client ID:\s*IAID:0x(?<iaid>[0-9a-fA-F]{1,8})\b");
        return match.Success ? uint.Parse(match.Groups["iaid"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : null;
    }

    private static string NetdevText(string bridge, string? mac) =>
        $"# Made by KimchiNet for a bridge network; deleted by Remove-KimchiNetwork.\n[NetDev]\nName={bridge}\nKind=bridge\n"
        + (mac is null ? string.Empty : $"MACAddress={mac}\n")
        + "\n[Bridge]\nSTP=no\nForwardDelaySec=0\n";

    private string BridgeFile(string bridge, string extension) => Path.Combine(Folder, "00-kimchinet-" + bridge + extension);

    private void Networkctl(params string[] arguments) => Steps.Run(HostPrograms.Networkctl, arguments);

    /// <summary>
    /// networkctl reconfigure on the NIC and the new bridge. networkd learns of the bridge a moment
    /// after the kernel has it, and until then refuses it ("Link N not known"): retried for up to 10 s.
    /// (Also for a bridge netplan rendered for networkd: <see cref="NetplanHostBridges"/>.)
    /// </summary>
    internal static void ReconfigureWhenKnown(ManagedBridgeSteps steps, string device, string bridge)
    {
        KimchiException? last = null;
        var done = ManagedBridgeSteps.WaitFor(
            () =>
            {
                try
                {
                    steps.Run(HostPrograms.Networkctl, "reconfigure", device, bridge);
                    return true;
                }
                catch (KimchiException e)
                {
                    last = e;
                    return false;
                }
            },
            TimeSpan.FromSeconds(10));
        if (!done)
        {
            throw last!;
        }
    }
}
