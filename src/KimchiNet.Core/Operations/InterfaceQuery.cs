using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Hosts.Managers;
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
    /// <param name="connection">The host.</param>
    /// <param name="nameFilter">Keeps the interfaces whose name passes; all when null.</param>
    /// <param name="inUse">Keeps only used (true) or unused (false) interfaces; all when null.</param>
    /// <param name="findOwners">Whether to find each device's network manager (<see cref="HostInterfaceInfo.ManagedBy"/>): reads manager files and asks NetworkManager, so completers leave it out.</param>
    /// <param name="warning">Told each manager file that was refused or could not be read while finding the owners (KCHNET0130E-0132E).</param>
    public static IReadOnlyList<HostInterfaceInfo> Get(LibvirtConnection connection, Func<string, bool>? nameFilter = null, bool? inUse = null, bool findOwners = false, Action<KimchiException>? warning = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var users = UsersByDevice(connection.ListNetworks());
        var uri = connection.Uri;
        var view = HostInterfaces.Read(connection);
        var found = view.Interfaces
            .Where(device => nameFilter is null || nameFilter(device.Name))
            .Select(device => device with
            {
                UsedBy = users.TryGetValue(device.Name, out var names) ? names : Array.Empty<string>(),
                Uri = uri,
            })
            .Where(device => inUse is null || device.InUse == inUse)
            .OrderBy(device => device.Name, StringComparer.Ordinal)
            .ToList();
        return findOwners && view.SameNetworkStack ? WithOwners(found, warning) : found;
    }

    /// <summary>
    /// The devices with their owners (<see cref="HostManagerDetector"/>): only when this process is on
    /// the host's own network stack, since the manager files and NetworkManager read are this machine's.
    /// </summary>
    private static List<HostInterfaceInfo> WithOwners(List<HostInterfaceInfo> devices, Action<KimchiException>? warning)
    {
        if (devices.Count == 0)
        {
            return devices;
        }

        var scan = HostManagerDetector.Local.Detect(devices.Select(d => new ManagedInterface(d.Name, HostManagerDetector.Ifindex(d.Name), d.Mac)));
        foreach (var problem in scan.Problems)
        {
            warning?.Invoke(problem);
        }

        return devices.Select(d => d with { ManagedBy = scan.Owners[d.Name] }).ToList();
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
