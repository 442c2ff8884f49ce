using System;
using System.Collections.Generic;
using System.Linq;

namespace KimchiNet.Operations;

/// <summary>
/// A fleet's configuration, as <see cref="FleetConfigurationReader"/> read it from a PowerShell data
/// file or JSON: groups of hosts, each with the networks its hosts must have (or must not have).
/// </summary>
/// <param name="Source">Where it was read from (the file's path), for messages.</param>
/// <param name="Groups">The groups, in the file's order.</param>
public sealed record FleetConfiguration(string Source, IReadOnlyList<FleetGroup> Groups)
{
    /// <summary>
    /// Each host once, in the order the file first names it, with every network its groups give it.
    /// The reader already refused a network named twice for one host.
    /// </summary>
    public IReadOnlyList<FleetHost> Hosts()
    {
        var order = new List<string>();
        var networks = new Dictionary<string, List<FleetNetwork>>(StringComparer.Ordinal);
        foreach (var group in Groups)
        {
            foreach (var uri in group.Uris)
            {
                if (!networks.TryGetValue(uri, out var list))
                {
                    networks[uri] = list = [];
                    order.Add(uri);
                }

                list.AddRange(group.Networks.Select(desired => new FleetNetwork(group.Name, desired)));
            }
        }

        return order.Select(uri => new FleetHost(uri, networks[uri])).ToArray();
    }
}

/// <summary>One group of a fleet configuration: hosts that must have the same networks.</summary>
/// <param name="Name">The group's name.</param>
/// <param name="Uris">The libvirt URIs of its hosts.</param>
/// <param name="Networks">The networks each of its hosts must have (or, with Ensure Absent, must not have).</param>
public sealed record FleetGroup(string Name, IReadOnlyList<string> Uris, IReadOnlyList<DesiredState> Networks);

/// <summary>One host of a fleet and the networks its groups give it.</summary>
/// <param name="Uri">The host's libvirt URI.</param>
/// <param name="Networks">Its networks, each with the group that names it.</param>
public sealed record FleetHost(string Uri, IReadOnlyList<FleetNetwork> Networks);

/// <summary>A network a host must have (or not), and the group that says so.</summary>
/// <param name="Group">The group's name.</param>
/// <param name="Desired">The network as it should be.</param>
public sealed record FleetNetwork(string Group, DesiredState Desired);
