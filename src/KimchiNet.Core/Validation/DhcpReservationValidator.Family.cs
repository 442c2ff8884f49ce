using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Xml;

namespace KimchiNet.Validation;

/// <summary>
/// What IPv4 and IPv6 reservations share: finding a network's DHCP service of one address family
/// (<see cref="FindService"/>), the family's static hosts (<see cref="Hosts"/>) and the check for a
/// client, address or host name reserved twice (<see cref="CheckDuplicates"/>). Each family is one
/// <see cref="DhcpFamily{TService}"/>: <see cref="s_ipv4"/> and <see cref="s_ipv6"/>.
/// </summary>
public static partial class DhcpReservationValidator
{
    /// <summary>The client identity a family's reservation is made for: a MAC address for IPv4, a DUID for IPv6.</summary>
    /// <param name="Name">The identity as a message names it: "MAC address", "DUID".</param>
    /// <param name="ShortName">Its short name, as in "reserve for another MAC".</param>
    /// <param name="Parameter">The parameter that gives it.</param>
    /// <param name="InUseCode">The code of an identity reserved already.</param>
    /// <param name="Of">The identity of a reservation to add, as given.</param>
    /// <param name="Normalize">The identity in libvirt's spelling; null when the text is none.</param>
    /// <param name="Reserves">Whether a static host is reserved for the (normalized) identity.</param>
    private sealed record ReservationKey(
        string Name,
        string ShortName,
        string Parameter,
        string InUseCode,
        Func<DhcpReservationSpec, string?> Of,
        Func<string?, string?> Normalize,
        Func<NetworkDhcpHostXml, string, bool> Reserves);

    /// <summary>One address family's DHCP service and reservations.</summary>
    /// <typeparam name="TService">The family's DHCP service: <see cref="DhcpSubnet"/> or <see cref="Dhcpv6Subnet"/>.</typeparam>
    /// <param name="Reservations">What a network whose guests get their addresses outside libvirt has none of: "DHCP reservations", "IPv6 reservations".</param>
    /// <param name="NotAvailableCode">The code of a network without the family's DHCP service.</param>
    /// <param name="Holds">Whether an &lt;ip&gt; element is of the family.</param>
    /// <param name="ServiceOf">The service an &lt;ip&gt; of the family at the given position gives when it has &lt;dhcp&gt;; null when it has no subnet reservations can go in.</param>
    /// <param name="DhcpOff">Why a network (its printable name given) whose subnet has no &lt;dhcp&gt; takes no reservation.</param>
    /// <param name="NoSubnet">Why a network (its printable name given) with no subnet of the family takes no reservation.</param>
    /// <param name="Key">The client identity a reservation is made for.</param>
    /// <param name="SameAddress">Whether a static host's address (first) is the address given (second, one of the family).</param>
    /// <param name="Reservation">A reservation of the family as a message names it: "a reservation", "an IPv6 reservation".</param>
    private sealed record DhcpFamily<TService>(
        string Reservations,
        string NotAvailableCode,
        Func<NetworkIpXml, bool> Holds,
        Func<int, NetworkIpXml, TService?> ServiceOf,
        Func<string, string> DhcpOff,
        Func<string, string> NoSubnet,
        ReservationKey Key,
        Func<string?, string, bool> SameAddress,
        string Reservation)
        where TService : class;

    /// <summary>
    /// The <paramref name="family"/>'s DHCP service of <paramref name="network"/>: that of the first
    /// &lt;ip&gt; of the family with a subnet and a &lt;dhcp&gt; element, on a network whose forward
    /// mode runs its own dnsmasq (isolated, nat, route). Null, with the family's code in
    /// <paramref name="error"/>, when there is none.
    /// </summary>
    private static TService? FindService<TService>(NetworkXml network, DhcpFamily<TService> family, out ValidationError? error)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(network);
        error = null;
        var shown = DisplayText.Printable(network.Name);
        if (network.Forward is { } forward && !s_dhcpModes.Contains(forward.Mode))
        {
            error = NotAvailable(network.Name, family, $"Network '{shown}' has forward mode '{DisplayText.Printable(forward.Mode)}', whose guests get their addresses outside libvirt: {family.Reservations} need a nat, isolated or routed network.");
            return null;
        }

        var withSubnet = false;
        for (var i = 0; i < network.Ips.Count; i++)
        {
            var ip = network.Ips[i];
            if (!family.Holds(ip) || family.ServiceOf(i, ip) is not { } service)
            {
                continue;
            }

            withSubnet = true;
            if (ip.Dhcp is not null)
            {
                return service;
            }
        }

        error = NotAvailable(network.Name, family, withSubnet ? family.DhcpOff(shown) : family.NoSubnet(shown));
        return null;
    }

    private static ValidationError NotAvailable<TService>(string network, DhcpFamily<TService> family, string message)
        where TService : class =>
        new(family.NotAvailableCode, "Network", network, message, ErrorKind.InvalidState);

    /// <summary>
    /// The static hosts of the network's &lt;ip&gt;s of <paramref name="family"/>: a dual-stack client has one
    /// reservation per family, with the same host name in both, so a host of the other family is no duplicate.
    /// </summary>
    private static IEnumerable<NetworkDhcpHostXml> Hosts<TService>(NetworkXml network, DhcpFamily<TService> family)
        where TService : class =>
        network.Ips.Where(family.Holds).SelectMany(ip => ip.Dhcp?.Hosts ?? []);

    /// <summary>
    /// Adds to <paramref name="errors"/> each of the client identity, the address (when
    /// <paramref name="hasAddress"/>: the spec's address is one of the family) and the host name of
    /// <paramref name="spec"/> that one of <paramref name="hosts"/> has reserved already.
    /// </summary>
    private static void CheckDuplicates<TService>(DhcpFamily<TService> family, DhcpReservationSpec spec, bool hasAddress, NetworkDhcpHostXml[] hosts, string network, List<ValidationError> errors)
        where TService : class
    {
        var shownNetwork = DisplayText.Printable(network);
        var key = family.Key;
        if (key.Normalize(key.Of(spec)) is { } id && hosts.FirstOrDefault(h => key.Reserves(h, id)) is { } byKey)
        {
            errors.Add(new ValidationError(
                key.InUseCode,
                key.Parameter,
                key.Of(spec),
                $"Network '{shownNetwork}' has a reservation for {key.Name} {id} already ({Describe(byKey)}): remove it first, or reserve for another {key.ShortName}.",
                ErrorKind.AlreadyExists));
        }

        if (hasAddress && hosts.FirstOrDefault(h => family.SameAddress(h.Ip, spec.IPAddress!)) is { } byIp)
        {
            errors.Add(new ValidationError(
                ErrorCodes.DhcpAddressInUse,
                "IPAddress",
                spec.IPAddress,
                $"Network '{shownNetwork}' has reserved {DisplayText.Printable(spec.IPAddress)} already ({Describe(byIp)}): choose another address.",
                ErrorKind.AlreadyExists));
        }

        if (spec.HostName is { } name && hosts.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)) is { } byName)
        {
            errors.Add(new ValidationError(
                ErrorCodes.DhcpHostNameInUse,
                "HostName",
                name,
                $"Network '{shownNetwork}' has {family.Reservation} named '{DisplayText.Printable(name)}' already ({Describe(byName)}): choose another host name.",
                ErrorKind.AlreadyExists));
        }
    }

    private static string Describe(NetworkDhcpHostXml host) => string.Join(
        ", ",
        new[] { ("MAC", host.Mac), ("DUID", host.Id), ("name", host.Name), ("address", host.Ip) }
            .Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1} {DisplayText.Printable(p.Item2)}"));
}
