using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// Update of a network's port groups (<see cref="NetworkUpdate.PortGroups"/>, every type). On an
/// active network they change live (virNetworkUpdate section portgroup): libvirt 9.0 adds, deletes and
/// modifies port groups on a running network without touching its bridge, dnsmasq or the guests' taps
/// (measured on a lab host); a port group only matters when a guest NIC is connected.
/// </summary>
public sealed partial class NetworkOperations
{
    /// <summary>
    /// The edited XML with the update's port groups, which replace the network's: an unchanged group
    /// keeps its element as it was (virtualport, bandwidth, every attribute), a changed one keeps its
    /// raw children with the new default flag and VLAN. Judged by <see cref="PortGroupValidator"/>
    /// (KCHNET0194E-0197E; a VLAN id on a bridge network that is not on Open vSwitch is KCHNET0197E).
    /// A network of a kind KimchiNet cannot edit: KCHNET0012E.
    /// </summary>
    private static NetworkXml WithPortGroups(NetworkXml edited, NetworkDescription description, NetworkUpdate update)
    {
        if (update.PortGroups is not { } groups)
        {
            return edited;
        }

        var connection = KnownConnection(description, "its port groups");
        ValidationError.ThrowIfAny([.. PortGroupValidator.Validate(groups, connection),
            .. LinuxBridgeVlanErrors(groups, connection, edited.VirtualPort?.Type == "openvswitch")]);
        return edited with
        {
            PortGroups = groups.Select(g => edited.PortGroups.FirstOrDefault(x => x.Name == g.Name) is { } old
                ? NetworkXmlBuilder.ToPortGroup(old).Equals(g)
                    ? old
                    : old with { Default = g.Default ? "yes" : null, Vlan = NetworkXmlBuilder.ToXml(g).Vlan }
                : NetworkXmlBuilder.ToXml(g)).ToArray(),
        };
    }

    /// <summary>KCHNET0197E for each port group with a VLAN id on a bridge network whose bridge is no Open vSwitch bridge (libvirt refuses the definition: a Linux bridge tags no ports).</summary>
    private static IEnumerable<ValidationError> LinuxBridgeVlanErrors(IReadOnlyList<PortGroup>? groups, ConnectionType connection, bool openVSwitch) =>
        connection != ConnectionType.Bridge || openVSwitch
            ? []
            : (groups ?? []).Where(g => g?.VlanId is not null).Select(g => new ValidationError(
                ErrorCodes.PortGroupVlanNotAllowed,
                "PortGroup",
                g.ToString(),
                $"Port group '{DisplayText.Printable(g.ToString())}' has a VLAN id, but the network's bridge is a Linux bridge: libvirt tags the ports of a port group only on Open vSwitch bridges."));

    /// <summary>
    /// The portgroup calls that turn the running network's port groups into the edited ones: those that
    /// go or change are deleted first (libvirt refuses a second default, and a delete is undone by an
    /// add), then the new and changed ones added. Unchanged elements are not touched.
    /// </summary>
    private static IEnumerable<LiveNetworkEdit> PortGroupEdits(NetworkXml current, NetworkXml edited)
    {
        var before = current.PortGroups.Select(NetworkXmlWriter.WritePortGroup).ToArray();
        var after = edited.PortGroups.Select(NetworkXmlWriter.WritePortGroup).ToArray();
        return before.Except(after, StringComparer.Ordinal).Select(x => new LiveNetworkEdit(NetworkUpdateCommand.Delete, NetworkUpdateSection.PortGroup, -1, x))
            .Concat(after.Except(before, StringComparer.Ordinal).Select(x => new LiveNetworkEdit(NetworkUpdateCommand.Add, NetworkUpdateSection.PortGroup, -1, x)))
            .ToArray();
    }

    /// <summary>The update's port groups as a plan's description says them: added, changed and removed against the network's current ones.</summary>
    private static IEnumerable<(string Property, string Text)> DescribePortGroups(NetworkUpdate update, string oldXml)
    {
        if (update.PortGroups is not { } groups)
        {
            yield break;
        }

        var current = NetworkDescriptions.FromXml(NetworkXmlReader.Read(oldXml)).PortGroups;
        var parts = groups.Where(g => !current.Contains(g))
            .Select(g => current.Any(c => c.Name == g.Name) ? $"change port group {DisplayText.Printable(g.ToString())}" : $"add port group {DisplayText.Printable(g.ToString())}")
            .Concat(current.Where(c => !groups.Any(g => g.Name == c.Name)).Select(c => $"remove port group {DisplayText.Printable(c.ToString())}"))
            .ToArray();
        yield return (nameof(NetworkUpdate.PortGroups), parts.Length == 0 ? "keep the port groups" : string.Join(", ", parts));
    }
}
