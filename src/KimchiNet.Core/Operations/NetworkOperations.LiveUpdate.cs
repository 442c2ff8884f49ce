using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Transactions;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// Updates of an active network: what libvirt changes on a running network goes live
/// (virNetworkUpdate, see <see cref="NetworkUpdateSection"/>); the rest needs a restart (stop,
/// redefine, start), which is refused (KCHNET0170E) unless asked for, and then reconnects the
/// running guests' NICs to the restarted network so they keep their network.
/// </summary>
public sealed partial class NetworkOperations
{
    /// <summary>The connection types whose forward interfaces libvirt adds and deletes live (section forward-interface).</summary>
    private static readonly HashSet<ConnectionType> s_liveInterfaces = [ConnectionType.Vepa, ConnectionType.Passthrough, ConnectionType.Macvtap];

    /// <summary>
    /// Per property of the update, whether it goes live on the running network. A DHCP range goes
    /// live when the network serves DHCP already and keeps its subnet (libvirt deletes and adds
    /// ranges live and restarts only dnsmasq); turning DHCP on, a new subnet, name, VLAN id or the
    /// bridge of a bridge network need a restart; autostart is never a change of the running network.
    /// </summary>
    private static Dictionary<string, bool> LiveKinds(NetworkXml current, NetworkDescription description, UpdateScope scope) => new(StringComparer.Ordinal)
    {
        [nameof(NetworkUpdate.NewName)] = false,
        [nameof(NetworkUpdate.Subnet)] = false,
        [nameof(NetworkUpdate.VlanId)] = false,
        [nameof(NetworkUpdate.Interfaces)] = description.Connection is { } connection && s_liveInterfaces.Contains(connection) && current.Forward is not null,
        [nameof(NetworkUpdate.DhcpRange)] = !scope.ChangesSubnet && FirstIpv4(current) is { Ip.Dhcp.Ranges.Count: > 0 },
        [nameof(NetworkUpdate.Autostart)] = true,
        [nameof(NetworkUpdate.DnsHosts)] = current.Dns?.Enable != "no",
        [nameof(NetworkUpdate.DnsForwarders)] = false,
        [nameof(NetworkUpdate.Domain)] = false,
        [nameof(NetworkUpdate.DomainLocalOnly)] = false,
        [nameof(NetworkUpdate.Dns)] = false,
        [nameof(NetworkUpdate.PortGroups)] = true,
    };

    /// <summary>
    /// An update planned on an active network: refused (KCHNET0170E) when a change needs a restart
    /// that was not asked for; otherwise the plan carries the running guests and, for a live update,
    /// the virNetworkUpdate calls that make it.
    /// </summary>
    private UpdatePlan PlanOnActive(UpdatePlan plan, NetworkRecord record, NetworkXml current, NetworkXml edited, bool restart)
    {
        var needRestart = plan.Changes.Where(c => !c.Live).ToArray();
        var guests = RunningUsersOf(record);
        if (needRestart.Length > 0 && !restart)
        {
            var who = guests.Count == 0
                ? "no running guest uses it"
                : $"the running guests {JoinNames(guests)} would lose their network meanwhile";
            throw new KimchiException(
                ErrorCodes.UpdateNeedsRestart,
                ErrorKind.InvalidState,
                $"Network '{DisplayText.Printable(plan.Name)}' is active, and {string.Join(", ", needRestart.Select(c => $"{c.Description} ({c.Property})"))} needs a restart (stop, redefine, start): {who}. Add -Restart to restart it and reconnect its running guests' NICs, or stop the network first.",
                plan.Name);
        }

        if (needRestart.Length > 0 && !record.IsPersistent)
        {
            throw new KimchiException(
                ErrorCodes.UpdateNeedsRestart,
                ErrorKind.InvalidState,
                $"Network '{DisplayText.Printable(plan.Name)}' is transient (it has no persistent definition, so stopping it removes it), and {string.Join(", ", needRestart.Select(c => $"{c.Description} ({c.Property})"))} needs a restart: it cannot be restarted. Define it persistently first.",
                plan.Name);
        }

        return plan with
        {
            Active = true,
            Restart = needRestart.Length > 0,
            RunningGuests = guests,
            LiveEdits = needRestart.Length > 0 ? [] : LiveEdits(current, edited),
        };
    }

    /// <summary>The virNetworkUpdate calls that turn the running network's forward interfaces, DHCP range and DNS host records and port groups into the edited ones: for interfaces and ranges additions before deletions, so a network never has none; for DNS host records and port groups deletions first (see <see cref="DnsHostEdits"/>, <see cref="PortGroupEdits"/>).</summary>
    private static List<LiveNetworkEdit> LiveEdits(NetworkXml current, NetworkXml edited)
    {
        var edits = new List<LiveNetworkEdit>();
        var before = current.Forward?.Interfaces.Select(i => i.Dev).ToArray() ?? [];
        var after = edited.Forward?.Interfaces.Select(i => i.Dev).ToArray() ?? [];
        edits.AddRange(after.Except(before, StringComparer.Ordinal).Select(d => new LiveNetworkEdit(NetworkUpdateCommand.Add, NetworkUpdateSection.ForwardInterface, -1, Element("interface", ("dev", d)))));
        edits.AddRange(before.Except(after, StringComparer.Ordinal).Select(d => new LiveNetworkEdit(NetworkUpdateCommand.Delete, NetworkUpdateSection.ForwardInterface, -1, Element("interface", ("dev", d)))));

        if (FirstIpv4(current) is { } old && FirstIpv4(edited) is { } now)
        {
            var oldRanges = old.Ip.Dhcp?.Ranges ?? [];
            var newRanges = now.Ip.Dhcp?.Ranges ?? [];
            static string Key(NetworkDhcpRangeXml r) => $"{r.Start}-{r.End}";
            if (!oldRanges.Select(Key).SequenceEqual(newRanges.Select(Key), StringComparer.Ordinal))
            {
                // libvirt refuses to modify a range ("only added or deleted"): the new ones first, then the old.
                edits.AddRange(newRanges.Select(r => new LiveNetworkEdit(NetworkUpdateCommand.Add, NetworkUpdateSection.IpDhcpRange, now.Index, Element("range", ("start", r.Start), ("end", r.End)))));
                edits.AddRange(oldRanges.Select(r => new LiveNetworkEdit(NetworkUpdateCommand.Delete, NetworkUpdateSection.IpDhcpRange, old.Index, Element("range", ("start", r.Start), ("end", r.End)))));
            }
        }

        edits.AddRange(DnsHostEdits(current, edited));
        edits.AddRange(PortGroupEdits(current, edited));
        return edits;
    }

    /// <summary>
    /// The live update: each virNetworkUpdate call (live and persistent together), then the plan's
    /// persistent definition where virNetworkUpdate does not carry everything (KimchiNet's record of
    /// the devices), then autostart. The network keeps running and its guests' taps stay on its
    /// bridge. On failure every call made is undone with its opposite and the old definition comes back.
    /// </summary>
    private KimchiNetworkInfo UpdateLive(UpdatePlan plan, NetworkRecord record)
    {
        var name = plan.Name;
        var oldXml = CheckUnchangedSincePlan(plan, record);
        var transaction = new Transaction();
        try
        {
            foreach (var edit in plan.LiveEdits)
            {
                var opposite = edit.Command == NetworkUpdateCommand.Add ? NetworkUpdateCommand.Delete : NetworkUpdateCommand.Add;
                transaction.Do(
                    () => _connection.UpdateNetwork(name, edit.Command, edit.Section, edit.ParentIndex, edit.Xml),
                    new UndoStep($"taking back the live change {edit.Section} {edit.Xml}", () => _connection.UpdateNetwork(name, opposite, edit.Section, edit.ParentIndex, edit.Xml)));
            }

            var persistent = _connection.GetNetworkXml(name, inactive: true);
            if (record.IsPersistent && !string.Equals(NetworkXmlWriter.Write(NetworkXmlReader.Read(persistent)), plan.NewXml, StringComparison.Ordinal))
            {
                // Defining an active network changes its persistent definition only.
                transaction.Do(() => _connection.DefineNetwork(plan.NewXml), new UndoStep("restoring the original definition", () => _connection.DefineNetwork(oldXml)));
            }

            if (plan.Update.Autostart is { } autostart && autostart != record.Autostart)
            {
                _connection.SetAutostart(name, autostart);
            }

            transaction.Commit();
        }
        catch (LibvirtException e)
        {
            var failures = transaction.RollBack();
            var outcome = failures.Count == 0
                ? "Every change made was taken back; the network kept running."
                : $"Taking the changes back failed too ({string.Join("; ", failures.Select(f => f.Summary))}); the definition was: {oldXml}";
            throw e.WithCode(e.IsConnectionFailure ? e.Code : ErrorCodes.LiveUpdateFailed, message: $"Network '{DisplayText.Printable(name)}' could not be changed live: libvirt: {e.Error.Message}. {outcome}");
        }

        return GetOne(name);
    }

    /// <summary>
    /// The update by restart: stop the network, redefine it, start it, and reconnect the NIC of every
    /// running guest that was on it (its tap back on the new bridge). On failure the steps are undone
    /// in reverse order: the new network stopped, the old definition back, started, and the guests
    /// reconnected to it.
    /// </summary>
    private KimchiNetworkInfo UpdateByRestart(UpdatePlan plan, NetworkRecord record)
    {
        var name = plan.Name;
        var oldXml = CheckUnchangedSincePlan(plan, record);
        var nics = RunningGuestNics(record);
        var newName = NetworkXmlReader.Read(plan.NewXml).Name;
        var autostart = plan.Update.Autostart ?? record.Autostart;
        var step = "stopping it";
        var transaction = new Transaction();
        try
        {
            transaction.Do(
                () => _connection.StopNetwork(name),
                new UndoStep("starting the original network again and reconnecting its guests", () =>
                {
                    _connection.StartNetwork(name);
                    ReconnectGuests(nics, name);
                }));
            step = "redefining it";
            Redefine(transaction, plan, record, oldXml);
            step = "starting it";
            transaction.Do(() => _connection.StartNetwork(newName), new UndoStep("stopping the new network", () => _connection.StopNetwork(newName)));
            step = "reconnecting its running guests";
            ReconnectGuests(nics, newName);
            if (autostart != record.Autostart || !string.Equals(newName, name, StringComparison.Ordinal))
            {
                step = "setting autostart";
                _connection.SetAutostart(newName, autostart);
            }

            transaction.Commit();
        }
        catch (LibvirtException e)
        {
            var failures = transaction.RollBack(stopAtFirstFailure: true);
            var outcome = failures.Count == 0
                ? "The original network was defined and started again and its guests reconnected."
                : $"Rolling back failed too ({failures[0].Summary}); the original definition was: {oldXml}";
            throw e.WithCode(e.IsConnectionFailure ? e.Code : ErrorCodes.LiveUpdateFailed, message: $"Network '{DisplayText.Printable(name)}' could not be restarted with the change: {step} failed: libvirt: {e.Error.Message}. {outcome}");
        }
        catch (KimchiException e)
        {
            // The new host bridge could not be made: the original network is started again and its guests reconnected.
            var failures = transaction.RollBack(stopAtFirstFailure: true);
            var outcome = failures.Count == 0
                ? "The original network was started again and its guests reconnected."
                : $"Rolling back failed too ({failures[0].Summary}); the original definition was: {oldXml}";
            throw new KimchiException(e.Code, e.Kind, $"{e.Message} {outcome}", e.Target);
        }

        UndoLeftHostBridge(plan, newName);
        return GetOne(newName);
    }

    /// <summary>The names of the running domains that use the network (as <see cref="NetworkUsage"/> counts use), sorted.</summary>
    private IReadOnlyList<string> RunningUsersOf(NetworkRecord record) =>
        NetworkUsage.Compute([record], _connection.ListDomains().Where(d => d.IsActive))[record.Name];

    /// <summary>
    /// The NICs of running domains whose tap is on the network's bridge: type='network' naming it, or
    /// type='bridge' on its bridge. NICs of type='direct' (macvtap on a host device) are not listed: a
    /// restart of the network does not take their macvtap away.
    /// </summary>
    private List<(string Domain, XElement Nic)> RunningGuestNics(NetworkRecord record)
    {
        var bridge = NetworkXmlReader.Read(record.Xml).Bridge?.Name;
        var nics = new List<(string, XElement)>();
        if (bridge is null)
        {
            return nics;
        }

        foreach (var domain in _connection.ListDomains().Where(d => d.IsActive))
        {
            var described = DomainXml.ReadNics(domain.Xml, domain.Name);
            var elements = DomainXml.ReadNicElements(domain.Xml, domain.Name);
            for (var i = 0; i < described.Count; i++)
            {
                var nic = described[i];
                if ((nic.Kind == NicKind.Network && string.Equals(nic.Source, record.Name, StringComparison.Ordinal))
                    || (nic.Kind == NicKind.Bridge && string.Equals(nic.Source, bridge, StringComparison.Ordinal)))
                {
                    nics.Add((domain.Name, elements[i]));
                }
            }
        }

        return nics;
    }

    /// <summary>
    /// Puts each NIC's tap back on the bridge of the (re)started network <paramref name="network"/>.
    /// libvirt 9.0 moves a tap only when the NIC's XML names another bridge or another interface type:
    /// the NIC's own XML again changes nothing, even when the tap fell off a bridge that was deleted
    /// and made again (checked in a lab host). So a type='network' NIC is first updated to
    /// type='bridge' on the new bridge (which adds the tap to it), then back to its own XML, which
    /// gives it a port of the network again; a type='bridge' NIC takes the new bridge's name.
    /// </summary>
    private void ReconnectGuests(IReadOnlyList<(string Domain, XElement Nic)> nics, string network)
    {
        if (nics.Count == 0)
        {
            return;
        }

        var bridge = NetworkXmlReader.Read(_connection.GetNetworkXml(network)).Bridge?.Name
            ?? throw new InvalidOperationException($"Network '{network}' has no bridge to reconnect guests to.");
        foreach (var (domain, nic) in nics)
        {
            var onBridge = new XElement(nic);
            onBridge.SetAttributeValue("type", "bridge");
            onBridge.Element("source")?.Remove();
            onBridge.AddFirst(new XElement("source", new XAttribute("bridge", bridge)));
            _connection.UpdateDomainDeviceLive(domain, onBridge.ToString());
            if ((string?)nic.Attribute("type") == "network")
            {
                var own = new XElement(nic);
                var source = own.Element("source");
                source?.Attribute("portid")?.Remove();
                source?.Attribute("bridge")?.Remove();
                source?.SetAttributeValue("network", network);
                _connection.UpdateDomainDeviceLive(domain, own.ToString());
            }
        }
    }

    /// <summary>The first IPv4 &lt;ip&gt; with an address, with its position among all &lt;ip&gt;s (virNetworkUpdate's parentIndex).</summary>
    private static (int Index, NetworkIpXml Ip)? FirstIpv4(NetworkXml network)
    {
        var index = network.Ips.ToList().FindIndex(IsIpv4WithAddress);
        return index < 0 ? null : (index, network.Ips[index]);
    }

    /// <summary>One element with attributes, as libvirt's update call takes it.</summary>
    private static string Element(string name, params (string Name, string? Value)[] attributes) =>
        new XElement(name, attributes.Where(a => a.Value is not null).Select(a => new XAttribute(a.Name, a.Value!))).ToString(SaveOptions.DisableFormatting);
}
