using KimchiNet.Model;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KimchiNet.Hosts.Managers;

/// <summary>One device definition of netplan (<c>network: ethernets: ID: …</c> and the other device sections).</summary>
/// <param name="Id">The definition's id: the interface name unless <paramref name="MatchName"/>, <paramref name="MatchMac"/> or <paramref name="MatchDriver"/> is given.</param>
/// <param name="Section">The section, e.g. ethernets, bonds, bridges, vlans.</param>
/// <param name="MatchName">match: name: (shell wildcards allowed), or null.</param>
/// <param name="MatchMac">match: macaddress:, or null.</param>
/// <param name="MatchDriver">match: driver:, or null.</param>
/// <param name="SetName">set-name:, or null.</param>
/// <param name="Renderer">The renderer the definition itself sets, or null.</param>
/// <param name="SectionRenderer">The renderer its section sets in the same file, or null.</param>
/// <param name="Files">The files that define it, in the order netplan reads them.</param>
public sealed record NetplanDefinition(
    string Id,
    string Section,
    string? MatchName,
    string? MatchMac,
    string? MatchDriver,
    string? SetName,
    HostNetworkManager? Renderer,
    HostNetworkManager? SectionRenderer,
    IReadOnlyList<string> Files)
{
    /// <summary>True when a match: block is given (the id is then only a label).</summary>
    public bool HasMatch => MatchName is not null || MatchMac is not null || MatchDriver is not null;

    /// <summary>
    /// True when the definition names the kernel interface <paramref name="name"/> with MAC
    /// <paramref name="mac"/>: by its id when it has no match block, else every match key given
    /// must fit (a driver match cannot be checked here and so never fits), or its set-name is the name.
    /// </summary>
    public bool Names(string name, string? mac)
    {
        if (!HasMatch)
        {
            return Id == name;
        }

        if (SetName == name)
        {
            return true;
        }

        return MatchDriver is null
            && (MatchName is null || Glob.IsMatch(MatchName, name))
            && (MatchMac is null || string.Equals(MatchMac, mac, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>What one netplan file says: its device definitions and its global renderer.</summary>
/// <param name="Definitions">The device definitions, in file order.</param>
/// <param name="Renderer">network: renderer:, or null when the file does not set it.</param>
internal sealed record NetplanFile(IReadOnlyList<NetplanDefinition> Definitions, HostNetworkManager? Renderer);

/// <summary>
/// Netplan's configuration as netplan reads it: every <c>*.yaml</c> of /lib/netplan, /etc/netplan
/// and /run/netplan, a file in /run hiding one of the same name in /etc, which hides one in /lib,
/// all read in the order of their file names; a later definition of the same id overrides the keys
/// it sets. The renderer of a device: its own, else its section's, else the last global one, else networkd.
/// YAML is read as a document tree only (YamlDotNet's representation model), never into objects.
/// </summary>
public static class NetplanConfig
{
    /// <summary>Netplan's folders, lowest precedence first.</summary>
    public static readonly IReadOnlyList<string> DefaultFolders = ["/lib/netplan", "/etc/netplan", "/run/netplan"];

    /// <summary>The device sections of netplan's schema (0.106 and later).</summary>
    internal static readonly IReadOnlyList<string> Sections =
        ["ethernets", "bonds", "bridges", "vlans", "wifis", "tunnels", "vrfs", "modems", "nm-devices", "dummy-devices", "virtual-ethernets"];

    /// <summary>The merged definitions and the global renderer of the configuration in <paramref name="folders"/>.</summary>
    internal static (IReadOnlyList<NetplanDefinition> Definitions, HostNetworkManager Renderer) Read(ManagerFiles files, IReadOnlyList<string>? folders = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in folders ?? DefaultFolders)
        {
            foreach (var path in files.List(folder).Where(p => p.EndsWith(".yaml", StringComparison.Ordinal)))
            {
                byName[Path.GetFileName(path)] = path; // a later folder hides the same name in an earlier one
            }
        }

        var merged = new Dictionary<string, NetplanDefinition>(StringComparer.Ordinal);
        var order = new List<string>();
        var renderer = HostNetworkManager.Networkd;
        foreach (var path in byName.Values)
        {
            if (files.ReadText(path) is not { } text)
            {
                continue;
            }

            NetplanFile file;
            try
            {
                file = Parse(text, path);
            }
            catch (YamlException e)
            {
                files.Report(ManagerFiles.Unreadable(path, $"it is not valid YAML ({e.Start}: {e.Message})"));
                continue;
            }

            renderer = file.Renderer ?? renderer;
            foreach (var definition in file.Definitions)
            {
                if (merged.TryGetValue(definition.Id, out var earlier))
                {
                    merged[definition.Id] = Merge(earlier, definition);
                }
                else
                {
                    merged[definition.Id] = definition;
                    order.Add(definition.Id);
                }
            }
        }

        return (order.Select(id => merged[id]).ToList(), renderer);
    }

    /// <summary>The definitions and global renderer of one file's text.</summary>
    /// <exception cref="YamlException">When the text is not YAML.</exception>
    internal static NetplanFile Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var definitions = new List<NetplanDefinition>();
        HostNetworkManager? globalRenderer = null;
        foreach (var document in stream.Documents)
        {
            if (Network(document) is not { } network)
            {
                continue;
            }

            globalRenderer = RendererOf(network) ?? globalRenderer;
            definitions.AddRange(Devices(network).Select(d => d.Definition with { SectionRenderer = RendererOf(d.Devices), Files = [file] }));
        }

        return new NetplanFile(definitions, globalRenderer);
    }

    /// <summary>The <c>network:</c> mapping of a document, or null when it has none.</summary>
    internal static YamlMappingNode? Network(YamlDocument document) =>
        Child(document.RootNode as YamlMappingNode, "network") as YamlMappingNode;

    /// <summary>
    /// Every device definition under <paramref name="network"/>, in file order: its section's mapping, its
    /// own mapping, and what it says (without a section renderer or files, which the caller knows).
    /// </summary>
    internal static IEnumerable<(YamlMappingNode Devices, YamlMappingNode Device, NetplanDefinition Definition)> Devices(YamlMappingNode network)
    {
        foreach (var section in Sections)
        {
            if (Child(network, section) is not YamlMappingNode devices)
            {
                continue;
            }

            foreach (var (key, value) in devices.Children)
            {
                if (key is not YamlScalarNode { Value: { } id } || id == "renderer" || value is not YamlMappingNode device)
                {
                    continue;
                }

                var match = Child(device, "match") as YamlMappingNode;
                yield return (devices, device, new NetplanDefinition(
                    id,
                    section,
                    Scalar(match, "name"),
                    Scalar(match, "macaddress"),
                    Scalar(match, "driver"),
                    Scalar(device, "set-name"),
                    RendererOf(device),
                    null,
                    []));
            }
        }
    }

    /// <summary>The renderer netplan uses for <paramref name="definition"/> under the global <paramref name="renderer"/>.</summary>
    internal static HostNetworkManager RendererFor(NetplanDefinition definition, HostNetworkManager renderer) =>
        definition.Renderer ?? definition.SectionRenderer ?? renderer;

    private static NetplanDefinition Merge(NetplanDefinition earlier, NetplanDefinition later) => later with
    {
        Section = later.Section,
        MatchName = later.MatchName ?? earlier.MatchName,
        MatchMac = later.MatchMac ?? earlier.MatchMac,
        MatchDriver = later.MatchDriver ?? earlier.MatchDriver,
        SetName = later.SetName ?? earlier.SetName,
        Renderer = later.Renderer ?? earlier.Renderer,
        SectionRenderer = later.SectionRenderer ?? earlier.SectionRenderer,
        Files = earlier.Files.Concat(later.Files).Distinct(StringComparer.Ordinal).ToList(),
    };

    private static HostNetworkManager? RendererOf(YamlMappingNode node) => Scalar(node, "renderer") switch
    {
        "networkd" => HostNetworkManager.Networkd,
        "NetworkManager" => HostNetworkManager.NetworkManager,
        _ => null,
    };

    internal static YamlNode? Child(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode? node, string key) => Child(node, key) is YamlScalarNode { Value: { } value } ? value : null;
}
