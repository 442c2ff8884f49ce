using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>Update (Kimchi's): plan by editing the current definition, then redefine with a restore on failure.</summary>
public sealed partial class NetworkOperations
{
    /// <summary>
    /// Plans an update of an inactive network. The current definition is merged with
    /// <paramref name="update"/>, the merged spec is validated (only the rules about what changes
    /// count, so an existing network libvirt took but KimchiNet would not create can still be renamed),
    /// the changed parts are checked against the host as on create (ignoring the network itself),
    /// and the new XML is the current persistent XML with only the name, the IPv4 address and DHCP
    /// range, the forward devices or bridge and KimchiNet's metadata edited; UUID, MAC, bridge name,
    /// dns, mtu, static DHCP hosts, port groups and foreign metadata stay as they are. Changes nothing.
    /// </summary>
    /// <exception cref="KimchiException">
    /// KCHNET0002E no such network; KCHNET0005E it is active; the validator's codes (KCHNET0031E,
    /// KCHNET0032E, ...); the host checks of create (KCHNET0001E, KCHNET0102E, KCHNET0006E,
    /// KCHNET0003E, ...); KCHNET0012E for a network of a kind KimchiNet cannot edit (only rename and
    /// autostart); KCHNET0105E for a device change on a bridge network that needs or has a host
    /// bridge made by KimchiNet (remove and create it again instead).
    /// </exception>
    public UpdatePlan PlanUpdate(string name, NetworkUpdate update) => PlanUpdateCore(name, update, whileActive: false);

    /// <summary>
    /// <see cref="PlanUpdate(string, NetworkUpdate)"/>; when <paramref name="whileActive"/>, an active
    /// network is planned too (its persistent definition), so a caller that will stop it first can
    /// learn of every refusal before it stops anything. <see cref="Update"/> still needs it stopped.
    /// </summary>
    internal UpdatePlan PlanUpdateCore(string name, NetworkUpdate update, bool whileActive)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(update);
        var touchesHost = update.Subnet is not null || update.Interfaces is not null || update.VlanId is not null;
        var facts = HostFacts.Read(_connection, listInterfaces: touchesHost, ignoredNetwork: name);
        var record = facts.Networks.Select(n => n.Record).FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal))
            ?? throw NotFound(name);
        var shown = DisplayText.Printable(name);
        var asksNothing = (update.NewName is null || string.Equals(update.NewName, name, StringComparison.Ordinal))
            && update.Subnet is null && update.Interfaces is null && update.VlanId is null
            && (update.Autostart is null || update.Autostart == record.Autostart);
        if (record.IsActive && !whileActive && !asksNothing)
        {
            throw new KimchiException(ErrorCodes.NetworkActive, ErrorKind.InvalidState, $"Network '{shown}' is active: stop it before updating it.", name);
        }

        var oldXml = _connection.GetNetworkXml(name, inactive: true);
        if (asksNothing)
        {
            // Nothing to change, so nothing needs the network stopped: the plan is a no-op, and the
            // update returns the network as it is (for -PassThru).
            return NewUpdatePlan(name, oldXml, NetworkXmlReader.Read(oldXml), update, false, false, false, false) with { ChangesNothing = true };
        }

        var current = NetworkXmlReader.Read(oldXml);
        var description = NetworkDescriptions.FromXml(current);
        var newName = update.NewName ?? name;
        var renaming = !string.Equals(newName, name, StringComparison.Ordinal);
        var changesSubnet = update.Subnet is not null;
        var changesInterfaces = update.Interfaces is not null && !update.Interfaces.SequenceEqual(description.Interfaces, StringComparer.Ordinal);
        var changesVlan = update.VlanId is not null && update.VlanId != description.VlanId;
        if (description.Connection is not { } connection)
        {
            if (changesSubnet || changesInterfaces || changesVlan)
            {
                throw new KimchiException(
                    ErrorCodes.InvalidConnection,
                    ErrorKind.InvalidState,
                    $"Network '{shown}' has forward mode '{DisplayText.Printable(description.ForwardMode)}', which is none of Kimchi's connection types: only its name and autostart can be changed.",
                    name);
            }

            ValidationError.ThrowIfAny(renaming ? [.. Optional(NetworkSpecValidator.CheckName(newName)), .. Optional(facts.CheckNameFree(newName))] : []);
            ValidationError.ThrowIfAny([.. Optional(InUseConflict(record, renaming, changesInterfaces: false))]);
            return NewUpdatePlan(name, oldXml, current with { Name = newName }, update, renaming, false, false, false);
        }

        var merged = new NetworkSpec
        {
            Name = newName,
            Connection = connection,
            Subnet = update.Subnet ?? (connection.HasSubnet() ? description.Subnet : null),
            Interfaces = update.Interfaces ?? (connection.NeedsInterfaces() ? description.Interfaces : null),
            VlanId = update.VlanId ?? description.VlanId,
            Autostart = update.Autostart ?? record.Autostart,
        };

        var changed = new HashSet<string>(StringComparer.Ordinal);
        AddIf(changed, renaming, "Name");
        AddIf(changed, changesSubnet, "Subnet");
        AddIf(changed, update.Interfaces is not null, "Interfaces");
        AddIf(changed, update.VlanId is not null, "VlanId");
        ValidationError.ThrowIfAny(NetworkSpecValidator.Validate(merged).Where(e => changed.Contains(e.ParameterName)).ToArray());

        var errors = new List<ValidationError>();
        if (renaming && facts.CheckNameFree(newName) is { } taken)
        {
            errors.Add(taken);
        }

        var edited = current with { Name = newName };
        if (changesSubnet)
        {
            if (facts.ResolveSubnet(merged.Subnet, errors) is { } subnet)
            {
                errors.AddRange(CheckStaticHosts(current, subnet));
                edited = WithSubnet(edited, subnet);
            }
        }

        if (changesInterfaces || changesVlan)
        {
            var interfaceErrors = facts.CheckInterfaces(merged);
            errors.AddRange(interfaceErrors);
            if (connection == ConnectionType.Bridge && interfaceErrors.Count == 0)
            {
                var device = facts.Interfaces![merged.InterfacesOrEmpty.Single()];
                if (device.Type != HostInterfaceType.Bridge || description.HostChanges is not null)
                {
                    errors.Add(new(
                        ErrorCodes.RemoteNotSupported,
                        "Interfaces",
                        device.Name,
                        $"Network '{shown}' cannot be moved to '{DisplayText.Printable(device.Name)}'{(changesVlan ? $" with VLAN {merged.VlanId}" : string.Empty)}: that would need a host bridge made or deleted by KimchiNet, which an update does not do. Remove the network and create it again.",
                        ErrorKind.NotSupported));
                }
            }

            edited = WithDevices(edited, merged);
        }

        ValidationError.ThrowIfAny(errors);
        ValidationError.ThrowIfAny([.. Optional(InUseConflict(record, renaming, changesInterfaces))]);
        return NewUpdatePlan(name, oldXml, edited, update, renaming, changesSubnet, changesInterfaces, changesVlan);
    }

    /// <summary>
    /// A VM's NIC names the network, its bridge or one of its devices: renaming the network or moving
    /// it to other devices would leave those VMs pointing at nothing (KCHNET0108E). Checked after the
    /// input, so bad input is reported as such first.
    /// </summary>
    private ValidationError? InUseConflict(NetworkRecord record, bool renaming, bool changesInterfaces)
    {
        if (!renaming && !changesInterfaces)
        {
            return null;
        }

        var vms = UsersOf(record);
        return vms.Count == 0
            ? null
            : new ValidationError(
                ErrorCodes.UpdateInUse,
                renaming ? "NewName" : "Interfaces",
                record.Name,
                $"Network '{DisplayText.Printable(record.Name)}' is used by virtual machines {JoinNames(vms)}: {(renaming ? "renaming it" : "changing its interfaces")} would leave them without their network. Detach them from it first.",
                ErrorKind.Conflict);
    }

    /// <summary>
    /// Carries out an update plan on the network, which must still be inactive and defined exactly
    /// as planned. A rename undefines the old name and defines the new one (libvirt refuses one UUID
    /// under two names); on failure the old definition is defined again exactly and its autostart
    /// restored. Autostart is set as the update asks (a rename keeps the old setting).
    /// </summary>
    /// <exception cref="KimchiException">
    /// KCHNET0002E gone; KCHNET0005E started since; KCHNET0022E (InvalidState) changed since the plan,
    /// nothing done; KCHNET0022E with libvirt's message when libvirt refused, saying the original was
    /// restored (or, should that fail too, what was left); KCHNET0103E, with the same account, when
    /// the connection broke.
    /// </exception>
    public KimchiNetworkInfo Update(UpdatePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var name = plan.Name;
        var shown = DisplayText.Printable(name);
        var record = Find(name);
        if (plan.ChangesNothing)
        {
            return GetOne(name);
        }

        if (record.IsActive)
        {
            throw new KimchiException(ErrorCodes.NetworkActive, ErrorKind.InvalidState, $"Network '{shown}' is active: stop it before updating it.", name);
        }

        var oldXml = _connection.GetNetworkXml(name, inactive: true);
        if (!string.Equals(oldXml, plan.OldXml, StringComparison.Ordinal))
        {
            throw new KimchiException(
                ErrorCodes.UpdateFailed,
                ErrorKind.InvalidState,
                $"Network '{shown}' was changed after the update was planned; nothing was changed. Plan the update again.",
                name);
        }

        var newName = NetworkXmlReader.Read(plan.NewXml).Name;
        var renaming = !string.Equals(newName, name, StringComparison.Ordinal);
        var redefine = !string.Equals(plan.NewXml, NetworkXmlWriter.Write(NetworkXmlReader.Read(oldXml)), StringComparison.Ordinal);
        var autostart = plan.Update.Autostart ?? record.Autostart;
        var undefined = false;
        var defined = false;
        try
        {
            if (renaming)
            {
                _connection.UndefineNetwork(name);
                undefined = true;
            }

            if (redefine)
            {
                _connection.DefineNetwork(plan.NewXml);
                defined = true;
            }

            if (renaming ? autostart : autostart != record.Autostart)
            {
                _connection.SetAutostart(newName, autostart);
            }
        }
        catch (LibvirtException e)
        {
            var outcome = RestoreAfterFailedUpdate(name, newName, oldXml, record.Autostart, renaming, undefined, defined);
            // A lost connection stays KCHNET0103E, as in every other step; the message says what was left.
            throw e.WithCode(e.IsConnectionFailure ? e.Code : ErrorCodes.UpdateFailed, message: $"Network '{shown}' could not be updated: libvirt: {e.Error.Message}. {outcome}");
        }

        return GetOne(newName);
    }

    private string RestoreAfterFailedUpdate(string name, string newName, string oldXml, bool autostart, bool renaming, bool undefined, bool defined)
    {
        if (!undefined && !defined)
        {
            return "The original definition was kept unchanged.";
        }

        try
        {
            if (renaming && defined)
            {
                _connection.UndefineNetwork(newName);
            }

            _connection.DefineNetwork(oldXml);
            _connection.SetAutostart(name, autostart);
            return "The original definition was restored.";
        }
        catch (KimchiException e)
        {
            return $"Restoring the original definition failed too ({e.Message}); it was: {oldXml}";
        }
    }

    private static UpdatePlan NewUpdatePlan(string name, string oldXml, NetworkXml edited, NetworkUpdate update, bool renaming, bool changesSubnet, bool changesInterfaces, bool changesVlan)
    {
        var parts = new List<string>();
        if (renaming)
        {
            parts.Add($"rename to {DisplayText.Printable(edited.Name)}");
        }

        if (changesSubnet)
        {
            parts.Add($"change subnet to {NetworkDescriptions.FromXml(edited).Subnet}");
        }

        if (changesInterfaces)
        {
            parts.Add("change interfaces to " + string.Join(", ", update.Interfaces!.Select(d => DisplayText.Printable(d))));
        }

        if (changesVlan)
        {
            parts.Add($"set VLAN {update.VlanId}");
        }

        if (update.Autostart is { } autostart)
        {
            parts.Add(autostart ? "turn autostart on" : "turn autostart off");
        }

        var text = parts.Count == 0 ? "no change" : string.Join(", ", parts);
        return new UpdatePlan
        {
            Name = name,
            OldXml = oldXml,
            NewXml = NetworkXmlWriter.Write(edited),
            Update = update,
            Description = char.ToUpperInvariant(text[0]) + text[1..],
        };
    }

    /// <summary>The first IPv4 address and its DHCP range move to the new subnet; every other attribute and child stays.</summary>
    private static NetworkXml WithSubnet(NetworkXml network, Ipv4Subnet subnet)
    {
        var gateway = Ipv4Subnet.FormatAddress(subnet.Gateway);
        var range = new NetworkDhcpRangeXml { Start = Ipv4Subnet.FormatAddress(subnet.DhcpStart), End = Ipv4Subnet.FormatAddress(subnet.DhcpEnd) };
        var ips = network.Ips.ToList();
        var index = ips.FindIndex(IsIpv4WithAddress);
        if (index < 0)
        {
            ips.Insert(0, new NetworkIpXml
            {
                Address = gateway,
                Netmask = Ipv4Subnet.FormatAddress(subnet.Netmask),
                Dhcp = new NetworkDhcpXml { Ranges = [range] },
            });
        }
        else
        {
            var ip = ips[index];
            ips[index] = ip with
            {
                Address = gateway,
                Netmask = ip.Prefix is null ? Ipv4Subnet.FormatAddress(subnet.Netmask) : null,
                Prefix = ip.Prefix is null ? null : (uint)subnet.Prefix,
                Dhcp = ip.Dhcp is null
                    ? null
                    : ip.Dhcp with
                    {
                        // Ranges of the old subnet cannot stay; the first one's extra attributes and children do.
                        Ranges = ip.Dhcp.Ranges.Count == 0 ? [] : [ip.Dhcp.Ranges[0] with { Start = range.Start, End = range.End }],
                    },
            };
        }

        return network with { Ips = ips };
    }

    /// <summary>KCHNET0003E for each static DHCP host whose address would fall outside the new subnet.</summary>
    private static IEnumerable<ValidationError> CheckStaticHosts(NetworkXml network, Ipv4Subnet subnet)
    {
        var ip = network.Ips.FirstOrDefault(IsIpv4WithAddress);
        foreach (var host in ip?.Dhcp?.OtherElements ?? [])
        {
            if (host.Name.LocalName == "host" && (string?)host.Attribute("ip") is { } text
                && Ipv4Subnet.TryParseAddress(text, out var address) && !subnet.Contains(address))
            {
                yield return new ValidationError(
                    ErrorCodes.InvalidSubnet,
                    "Subnet",
                    subnet.ToString(),
                    $"Subnet {subnet} does not hold the static DHCP host address {DisplayText.Printable(text)} of network '{DisplayText.Printable(network.Name)}': change or remove that host first.",
                    ErrorKind.Conflict);
            }
        }
    }

    /// <summary>The forward devices (or, for a bridge network, the bridge) and KimchiNet's record become the merged spec's; the rest stays.</summary>
    private static NetworkXml WithDevices(NetworkXml network, NetworkSpec spec)
    {
        var devices = spec.InterfacesOrEmpty;
        if (spec.Connection == ConnectionType.Bridge)
        {
            network = network with { Bridge = (network.Bridge ?? new NetworkBridgeXml()) with { Name = devices.Single() } };
        }
        else if (network.Forward is { } forward)
        {
            network = network with
            {
                Forward = forward with
                {
                    Dev = forward.Dev is null ? null : devices[0],
                    Interfaces = devices
                        .Select(d => forward.Interfaces.FirstOrDefault(i => i.Dev == d) ?? new NetworkForwardInterfaceXml { Dev = d })
                        .ToArray(),
                },
            };
        }

        var metadata = network.Metadata ?? new NetworkMetadataXml();
        var record = metadata.KimchiNet ?? new NetworkMetadataKimchiNetXml { Connection = spec.Connection.ToKimchiName() };
        return network with
        {
            Metadata = metadata with { KimchiNet = record with { Interfaces = devices.ToArray(), VlanId = spec.VlanId } },
        };
    }

    private static bool IsIpv4WithAddress(NetworkIpXml ip) =>
        ip.Family is null or "ipv4" && ip.Address is not null && Ipv4Subnet.TryParseAddress(ip.Address, out _);

    private static IEnumerable<ValidationError> Optional(ValidationError? error) => error is null ? [] : [error];

    private static void AddIf(HashSet<string> set, bool condition, string value)
    {
        if (condition)
        {
            set.Add(value);
        }
    }
}
