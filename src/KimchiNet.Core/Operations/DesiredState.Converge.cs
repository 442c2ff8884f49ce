using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>Bringing a host to a desired state.</summary>
public sealed partial record DesiredState
{
    /// <summary>
    /// Makes the host's network as <paramref name="desired"/> says, with the fewest steps, planning
    /// (and so learning of every refusal) before the first change:
    /// <list type="bullet">
    /// <item>already as desired: nothing at all (only reads);</item>
    /// <item>should be absent: remove, stopping it first; refused (KCHNET0017E) while virtual machines use it;</item>
    /// <item>missing: create as New-KimchiNetwork would (autostart on unless Autostart is false), started only when State is Active;</item>
    /// <item>another connection type: replace it (remove, then create; the old one is restored if the create fails),
    /// keeping its interfaces, subnet, VLAN id, autostart and state where the new type takes them and none were given;
    /// refused while virtual machines use it;</item>
    /// <item>other DHCP reservations: added and removed live through <see cref="DhcpOperations"/> (virNetworkUpdate, no restart), after any update below;</item>
    /// <item>other interfaces, subnet, VLAN id, MTU or DHCP settings: stop it if active (refused with KCHNET0018E while virtual machines use it),
    /// update it (Kimchi's update, keeping everything else in its XML), start it again if it ran or should run;</item>
    /// <item>only State or Autostart: start or stop it (stopping refused while virtual machines use it), set autostart;</item>
    /// <item>a host device it needs is missing (Health): refused with KCHNET0121E naming it, after any other step.</item>
    /// </list>
    /// </summary>
    /// <exception cref="KimchiException">
    /// Those of <see cref="Compare"/>; KCHNET0012E when a missing network should be created but no
    /// connection type was given; those of the create, update, start, stop and remove planned.
    /// </exception>
    public static DesiredStateResult Converge(NetworkOperations operations, DesiredState desired)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(desired);
        var name = desired.Name;
        var actual = Find(operations, name);
        var differences = Compare(desired, actual);
        var steps = new List<string>();
        var warnings = new List<string>();
        if (differences.Count == 0)
        {
            return new DesiredStateResult { Name = name, Network = actual };
        }

        KimchiNetworkInfo? after;
        if (desired.Ensure == Ensure.Absent)
        {
            var plan = operations.PlanRemove(name, force: true);
            if (operations.Remove(plan) is { } warning)
            {
                warnings.Add(warning);
            }

            steps.Add("Remove: " + plan.Description);
            after = null;
        }
        else if (actual is null)
        {
            var connection = desired.Connection ?? throw new KimchiException(
                ErrorCodes.InvalidConnection,
                ErrorKind.InvalidInput,
                $"Network '{DisplayText.Printable(name)}' does not exist, and no connection type was given to create it with.",
                name);
            var spec = Creation(desired, connection);
            var start = desired.State == NetworkState.Active;
            var plan = operations.PlanCreate(spec);
            after = operations.Create(plan, start);
            steps.Add("Create: " + plan.Description + (start ? ", then start it" : string.Empty));
        }
        else if (desired.Connection is { } connection && connection != actual.Connection)
        {
            var spec = Replacement(desired, connection, actual);
            var start = (desired.State ?? actual.State) == NetworkState.Active;
            var remove = operations.PlanRemove(name, force: true);
            var create = operations.PlanCreateCore(spec, replacing: true);
            after = operations.Replace(remove, create, start);
            if (remove.HostChangesWarning is { } warning)
            {
                warnings.Add(warning);
            }

            steps.Add("Remove: " + remove.Description);
            steps.Add("Create: " + create.Description + (start ? ", then start it" : string.Empty));
        }
        else
        {
            after = Adjust(operations, desired, actual, differences, steps);
            if (differences.Any(d => d.Property == nameof(DhcpReservations)))
            {
                after = ConvergeReservations(operations, desired, after, steps);
            }

            if (after.Health == NetworkHealth.Unhealthy)
            {
                var done = steps.Count == 0 ? string.Empty : $" (done: {string.Join("; ", steps)})";
                throw new KimchiException(
                    ErrorCodes.NetworkUnhealthy,
                    ErrorKind.InvalidState,
                    $"Network '{DisplayText.Printable(name)}' is not usable: {string.Join("; ", after.Problems)}. KimchiNet does not recreate host devices by itself: recreate the device, or remove the network and create it again{done}.",
                    name);
            }
        }

        return new DesiredStateResult { Name = name, Differences = differences, Steps = steps, Warnings = warnings, Network = after };
    }

    /// <summary>The same network with other devices, subnet, VLAN id, state or autostart.</summary>
    private static KimchiNetworkInfo Adjust(NetworkOperations operations, DesiredState desired, KimchiNetworkInfo actual, IReadOnlyList<DesiredStateDifference> differences, List<string> steps)
    {
        var name = desired.Name;
        var differs = differences.Select(d => d.Property).ToHashSet(StringComparer.Ordinal);
        var wasActive = actual.State == NetworkState.Active;
        var shouldRun = (desired.State ?? actual.State) == NetworkState.Active;
        var after = actual;
        var update = UpdateOf(desired, differs);
        if (update.Interfaces is not null || update.Subnet is not null || update.VlanId is not null || update.ChangesBridgeSettings || update.ChangesDns || update.ChangesIpv6 || update.PortGroups is not null)
        {

            // Both plans first: a refusal (in use, overlap, unknown device) leaves the network running.
            var stop = wasActive ? operations.PlanStop(name, force: false) : null;
            var plan = operations.PlanUpdateCore(name, update, whileActive: true);
            if (stop is not null)
            {
                operations.Stop(stop);
                steps.Add("Stop");
            }

            try
            {
                after = operations.Update(plan);
                steps.Add("Update: " + plan.Description);
            }
            catch (KimchiException) when (stop is not null)
            {
                operations.Start(name);
                throw;
            }

            if (shouldRun)
            {
                after = operations.Start(name);
                steps.Add("Start");
            }

            return after;
        }

        if (differs.Contains(nameof(State)))
        {
            if (shouldRun)
            {
                after = operations.Start(name);
                steps.Add("Start");
            }
            else
            {
                after = operations.Stop(operations.PlanStop(name, force: false));
                steps.Add("Stop");
            }
        }

        if (differs.Contains(nameof(Autostart)) && desired.Autostart is { } autostart)
        {
            after = operations.SetAutostart(name, autostart);
            steps.Add(autostart ? "Turn autostart on" : "Turn autostart off");
        }

        return after;
    }

    /// <summary>The network a missing one is created as: what was desired, autostart on unless Autostart is false.</summary>
    internal static NetworkSpec Creation(DesiredState desired, ConnectionType connection) => new()
    {
        Name = desired.Name,
        Connection = connection,
        Subnet = desired.Subnet,
        Interfaces = desired.Interfaces,
        VlanId = desired.VlanId,
        Autostart = desired.Autostart ?? true,
        Mtu = desired.Mtu,
        DhcpRange = desired.DhcpRange,
        DhcpLeaseTime = desired.DhcpLeaseTime,
        Dhcp = desired.Dhcp,
        DnsHosts = desired.DnsHosts,
        DnsForwarders = desired.DnsForwarders,
        Domain = desired.Domain,
        DomainLocalOnly = desired.DomainLocalOnly,
        Dns = desired.Dns,
        Ipv6Subnet = desired.Ipv6Subnet,
        Ipv6Dhcp = desired.Ipv6Dhcp,
        Ipv6Nat = desired.Ipv6Nat,
        DhcpReservations = desired.DhcpReservations,
        PortGroups = desired.PortGroups,
    };

    /// <summary>The update of an existing network of the same type: the properties that <paramref name="differs"/> names, the rest kept.</summary>
    internal static NetworkUpdate UpdateOf(DesiredState desired, IReadOnlySet<string> differs) => new()
    {
        Interfaces = differs.Contains(nameof(Interfaces)) ? desired.Interfaces : null,
        Subnet = differs.Contains(nameof(Subnet)) ? desired.Subnet : null,
        VlanId = differs.Contains(nameof(VlanId)) ? desired.VlanId : null,
        Autostart = differs.Contains(nameof(Autostart)) ? desired.Autostart : null,
        Mtu = differs.Contains(nameof(Mtu)) ? desired.Mtu : null,
        DhcpRange = desired.DhcpRange is not null && (differs.Contains(nameof(DhcpRange)) || differs.Contains(nameof(Subnet))) ? desired.DhcpRange : null,
        DhcpLeaseTime = differs.Contains(nameof(DhcpLeaseTime)) ? desired.DhcpLeaseTime : null,
        Dhcp = differs.Contains(nameof(Dhcp)) ? desired.Dhcp : null,
        DnsHosts = differs.Contains(nameof(DnsHosts)) ? desired.DnsHosts : null,
        DnsForwarders = differs.Contains(nameof(DnsForwarders)) ? desired.DnsForwarders : null,
        Domain = differs.Contains(nameof(Domain)) ? desired.Domain : null,
        DomainLocalOnly = differs.Contains(nameof(DomainLocalOnly)) ? desired.DomainLocalOnly : null,
        Dns = differs.Contains(nameof(Dns)) ? desired.Dns : null,
        Ipv6Subnet = differs.Contains(nameof(Ipv6Subnet)) ? desired.Ipv6Subnet : null,
        // A new /64 takes the desired DHCPv6 and NAT settings too: a network without IPv6 compares as "off" for both.
        Ipv6Dhcp = differs.Contains(nameof(Ipv6Dhcp)) || differs.Contains(nameof(Ipv6Subnet)) ? desired.Ipv6Dhcp : null,
        Ipv6Nat = differs.Contains(nameof(Ipv6Nat)) || differs.Contains(nameof(Ipv6Subnet)) ? desired.Ipv6Nat : null,
        PortGroups = differs.Contains(nameof(PortGroups)) ? desired.PortGroups : null,
    };

    /// <summary>
    /// The network that replaces <paramref name="actual"/>: what was desired, and for what was not
    /// given, the old network's value where the new type takes it (the devices of a device-based
    /// network, the subnet and gateway of a nat or isolated one, the VLAN id of a bridge, autostart).
    /// </summary>
    internal static NetworkSpec Replacement(DesiredState desired, ConnectionType connection, KimchiNetworkInfo actual)
    {
        var oldSubnet = actual.Subnet is { } subnet && actual.Gateway is { } gateway
            ? gateway + subnet[subnet.IndexOf('/', StringComparison.Ordinal)..]
            : actual.Subnet;
        return new NetworkSpec
        {
            Name = desired.Name,
            Connection = connection,
            Interfaces = desired.Interfaces
                ?? (connection.NeedsInterfaces() && actual.Connection?.NeedsInterfaces() == true && actual.Interfaces.Count > 0 ? actual.Interfaces : null),
            Subnet = desired.Subnet ?? (connection.HasSubnet() && actual.Connection?.HasSubnet() == true ? oldSubnet : null),
            VlanId = desired.VlanId ?? (connection == ConnectionType.Bridge ? actual.VlanId : null),
            Autostart = desired.Autostart ?? actual.Autostart,
            Mtu = desired.Mtu ?? (connection.HasSubnet() && actual.Connection?.HasSubnet() == true ? actual.Mtu : null),
            DhcpRange = desired.DhcpRange,
            DhcpLeaseTime = desired.DhcpLeaseTime,
            Dhcp = desired.Dhcp,
            DnsHosts = desired.DnsHosts,
            DnsForwarders = desired.DnsForwarders,
            Domain = desired.Domain,
            DomainLocalOnly = desired.DomainLocalOnly,
            Dns = desired.Dns,
            Ipv6Subnet = desired.Ipv6Subnet ?? (connection.HasSubnet() && actual.Connection?.HasSubnet() == true ? actual.Ipv6Subnet : null),
            Ipv6Dhcp = desired.Ipv6Dhcp ?? (connection.HasSubnet() && actual.Connection?.HasSubnet() == true ? actual.Ipv6Dhcp : null),
            Ipv6Nat = connection == ConnectionType.Nat ? desired.Ipv6Nat ?? actual.Ipv6Nat : null,
            DhcpReservations = desired.DhcpReservations,
            PortGroups = desired.PortGroups,
        };
    }

    private static KimchiNetworkInfo? Find(NetworkOperations operations, string name) =>
        operations.Get(n => string.Equals(n, name, StringComparison.Ordinal)).SingleOrDefault();
}
