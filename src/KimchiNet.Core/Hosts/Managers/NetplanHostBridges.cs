using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using KimchiNet.Model;
using KimchiNet.Transactions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace KimchiNet.Hosts.Managers;

/// <summary>
/// Makes the host bridge of a bridge network on a NIC that netplan configures (for systemd-networkd or
/// for NetworkManager: its renderer), through netplan's own files, so that it persists across reboots (issue 14, items 2-4):
/// <list type="bullet">
/// <item><c>/etc/netplan/90-kimchinet-BRIDGE.yaml</c> (mode 0600): the bridge under <c>bridges:</c>, with the NIC's
/// definition as its only port in <c>interfaces:</c>, the NIC's MAC (so a DHCP server gives the same lease), STP off, no
/// forward delay, and the NIC's addressing: every key of <see cref="MovedKeys"/> (addresses, routes, DHCP, nameservers...);</item>
/// <item>the NIC's netplan file, with those keys taken out of its definition (what stays is its link: match, set-name, MTU...).</item>
/// </list>
/// The NIC's file is kept byte for byte in <c>/etc/netplan/.kimchinet/BRIDGE/</c> (netplan reads no
/// subfolder) and restored from there by Remove-KimchiNetwork; the rewritten file keeps its YAML but not its comments.
/// The change is applied the way netplan's own boot-time generator applies it: <c>netplan generate</c> renders the
/// files for the renderer (networkd's into /run/systemd/network, NetworkManager's profiles into
/// /run/NetworkManager/system-connections), then networkd: <c>networkctl reload</c> and <c>reconfigure</c> of the NIC
/// and the bridge; NetworkManager: <c>nmcli connection reload</c>, <c>nmcli connection up</c> of the bridge's profile
/// (netplan-BRIDGE) and <c>nmcli device connect</c> of the NIC. (<c>netplan apply</c> would restart the renderer and
/// reconfigure every link of the host, and needs systemd as PID 1.) The bridge is verified as for the other managers
/// (<see cref="ManagerBridgeMaker.VerifyTimeout"/>); on failure the file is restored, netplan generate and the
/// renderer's reload run again, the bridge is deleted and the NIC configured again (KCHNET0133E).
/// </summary>
/// <remarks>
/// Refused (KCHNET0134E, nothing changed): a NIC whose definition is spread over more than one file, is in a file
/// outside /etc/netplan, matches interfaces by a pattern or a driver, or is not an ethernet, bond or VLAN.
/// </remarks>
public sealed class NetplanHostBridges : ManagerBridgeMaker
{
    /// <summary>The folder where KimchiNet writes netplan's files.</summary>
    public const string DefaultFolder = "/etc/netplan";

    /// <summary>
    /// The keys of a netplan definition that say how the host is addressed through the device; they move
    /// to the bridge. The rest (match, set-name, macaddress, mtu, wakeonlan, optional, offloads...) stays
    /// with the NIC; <c>optional</c> is copied to the bridge too, so that boot does not wait for it either.
    /// </summary>
    internal static readonly IReadOnlyList<string> MovedKeys =
    [
        "dhcp4", "dhcp6", "dhcp-identifier", "dhcp4-overrides", "dhcp6-overrides", "accept-ra", "addresses",
        "ipv6-address-generation", "ipv6-address-token", "ipv6-privacy", "ipv6-mtu", "link-local", "critical",
        "gateway4", "gateway6", "nameservers", "routes", "routing-policy", "optional-addresses",
    ];

    private static readonly IReadOnlyList<string> s_bridgedSections = ["ethernets", "bonds", "vlans"];

    /// <summary>Creates the bridge maker for NICs netplan renders for <paramref name="renderer"/>.</summary>
    /// <param name="log">Receives every command line and file written before it happens (for -Verbose).</param>
    /// <param name="renderer">networkd (the default) or NetworkManager.</param>
    public NetplanHostBridges(Action<string>? log = null, HostNetworkManager renderer = HostNetworkManager.Networkd)
        : base("netplan", DefaultFolder, log)
    {
        Renderer = renderer is HostNetworkManager.Networkd or HostNetworkManager.NetworkManager
            ? renderer
            : throw new ArgumentOutOfRangeException(nameof(renderer), renderer, "netplan renders for networkd or NetworkManager");
    }

    /// <summary>The backend netplan renders the bridge for: networkd or NetworkManager.</summary>
    public HostNetworkManager Renderer { get; }

    /// <summary>The renderer's programs after netplan generate, as -WhatIf names them.</summary>
    public string ApplyText => Renderer == HostNetworkManager.Networkd
        ? "netplan generate, networkctl reload"
        : "netplan generate, nmcli connection reload";

    /// <summary>Makes the bridge over <paramref name="device"/>, whose netplan definition is in <paramref name="files"/>: one file, else KCHNET0134E (nothing changed).</summary>
    public HostChanges CreateBridge(string device, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return files.Count == 1
            ? CreateBridge(device, files[0])
            : throw Steps.Failed(device, $"its netplan definition is spread over {files.Count} files ({string.Join(", ", files)}), and KimchiNet changes a definition only when one file holds it", null);
    }

    /// <summary>The files a bridge named <paramref name="bridge"/> would write, given the NIC's netplan file (for -WhatIf).</summary>
    public IReadOnlyList<string> FilesFor(string bridge, string file) => [BridgeFile(bridge), file];

    /// <inheritdoc/>
    private protected override HostChanges Create(IpLink dev, string bridge, string file)
    {
        var device = dev.Name;
        if (!ManagedBridgeSteps.IsDirectChild(file, Folder) || !file.EndsWith(".yaml", StringComparison.Ordinal))
        {
            throw Steps.Failed(device, $"'{file}' is not a netplan file of {Folder}, and KimchiNet changes only those", null);
        }

        var original = Steps.ReadTrusted(device, file);
        if (!TrySplit(Encoding.UTF8.GetString(original), device, dev.Mac, bridge, Renderer, out var nicText, out var bridgeText, out var why))
        {
            throw Steps.Failed(device, $"{why} ({file})", null);
        }

        var bridgeFile = BridgeFile(bridge);
        if (File.Exists(bridgeFile))
        {
            throw Steps.Failed(device, $"'{bridgeFile}' exists already", null);
        }

        // netplan has no key for networkd's IAID, which networkd derives from the interface name: a drop-in
        // gives the bridge the NIC's, so the DHCP server sees the same client and gives the same lease.
        var iaid = Renderer == HostNetworkManager.Networkd ? NetworkdHostBridges.DhcpIaid(Steps, device) : null;
        var dropIn = DropInFile(bridge);
        if (iaid is not null && Directory.Exists(Path.GetDirectoryName(dropIn)))
        {
            throw Steps.Failed(device, $"'{Path.GetDirectoryName(dropIn)}' exists already", null);
        }

        var reach = Steps.Record(device);
        var keptFolder = KeptFolder(bridge);
        var kept = Path.Combine(keptFolder, Path.GetFileName(file));
        var transaction = new Transaction();
        try
        {
            // Undone last: the NIC is configured from its restored file once the bridge is gone.
            transaction.Push($"configure {device} again", () => ConfigureAgain([device]));
            transaction.Push($"{Steps.Ip.CommandLine(["link", "del", "dev", bridge])}", () => Steps.DeleteBridge(bridge));
            transaction.Push($"reload {Renderer}", Reload);
            transaction.Push($"{HostPrograms.Netplan.Path} generate", Generate);
            ManagedBridgeSteps.Step(transaction, () => Steps.CreateKeptFolder(keptFolder), $"delete folder {keptFolder}", () => Steps.DeleteKeptFolder(keptFolder));
            ManagedBridgeSteps.Step(transaction, () => Steps.CopyExact(file, kept), $"delete {kept}", () => Steps.Delete(kept));
            ManagedBridgeSteps.Step(transaction, () => Steps.WriteNew(bridgeFile, bridgeText!, ManagedBridgeSteps.Private), $"delete {bridgeFile}", () => Steps.Delete(bridgeFile));
            ManagedBridgeSteps.Step(transaction, () => Steps.Overwrite(file, nicText!), $"restore {file} from {kept}", () => Steps.CopyExact(kept, file));
            if (iaid is { } id)
            {
                var folder = Path.GetDirectoryName(dropIn)!;
                ManagedBridgeSteps.Step(transaction, () => Steps.CreateFolder(folder), $"delete folder {folder}", () => Steps.DeleteFolder(folder));
                ManagedBridgeSteps.Step(transaction, () => Steps.WriteNew(dropIn, DropInText(device, bridge, id)), $"delete {dropIn}", () => Steps.Delete(dropIn));
            }

            Generate();
            Reload();
            if (Renderer == HostNetworkManager.Networkd)
            {
                ManagedBridgeSteps.WaitFor(() => Steps.Ip.Links().Any(l => l.Name == bridge), TimeSpan.FromSeconds(10));
                NetworkdHostBridges.ReconfigureWhenKnown(Steps, device, bridge);
            }
            else
            {
                // netplan names the profiles it renders netplan-ID; the NIC takes its (now a port's) profile again
                Nmcli("--wait", "20", "connection", "up", "id", "netplan-" + bridge);
                Nmcli("--wait", "20", "device", "connect", device);
            }
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
        var made = Made(bridge, reach, HostNetworkManager.Netplan, new ManagerFileChange(bridgeFile, null), new ManagerFileChange(file, kept)) with { Renderer = Renderer };
        return iaid is null ? made : made with { ManagerFiles = [.. made.ManagerFiles, new ManagerFileChange(dropIn, null)] };
    }

    /// <inheritdoc/>
    public override string? CheckRecord(HostChanges changes) =>
        CheckFiles(changes, "netplan files", (file, bridge) =>
            file.Path == DropInFile(bridge) && file.Kept is null ? null
            : !ManagedBridgeSteps.IsDirectChild(file.Path, Folder) || !file.Path.EndsWith(".yaml", StringComparison.Ordinal) ? $"the file '{file.Path}' is not a .yaml file of {Folder}"
            : file.Kept is null && file.Path != BridgeFile(bridge) ? $"the created file '{file.Path}' is not the bridge's file {BridgeFile(bridge)}"
            : null);

    /// <inheritdoc/>
    private protected override void UndoTrusted(HostChanges changes)
    {
        var bridge = changes.CreatedBridge!;
        var problems = new List<string>();
        var ports = Ports(bridge);
        RestoreFiles(changes, problems);
        if (changes.ManagerFiles.Any(f => f.Path == DropInFile(bridge)))
        {
            var folder = Path.GetDirectoryName(DropInFile(bridge))!;
            ManagedBridgeSteps.Try(problems, $"delete folder {folder}", () => Steps.DeleteFolder(folder));
        }

        ManagedBridgeSteps.Try(problems, "run netplan generate", Generate);
        ManagedBridgeSteps.Try(problems, $"reload {Renderer}", Reload);
        ManagedBridgeSteps.Try(problems, $"delete {bridge}", () => Steps.DeleteBridge(bridge));
        if (ports.Count > 0)
        {
            ManagedBridgeSteps.Try(problems, $"configure {string.Join(' ', ports)} again", () => ConfigureAgain(ports));
        }

        if (problems.Count > 0)
        {
            throw Steps.RestoreFailed(bridge, problems);
        }
    }

    /// <summary>
    /// The NIC's netplan file without the addressing of <paramref name="device"/>'s definition, and the
    /// bridge's file with it; false and <paramref name="why"/> when the file cannot be changed that way.
    /// </summary>
    internal static bool TrySplit(string text, string device, string? mac, string bridge, HostNetworkManager renderer, out string? nic, out string? bridged, out string? why)
    {
        nic = bridged = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            why = $"it is not valid YAML ({e.Start}: {e.Message})";
            return false;
        }

        var found = stream.Documents
            .Select(NetplanConfig.Network)
            .OfType<YamlMappingNode>()
            .SelectMany(NetplanConfig.Devices)
            .Where(d => d.Definition.Names(device, mac))
            .Select(d => (d.Definition.Section, d.Definition.Id, Node: d.Device, d.Definition))
            .ToList();

        if (found.Count != 1)
        {
            why = found.Count == 0
                ? $"no netplan definition in it names '{device}'"
                : $"{found.Count} netplan definitions in it name '{device}' ({string.Join(", ", found.Select(f => f.Section + "." + f.Id))}), and KimchiNet does not guess which to change";
            return false;
        }

        var (foundSection, foundId, nicNode, foundDefinition) = found[0];
        if (!s_bridgedSections.Contains(foundSection))
        {
            why = $"'{device}' is defined in netplan's {foundSection} section, and KimchiNet bridges only ethernets, bonds and VLANs";
            return false;
        }

        if (foundDefinition.MatchDriver is not null || foundDefinition.MatchName?.IndexOfAny(['*', '?', '[']) >= 0)
        {
            why = $"the netplan definition '{foundId}' matches interfaces by a pattern or a driver, so its addressing may serve other interfaces too; KimchiNet changes only a definition of the one interface";
            return false;
        }

        var definitionNode = new YamlMappingNode { { "renderer", renderer == HostNetworkManager.NetworkManager ? "NetworkManager" : "networkd" }, { "interfaces", new YamlSequenceNode(new YamlScalarNode(foundId)) { Style = SequenceStyle.Flow } } };
        if (mac is not null)
        {
            definitionNode.Add("macaddress", new YamlScalarNode(mac) { Style = ScalarStyle.DoubleQuoted });
        }

        definitionNode.Add("parameters", new YamlMappingNode { { "stp", "false" }, { "forward-delay", "0" } });
        if (NetplanConfig.Child(nicNode, "optional") is { } optional)
        {
            definitionNode.Add("optional", optional);
        }

        foreach (var key in MovedKeys)
        {
            var name = new YamlScalarNode(key);
            if (nicNode.Children.TryGetValue(name, out var value))
            {
                definitionNode.Add(key, value);
                nicNode.Children.Remove(name);
            }
        }

        var bridgeDocument = new YamlMappingNode
        {
            { "network", new YamlMappingNode { { "version", "2" }, { "bridges", new YamlMappingNode { { bridge, definitionNode } } } } },
        };
        nic = $"# {device}'s addressing was moved to {BridgeFileName(bridge)} by KimchiNet, which made it a port of {bridge}.\n"
            + $"# The original file, with its comments, is kept in {KeptFolderName}/{bridge}/ and restored by Remove-KimchiNetwork.\n"
            + Save(stream);
        bridged = $"# Made by KimchiNet from the netplan definition of {device}; deleted by Remove-KimchiNetwork.\n"
            + Save(new YamlStream(new YamlDocument(bridgeDocument)));
        why = null;
        return true;
    }

    /// <summary>The YAML of <paramref name="stream"/>, without the document end marker the emitter adds.</summary>
    private static string Save(YamlStream stream)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static string BridgeFileName(string bridge) => "90-kimchinet-" + bridge + ".yaml";

    private string BridgeFile(string bridge) => Path.Combine(Folder, BridgeFileName(bridge));

    /// <summary>The networkd drop-in that gives the .network netplan renders for <paramref name="bridge"/> (10-netplan-BRIDGE.network) the NIC's DHCP IAID.</summary>
    internal static string DropInFile(string bridge) =>
        Path.Combine(NetworkdHostBridges.DefaultFolder, "10-netplan-" + bridge + ".network.d", "50-kimchinet-dhcp-identity.conf");

    private static string DropInText(string device, string bridge, uint iaid) =>
        $"# Made by KimchiNet: {device}'s DHCP client identity for {bridge}, which netplan has no key for (networkd derives the IAID from the interface name); deleted by Remove-KimchiNetwork.\n[DHCPv4]\nIAID={iaid}\n";

    /// <summary>netplan generate: renders every netplan file for its renderer (networkd's into /run/systemd/network, NetworkManager's into /run/NetworkManager/system-connections).</summary>
    private void Generate() => Steps.Run(HostPrograms.Netplan, "generate");

    /// <summary>The renderer reads what netplan rendered: networkctl reload, or nmcli connection reload.</summary>
    private void Reload()
    {
        if (Renderer == HostNetworkManager.Networkd)
        {
            Steps.Run(HostPrograms.Networkctl, "reload");
        }
        else
        {
            Nmcli("connection", "reload");
        }
    }

    /// <summary>The renderer configures <paramref name="devices"/> from their (restored) files again: networkctl reconfigure, or nmcli device connect.</summary>
    private void ConfigureAgain(IReadOnlyList<string> devices)
    {
        if (Renderer == HostNetworkManager.Networkd)
        {
            Steps.Run(HostPrograms.Networkctl, ["reconfigure", .. devices]);
            return;
        }

        foreach (var device in devices)
        {
            Nmcli("--wait", "20", "device", "connect", device);
        }
    }

    private void Nmcli(params string[] arguments) => Steps.Run(HostPrograms.Nmcli, arguments);
}
