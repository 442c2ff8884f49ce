using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// Kimchi's host interfaces lookup (Get-KimchiInterface): every host device with which networks
/// use it. One list of interfaces and one of networks, whatever their counts.
/// </summary>
public static class InterfaceQuery
{
    /// <summary>
    /// The host's interfaces sorted by name, each with the networks that use it, keeping those whose
    /// name passes <paramref name="nameFilter"/> and, when <paramref name="inUse"/> is given, whose
    /// use matches it.
    /// </summary>
    public static IReadOnlyList<HostInterfaceInfo> Get(LibvirtConnection connection, Func<string, bool>? nameFilter = null, bool? inUse = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var users = UsersByDevice(connection.ListNetworks());
        var uri = connection.Uri;
        return HostInterfaces.List(connection)
            .Where(device => nameFilter is null || nameFilter(device.Name))
            .Select(device => device with
            {
                UsedBy = users.TryGetValue(device.Name, out var names) ? names : Array.Empty<string>(),
                Uri = uri,
            })
            .Where(device => inUse is null || device.InUse == inUse)
            .OrderBy(device => device.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Device name → the networks using it, from each network's devices, its bridge and what KimchiNet made for it.</summary>
    internal static Dictionary<string, IReadOnlyList<string>> UsersByDevice(IEnumerable<NetworkRecord> networks)
    {
        var users = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var network in networks)
        {
            NetworkDescription description;
            try
            {
                description = NetworkDescriptions.FromXml(NetworkXmlReader.Read(network.Xml));
            }
            catch (KimchiException)
            {
                continue; // A network whose XML cannot be read claims no device.
            }

            var devices = new List<string>(description.Interfaces);
            AddIfSet(devices, description.BridgeName);
            AddIfSet(devices, description.HostChanges?.CreatedBridge);
            AddIfSet(devices, description.HostChanges?.CreatedVlan?.Name);
            foreach (var device in devices)
            {
                if (!users.TryGetValue(device, out var set))
                {
                    users[device] = set = new SortedSet<string>(StringComparer.Ordinal);
                }

                set.Add(network.Name);
            }
        }

        return users.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value.ToList(), StringComparer.Ordinal);
    }

    private static void AddIfSet(List<string> devices, string? device)
    {
        if (!string.IsNullOrEmpty(device))
        {
            devices.Add(device);
        }
    }
}
