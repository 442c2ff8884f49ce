using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Hosts.Managers;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Transactions;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>Create: plan (validate, check against the host, resolve subnet and bridge, build XML), then carry out.</summary>
public sealed partial class NetworkOperations
{
    /// <summary>
    /// Validates <paramref name="spec"/>, checks it against the host (one ListNetworks and one
    /// host interface list) and produces the XML to define. Changes nothing.
    /// </summary>
    /// <exception cref="KimchiException">
    /// The validator's codes; KCHNET0001E name taken; KCHNET0102E interface missing; KCHNET0028E,
    /// KCHNET0007E, KCHNET0019E wrong interface kind; KCHNET0006E interface used by another network;
    /// KCHNET0003E subnet overlaps; KCHNET0009E no free subnet; KCHNET0105E a host bridge is needed
    /// but cannot be made here. All broken host rules are named in one message.
    /// </exception>
    public CreatePlan PlanCreate(NetworkSpec spec) => PlanCreateCore(spec, replacing: false);

    /// <summary>
    /// <see cref="PlanCreate(NetworkSpec)"/>; when <paramref name="replacing"/>, the existing network
    /// of the same name is planned away (its name, devices and subnet are free), for a replacement.
    /// </summary>
    internal CreatePlan PlanCreateCore(NetworkSpec spec, bool replacing)
    {
        ArgumentNullException.ThrowIfNull(spec);
        NetworkSpecValidator.ThrowIfInvalid(spec);
        var facts = HostFacts.Read(_connection, listInterfaces: true, ignoredNetwork: replacing ? spec.Name : null);
        var errors = new List<ValidationError>();
        if (facts.CheckNameFree(spec.Name) is { } taken)
        {
            errors.Add(taken);
        }

        Ipv4Subnet? subnet = null;
        Ipv6Subnet? ipv6 = null;
        ulong? globalId = null;
        string? bridge = null;
        HostChanges? expected = null;
        InterfaceOwner? owner = null;
        var warnings = new List<string>();
        var openVSwitch = false;
        if (spec.Connection.HasSubnet())
        {
            subnet = facts.ResolveSubnet(spec.Subnet, errors);
            (ipv6, globalId) = ResolveIpv6(spec, facts, planned: null, errors);
            bridge = facts.FreeBridgeName();
            if (spec.InterfacesOrEmpty.Count > 0)
            {
                // A routed network bound to a device, which must exist.
                errors.AddRange(facts.CheckInterfaces(spec));
            }

            warnings.AddRange(facts.UncheckedSubnetWarnings(subnet, ipv6, _connection.Uri));
        }
        else
        {
            var interfaceErrors = facts.CheckInterfaces(spec);
            errors.AddRange(interfaceErrors);
            if (spec.Connection == ConnectionType.Bridge && interfaceErrors.Count == 0)
            {
                var device = facts.Interfaces![spec.InterfacesOrEmpty.Single()];
                openVSwitch = device.OpenVSwitch;
                errors.AddRange(LinuxBridgeVlanErrors(spec.PortGroups, spec.Connection, openVSwitch));
                if (device.Type != HostInterfaceType.Bridge)
                {
                    expected = ExpectedHostChanges(device, spec.VlanId, facts.Interfaces.ContainsKey);
                    if (!CanMakeHostBridges)
                    {
                        errors.Add(HostBridgeUnsupported(device.Name));
                    }
                    else if (CheckHostDevice(device.Name, spec.VlanId, out owner) is { } refused)
                    {
                        errors.Add(refused);
                    }
                }
            }
        }

        ValidationError.ThrowIfAny(errors);
        var note = ManagerNote(spec, expected, owner);
        if (NotPersistentWarning(spec, expected, note) is { } notPersistent)
        {
            warnings.Add(notPersistent);
        }

        var plan = NewPlan(spec, subnet, bridge, expected, openVSwitch, ipv6, globalId) with { Warnings = warnings };
        return note is not null ? plan with { Description = plan.Description + " " + note } : plan;
    }

    /// <summary>
    /// The host bridge maker's own checks of the device, run at plan time so -WhatIf refuses what the
    /// real run would. The libvirt host lists the device (checked before), so a device this machine
    /// lacks means KimchiNet runs off the libvirt host's network stack; the message says which machine lacks it.
    /// <paramref name="owner"/> is the network manager found owning the device (null for other bridge makers,
    /// a VLAN bridge or no manager): the plan's note and warning use it rather than detecting it again.
    /// </summary>
    private ValidationError? CheckHostDevice(string device, int? vlanId, out InterfaceOwner? owner)
    {
        owner = null;
        try
        {
            if (_hostBridges is ManagedHostBridges managed)
            {
                owner = managed.CheckDeviceOwner(device, vlanId);
            }
            else
            {
                _hostBridges!.CheckDevice(device, vlanId);
            }

            return null;
        }
        catch (KimchiException e)
        {
            var message = e.Kind == ErrorKind.NotFound
                ? $"{e.Message} The libvirt host has '{DisplayText.Printable(device)}', but this machine is not on its network stack, and the host bridge would be made here: run KimchiNet on the libvirt host itself (for a host in a network namespace, inside that namespace)."
                : e.Message;
            return new ValidationError(e.Code, "Interfaces", device, message, e.Kind);
        }
    }

    /// <summary>
    /// The IPv6 /64 of a spec and, when it is planned ('auto'), the host's unique-local global ID it
    /// is planned under: the one recorded on the host's networks, else the one an earlier plan chose
    /// (<paramref name="planned"/>), else a new random one. IPv6 NAT needs libvirt 6.5 or later on
    /// the host (KCHNET0129E).
    /// </summary>
    private (Ipv6Subnet? Subnet, ulong? GlobalId) ResolveIpv6(NetworkSpec spec, HostFacts facts, ulong? planned, List<ValidationError> errors)
    {
        if (spec.Ipv6Subnet is null)
        {
            return (null, null);
        }

        if (spec.Ipv6Nat == true && CheckIpv6Nat() is { } unsupported)
        {
            errors.Add(unsupported);
        }

        ulong? globalId = spec.PlansIpv6Subnet ? facts.UlaGlobalId ?? planned ?? UlaPlanner.NewGlobalId() : null;
        return (facts.ResolveIpv6Subnet(spec, globalId ?? 0, errors), globalId);
    }

    /// <summary>The first libvirt that takes &lt;nat ipv6='yes'/&gt;.</summary>
    internal static readonly Version MinIpv6NatVersion = new(6, 5, 0);

    /// <summary>The libvirt version of the host (<see cref="LibvirtConnection.LibraryVersion"/>), or the one tests set.</summary>
    private Version LibraryVersion => LibraryVersionForTests ?? _connection.LibraryVersion;

    /// <summary>For tests: the libvirt version to act as if the host ran (e.g. 6.4, which has no IPv6 NAT).</summary>
    internal Version? LibraryVersionForTests { get; set; }

    private static CreatePlan NewPlan(NetworkSpec spec, Ipv4Subnet? subnet, string? bridge, HostChanges? expected, bool openVSwitch = false, Ipv6Subnet? ipv6 = null, ulong? globalId = null)
    {
        var options = new NetworkBuildOptions
        {
            Subnet = subnet,
            Ipv6Subnet = ipv6,
            UlaGlobalId = globalId,
            BridgeName = expected?.CreatedBridge ?? bridge,
            Created = expected,
            OpenVSwitch = openVSwitch,
        };
        return new CreatePlan
        {
            Spec = spec,
            Xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, options)),
            Subnet = subnet,
            Ipv6Subnet = ipv6,
            UlaGlobalId = globalId,
            BridgeName = bridge,
            CreatesHostBridge = expected is not null,
            Description = DescribeCreate(spec, subnet, bridge, expected) + (ipv6 is { } six ? $", IPv6 subnet {six}" : string.Empty),
        };
    }

    /// <summary>
    /// Carries out a plan: makes the host bridge if the plan says so, defines the network
    /// (persistent), sets autostart as the spec asks and starts it when <paramref name="start"/>.
    /// When a step fails after the define, the network is undefined again and the host bridge undone.
    /// </summary>
    /// <exception cref="KimchiException">
    /// KCHNET0008E with libvirt's message when libvirt refuses the definition or the autostart
    /// (KCHNET0001E when the name was taken meanwhile); KCHNET0020E when it refuses to start the new
    /// network (which is then removed again); KCHNET0103E when the connection breaks at any step (the
    /// message names the step and a half-made network the rollback could not remove); KCHNET0025E
    /// from the host bridge; KCHNET0105E.
    /// </exception>
    public KimchiNetworkInfo Create(CreatePlan plan, bool start)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var spec = plan.Spec;
        NetworkSpecValidator.ThrowIfInvalid(spec);
        var name = spec.Name;
        var transaction = new Transaction();
        var xml = plan.CreatesHostBridge ? MakeHostBridge(spec, transaction) : plan.Xml;
        var act = CreateAct.Define;
        try
        {
            Define(plan, xml, transaction);
            AfterDefineForTests?.Invoke(name);
            if (spec.Autostart)
            {
                act = CreateAct.Autostart;
                _connection.SetAutostart(name, true);
            }

            if (start)
            {
                act = CreateAct.Start;
                _connection.StartNetwork(name);
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            var rollback = RollbackNote(transaction.RollBack());
            if (e is not LibvirtException libvirt)
            {
                throw;
            }

            throw CreateFailed(name, act, libvirt, rollback);
        }

        return ReadBackCreated(name);
    }

    /// <summary>A step of <see cref="Create"/> that asks libvirt for something, with the code and the words its failure is reported with.</summary>
    private sealed record CreateAct(string Code, string Outcome)
    {
        public static readonly CreateAct Define = new(ErrorCodes.CreateFailed, "could not be created");
        public static readonly CreateAct Autostart = new(ErrorCodes.CreateFailed, "could not be set to autostart, so it was not created");
        public static readonly CreateAct Start = new(ErrorCodes.StartFailed, "could not be started, so it was not created");
    }

    /// <summary>Makes the plan's host bridge (its undo goes on <paramref name="transaction"/>) and returns the XML to define over it.</summary>
    private string MakeHostBridge(NetworkSpec spec, Transaction transaction)
    {
        var device = spec.InterfacesOrEmpty.Single();
        if (!CanMakeHostBridges)
        {
            throw HostBridgeUnsupported(device).ToException();
        }

        var changes = _hostBridges!.CreateBridge(device, spec.VlanId);
        transaction.Push($"undoing the host bridge ({DescribeChanges(changes)}) failed too", () => _hostBridges.Undo(changes));
        try
        {
            var bridge = changes.CreatedBridge ?? throw new KimchiException(
                ErrorCodes.BridgeCreateFailed,
                ErrorKind.OperationFailed,
                $"No host bridge was made over '{DisplayText.Printable(device)}' for network '{DisplayText.Printable(spec.Name)}'.",
                device);
            return NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { BridgeName = bridge, Created = changes }));
        }
        catch
        {
            transaction.RollBack();
            throw;
        }
    }

    /// <summary>
    /// Defines the network and pushes its removal. A connection that broke during the define leaves it
    /// unknown whether libvirt made the network (the reply may be what was lost): the removal is pushed
    /// as if it had, so a network that was defined is removed, or named in the error as left behind.
    /// </summary>
    private void Define(CreatePlan plan, string xml, Transaction transaction)
    {
        var removal = RemoveHalfMade(plan.Spec.Name);
        try
        {
            if (plan.Spec.Connection.HasSubnet())
            {
                DefineWithoutOverlap(plan);
            }
            else
            {
                _connection.DefineNetwork(xml);
            }
        }
        catch (LibvirtException e) when (e.IsConnectionFailure)
        {
            transaction.Push(removal);
            throw;
        }

        transaction.Push(removal);
    }

    /// <summary>Undoes a define: stops the network if it runs, then undefines it.</summary>
    private UndoStep RemoveHalfMade(string name) => new(
        $"the half-made network '{DisplayText.Printable(name)}' may be left on the host: removing it failed too",
        () =>
        {
            if (_connection.GetNetwork(name) is { IsActive: true })
            {
                _connection.StopNetwork(name);
            }

            _connection.UndefineNetwork(name);
        });

    /// <summary>The error of a create whose <paramref name="act"/> libvirt refused, with what the rollback left.</summary>
    private static LibvirtException CreateFailed(string name, CreateAct act, LibvirtException libvirt, string rollback)
    {
        if (act == CreateAct.Define && !libvirt.IsGeneric)
        {
            return libvirt.WithCode(libvirt.Code, libvirt.Kind, libvirt.Message + rollback);
        }

        // A lost connection is KCHNET0103E at every step (the caller can retry once libvirt is
        // back); the message still says which step it cut off and what the rollback left.
        var shown = DisplayText.Printable(name);
        return libvirt.IsConnectionFailure
            ? libvirt.WithCode(libvirt.Code, libvirt.Kind, $"Network '{shown}' {act.Outcome}: the connection to libvirt broke: {libvirt.Error.Message}{rollback}")
            : libvirt.WithCode(act.Code, ErrorKind.OperationFailed, $"Network '{shown}' {act.Outcome}: libvirt: {libvirt.Error.Message}{rollback}");
    }

    /// <summary>A note for the error message when part of the rollback failed too; empty when it all succeeded.</summary>
    private static string RollbackNote(IReadOnlyList<UndoFailure> failures) =>
        failures.Count == 0 ? string.Empty : " (" + string.Join("; ", failures.Select(f => f.Summary)) + ")";

    /// <summary>The created network; a connection that breaks now is reported as such, since the network is complete.</summary>
    private KimchiNetworkInfo ReadBackCreated(string name)
    {
        try
        {
            return GetOne(name);
        }
        catch (LibvirtException e) when (e.IsConnectionFailure)
        {
            // The network is complete; only reading it back failed. Say so, or the caller would think nothing was made.
            throw e.WithCode(e.Code, e.Kind, $"Network '{DisplayText.Printable(name)}' was created, but reading it back failed: {e.Message}");
        }
    }

    /// <summary>
    /// How often a nat or isolated create defines its network at most: more than once only when a
    /// creator that the locks do not cover (another machine on the same libvirtd) took the subnet or
    /// bridge at the same moment.
    /// </summary>
    internal const int MaxDefineAttempts = 8;

    /// <summary>For tests: runs right after the define succeeded, before autostart and start (e.g. to kill libvirtd there).</summary>
    internal Action<string>? AfterDefineForTests { get; set; }

    /// <summary>For tests: runs under the create lock after the re-check, right before the define, as a creator on another machine could.</summary>
    internal Action<CreatePlan>? BeforeDefineForTests { get; set; }

    /// <summary>
    /// Defines a nat or isolated network so that it overlaps no other network's subnet and shares no
    /// bridge. Under the create lock of the URI (<see cref="CreateLock"/>: this process, then this
    /// machine) the host is read again, the plan's subnet and bridge are kept while still free and
    /// chosen again otherwise (an explicit subnet that is no longer free is refused), and the network
    /// is defined. After the lock: the networks are listed again, and should one defined meanwhile by
    /// a creator the locks cannot see overlap the new one, the new one is undefined and the whole
    /// step tried again after a short random pause, up to <see cref="MaxDefineAttempts"/> times.
    /// </summary>
    private void DefineWithoutOverlap(CreatePlan plan)
    {
        var spec = plan.Spec;
        for (var attempt = 1; ; attempt++)
        {
            CreatePlan current;
            var refused = false;
            using (CreateLock.Acquire(_connection.Uri, fileLock: !_connection.IsTestDriver))
            {
                current = Recheck(plan, HostFacts.Read(_connection, listInterfaces: true));
                BeforeDefineForTests?.Invoke(current);
                try
                {
                    _connection.DefineNetwork(current.Xml);
                }
                catch (LibvirtException) when (attempt < MaxDefineAttempts && FindRace(current) is not null)
                {
                    // libvirt refuses a bridge name that another network took since the re-check.
                    refused = true;
                }
            }

            if (refused)
            {
                PauseBeforeRetry(attempt);
                continue;
            }

            if (FindRace(current) is not { } race)
            {
                return;
            }

            _connection.UndefineNetwork(spec.Name);
            if (spec.Subnet is not null && race.Subnet)
            {
                throw new ValidationError(
                    ErrorCodes.InvalidSubnet,
                    "Subnet",
                    spec.Subnet,
                    $"Subnet {HostFacts.SubnetText(spec.Subnet, current.Subnet!.Value)} overlaps {race.Owner}, which was defined while network '{DisplayText.Printable(spec.Name)}' was being created: choose another subnet.",
                    ErrorKind.Conflict).ToException();
            }

            if (attempt == MaxDefineAttempts)
            {
                throw new KimchiException(
                    ErrorCodes.CreateFailed,
                    ErrorKind.Conflict,
                    $"Network '{DisplayText.Printable(spec.Name)}' was not created: {MaxDefineAttempts} times in a row, another creator defined a network with the same subnet or bridge at the same moment (last: {race.Owner}).",
                    spec.Name);
            }

            PauseBeforeRetry(attempt);
        }
    }

    /// <summary>
    /// The plan again, against facts read under the create lock: its subnet and bridge when still
    /// free, else newly chosen ones (an explicit subnet that is taken now is refused with KCHNET0003E).
    /// </summary>
    private CreatePlan Recheck(CreatePlan plan, HostFacts facts)
    {
        var spec = plan.Spec;
        var errors = new List<ValidationError>();
        var subnet = plan.Subnet is { } planned && facts.FindSubnetOverlap(planned) is null
            ? planned
            : facts.ResolveSubnet(spec.Subnet, errors);
        var (ipv6, globalId) = plan.Ipv6Subnet is { } planned6 && facts.FindIpv6Overlap(planned6) is null
            && (plan.UlaGlobalId is null || facts.UlaGlobalId is null || facts.UlaGlobalId == plan.UlaGlobalId)
            ? (plan.Ipv6Subnet, plan.UlaGlobalId)
            : ResolveIpv6(spec, facts, plan.UlaGlobalId, errors);
        ValidationError.ThrowIfAny(errors);
        var bridge = plan.BridgeName is { } chosen && facts.IsBridgeNameFree(chosen) ? chosen : facts.FreeBridgeName();
        return subnet == plan.Subnet && bridge == plan.BridgeName && ipv6 == plan.Ipv6Subnet && globalId == plan.UlaGlobalId
            ? plan
            : NewPlan(spec, subnet, bridge, expected: null, ipv6: ipv6, globalId: globalId);
    }

    /// <summary>Another network, listed now, whose subnet overlaps the planned one or whose bridge is the planned one; null when none.</summary>
    private (string Owner, bool Subnet)? FindRace(CreatePlan plan)
    {
        foreach (var record in _connection.ListNetworks())
        {
            if (string.Equals(record.Name, plan.Spec.Name, StringComparison.Ordinal))
            {
                continue;
            }

            var description = NetworkDescriptions.FromXml(NetworkXmlReader.Read(record.Xml));
            foreach (var text in description.AllSubnets)
            {
                if (plan.Subnet is { } subnet && Ipv4Range.TryParse(text, out var range) && range.Overlaps(subnet))
                {
                    return ($"subnet {text} of network '{DisplayText.Printable(record.Name)}'", true);
                }

                if (plan.Ipv6Subnet is { } six && Ipv6Range.TryParse(text, out var range6) && six.Overlaps(range6))
                {
                    // Not a Subnet race: the retry's re-check refuses a given IPv6 subnet (KCHNET0128E) and plans 'auto' again.
                    return ($"IPv6 subnet {text} of network '{DisplayText.Printable(record.Name)}'", false);
                }
            }

            if (plan.BridgeName is { } bridge && string.Equals(description.BridgeName, bridge, StringComparison.Ordinal))
            {
                return ($"bridge {bridge} of network '{DisplayText.Printable(record.Name)}'", false);
            }
        }

        return null;
    }

    /// <summary>A short random pause that grows with the attempt, so two creators that collided do not collide again in step.</summary>
    private static void PauseBeforeRetry(int attempt) => System.Threading.Thread.Sleep(Random.Shared.Next(5, 20 * attempt));

    private ValidationError HostBridgeUnsupported(string device) => new(
        ErrorCodes.RemoteNotSupported,
        "Interfaces",
        device,
        $"Creating a host bridge over '{DisplayText.Printable(device)}' needs a local libvirt host (qemu:///system on this machine) with host bridge support; '{DisplayText.Printable(_connection.Uri)}' is not one. Use an existing bridge, or run on the host itself.{RemoteBridgeRemedy("New-KimchiNetwork")}",
        ErrorKind.NotSupported);

    /// <summary>
    /// What <see cref="Hosts.IHostBridges.CreateBridge"/> is expected to make, for the plan's preview
    /// XML and description: the names come from the same rule the host bridge maker uses, and only a
    /// plain bridge takes the device's addresses (a VLAN bridge leaves the untagged ones in place).
    /// </summary>
    private static HostChanges ExpectedHostChanges(HostInterfaceInfo device, int? vlanId, Func<string, bool> isTaken) => new()
    {
        CreatedBridge = Hosts.HostBridgeNames.Bridge(device.Name, vlanId, isTaken),
        CreatedVlan = vlanId is { } vlan ? new HostVlanDevice(Hosts.HostBridgeNames.Vlan(device.Name, vlan, isTaken), device.Name, vlan) : null,
        MovedAddresses = vlanId is not null ? [] : [.. device.IPv4Cidrs()],
    };

    private static string DescribeCreate(NetworkSpec spec, Ipv4Subnet? subnet, string? bridge, HostChanges? expected)
    {
        var type = spec.Connection.ToKimchiName();
        var devices = string.Join(", ", spec.InterfacesOrEmpty.Select(d => DisplayText.Printable(d)));
        return spec.Connection switch
        {
            ConnectionType.Routed when devices.Length > 0 => $"Define routed network with subnet {subnet} on bridge {bridge}, routed through {devices}",
            _ when spec.Connection.HasSubnet() => $"Define {type} network with subnet {subnet} on bridge {bridge}",
            ConnectionType.Bridge when expected is not null =>
                $"Define bridge network on {devices}, creating host bridge {expected.CreatedBridge}"
                + (expected.CreatedVlan is { } vlan ? $" over VLAN device {vlan.Name}" : string.Empty),
            ConnectionType.Bridge => $"Define bridge network on existing bridge {devices}",
            _ => $"Define {type} network on {devices}",
        };
    }
}
