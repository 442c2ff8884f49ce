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
    /// <summary>The DHCP reservations the network should have (compared as a set, MAC addresses as libvirt compares them; a reservation without a lease time of its own takes any), or null for any.</summary>
    public IReadOnlyList<DhcpReservation>? DhcpReservations { get; init; }

    /// <summary>The state with its DHCP reservations; an empty list means "any" (null), as elsewhere in a desired state.</summary>
    public DesiredState WithDhcpReservations(IReadOnlyList<DhcpReservation>? reservations) => this with
    {
        DhcpReservations = reservations is { Count: > 0 } ? reservations : null,
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
    /// Makes the network's reservations the desired set through <see cref="DhcpOperations"/> (virNetworkUpdate):
    /// live on an active network, without a restart, and in its definition; first removes those not
    /// desired, then adds those missing. The set was judged by <see cref="Compare"/> already.
    /// </summary>
    private static KimchiNetworkInfo ConvergeReservations(NetworkOperations operations, DesiredState desired, KimchiNetworkInfo actual, List<string> steps)
    {
        var wanted = desired.DhcpReservations!;
        var dhcp = operations.DhcpOperations();
        foreach (var extra in actual.DhcpReservations.Where(a => !wanted.Any(d => Matches(d, a))).ToArray())
        {
            var plan = dhcp.PlanRemove(new DhcpReservationSpec { Network = desired.Name, MacAddress = extra.MacAddress, IPAddress = extra.IPAddress, HostName = extra.HostName });
            dhcp.Remove(plan);
            steps.Add(plan.Description);
        }

        foreach (var missing in wanted.Where(d => !actual.DhcpReservations.Any(a => Matches(d, a))).ToArray())
        {
            var plan = dhcp.PlanAdd(new DhcpReservationSpec { Network = desired.Name, MacAddress = missing.MacAddress, IPAddress = missing.IPAddress, HostName = missing.HostName, LeaseTime = missing.LeaseTime });
            dhcp.Add(plan);
            steps.Add(plan.Description);
        }

        return Find(operations, desired.Name) ?? actual;
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
