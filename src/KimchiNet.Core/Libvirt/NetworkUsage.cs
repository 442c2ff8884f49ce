using System;
using System.Collections.Generic;

namespace KimchiNet.Libvirt;

/// <summary>
/// Which virtual machines use which network, computed from one list of networks and one list of
/// domains (two passes and dictionary look-ups; no scan of every domain per network, which is what
/// made Kimchi's per-network algorithm slow on hosts with hundreds of networks).
/// </summary>
public static class NetworkUsage
{
    /// <summary>
    /// For every network, the names of the domains using it, each once, sorted by name. A domain uses
    /// a network when one of its NICs is type='network' naming it, type='bridge' on the network's
    /// bridge, or type='direct' on one of the network's forward devices. Networks used by none map to
    /// an empty list.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Compute(IEnumerable<NetworkRecord> networks, IEnumerable<DomainRecord> domains)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(domains);

        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var byBridge = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var byDevice = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var network in networks)
        {
            users[network.Name] = new List<string>();
            var (bridge, devices) = ReadUsageKeys(network);
            if (bridge is not null)
            {
                Append(byBridge, bridge, network.Name);
            }

            foreach (var device in devices)
            {
                Append(byDevice, device, network.Name);
            }
        }

        foreach (var domain in domains)
        {
            foreach (var nic in DomainXml.ReadNics(domain.Xml, domain.Name))
            {
                if (nic.Source is null)
                {
                    continue;
                }

                switch (nic.Kind)
                {
                    case NicKind.Network:
                        AddUser(users, nic.Source, domain.Name);
                        break;
                    case NicKind.Bridge when byBridge.TryGetValue(nic.Source, out var bridged):
                        bridged.ForEach(name => AddUser(users, name, domain.Name));
                        break;
                    case NicKind.Direct when byDevice.TryGetValue(nic.Source, out var direct):
                        direct.ForEach(name => AddUser(users, name, domain.Name));
                        break;
                }
            }
        }

        var result = new Dictionary<string, IReadOnlyList<string>>(users.Count, StringComparer.Ordinal);
        foreach (var (name, list) in users)
        {
            list.Sort(StringComparer.Ordinal); // libvirt lists domains in no promised order
            result[name] = list;
        }

        return result;
    }

    private static void AddUser(Dictionary<string, List<string>> users, string network, string domain)
    {
        // The last name appended is the current domain's when it already uses this network,
        // because domains are visited one at a time: a constant-time duplicate check.
        if (users.TryGetValue(network, out var list) && (list.Count == 0 || !string.Equals(list[^1], domain, StringComparison.Ordinal)))
        {
            list.Add(domain);
        }
    }

    private static void Append(Dictionary<string, List<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new List<string>();
        }

        list.Add(value);
    }

    /// <summary>
    /// ONLY for usage matching: the bridge name and forward devices of a network. This is not the
    /// network XML reader (that lives in KimchiNet.Xml); it reads just these few attributes.
    /// </summary>
    private static (string? Bridge, List<string> Devices) ReadUsageKeys(NetworkRecord network)
    {
        var root = SafeXml.Parse(network.Xml, $"network '{network.Name}'");
        var bridge = SafeXml.Attr(root.Element("bridge"), "name");
        var devices = new List<string>();
        var forward = root.Element("forward");
        if (forward is not null)
        {
            AddDistinct(devices, SafeXml.Attr(forward, "dev"));
            foreach (var element in forward.Elements())
            {
                if (element.Name == "interface" || element.Name == "pf")
                {
                    AddDistinct(devices, SafeXml.Attr(element, "dev"));
                }
            }
        }

        return (bridge, devices);
    }

    private static void AddDistinct(List<string> devices, string? device)
    {
        if (device is not null && !devices.Contains(device))
        {
            devices.Add(device);
        }
    }
}
