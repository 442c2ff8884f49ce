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
/// Kimchi's network life cycle on one libvirt connection: list, create, start, stop, remove and
/// update. Every state change is split into a Plan method, which validates everything and checks it
/// against the host without changing anything (so -WhatIf sees every refusal), and the method that
/// carries the plan out.
/// </summary>
public sealed partial class NetworkOperations
{
    private readonly LibvirtConnection _connection;
    private readonly IHostBridges? _hostBridges;
    private readonly bool _hostBridgesOnTestDriver;

    /// <summary>Creates the operations for a connection.</summary>
    /// <param name="connection">The libvirt connection.</param>
    /// <param name="hostBridges">Makes host bridges for bridge networks on a NIC or bond; null when the host cannot (then such networks are refused with KCHNET0105E).</param>
    public NetworkOperations(LibvirtConnection connection, IHostBridges? hostBridges = null)
        : this(connection, hostBridges, hostBridgesOnTestDriver: false)
    {
    }

    /// <summary>
    /// The operations for <paramref name="connection"/> as every cmdlet, completer and the DSC resource
    /// use them: on a host where bridges may be made (<see cref="MayMakeHostBridges"/>) with
    /// <see cref="ManagedHostBridges"/> (through systemd-networkd when it owns the NIC, else iproute2), whose commands go to <paramref name="log"/> with bidi and control
    /// characters escaped as in messages; elsewhere without, so anything needing a host bridge is
    /// refused with KCHNET0105E.
    /// </summary>
    /// <param name="connection">The libvirt host.</param>
    /// <param name="log">Receives each host command (for -Verbose).</param>
    /// <param name="rollbackTimeout">How long a host bridge made through the NIC's manager may take to hold the NIC's addresses and reach its gateway before it is rolled back; null for <see cref="ManagedHostBridges.DefaultVerifyTimeout"/>.</param>
    public static NetworkOperations For(LibvirtConnection connection, Action<string>? log = null, TimeSpan? rollbackTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var bridges = MayMakeHostBridges(connection)
            ? new ManagedHostBridges(log: log is null ? null : line => log(DisplayText.Line(line))) { VerifyTimeout = rollbackTimeout ?? ManagedHostBridges.DefaultVerifyTimeout }
            : null;
        return new NetworkOperations(connection, bridges);
    }

    /// <summary>
    /// The one rule for where KimchiNet may make host bridges: a libvirt host on this machine (the
    /// module runs beside libvirtd) that is not libvirt's test driver, whose networks exist only in
    /// this process.
    /// </summary>
    public static bool MayMakeHostBridges(LibvirtConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.IsLocal && !connection.IsTestDriver;
    }

    /// <summary>For tests: lets <paramref name="hostBridges"/> (a fake) be used on libvirt's test driver.</summary>
    internal NetworkOperations(LibvirtConnection connection, IHostBridges? hostBridges, bool hostBridgesOnTestDriver)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _hostBridges = hostBridges;
        _hostBridgesOnTestDriver = hostBridgesOnTestDriver;
    }

    /// <summary>
    /// Every network whose name passes <paramref name="nameFilter"/>, sorted by name, from one
    /// ListNetworks, one ListDomains and one list of host devices whatever the count. A network whose
    /// device vanished is still listed, with <see cref="KimchiNetworkInfo.Health"/> Unhealthy.
    /// </summary>
    public IReadOnlyList<KimchiNetworkInfo> Get(Func<string, bool>? nameFilter = null)
    {
        var networks = _connection.ListNetworks()
            .Where(n => nameFilter is null || nameFilter(n.Name))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToArray();
        if (networks.Length == 0)
        {
            return Array.Empty<KimchiNetworkInfo>();
        }

        var usage = NetworkUsage.Compute(networks, _connection.ListDomains());
        var uri = _connection.Uri;
        var devices = HostDevices();
        return networks.Select(n => ToInfo(n, usage[n.Name], uri, devices)).ToArray();
    }

    /// <summary>The names of the host's devices for the health check, and whether libvirt's own bridges are among them; null when they cannot be listed.</summary>
    private (HashSet<string> Names, bool LibvirtBridges)? HostDevices()
    {
        var view = HostInterfaces.Read(_connection);
        if (view.Interfaces.Count == 0 && !view.FromKernel)
        {
            return null;
        }

        return (view.Interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal), !_connection.IsTestDriver);
    }

    /// <summary>The named network.</summary>
    /// <exception cref="KimchiException">KCHNET0002E (NotFound) when there is no such network.</exception>
    public KimchiNetworkInfo GetOne(string name)
    {
        var record = Find(name);
        var usage = NetworkUsage.Compute([record], _connection.ListDomains());
        return ToInfo(record, usage[record.Name], _connection.Uri, HostDevices());
    }

    /// <summary>Starts a network; an active one is left alone.</summary>
    /// <exception cref="KimchiException">KCHNET0002E when there is no such network; KCHNET0020E when libvirt refuses to start it.</exception>
    public KimchiNetworkInfo Start(string name)
    {
        var record = Find(name);
        if (!record.IsActive)
        {
            try
            {
                _connection.StartNetwork(name);
            }
            catch (LibvirtException e) when (e.IsGeneric)
            {
                throw e.WithCode(ErrorCodes.StartFailed, ErrorKind.OperationFailed, $"Network '{DisplayText.Printable(name)}' could not be started: {e.Error.Message}");
            }
        }

        return GetOne(name);
    }

    /// <summary>
    /// Plans stopping a network. A network that virtual machines use (running or not) is refused with
    /// KCHNET0018E naming them, unless <paramref name="force"/>. An inactive network plans a no-op.
    /// </summary>
    public StopPlan PlanStop(string name, bool force)
    {
        var record = Find(name);
        if (!record.IsActive)
        {
            return new StopPlan { Name = record.Name, IsActive = false };
        }

        var vms = UsersOf(record);
        if (vms.Count > 0 && !force)
        {
            throw new KimchiException(
                ErrorCodes.StopInUse,
                ErrorKind.Conflict,
                $"Network '{DisplayText.Printable(name)}' cannot be stopped: it is used by virtual machines {JoinNames(vms)}. Use -Force to stop it anyway.",
                name);
        }

        return new StopPlan { Name = record.Name, IsActive = true, VMs = vms };
    }

    /// <summary>Stops the network as planned; a network that is not running is left alone.</summary>
    /// <exception cref="KimchiException">KCHNET0002E when the network vanished; KCHNET0021E when libvirt refuses to stop it.</exception>
    public KimchiNetworkInfo Stop(StopPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var record = Find(plan.Name);
        if (plan.IsActive && record.IsActive)
        {
            StopOrThrow(plan.Name);
        }

        return GetOne(plan.Name);
    }

    /// <summary>
    /// Plans removing a network. A network used by virtual machines is refused with KCHNET0017E naming
    /// them, with or without <paramref name="force"/> (as Kimchi refuses): removing it would leave
    /// their NICs pointing at nothing. An active network is refused with KCHNET0005E unless
    /// <paramref name="force"/>, which stops it first. Host changes recorded in the metadata need
    /// <see cref="IHostBridges"/> on a local host to be undone, else KCHNET0105E.
    /// </summary>
    public RemovePlan PlanRemove(string name, bool force)
    {
        var record = Find(name);
        var vms = UsersOf(record);
        var shown = DisplayText.Printable(name);
        if (vms.Count > 0)
        {
            throw new KimchiException(
                ErrorCodes.RemoveInUse,
                ErrorKind.Conflict,
                $"Network '{shown}' cannot be removed: it is used by virtual machines {JoinNames(vms)}. Detach them from it first: for each one, 'virsh detach-interface <vm> network --mac <its MAC on this network> --config' (add --live for a running one), or move its NIC to another network with 'virsh edit <vm>'.",
                name);
        }

        if (record.IsActive && !force)
        {
            throw new KimchiException(
                ErrorCodes.NetworkActive,
                ErrorKind.InvalidState,
                $"Network '{shown}' is active: stop it first, or use -Force to stop and remove it.",
                name);
        }

        var xml = record.IsPersistent ? _connection.GetNetworkXml(name, inactive: true) : record.Xml;
        var (changes, warning) = TrustedHostChanges(name, xml);

        var steps = new List<string>();
        if (record.IsActive)
        {
            steps.Add("stop");
        }

        steps.Add(record.IsPersistent ? "undefine network" : "remove transient network");
        if (changes is not null)
        {
            steps.Add("undo host changes (" + DescribeChanges(changes) + ")");
        }
        else if (warning is not null)
        {
            steps.Add("leave the host untouched (its record of host changes does not match the host)");
        }

        var description = string.Join(", ", steps);
        return new RemovePlan
        {
            Name = record.Name,
            IsActive = record.IsActive,
            IsPersistent = record.IsPersistent,
            HostChanges = changes,
            HostChangesWarning = warning,
            Xml = xml,
            Description = char.ToUpperInvariant(description[0]) + description[1..],
        };
    }

    /// <summary>
    /// Removes the network as planned: stops it if the plan says so, undefines it, then undoes the
    /// host changes its metadata records (read again now, never guessed from names) when the record
    /// matches the host (<see cref="HostChangesCheck"/>); otherwise the host is left untouched.
    /// </summary>
    /// <returns>A warning naming what did not match when a record of host changes was not acted on; else null.</returns>
    /// <exception cref="KimchiException">KCHNET0002E when the network vanished; KCHNET0005E when it was started since an unforced plan; KCHNET0021E when libvirt refuses to stop it.</exception>
    public string? Remove(RemovePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var record = Find(plan.Name);
        if (record.IsActive && !plan.IsActive)
        {
            throw new KimchiException(
                ErrorCodes.NetworkActive,
                ErrorKind.InvalidState,
                $"Network '{DisplayText.Printable(plan.Name)}' was started after the removal was planned: stop it first, or use -Force.",
                plan.Name);
        }

        // The record of host changes is read again now (never guessed from names), and checked
        // against the host before anything is changed.
        var xml = record.IsPersistent ? _connection.GetNetworkXml(plan.Name, inactive: true) : record.Xml;
        var (changes, warning) = TrustedHostChanges(plan.Name, xml);

        if (record.IsActive)
        {
            StopOrThrow(plan.Name);
        }

        if (record.IsPersistent)
        {
            _connection.UndefineNetwork(plan.Name);
        }

        if (changes is not null)
        {
            _hostBridges!.Undo(changes);
        }

        return warning;
    }

    /// <summary>
    /// The network's record of host changes when every fact agrees with the host; else no changes
    /// and a warning naming what did not match (null, null when there is no record). A record
    /// needs a local host with host bridge support to be checked (KCHNET0105E otherwise).
    /// </summary>
    private (HostChanges? Changes, string? Warning) TrustedHostChanges(string name, string xml) => TrustedHostChanges(name, NetworkXmlReader.Read(xml));

    /// <inheritdoc cref="TrustedHostChanges(string, string)"/>
    private (HostChanges? Changes, string? Warning) TrustedHostChanges(string name, NetworkXml network)
    {
        var changes = NetworkDescriptions.FromXml(network).HostChanges;
        if (changes is null)
        {
            return (null, null);
        }

        RequireHostBridges($"Network '{DisplayText.Printable(name)}' records host devices that KimchiNet made; checking and undoing them needs a local libvirt host and host bridge support.");
        var problems = HostChangesCheck.Mismatches(network, changes, _hostBridges!);
        return problems.Count == 0 ? (changes, null) : (null, HostChangesCheck.Warning(name, DescribeChanges(changes), problems));
    }

    private NetworkRecord Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _connection.GetNetwork(name) ?? throw NotFound(name);
    }

    private static KimchiException NotFound(string name) =>
        new(ErrorCodes.NetworkNotFound, ErrorKind.NotFound, $"Network '{DisplayText.Printable(name)}' does not exist.", name);

    private IReadOnlyList<string> UsersOf(NetworkRecord record) =>
        NetworkUsage.Compute([record], _connection.ListDomains())[record.Name];

    private void StopOrThrow(string name)
    {
        try
        {
            _connection.StopNetwork(name);
        }
        catch (LibvirtException e) when (e.IsGeneric)
        {
            throw e.WithCode(ErrorCodes.StopFailed, ErrorKind.OperationFailed, $"Network '{DisplayText.Printable(name)}' could not be stopped: {e.Error.Message}");
        }
    }

    /// <summary>
    /// For a plan that makes a host bridge through the NIC's network manager: which one and the files it
    /// writes (shown by -WhatIf); else null. <paramref name="owner"/> is the one the plan's device check found.
    /// </summary>
    private string? ManagerNote(NetworkSpec spec, HostChanges? expected, InterfaceOwner? owner) =>
        expected?.CreatedBridge is { } bridge && CanMakeHostBridges && _hostBridges is ManagedHostBridges managed
            ? managed.DescribeManager(spec.InterfacesOrEmpty.Single(), bridge, owner)
            : null;

    /// <summary>
    /// The warning for a host bridge that is made with iproute2 alone (no manager KimchiNet works through
    /// owns the NIC, or a VLAN bridge): it is gone after a reboot, and the network then fails to start.
    /// Null when a manager makes it (persistently: <paramref name="managerNote"/>, the plan's <see cref="ManagerNote"/>, is set) or when the bridges are not this machine's own.
    /// </summary>
    private string? NotPersistentWarning(NetworkSpec spec, HostChanges? expected, string? managerNote)
    {
        if (expected?.CreatedBridge is not { } bridge || _hostBridges is not ManagedHostBridges || !CanMakeHostBridges || managerNote is not null)
        {
            return null;
        }

        var device = DisplayText.Printable(spec.InterfacesOrEmpty.Single());
        var why = spec.VlanId is { } vlan
            ? $"KimchiNet makes VLAN bridges (VLAN {vlan} on '{device}') with iproute2 alone"
            : $"no network manager KimchiNet works through owns '{device}'";
        return $"The host bridge {bridge} is made with iproute2 ({why}), so it will not survive a reboot, and network '{DisplayText.Printable(spec.Name)}' will then fail to start. To keep it, configure '{device}' with {ManagedHostBridges.SupportedManagers} before creating the network (KimchiNet then makes the bridge through it), or make the bridge in the host's own network configuration and give that bridge to -Interfaces.";
    }

    /// <summary>True when host bridges can be made here: an <see cref="IHostBridges"/> was given and <see cref="MayMakeHostBridges"/> (or a test's fake on the test driver).</summary>
    private bool CanMakeHostBridges =>
        _hostBridges is not null && (MayMakeHostBridges(_connection) || (_hostBridgesOnTestDriver && _connection.IsTestDriver));

    private void RequireHostBridges(string what)
    {
        if (!CanMakeHostBridges)
        {
            throw new KimchiException(
                ErrorCodes.RemoteNotSupported,
                ErrorKind.NotSupported,
                $"{what} Creating or deleting a host bridge needs a local libvirt host (qemu:///system on this machine) with host bridge support; '{DisplayText.Printable(_connection.Uri)}' is not one.{RemoteBridgeRemedy("Remove-KimchiNetwork")}",
                _connection.Uri);
        }
    }

    /// <summary>
    /// The way to make or delete a host bridge on a remote host, for the KCHNET0105E messages: the
    /// module must run on the host itself (it changes the host's devices), reached through PowerShell
    /// remoting over SSH. Empty when the connection is not remote (the test driver, a local daemon).
    /// </summary>
    private string RemoteBridgeRemedy(string command)
    {
        if (_connection.IsLocal || _connection.IsTestDriver)
        {
            return string.Empty;
        }

        var parts = LibvirtUri.RemoteHost(_connection.Uri);
        var target = parts is null ? "HOST" : (parts.User is null ? string.Empty : DisplayText.Printable(parts.User) + "@") + DisplayText.Printable(parts.Host);
        var port = parts?.Port is null ? string.Empty : " -Port " + DisplayText.Printable(parts.Port);
        var key = parts?.KeyFile is null ? string.Empty : " -KeyFilePath " + DisplayText.Printable(parts.KeyFile);
        var hostSide = parts is null ? "qemu:///system" : parts.HostSideBase + (parts.Socket is null ? string.Empty : "?socket=" + DisplayText.Printable(parts.Socket));
        return $" Host bridges are made by KimchiNet running on the host itself, so a bridge on a remote host goes through PowerShell remoting over SSH, with the module installed on the host: Invoke-Command -HostName {target}{port}{key} -ScriptBlock {{ {command} ... -Uri {hostSide} }} (the host's sshd must offer pwsh as a subsystem, e.g. Subsystem powershell /usr/bin/pwsh -sshs -NoLogo).";
    }

    private static string DescribeChanges(HostChanges changes)
    {
        var parts = new List<string>();
        if (changes.CreatedBridge is not null)
        {
            parts.Add("bridge " + changes.CreatedBridge);
        }

        if (changes.CreatedVlan is not null)
        {
            parts.Add("VLAN device " + changes.CreatedVlan.Name);
        }

        if (changes.MovedAddresses.Count > 0)
        {
            parts.Add("addresses " + string.Join(", ", changes.MovedAddresses));
        }

        return string.Join("; ", parts);
    }

    private static string JoinNames(IEnumerable<string> names) => string.Join(", ", names.Select(n => DisplayText.Printable(n)));

    private static KimchiNetworkInfo ToInfo(NetworkRecord record, IReadOnlyList<string> vms, string uri, (HashSet<string> Names, bool LibvirtBridges)? devices)
    {
        var description = NetworkDescriptions.FromXml(NetworkXmlReader.Read(record.Xml));
        var problems = devices is { } known
            ? NetworkHealthCheck.Problems(description, record.IsActive, known.Names, known.LibvirtBridges)
            : Array.Empty<string>();
        return new KimchiNetworkInfo
        {
            Name = record.Name,
            Connection = description.Connection,
            ForwardMode = description.ForwardMode,
            Interfaces = description.Interfaces,
            Subnet = description.Subnet,
            Gateway = description.Gateway,
            DhcpStart = description.DhcpStart,
            DhcpEnd = description.DhcpEnd,
            DhcpLeaseTime = description.DhcpLeaseTime,
            Dhcp = description.Dhcp,
            Mtu = description.Mtu,
            Dns = description.Dns,
            DhcpReservations = description.DhcpReservations,
            DnsHosts = description.DnsHosts,
            DnsForwarders = description.DnsForwarders,
            Domain = description.Domain,
            DomainLocalOnly = description.DomainLocalOnly,
            PortGroups = description.PortGroups,
            Ipv6Subnet = description.Ipv6Subnet,
            Ipv6Gateway = description.Ipv6Gateway,
            Ipv6Dhcp = description.Ipv6Dhcp,
            Ipv6DhcpStart = description.Ipv6DhcpStart,
            Ipv6DhcpEnd = description.Ipv6DhcpEnd,
            Ipv6Nat = description.Ipv6Nat,
            State = record.IsActive ? NetworkState.Active : NetworkState.Inactive,
            Autostart = record.Autostart,
            Persistent = record.IsPersistent,
            InUse = vms.Count > 0,
            VMs = vms,
            BridgeName = description.BridgeName,
            VlanId = description.VlanId,
            Uuid = description.Uuid,
            Health = devices is null ? NetworkHealth.Unknown : problems.Count == 0 ? NetworkHealth.Healthy : NetworkHealth.Unhealthy,
            Problems = problems,
            Uri = uri,
            Xml = record.Xml,
        };
    }
}
