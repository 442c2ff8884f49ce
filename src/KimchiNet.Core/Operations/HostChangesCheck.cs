using System.Collections.Generic;
using System.Globalization;
using KimchiNet.Hosts;
using KimchiNet.Hosts.Managers;
using KimchiNet.Model;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// Whether a network's <c>&lt;kimchinet:created&gt;</c> record may be acted on. Anyone who can
/// define libvirt networks can write that record, so Remove undoes host changes only when every
/// fact agrees: the network is a bridge network whose own <c>&lt;bridge name&gt;</c> is the recorded
/// bridge; the bridge (and VLAN device) names follow <see cref="HostBridgeNames"/>' rule for the
/// recorded device; and the live bridge has the MAC and interface index recorded when it was made.
/// </summary>
internal static class HostChangesCheck
{
    /// <summary>What does not match, one phrase each; empty when the record can be trusted.</summary>
    public static IReadOnlyList<string> Mismatches(NetworkXml network, HostChanges changes, IHostBridges bridges)
    {
        var problems = new List<string>();
        var bridge = changes.CreatedBridge;
        if (bridge is null)
        {
            problems.Add("it names no created bridge");
            return problems;
        }

        var shownBridge = DisplayText.Printable(bridge);
        var mode = network.Forward is null ? "none (isolated)" : network.Forward.Mode ?? "none (nat)";
        if (network.Forward?.Mode != "bridge")
        {
            problems.Add($"the network is not a bridge network (forward mode {DisplayText.Printable(mode)})");
        }

        if (network.Bridge?.Name != bridge)
        {
            problems.Add($"the network's own bridge is '{DisplayText.Printable(network.Bridge?.Name ?? "(none)")}', not the recorded '{shownBridge}'");
        }

        var record = network.Metadata?.KimchiNet;
        var device = record?.Interfaces.Count == 1 ? record.Interfaces[0] : null;
        if (device is null || NetworkSpecValidator.CheckInterfaceName(device) is not null)
        {
            problems.Add("the record names no single valid device the bridge was made for");
        }
        else
        {
            if (!HostBridgeNames.IsBridgeName(bridge, device, record!.VlanId))
            {
                problems.Add($"'{shownBridge}' is not a name KimchiNet gives a bridge for '{DisplayText.Printable(device)}'");
            }

            if (changes.CreatedVlan is { } vlan
                && (vlan.Parent != device || vlan.Id != record.VlanId || !HostBridgeNames.IsVlanName(vlan.Name, device, vlan.Id)))
            {
                problems.Add($"the recorded VLAN device '{DisplayText.Printable(vlan.Name)}' is not one KimchiNet makes for '{DisplayText.Printable(device)}' with VLAN {(record.VlanId?.ToString(CultureInfo.InvariantCulture) ?? "(none)")}");
            }
        }

        if (ManagedHostBridges.CheckRecord(changes) is { } files)
        {
            problems.Add(files);
        }

        if (changes.BridgeMac is null || changes.BridgeIfindex is null)
        {
            problems.Add($"no identity (MAC and interface index) of '{shownBridge}' was recorded when it was made");
            return problems;
        }

        if (problems.Count > 0)
        {
            return problems; // no need to look at the host for a record that is refused already
        }

        var live = bridges.FindLink(bridge);
        if (live is null)
        {
            problems.Add($"no device '{shownBridge}' exists on the host now");
        }
        else
        {
            if (live.Kind != "bridge")
            {
                problems.Add($"'{shownBridge}' is a {DisplayText.Printable(live.Kind ?? "plain device")}, not a bridge");
            }

            if (!string.Equals(live.Mac, changes.BridgeMac, System.StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"'{shownBridge}' has MAC {live.Mac ?? "(none)"}, not the recorded {DisplayText.Printable(changes.BridgeMac)}");
            }

            // A manager (networkd, ifupdown) makes its bridge again from the recorded files at every boot,
            // with a new interface index: for such a record the kind, the MAC and the trusted files identify it.
            if (live.Ifindex != changes.BridgeIfindex && changes.Manager is null)
            {
                problems.Add($"'{shownBridge}' has interface index {live.Ifindex.ToString(CultureInfo.InvariantCulture)}, not the recorded {changes.BridgeIfindex.Value.ToString(CultureInfo.InvariantCulture)} (it is not the bridge KimchiNet made)");
            }
        }

        return problems;
    }

    /// <summary>The warning for a record that was not acted on.</summary>
    public static string Warning(string name, string changes, IReadOnlyList<string> problems) =>
        $"Network '{DisplayText.Printable(name)}': its record of host changes ({changes}) was not trusted, so the host was left untouched (only the libvirt network is removed): {string.Join("; ", problems)}. Check the host and undo by hand what KimchiNet really made.";
}
