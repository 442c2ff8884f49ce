using KimchiNet.Model;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace KimchiNet.Hosts.Managers;

/// <summary>A kernel interface to find the owner of: its name, ifindex and MAC.</summary>
/// <param name="Name">The interface name.</param>
/// <param name="Ifindex">Its ifindex (0 when unknown).</param>
/// <param name="Mac">Its MAC address, or null.</param>
public sealed record ManagedInterface(string Name, int Ifindex, string? Mac);

/// <summary>The owners found, by interface name, and what could not be read (KCHNET0130E-0132E) while looking.</summary>
/// <param name="Owners">The owner of every interface asked about.</param>
/// <param name="Problems">Files refused or unreadable, and a NetworkManager that could not be asked; empty when none.</param>
public sealed record HostManagerScan(IReadOnlyDictionary<string, InterfaceOwner> Owners, IReadOnlyList<KimchiException> Problems);

/// <summary>
/// Finds which network manager owns each interface of this machine (issue 14, item 1). One owner per
/// interface, the first of: netplan (a netplan file names it; netplan then renders it for networkd or
/// NetworkManager, so it is netplan's files that must change), NetworkManager (it manages the
/// device), systemd-networkd (a .network file matched the link), ifupdown (an iface stanza names it, or takes it as a bridge port or bond slave),
/// else none. Files are read as root and only when no other user could have written them (see
/// <see cref="ManagerFiles"/>); the roots are parameters so tests can use a fake tree.
/// </summary>
public sealed class HostManagerDetector
{
    /// <summary>The detector of this machine's own files and NetworkManager.</summary>
    public static HostManagerDetector Local { get; } = new();

    /// <summary>The folder that stands for / (tests use a fake tree; "/" on a host).</summary>
    public string Root { get; init; } = "/";

    /// <summary>Whether to ask NetworkManager (tests of a fake tree do not).</summary>
    public bool AskNetworkManager { get; init; } = true;

    /// <summary>Testing hook: called at the start of every <see cref="Detect"/>, so tests can count the scans a plan makes.</summary>
    internal Action? Detecting { get; init; }

    /// <summary>The owner of each of <paramref name="interfaces"/>.</summary>
    public HostManagerScan Detect(IEnumerable<ManagedInterface> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        Detecting?.Invoke();
        var list = interfaces.ToList();
        var files = new ManagerFiles();
        var problems = new List<KimchiException>();
        var (netplan, renderer) = NetplanConfig.Read(files, NetplanConfig.DefaultFolders.Select(Under).ToList());
        var stanzas = IfupdownInterfaces.Read(files, IfupdownInterfaces.DefaultPath, Root);
        var networkdFiles = new ManagerFiles(NetworkdLinks.Owners(files, Under("/etc/passwd")));
        var nm = AskNetworkManager ? NetworkManagerDevices.Read(problems) : new Dictionary<string, NetworkManagerDevice>();

        var owners = new Dictionary<string, InterfaceOwner>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            owners[item.Name] = OwnerOf(item, netplan, renderer, nm, networkdFiles, stanzas);
        }

        problems.InsertRange(0, files.Problems.Concat(networkdFiles.Problems));
        return new HostManagerScan(owners, problems);
    }

    private InterfaceOwner OwnerOf(
        ManagedInterface item,
        IReadOnlyList<NetplanDefinition> netplan,
        HostNetworkManager renderer,
        IReadOnlyDictionary<string, NetworkManagerDevice> nm,
        ManagerFiles networkdFiles,
        IReadOnlyList<IfupdownStanza> stanzas)
    {
        if (netplan.LastOrDefault(d => d.Names(item.Name, item.Mac)) is { } definition)
        {
            return new InterfaceOwner
            {
                Manager = HostNetworkManager.Netplan,
                Renderer = NetplanConfig.RendererFor(definition, renderer),
                Files = definition.Files,
            };
        }

        if (nm.TryGetValue(item.Name, out var device) && device.Managed)
        {
            return new InterfaceOwner
            {
                Manager = HostNetworkManager.NetworkManager,
                Profile = device.Connection,
                Files = device.File is { } file ? [file] : Array.Empty<string>(),
            };
        }

        if (NetworkdLinks.Read(networkdFiles, item.Ifindex, Under(NetworkdLinks.DefaultFolder)) is { Managed: true } link)
        {
            return new InterfaceOwner { Manager = HostNetworkManager.Networkd, Files = [link.NetworkFile!] };
        }

        var own = stanzas.Where(s => s.Name == item.Name || s.Ports.Contains(item.Name)).ToList();
        if (own.Count > 0)
        {
            return new InterfaceOwner
            {
                Manager = HostNetworkManager.Ifupdown,
                Files = own.Select(s => s.File).Distinct(StringComparer.Ordinal).ToList(),
            };
        }

        return InterfaceOwner.Unmanaged;
    }

    /// <summary><paramref name="path"/> (absolute) under <see cref="Root"/>.</summary>
    private string Under(string path) => Root == "/" ? path : Path.Combine(Root, path.TrimStart('/'));

    /// <summary>Reads an interface's ifindex from sysfs, 0 when it cannot.</summary>
    internal static int Ifindex(string name, string sysfsRoot = SysfsInterfaces.DefaultRoot)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(sysfsRoot, name, "ifindex")).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
