using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Transactions;
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
    /// range, the forward devices or bridge, the MTU and DHCP settings (NetworkOperations.BridgeSettings.cs)
    /// the DNS settings given (NetworkOperations.Dns.cs) and KimchiNet's metadata edited; UUID, MAC, bridge name, DNS TXT and SRV records, static DHCP hosts, port groups not given and foreign metadata stay as they are. Changes nothing.
    /// </summary>
    /// <exception cref="KimchiException">
    /// KCHNET0002E no such network; KCHNET0005E it is active; the validator's codes (KCHNET0031E,
    /// KCHNET0032E, ...); the host checks of create (KCHNET0001E, KCHNET0102E, KCHNET0006E,
    /// KCHNET0003E, ...); KCHNET0012E for a network of a kind KimchiNet cannot edit (only rename and
    /// autostart); KCHNET0105E for a device change on a bridge network that needs or has a host
    /// bridge made by KimchiNet (remove and create it again instead).
    /// </exception>
    public UpdatePlan PlanUpdate(string name, NetworkUpdate update) => PlanUpdateCore(name, update, whileActive: false, restart: false);

    /// <summary>
    /// Plans an update of a network, active or not. On an inactive network it is
    /// <see cref="PlanUpdate(string, NetworkUpdate)"/>. On an active one each change is classified:
    /// what libvirt changes on a running network (a DHCP range, DNS host records, port groups, the forward interfaces of a vepa,
    /// passthrough or macvtap network, autostart; see <see cref="NetworkUpdateSection"/> for what
    /// libvirt 9.0 does) goes live; anything else (a new name, subnet, VLAN id, bridge, DHCP turned on)
    /// needs a restart, which is refused (KCHNET0170E, naming each such change and the running guests
    /// that would lose their network) unless <paramref name="restart"/>. Changes nothing.
    /// </summary>
    /// <exception cref="KimchiException">The codes of <see cref="PlanUpdate(string, NetworkUpdate)"/> except KCHNET0005E; KCHNET0170E; the DHCP range codes of WithBridgeSettings.</exception>
    public UpdatePlan PlanUpdate(string name, NetworkUpdate update, bool restart) => PlanUpdateCore(name, update, whileActive: false, restart);

    /// <summary>
    /// <see cref="PlanUpdate(string, NetworkUpdate)"/>; when <paramref name="whileActive"/>, an active
    /// network is planned too (its persistent definition), so a caller that will stop it first can
    /// learn of every refusal before it stops anything. <see cref="Update"/> still needs it stopped.
    /// </summary>
    internal UpdatePlan PlanUpdateCore(string name, NetworkUpdate update, bool whileActive, bool restart = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(update);
        var touchesHost = update.Subnet is not null || update.Interfaces is not null || update.VlanId is not null || update.Ipv6Subnet is not null;
        var facts = HostFacts.Read(_connection, listInterfaces: touchesHost, ignoredNetwork: name);
        var record = facts.Networks.Select(n => n.Record).FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal))
            ?? throw NotFound(name);
        var asksNothing = AsksNothing(update, record);
        var live = record.IsActive && !whileActive;

        var oldXml = _connection.GetNetworkXml(name, inactive: true);
        var current = NetworkXmlReader.Read(oldXml);
        if (asksNothing)
        {
            // Nothing to change, so nothing needs the network stopped: the plan is a no-op, and the
            // update returns the network as it is (for -PassThru).
            return NewUpdatePlan(name, oldXml, current, update, UpdateScope.Unchanged(name)) with { ChangesNothing = true };
        }

        var description = NetworkDescriptions.FromXml(current);
        var scope = UpdateScope.Of(name, update, description);
        HostBridgeMove? move = null;
        var edited = description.Connection is { } connection
            ? EditKimchiNetwork(facts, current, description, connection, record, update, scope, out move)
            : RenameForeignNetwork(facts, current, description, scope);
        edited = WithPortGroups(WithDnsSettings(WithBridgeSettings(edited, description, update), description, update), description, update);
        edited = WithIpv6(edited, description, update, facts);
        ValidationError.ThrowIfAny([.. Optional(InUseConflict(record, scope.Renaming, scope.ChangesInterfaces))]);
        var plan = WithHostBridgeMove(NewUpdatePlan(name, oldXml, edited, update, scope, live ? LiveKinds(current, description, scope) : null), move);
        return live ? PlanOnActive(plan, record, current, edited, restart) : plan;
    }

    /// <summary>What an update changes of a network, measured against its current definition.</summary>
    private sealed record UpdateScope(string Name, string NewName, bool ChangesSubnet, bool ChangesInterfaces, bool ChangesVlan, bool ChangesDhcpRange)
    {
        public bool Renaming => !string.Equals(NewName, Name, StringComparison.Ordinal);

        public bool ChangesDevices => ChangesInterfaces || ChangesVlan;

        public static UpdateScope Unchanged(string name) => new(name, name, false, false, false, false);

        public static UpdateScope Of(string name, NetworkUpdate update, NetworkDescription description) => new(
            name,
            update.NewName ?? name,
            update.Subnet is not null,
            update.Interfaces is not null && !update.Interfaces.SequenceEqual(description.Interfaces, StringComparer.Ordinal),
            update.VlanId is not null && update.VlanId != description.VlanId,
            update.DhcpRange is not null);
    }

    /// <summary>The update keeps the name and the autostart and changes nothing else.</summary>
    private static bool AsksNothing(NetworkUpdate update, NetworkRecord record) =>
        (update.NewName is null || string.Equals(update.NewName, record.Name, StringComparison.Ordinal))
        && update.Subnet is null && update.Interfaces is null && update.VlanId is null && !update.ChangesBridgeSettings && !update.ChangesDns && update.PortGroups is null && !update.ChangesIpv6
        && (update.Autostart is null || update.Autostart == record.Autostart);

    private static KimchiException NetworkActive(string name) =>
        new(ErrorCodes.NetworkActive, ErrorKind.InvalidState, $"Network '{DisplayText.Printable(name)}' is active: stop it before updating it.", name);

    /// <summary>A network of a kind KimchiNet cannot edit: only a rename (checked like a new name) and autostart.</summary>
    private static NetworkXml RenameForeignNetwork(HostFacts facts, NetworkXml current, NetworkDescription description, UpdateScope scope)
    {
        if (scope.ChangesSubnet || scope.ChangesDevices || scope.ChangesDhcpRange)
        {
            throw new KimchiException(
                ErrorCodes.InvalidConnection,
                ErrorKind.InvalidState,
                $"Network '{DisplayText.Printable(scope.Name)}' has forward mode '{DisplayText.Printable(description.ForwardMode)}', which is none of Kimchi's connection types: only its name and autostart can be changed.",
                scope.Name);
        }

        ValidationError.ThrowIfAny(scope.Renaming ? [.. Optional(NetworkSpecValidator.CheckName(scope.NewName)), .. Optional(facts.CheckNameFree(scope.NewName))] : []);
        return current with { Name = scope.NewName };
    }

    /// <summary>
    /// A network of one of Kimchi's kinds: the merged spec is validated on the parts that change, then
    /// checked against the host as on create (new name free, new subnet free and holding the static
    /// DHCP hosts, new devices usable, a host bridge makeable where one is needed), and the current XML
    /// edited accordingly. <paramref name="move"/> is what a bridge network's move does on the host.
    /// </summary>
    private NetworkXml EditKimchiNetwork(HostFacts facts, NetworkXml current, NetworkDescription description, ConnectionType connection, NetworkRecord record, NetworkUpdate update, UpdateScope scope, out HostBridgeMove? move)
    {
        move = null;
        var merged = new NetworkSpec
        {
            Name = scope.NewName,
            Connection = connection,
            Subnet = update.Subnet ?? (connection.HasSubnet() ? description.Subnet : null),
            Interfaces = update.Interfaces ?? (connection.TakesInterfaces() ? description.Interfaces : null),
            VlanId = update.VlanId ?? description.VlanId,
            Autostart = update.Autostart ?? record.Autostart,
        };
        CheckChangedRules(merged, update, scope);

        var errors = new List<ValidationError>();
        if (scope.Renaming && facts.CheckNameFree(scope.NewName) is { } taken)
        {
            errors.Add(taken);
        }

        var edited = current with { Name = scope.NewName };
        if (scope.ChangesSubnet && facts.ResolveSubnet(merged.Subnet, errors) is { } subnet)
        {
            errors.AddRange(CheckStaticHosts(current, subnet));
            edited = WithSubnet(edited, subnet);
        }

        if (scope.ChangesDevices)
        {
            errors.AddRange(CheckNewDevices(facts, current, description, merged, scope, out move));
            edited = WithDevices(edited, merged, move?.Expected);
        }

        ValidationError.ThrowIfAny(errors);
        return edited;
    }

    /// <summary>The validator's rules about the parameters the update gives, so an existing network libvirt took but KimchiNet would not create can still be renamed.</summary>
    private static void CheckChangedRules(NetworkSpec merged, NetworkUpdate update, UpdateScope scope)
    {
        bool Changed(string parameter) => parameter switch
        {
            "Name" => scope.Renaming,
            "Subnet" => scope.ChangesSubnet,
            "Interfaces" => update.Interfaces is not null,
            "VlanId" => update.VlanId is not null,
            _ => false,
        };
        ValidationError.ThrowIfAny(NetworkSpecValidator.Validate(merged).Where(e => Changed(e.ParameterName)).ToArray());
    }

    /// <summary>
    /// The new devices' checks of create. A bridge network that moves onto a NIC or bond needs a host
    /// bridge made over it (checked as create checks it), and one that leaves a host bridge KimchiNet
    /// made has it undone: both need host bridge support here (KCHNET0105E otherwise), and
    /// <paramref name="move"/> says what the update does on the host. A VLAN change on the same NIC
    /// stays refused (KCHNET0105E): the old host bridge holds the NIC the new one would be made over.
    /// </summary>
    private List<ValidationError> CheckNewDevices(HostFacts facts, NetworkXml current, NetworkDescription description, NetworkSpec merged, UpdateScope scope, out HostBridgeMove? move)
    {
        move = null;
        var errors = facts.CheckInterfaces(merged);
        if (merged.Connection != ConnectionType.Bridge || errors.Count > 0)
        {
            return errors;
        }

        var device = facts.Interfaces![merged.InterfacesOrEmpty.Single()];
        var needsBridge = device.Type != HostInterfaceType.Bridge;
        if (!needsBridge && description.HostChanges is null)
        {
            return errors;
        }

        if (!CanMakeHostBridges)
        {
            errors.Add(needsBridge ? HostBridgeUnsupported(device.Name) : MoveUnsupported(scope, merged, device.Name, "that would delete the host bridge KimchiNet made for it, which needs a local libvirt host with host bridge support"));
            return errors;
        }

        if (needsBridge && description.HostChanges is not null && description.Interfaces.Contains(device.Name, StringComparer.Ordinal))
        {
            errors.Add(MoveUnsupported(scope, merged, device.Name, $"its host bridge holds '{DisplayText.Printable(device.Name)}' now, and a new one cannot be made over it before the old one is deleted"));
            return errors;
        }

        InterfaceOwner? owner = null;
        if (needsBridge && CheckHostDevice(device.Name, merged.VlanId, out owner) is { } refused)
        {
            errors.Add(refused);
            return errors;
        }

        var (old, warning) = TrustedHostChanges(scope.Name, current);
        move = new HostBridgeMove(
            needsBridge ? device.Name : null,
            merged.VlanId,
            needsBridge ? ExpectedHostChanges(device, merged.VlanId, facts.Interfaces.ContainsKey) : null,
            old,
            warning,
            owner);
        return errors;
    }

    private static ValidationError MoveUnsupported(UpdateScope scope, NetworkSpec merged, string device, string why) => new(
        ErrorCodes.RemoteNotSupported,
        "Interfaces",
        device,
        $"Network '{DisplayText.Printable(scope.Name)}' cannot be moved to '{DisplayText.Printable(device)}'{(scope.ChangesVlan ? $" with VLAN {merged.VlanId}" : string.Empty)}: {why}. Remove the network and create it again.",
        ErrorKind.NotSupported);

    /// <summary>
    /// The plan with what its move does on the host: the description names the host bridge made (and the
    /// manager it is made through) and the one undone, and a record that no longer matches the host is a
    /// warning (that bridge is left untouched, as Remove-KimchiNetwork leaves it).
    /// </summary>
    private UpdatePlan WithHostBridgeMove(UpdatePlan plan, HostBridgeMove? move)
    {
        if (move is null)
        {
            return plan;
        }

        var notes = new List<string>();
        var warnings = new List<string>(plan.Warnings);
        if (move.Expected is { } expected)
        {
            var spec = new NetworkSpec { Name = plan.Name, Connection = ConnectionType.Bridge, Interfaces = [move.NewDevice!], VlanId = move.NewVlanId };
            var manager = ManagerNote(spec, expected, move.Owner);
            if (NotPersistentWarning(spec, expected, manager) is { } notPersistent)
            {
                warnings.Add(notPersistent);
            }

            notes.Add($"create host bridge {expected.CreatedBridge} over {DisplayText.Printable(move.NewDevice!)}{(manager is not null ? " " + manager : string.Empty)}");
        }

        if (move.Old is { } old)
        {
            notes.Add($"then undo the old host changes ({DescribeChanges(old)})");
        }

        return plan with
        {
            HostBridgeMove = move,
            Description = notes.Count == 0 ? plan.Description : $"{plan.Description}; {string.Join(", ", notes)}",
            Warnings = move.Warning is null ? warnings : [.. warnings, move.Warning],
        };
    }

    /// <summary>
    /// Makes the plan's new host bridge, when it moves onto a NIC or bond (the undo on
    /// <paramref name="transaction"/>), and returns the XML to define: the plan's, with the real bridge
    /// and KimchiNet's record of what was made.
    /// </summary>
    private string MakeMovedHostBridge(UpdatePlan plan, Transaction transaction)
    {
        if (plan.HostBridgeMove is not { NewDevice: { } device } move)
        {
            return plan.NewXml;
        }

        var changes = _hostBridges!.CreateBridge(device, move.NewVlanId);
        transaction.Push($"undoing the new host bridge ({DescribeChanges(changes)}) failed too", () => _hostBridges.Undo(changes));
        var network = NetworkXmlReader.Read(plan.NewXml);
        return NetworkXmlWriter.Write(WithCreated(network with { Bridge = network.Bridge! with { Name = changes.CreatedBridge } }, changes));
    }

    /// <summary>
    /// After a committed move: undoes the host bridge the network left, when its record still matches
    /// the host. The network is on its new device by then, so a failure says so (KCHNET0117E).
    /// </summary>
    private void UndoLeftHostBridge(UpdatePlan plan, string newName)
    {
        if (plan.HostBridgeMove?.Old is not { } old)
        {
            return;
        }

        var problems = HostChangesCheck.Mismatches(NetworkXmlReader.Read(plan.OldXml), old, _hostBridges!);
        try
        {
            if (problems.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", problems));
            }

            _hostBridges!.Undo(old);
        }
        catch (Exception e) when (e is KimchiException or InvalidOperationException or System.IO.IOException)
        {
            throw new KimchiException(
                ErrorCodes.MovedHostBridgeLeft,
                ErrorKind.OperationFailed,
                $"Network '{DisplayText.Printable(newName)}' was moved, but the host changes it left ({DescribeChanges(old)}) were not undone: {e.Message} Undo them by hand (docs/host-networking.md).",
                newName);
        }
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
        var record = Find(name);
        if (plan.ChangesNothing)
        {
            return GetOne(name);
        }

        using var subnets = LockSubnets(plan);
        if (plan.Active)
        {
            return plan.Restart ? UpdateByRestart(plan, record) : UpdateLive(plan, record);
        }

        var oldXml = CheckUnchangedSincePlan(plan, record);
        var newName = NetworkXmlReader.Read(plan.NewXml).Name;
        var renaming = !string.Equals(newName, name, StringComparison.Ordinal);
        var autostart = plan.Update.Autostart ?? record.Autostart;
        var transaction = new Transaction();
        try
        {
            Redefine(transaction, plan, record, oldXml);
            if (renaming ? autostart : autostart != record.Autostart)
            {
                _connection.SetAutostart(newName, autostart);
            }

            transaction.Commit();
        }
        catch (LibvirtException e)
        {
            var outcome = RestoreAfterFailedUpdate(transaction, oldXml);
            // A lost connection stays KCHNET0103E, as in every other step; the message says what was left.
            throw e.WithCode(e.IsConnectionFailure ? e.Code : ErrorCodes.UpdateFailed, message: $"Network '{DisplayText.Printable(name)}' could not be updated: libvirt: {e.Error.Message}. {outcome}");
        }
        catch (KimchiException)
        {
            // The new host bridge could not be made (its maker rolled itself back): nothing else was done.
            transaction.RollBack(stopAtFirstFailure: true);
            throw;
        }

        UndoLeftHostBridge(plan, newName);
        return GetOne(newName);
    }

    /// <summary>
    /// For a plan that gives the network a new subnet (-Subnet, or -Ipv6Subnet given or planned with
    /// 'auto'): takes the create lock of the URI (<see cref="CreateLock"/>, as New-KimchiNetwork does)
    /// and checks the planned subnets against the host as it is now, so that a network created or
    /// changed by someone else since the plan is never overlapped. Returns the lock, to hold until the
    /// definition is written; null (no lock) for a plan that changes no subnet.
    /// </summary>
    /// <exception cref="KimchiException">KCHNET0003E or KCHNET0128E (Conflict) when a planned subnet was taken since the plan; nothing was changed.</exception>
    private CreateLock? LockSubnets(UpdatePlan plan)
    {
        if (plan.Update.Subnet is null && plan.Update.Ipv6Subnet is null)
        {
            return null;
        }

        var held = CreateLock.Acquire(_connection.Uri, fileLock: !_connection.IsTestDriver);
        try
        {
            var facts = HostFacts.Read(_connection, listInterfaces: true, ignoredNetwork: plan.Name);
            var planned = NetworkDescriptions.FromXml(NetworkXmlReader.Read(plan.NewXml));
            var name = DisplayText.Printable(plan.Name);
            var errors = new List<ValidationError>();
            if (plan.Update.Subnet is not null && Ipv4Subnet.TryParse(planned.Subnet, out var four, out _) && facts.FindSubnetOverlap(four) is { } owner)
            {
                errors.Add(new(ErrorCodes.InvalidSubnet, "Subnet", plan.Update.Subnet,
                    $"Subnet {four} overlaps {owner}, which was defined while network '{name}' was being changed: choose another subnet.", ErrorKind.Conflict));
            }

            if (plan.Update.Ipv6Subnet is not null && Ipv6Subnet.TryParse(planned.Ipv6Subnet, out var six, out _) && facts.FindIpv6Overlap(six) is { } owner6)
            {
                var again = string.Equals(plan.Update.Ipv6Subnet, NetworkSpec.AutoIpv6Subnet, StringComparison.OrdinalIgnoreCase)
                    ? "run the command again to plan another /64"
                    : "choose another IPv6 subnet";
                errors.Add(new(ErrorCodes.Ipv6SubnetOverlap, "Ipv6Subnet", plan.Update.Ipv6Subnet,
                    $"IPv6 subnet {six} overlaps {owner6}, which was defined while network '{name}' was being changed: {again}.", ErrorKind.Conflict));
            }

            ValidationError.ThrowIfAny(errors);
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Defines the plan's new XML over the (inactive) network, each act's undo pushed on
    /// <paramref name="transaction"/>. A rename undefines the old name and defines the new one
    /// (libvirt refuses one UUID under two names); the undo defines the old definition again exactly
    /// and restores its autostart. Returns the new name.
    /// </summary>
    private string Redefine(Transaction transaction, UpdatePlan plan, NetworkRecord record, string oldXml)
    {
        var name = plan.Name;
        var newName = NetworkXmlReader.Read(plan.NewXml).Name;
        var renaming = !string.Equals(newName, name, StringComparison.Ordinal);
        var redefine = !string.Equals(plan.NewXml, NetworkXmlWriter.Write(NetworkXmlReader.Read(oldXml)), StringComparison.Ordinal);
        var newXml = MakeMovedHostBridge(plan, transaction);
        var restoreOriginal = new UndoStep("restoring the original definition", () =>
        {
            _connection.DefineNetwork(oldXml);
            _connection.SetAutostart(name, record.Autostart);
        });
        if (renaming)
        {
            transaction.Do(() => _connection.UndefineNetwork(name), restoreOriginal);
        }

        if (redefine)
        {
            // After a rename the new name is undefined (then the original comes back, the step
            // below); otherwise defining the original again replaces the new definition.
            var undo = renaming ? new UndoStep("undefining the new name", () => _connection.UndefineNetwork(newName)) : restoreOriginal;
            transaction.Do(() => _connection.DefineNetwork(newXml), undo);
        }

        return newName;
    }

    /// <summary>The persistent XML of the network, still active or inactive as planned, when it is exactly what the plan was made from (nothing is done otherwise).</summary>
    private string CheckUnchangedSincePlan(UpdatePlan plan, NetworkRecord record)
    {
        if (record.IsActive && !plan.Active)
        {
            throw NetworkActive(plan.Name);
        }

        if (!record.IsActive && plan.Active)
        {
            throw new KimchiException(
                ErrorCodes.UpdateFailed,
                ErrorKind.InvalidState,
                $"Network '{DisplayText.Printable(plan.Name)}' was stopped after the update was planned for it running; nothing was changed. Plan the update again.",
                plan.Name);
        }

        var oldXml = _connection.GetNetworkXml(plan.Name, inactive: true);
        if (!string.Equals(oldXml, plan.OldXml, StringComparison.Ordinal))
        {
            throw new KimchiException(
                ErrorCodes.UpdateFailed,
                ErrorKind.InvalidState,
                $"Network '{DisplayText.Printable(plan.Name)}' was changed after the update was planned; nothing was changed. Plan the update again.",
                plan.Name);
        }

        return oldXml;
    }

    /// <summary>Rolls back a failed update (each undo needs the one before it, so the first failure ends it) and says what the network is left as.</summary>
    private static string RestoreAfterFailedUpdate(Transaction transaction, string oldXml)
    {
        if (transaction.Count == 0)
        {
            return "The original definition was kept unchanged.";
        }

        var failures = transaction.RollBack(stopAtFirstFailure: true);
        return failures.Count == 0
            ? "The original definition was restored."
            : $"Restoring the original definition failed too ({failures[0].Error.Message}); it was: {oldXml}";
    }

    /// <summary>
    /// The plan with each change described; <paramref name="live"/> (for an active network) says per
    /// property whether it goes live, and the description then ends each change with "(live)" or
    /// "(needs a restart)".
    /// </summary>
    private static UpdatePlan NewUpdatePlan(string name, string oldXml, NetworkXml edited, NetworkUpdate update, UpdateScope scope, IReadOnlyDictionary<string, bool>? live = null)
    {
        var changes = new List<UpdateChange>();
        void Add(string property, string text) => changes.Add(new UpdateChange(property, text, live is not null && live.TryGetValue(property, out var isLive) && isLive));
        if (scope.Renaming)
        {
            Add(nameof(NetworkUpdate.NewName), $"rename to {DisplayText.Printable(edited.Name)}");
        }

        if (scope.ChangesSubnet)
        {
            Add(nameof(NetworkUpdate.Subnet), $"change subnet to {NetworkDescriptions.FromXml(edited).Subnet}");
        }

        if (scope.ChangesInterfaces)
        {
            Add(nameof(NetworkUpdate.Interfaces), "change interfaces to " + string.Join(", ", update.Interfaces!.Select(d => DisplayText.Printable(d))));
        }

        if (scope.ChangesVlan)
        {
            Add(nameof(NetworkUpdate.VlanId), $"set VLAN {update.VlanId}");
        }

        foreach (var (property, shown) in DescribeBridgeSettings(update))
        {
            Add(property, shown);
        }

        foreach (var (property, shown) in DescribeDns(update, oldXml).Concat(DescribeIpv6(update, edited)).Concat(DescribePortGroups(update, oldXml)))
        {
            Add(property, shown);
        }

        if (update.Autostart is { } autostart)
        {
            Add(nameof(NetworkUpdate.Autostart), autostart ? "turn autostart on" : "turn autostart off");
        }

        var text = changes.Count == 0
            ? "no change"
            : string.Join(", ", changes.Select(c => live is null ? c.Description : $"{c.Description} ({(c.Live ? "live" : "needs a restart")})"));
        return new UpdatePlan
        {
            Name = name,
            OldXml = oldXml,
            NewXml = NetworkXmlWriter.Write(edited),
            Update = update,
            Changes = changes,
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
    private static NetworkXml WithDevices(NetworkXml network, NetworkSpec spec, HostChanges? hostBridge = null)
    {
        var devices = spec.InterfacesOrEmpty;
        if (spec.Connection == ConnectionType.Bridge)
        {
            // On a NIC or bond: the host bridge made over it (its record replaces the old one); on a bridge: that bridge.
            network = network with { Bridge = (network.Bridge ?? new NetworkBridgeXml()) with { Name = hostBridge?.CreatedBridge ?? devices.Single() } };
            network = WithCreated(network, hostBridge);
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

    /// <summary>The network with KimchiNet's record of what was made on the host replaced by <paramref name="changes"/> (none when null).</summary>
    private static NetworkXml WithCreated(NetworkXml network, HostChanges? changes)
    {
        var metadata = network.Metadata ?? new NetworkMetadataXml();
        var record = metadata.KimchiNet ?? new NetworkMetadataKimchiNetXml { Connection = ConnectionType.Bridge.ToKimchiName() };
        return network with { Metadata = metadata with { KimchiNet = record with { Created = NetworkXmlBuilder.CreatedRecord(changes) } } };
    }

    private static bool IsIpv4WithAddress(NetworkIpXml ip) =>
        ip.Family is null or "ipv4" && ip.Address is not null && Ipv4Subnet.TryParseAddress(ip.Address, out _);

    private static IEnumerable<ValidationError> Optional(ValidationError? error) => error is null ? [] : [error];
}
