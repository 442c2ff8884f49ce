using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>A desired state's DHCP reservations: the whole set of the IPv4 DHCP service's static hosts.</summary>
public sealed partial record DesiredState
{
    /// <summary>The DHCP reservations the network should have (compared as a set, MAC addresses as libvirt compares them; a reservation without a lease time of its own takes any): empty for none, null for any (not compared).</summary>
    public IReadOnlyList<DhcpReservation>? DhcpReservations { get; init; }

    /// <summary>
    /// The state with its DHCP reservations: null means any (not compared), an empty list none (the
    /// network's are removed), unlike the DNS records and port groups, where an empty list means any.
    /// </summary>
    public DesiredState WithDhcpReservations(IReadOnlyList<DhcpReservation>? reservations) => this with
    {
        DhcpReservations = reservations,
    };

    /// <summary>
    /// The reservation rules (KCHNET0140E-0146E, 0148E, 0149E, 0177E) over the desired reservations as
    /// the network's whole set, judged as a <paramref name="connection"/> network in the desired subnet,
    /// else the network's (its gateway and prefix), with DHCP as desired, else as the network has it.
    /// </summary>
    private static IEnumerable<ValidationError> JudgeReservations(DesiredState desired, ConnectionType connection, KimchiNetworkInfo? actual)
    {
        if (desired.DhcpReservations is not { } reservations)
        {
            return [];
        }

        var subnet = desired.Subnet ?? (actual is { Subnet: { } s, Gateway: { } gateway } ? gateway + s[s.IndexOf('/', StringComparison.Ordinal)..] : actual?.Subnet);
        return DhcpReservationValidator.ValidateSet(desired.Name, connection, subnet, desired.Dhcp ?? actual?.Dhcp ?? true, reservations);
    }

    /// <summary>
    /// The reservations differ unless each desired one matches one of the network's and the network has
    /// no other (<see cref="Matches"/>); shown as 'MAC=IP,HOSTNAME' texts.
    /// </summary>
    private static IEnumerable<DesiredStateDifference> CompareReservations(DesiredState desired, KimchiNetworkInfo actual)
    {
        if (desired.DhcpReservations is { } reservations
            && (reservations.Count != actual.DhcpReservations.Count || reservations.Any(d => !actual.DhcpReservations.Any(a => Matches(d, a)))))
        {
            yield return new(desired.Name, nameof(DhcpReservations), ReservationTexts(reservations), ReservationTexts(actual.DhcpReservations));
        }
    }

    /// <summary>
    /// Makes the network's reservations the desired set (<see cref="ReplaceReservations(NetworkOperations, DhcpReservationSetPlan)"/>). The set was
    /// judged by <see cref="Compare"/> already.
    /// </summary>
    private static KimchiNetworkInfo ConvergeReservations(NetworkOperations operations, DesiredState desired, KimchiNetworkInfo actual, List<string> steps)
    {
        var plan = ReservationSet(desired.Name, actual, actual.Xml, desired.DhcpReservations!);
        return ReplaceReservations(operations, plan, steps);
    }

    /// <summary>
    /// Plans making the IPv4 DHCP reservations of network <paramref name="name"/> exactly <paramref name="wanted"/>
    /// (Set-KimchiNetwork -DhcpReservation; an empty list removes them all), as the network will be after
    /// <paramref name="update"/> (its new name, subnet and DHCP), or as it is when that is null: the set is
    /// judged by the reservation rules (KCHNET0140E-0146E, 0148E, 0149E, 0177E) as the network's whole set,
    /// then the network's reservations no desired one matches are to be removed and the desired ones
    /// none of the network's matches are to be added (<see cref="Matches"/>). Changes nothing.
    /// </summary>
    /// <exception cref="KimchiException">KCHNET0002E when there is no such network; the reservation rules' codes.</exception>
    public static DhcpReservationSetPlan PlanReservationSet(NetworkOperations operations, string name, IReadOnlyList<DhcpReservation> wanted, UpdatePlan? update = null)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(wanted);
        var actual = operations.GetOne(name);
        var after = NetworkDescriptions.FromXml(NetworkXmlReader.Read(update?.NewXml ?? actual.Xml));
        var judged = new DesiredState
        {
            Name = after.Name,
            Subnet = after.Subnet is { } s && after.Gateway is { } gateway ? gateway + s[s.IndexOf('/', StringComparison.Ordinal)..] : after.Subnet,
            Dhcp = after.Dhcp,
            DhcpReservations = wanted,
        };
        ValidationError.ThrowIfAny([.. JudgeReservations(judged, after.Connection ?? ConnectionType.Isolated, actual: null)]);
        return ReservationSet(after.Name, actual, update?.NewXml ?? actual.Xml, wanted);
    }

    /// <summary>
    /// Carries out a <see cref="DhcpReservationSetPlan"/> through <see cref="DhcpOperations"/> (virNetworkUpdate):
    /// live on an active network, without a restart, and in its definition; first removes those not
    /// desired, then adds those missing, each planned against the network as it is then.
    /// </summary>
    /// <returns>The network afterwards.</returns>
    /// <exception cref="KimchiException">The codes of <see cref="DhcpOperations.PlanRemove"/>, <see cref="DhcpOperations.PlanAdd"/> and their acts.</exception>
    public static KimchiNetworkInfo ReplaceReservations(NetworkOperations operations, DhcpReservationSetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(plan);
        return ReplaceReservations(operations, plan, []);
    }

    /// <summary><see cref="ReplaceReservations(NetworkOperations, DhcpReservationSetPlan)"/>, each change's description added to <paramref name="steps"/>.</summary>
    private static KimchiNetworkInfo ReplaceReservations(NetworkOperations operations, DhcpReservationSetPlan plan, List<string> steps)
    {
        var dhcp = operations.DhcpOperations();
        foreach (var extra in plan.Removed)
        {
            var remove = dhcp.PlanRemove(new DhcpReservationSpec { Network = plan.Network, MacAddress = extra.MacAddress, IPAddress = extra.IPAddress, HostName = extra.HostName });
            dhcp.Remove(remove);
            steps.Add(remove.Description);
        }

        foreach (var missing in plan.Added)
        {
            var add = dhcp.PlanAdd(new DhcpReservationSpec { Network = plan.Network, MacAddress = missing.MacAddress, IPAddress = missing.IPAddress, HostName = missing.HostName, LeaseTime = missing.LeaseTime });
            dhcp.Add(add);
            steps.Add(add.Description);
        }

        return operations.GetOne(plan.Network);
    }

    /// <summary>The plan that makes <paramref name="actual"/>'s reservations <paramref name="wanted"/>; <paramref name="xml"/> is the network's XML it starts from.</summary>
    private static DhcpReservationSetPlan ReservationSet(string network, KimchiNetworkInfo actual, string xml, IReadOnlyList<DhcpReservation> wanted)
    {
        var removed = actual.DhcpReservations.Where(a => !wanted.Any(d => Matches(d, a))).ToArray();
        var added = wanted.Where(d => !actual.DhcpReservations.Any(a => Matches(d, a))).ToArray();
        string[] changes = [.. Optional(removed.Length > 0, "remove DHCP reservations " + string.Join("; ", ReservationTexts(removed))), .. Optional(added.Length > 0, "add DHCP reservations " + string.Join("; ", ReservationTexts(added)))];
        return new DhcpReservationSetPlan
        {
            Network = network,
            Removed = removed,
            Added = added,
            Description = changes.Length == 0 ? "keep the DHCP reservations as they are" : string.Join(", ", changes) + " (live where the network runs, without a restart)",
            Xml = WithReservations(xml, wanted),
        };
    }

    /// <summary>
    /// The network's XML as <see cref="ConvergeReservations"/> leaves it, for <see cref="PreviewXml"/>:
    /// the IPv4 &lt;dhcp&gt;'s hosts that match a desired reservation kept, the others gone, the missing
    /// ones added after them; everything else as it was.
    /// </summary>
    private static string WithReservations(string xml, IReadOnlyList<DhcpReservation> wanted)
    {
        var network = NetworkXmlReader.Read(xml);
        if (DhcpReservationValidator.FindDhcpSubnet(network, out _) is not { } target)
        {
            return xml;
        }

        var description = NetworkDescriptions.FromXml(network);
        var dhcp = target.Ip.Dhcp!;
        var kept = dhcp.OtherElements.Where(e => e.Name != "host" || wanted.Any(d => Matches(d, ToReservation(NetworkXmlReader.ReadDhcpHost(e)))));
        var added = wanted.Where(d => !description.DhcpReservations.Any(a => Matches(d, a))).Select(d => NetworkXmlWriter.ToElement(NetworkXmlBuilder.ToXml(d)));
        var ips = network.Ips.ToArray();
        ips[target.ParentIndex] = target.Ip with { Dhcp = dhcp with { OtherElements = kept.Concat(added).ToArray() } };
        return NetworkXmlWriter.Write(network with { Ips = ips });
    }

    private static IEnumerable<string> Optional(bool condition, string text) => condition ? [text] : [];

    private static DhcpReservation ToReservation(NetworkDhcpHostXml host) =>
        new() { MacAddress = host.Mac, IPAddress = host.Ip, HostName = host.Name, LeaseTime = host.Lease?.ToLeaseTime() };

    /// <summary>
    /// Whether the network's reservation <paramref name="actual"/> is the <paramref name="desired"/> one:
    /// the same MAC address as libvirt compares them (case and separator aside), the same address as a
    /// number, the same host name without case (none when none is desired), and, when the desired one
    /// has a lease time of its own, that lease time (none desired: any, as elsewhere in a desired state).
    /// </summary>
    private static bool Matches(DhcpReservation desired, DhcpReservation actual) =>
        DhcpReservationValidator.SameMac(desired.MacAddress, actual.MacAddress)
        && SameAddress(desired.IPAddress, actual.IPAddress)
        && string.Equals(desired.HostName, actual.HostName, StringComparison.OrdinalIgnoreCase)
        && (desired.LeaseTime is null || desired.LeaseTime == actual.LeaseTime);

    private static bool SameAddress(string? desired, string? actual) =>
        Ipv4Subnet.TryParseAddress(desired, out var a) && Ipv4Subnet.TryParseAddress(actual, out var b) ? a == b : string.Equals(desired, actual, StringComparison.Ordinal);

    private static string[] ReservationTexts(IEnumerable<DhcpReservation> reservations) =>
        reservations.Select(r => r.LeaseTime is { } lease ? $"{r} (lease {lease.ToString("c", CultureInfo.InvariantCulture)})" : r.ToString()).ToArray();
}
