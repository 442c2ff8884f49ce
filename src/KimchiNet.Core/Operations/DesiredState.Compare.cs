using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Validation;

namespace KimchiNet.Operations;

/// <summary>Comparing a desired state with a network as the host has it.</summary>
public sealed partial record DesiredState
{
    /// <summary>
    /// How <paramref name="actual"/> differs from <paramref name="desired"/>, in property order
    /// (Ensure, Connection, Interfaces, Subnet, VlanId, State, Autostart, Mtu, DhcpRange, DhcpLeaseTime, Dhcp, DnsHosts, DnsForwarders, Domain, DomainLocalOnly, Dns, Ipv6Subnet, Ipv6Dhcp, Ipv6Nat, DhcpReservations, PortGroups, Health); empty when it is as desired.
    /// A present network whose host devices are missing (<see cref="KimchiNetworkInfo.Health"/>
    /// Unhealthy) differs in Health, whatever else was asked: it is not in a usable state.
    /// A network that should be absent but exists, or should exist but does not, differs only in
    /// Ensure. Otherwise each set property is compared: interfaces as a set (ordinal, so eth1,eth2
    /// equals eth2,eth1: the order only picks the forward dev libvirt tries first), the subnet as
    /// network and prefix plus the gateway when a host address was named, the rest by value. Reads
    /// nothing and changes nothing.
    /// </summary>
    /// <param name="desired">The desired state.</param>
    /// <param name="actual">The network of that name as the host has it, or null when there is none.</param>
    /// <exception cref="KimchiException">
    /// The validator's codes for the properties that were given (KCHNET0011E name, KCHNET0013E and
    /// KCHNET0003E subnet, KCHNET0015E VLAN id, KCHNET0030E, KCHNET0031E, KCHNET0032E, ... judged
    /// against the desired connection type, else the network's): an impossible desired state is an
    /// error, never merely "different".
    /// </exception>
    public static IReadOnlyList<DesiredStateDifference> Compare(DesiredState desired, KimchiNetworkInfo? actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (actual is not null && !string.Equals(actual.Name, desired.Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The network is '{actual.Name}', not '{desired.Name}'.", nameof(actual));
        }

        Validate(desired, actual);
        var name = desired.Name;
        if (desired.Ensure == Ensure.Absent || actual is null)
        {
            var exists = actual is null ? Ensure.Absent : Ensure.Present;
            return desired.Ensure == exists ? [] : [new(name, nameof(Ensure), desired.Ensure, exists)];
        }

        var differences = new List<DesiredStateDifference>();
        if (desired.Connection is { } connection && connection != actual.Connection)
        {
            differences.Add(new(name, nameof(Connection), connection, (object?)actual.Connection ?? actual.ForwardMode));
        }

        if (desired.Interfaces is { } interfaces && !SameSet(interfaces, actual.Interfaces))
        {
            differences.Add(new(name, nameof(Interfaces), interfaces.ToArray(), actual.Interfaces.ToArray()));
        }

        if (desired.Subnet is { } subnet && !SameSubnet(subnet, actual, out var shown))
        {
            differences.Add(new(name, nameof(Subnet), subnet, shown));
        }

        if (desired.VlanId is { } vlan && vlan != actual.VlanId)
        {
            differences.Add(new(name, nameof(VlanId), vlan, actual.VlanId));
        }

        if (desired.State is { } state && state != actual.State)
        {
            differences.Add(new(name, nameof(State), state, actual.State));
        }

        if (desired.Autostart is { } autostart && autostart != actual.Autostart)
        {
            differences.Add(new(name, nameof(Autostart), autostart, actual.Autostart));
        }

        differences.AddRange(CompareBridgeSettings(desired, actual));
        differences.AddRange(CompareDns(desired, actual));
        differences.AddRange(CompareReservations(desired, actual));
        differences.AddRange(ComparePortGroups(desired, actual));
        if (actual.Health == NetworkHealth.Unhealthy)
        {
            differences.Add(new(name, nameof(KimchiNetworkInfo.Health), NetworkHealth.Healthy, string.Join("; ", actual.Problems)));
        }

        return differences;
    }

    /// <summary>
    /// This state, after the rules that no host's network can change, so it is refused alike on every
    /// host: its name; when it should be present with a desired connection type, each given property
    /// judged as that type (the DNS settings only with a desired subnet, the reservations only with a
    /// desired subnet and DHCP: else they are judged against the network's own). Without a desired
    /// type, the properties are judged against each host's network, in <see cref="Compare"/>.
    /// Reads nothing: a caller checks this once before it asks any host.
    /// </summary>
    /// <exception cref="KimchiException">The validator's codes, as <see cref="Compare"/> throws them.</exception>
    public DesiredState ThrowIfInvalidOnAnyHost()
    {
        ValidationError.ThrowIfAny(Findings(this, actual: null, hostRead: false));
        return this;
    }

    /// <summary>
    /// Runs Kimchi's rules over the properties that were given. The connection type they are judged
    /// against is the desired one, else the network's; with neither, each property is judged alone
    /// (the subnet's form, the interface names, the VLAN range). Rules about a property that was not
    /// given (such as "vepa needs interfaces") are left to the create or update that would need it.
    /// An Absent state is judged by its name only.
    /// </summary>
    private static void Validate(DesiredState desired, KimchiNetworkInfo? actual) =>
        ValidationError.ThrowIfAny(Findings(desired, actual, hostRead: true));

    /// <summary>The broken rules of <see cref="Validate"/>; unless <paramref name="hostRead"/>, only those no host's network can change (<see cref="ThrowIfInvalidOnAnyHost"/>).</summary>
    private static List<ValidationError> Findings(DesiredState desired, KimchiNetworkInfo? actual, bool hostRead)
    {
        var errors = new List<ValidationError>();
        if (NetworkSpecValidator.CheckName(desired.Name) is { } badName)
        {
            errors.Add(badName);
        }

        if (desired.Ensure != Ensure.Present)
        {
            return errors;
        }

        if ((desired.Connection ?? actual?.Connection) is { } connection)
        {
            errors.AddRange(Judge(desired, connection, nameof(Connection), nameof(Subnet), nameof(Interfaces), nameof(VlanId), nameof(Mtu), nameof(DhcpRange), nameof(DhcpLeaseTime), nameof(Dhcp), nameof(Ipv6Subnet), nameof(Ipv6Dhcp), nameof(Ipv6Nat)));
            if (hostRead || desired.Subnet is not null)
            {
                errors.AddRange(JudgeDns(desired, connection, actual));
            }

            if (hostRead || (desired.Subnet is not null && desired.Dhcp is not null))
            {
                errors.AddRange(JudgeReservations(desired, connection, actual));
            }

            errors.AddRange(JudgePortGroups(desired, connection));
        }
        else if (hostRead)
        {
            // No type to judge against: each property by the rules of a type that takes it.
            errors.AddRange(Judge(desired, ConnectionType.Isolated, nameof(Subnet), nameof(Mtu), nameof(DhcpRange), nameof(DhcpLeaseTime), nameof(Dhcp), nameof(Ipv6Subnet), nameof(Ipv6Dhcp)));
            errors.AddRange(Judge(desired, ConnectionType.Nat, nameof(Ipv6Nat)));
            errors.AddRange(Judge(desired, ConnectionType.Vepa, nameof(Interfaces)));
            errors.AddRange(JudgeDns(desired, ConnectionType.Isolated, actual));
            errors.AddRange(JudgeReservations(desired, ConnectionType.Isolated, actual));
            errors.AddRange(Judge(desired, ConnectionType.Bridge, nameof(VlanId)));
            errors.AddRange(JudgePortGroups(desired, ConnectionType.Passthrough));
        }

        return errors;
    }

    /// <summary>The validator's findings about the <paramref name="properties"/> that were given, judged as a <paramref name="connection"/> network.</summary>
    private static IEnumerable<ValidationError> Judge(DesiredState desired, ConnectionType connection, params string[] properties)
    {
        var given = new HashSet<string>(StringComparer.Ordinal) { nameof(Connection) };
        AddIf(given, desired.Subnet is not null, nameof(Subnet));
        AddIf(given, desired.Interfaces is not null, nameof(Interfaces));
        AddIf(given, desired.VlanId is not null, nameof(VlanId));
        AddIf(given, desired.Mtu is not null, nameof(Mtu));
        AddIf(given, desired.DhcpRange is not null, nameof(DhcpRange));
        AddIf(given, desired.DhcpLeaseTime is not null, nameof(DhcpLeaseTime));
        AddIf(given, desired.Dhcp is not null, nameof(Dhcp));
        AddIf(given, desired.Ipv6Subnet is not null, nameof(Ipv6Subnet));
        AddIf(given, desired.Ipv6Dhcp is not null, nameof(Ipv6Dhcp));
        AddIf(given, desired.Ipv6Nat is not null, nameof(Ipv6Nat));
        given.IntersectWith(properties);
        var spec = new NetworkSpec
        {
            Name = desired.Name,
            Connection = connection,
            Subnet = given.Contains(nameof(Subnet)) ? desired.Subnet : null,
            Interfaces = given.Contains(nameof(Interfaces)) ? desired.Interfaces : null,
            VlanId = given.Contains(nameof(VlanId)) ? desired.VlanId : null,
            Mtu = given.Contains(nameof(Mtu)) ? desired.Mtu : null,
            DhcpRange = given.Contains(nameof(DhcpRange)) ? desired.DhcpRange : null,
            DhcpLeaseTime = given.Contains(nameof(DhcpLeaseTime)) ? desired.DhcpLeaseTime : null,
            Dhcp = given.Contains(nameof(Dhcp)) ? desired.Dhcp : null,
            // -Ipv6Dhcp or -Ipv6Nat alone are compared with the network's own IPv6 subnet: judged as if one were given.
            Ipv6Subnet = given.Contains(nameof(Ipv6Subnet)) ? desired.Ipv6Subnet : NetworkSpec.AutoIpv6Subnet,
            Ipv6Dhcp = given.Contains(nameof(Ipv6Dhcp)) ? desired.Ipv6Dhcp : null,
            Ipv6Nat = given.Contains(nameof(Ipv6Nat)) ? desired.Ipv6Nat : null,
        };

        // A range without a desired subnet is judged against the network's, which only a create or update sees.
        return NetworkSpecValidator.Validate(spec).Where(e => given.Contains(e.ParameterName) && e.Code != ErrorCodes.DhcpRangeNeedsSubnet);
    }

    /// <summary>The MTU, DHCP range (as START-END), lease time and DHCP on or off, each where desired.</summary>
    private static IEnumerable<DesiredStateDifference> CompareBridgeSettings(DesiredState desired, KimchiNetworkInfo actual)
    {
        var name = desired.Name;
        if (desired.Mtu is { } mtu && mtu != actual.Mtu)
        {
            yield return new(name, nameof(Mtu), mtu, actual.Mtu);
        }

        var range = actual.DhcpStart is null ? null : $"{actual.DhcpStart}-{actual.DhcpEnd}";
        if (desired.DhcpRange is { } wanted && !SameRange(wanted, range))
        {
            yield return new(name, nameof(DhcpRange), wanted, range);
        }

        if (desired.DhcpLeaseTime is { } lease && lease != actual.DhcpLeaseTime)
        {
            yield return new(name, nameof(DhcpLeaseTime), lease, actual.DhcpLeaseTime);
        }

        if (desired.Dhcp is { } dhcp && dhcp != (actual.Dhcp ?? false))
        {
            yield return new(name, nameof(Dhcp), dhcp, actual.Dhcp ?? false);
        }

        if (desired.Ipv6Subnet is { } six && !SameIpv6Subnet(six, actual.Ipv6Subnet))
        {
            yield return new(name, nameof(Ipv6Subnet), six, actual.Ipv6Subnet);
        }

        if (desired.Ipv6Dhcp is { } dhcp6 && dhcp6 != (actual.Ipv6Dhcp ?? false))
        {
            yield return new(name, nameof(Ipv6Dhcp), dhcp6, actual.Ipv6Dhcp ?? false);
        }

        if (desired.Ipv6Nat is { } nat6 && nat6 != (actual.Ipv6Nat ?? false))
        {
            yield return new(name, nameof(Ipv6Nat), nat6, actual.Ipv6Nat ?? false);
        }
    }

    /// <summary>'auto' is any IPv6 subnet; a /64 is the same /64 (host bits of the desired text do not count).</summary>
    private static bool SameIpv6Subnet(string desired, string? actual) =>
        actual is not null
        && (string.Equals(desired, NetworkSpec.AutoIpv6Subnet, StringComparison.OrdinalIgnoreCase)
            || (Planning.Ipv6Subnet.TryParse(desired, out var want, out _) && Ipv6Range.TryParse(actual, out var have) && have.First == want.Network && have.Last == want.Last));

    private static bool SameRange(string desired, string? actual) =>
        actual is not null
        && Ipv4Subnet.TryParseAddressRange(desired, out var start, out var end)
        && Ipv4Subnet.TryParseAddressRange(actual, out var actualStart, out var actualEnd)
        && (start, end) == (actualStart, actualEnd);

    private static bool SameSet(IReadOnlyList<string> desired, IReadOnlyList<string> actual) =>
        desired.Count == actual.Count && new HashSet<string>(desired, StringComparer.Ordinal).SetEquals(actual);

    /// <summary>
    /// Whether the network's subnet is the desired one: same network address and prefix and, when the
    /// desired text names a host address rather than the network address, that address as gateway.
    /// <paramref name="shown"/> is the network's value in the form the desired text has.
    /// </summary>
    private static bool SameSubnet(string desired, KimchiNetworkInfo actual, out string? shown)
    {
        shown = actual.Subnet;
        var want = Ipv4Subnet.Parse(desired);   // validated already
        var address = desired[..desired.IndexOf('/', StringComparison.Ordinal)];
        Ipv4Subnet.TryParseAddress(address, out var written);
        var namesHost = written != want.Network;
        if (!TryReadNetwork(actual.Subnet, out var network, out var prefix))
        {
            return false;
        }

        if (namesHost && actual.Gateway is not null)
        {
            shown = actual.Gateway + "/" + prefix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return network == want.Network && prefix == want.Prefix
            && (!namesHost || string.Equals(actual.Gateway, Ipv4Subnet.FormatAddress(want.Gateway), StringComparison.Ordinal));
    }

    /// <summary>Reads the network's own network/prefix, which may lie outside what a new network may take (a /8, say).</summary>
    private static bool TryReadNetwork(string? text, out uint network, out int prefix)
    {
        network = 0;
        prefix = 0;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0
            && Ipv4Subnet.TryParseAddress(text.AsSpan(0, slash), out network)
            && Ipv4Subnet.TryParseNumber(text.AsSpan(slash + 1), 32, out prefix);
    }

    private static void AddIf(HashSet<string> set, bool condition, string value)
    {
        if (condition)
        {
            set.Add(value);
        }
    }
}
