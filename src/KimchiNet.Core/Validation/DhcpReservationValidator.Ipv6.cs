using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Validation;

/// <summary>The DHCPv6 service of a network, where IPv6 reservations go.</summary>
/// <param name="ParentIndex">The position of <paramref name="Ip"/> among all &lt;ip&gt; elements (virNetworkUpdate's parentIndex).</param>
/// <param name="Ip">The IPv6 &lt;ip&gt; element that has &lt;dhcp&gt;.</param>
/// <param name="Subnet">The /64.</param>
/// <param name="Gateway">The host's address on it (the &lt;ip&gt; address).</param>
public sealed record Dhcpv6Subnet(int ParentIndex, NetworkIpXml Ip, Ipv6Subnet Subnet, UInt128 Gateway);

/// <summary>
/// The rules of an IPv6 reservation (a static &lt;host id=DUID name=.. ip=../&gt; of the DHCPv6
/// service): found by DUID or host name, never by MAC (libvirt refuses a MAC in an IPv6 host).
/// </summary>
public static partial class DhcpReservationValidator
{
    /// <summary>The longest DUID in bytes (RFC 8415: a 2-byte type and at most 128 bytes).</summary>
    public const int MaxDuidBytes = 130;

    /// <summary>IPv6 reservations: by DUID, in the first IPv6 &lt;ip&gt; with a /64 and &lt;dhcp&gt;.</summary>
    private static readonly DhcpFamily<Dhcpv6Subnet> s_ipv6 = new(
        "IPv6 reservations",
        ErrorCodes.Dhcpv6NotAvailable,
        ip => ip.Family == "ipv6",
        (i, ip) => (ip.Prefix ?? 64) == 64 && Ipv6Subnet.TryParseAddress(ip.Address, out var gateway) ? new Dhcpv6Subnet(i, ip, Ipv6Subnet.FromAddress(gateway), gateway) : null,
        shown => $"Network '{shown}' serves IPv6 by router advertisements only (its IPv6 <ip> has no <dhcp>), so it has no DHCPv6 service for reservations: turn DHCPv6 on with Set-KimchiNetwork -Ipv6Dhcp $true.",
        shown => $"Network '{shown}' has no IPv6 /64, so it has no DHCPv6 service for reservations: give it one with Set-KimchiNetwork -Ipv6Subnet.",
        new ReservationKey("DUID", "DUID", "Duid", ErrorCodes.DhcpDuidInUse, spec => spec.Duid, NormalizeDuid, (host, duid) => SameDuid(host.Id, duid)),
        SameAddress6,
        "an IPv6 reservation");

    /// <summary>
    /// The DUID as lower-case pairs of hex digits separated by colons when <paramref name="text"/> is
    /// 2 to 130 bytes of one or two hex digits each, separated by colons (dhclient's lease file writes
    /// 0:3:0:1:..., libvirt's documentation 00:03:...); else null. Nothing else may pass: it is written
    /// into dnsmasq's host file.
    /// </summary>
    public static string? NormalizeDuid(string? text)
    {
        if (text is null || text.Length > MaxDuidBytes * 3)
        {
            return null;
        }

        var bytes = text.Split(':');
        if (bytes.Length is < 2 or > MaxDuidBytes || bytes.Any(b => b.Length is < 1 or > 2 || !b.All(char.IsAsciiHexDigit)))
        {
            return null;
        }

        return string.Join(':', bytes.Select(b => b.PadLeft(2, '0').ToLowerInvariant()));
    }

    /// <summary>True when both are the same DUID (spelling of each byte aside); text that is no DUID is compared as written, without case.</summary>
    public static bool SameDuid(string? a, string? b) =>
        a is not null && b is not null && string.Equals(NormalizeDuid(a) ?? a, NormalizeDuid(b) ?? b, StringComparison.OrdinalIgnoreCase);

    /// <summary>KCHNET0172E unless <paramref name="duid"/> is null or a DUID.</summary>
    public static ValidationError? CheckDuid(string? duid) => duid is null || NormalizeDuid(duid) is not null
        ? null
        : new ValidationError(ErrorCodes.InvalidDuid, "Duid", duid,
            $"'{DisplayText.Printable(duid)}' is not a DUID: give 2 to {MaxDuidBytes.ToString(CultureInfo.InvariantCulture)} bytes as hexadecimal pairs separated by colons, as in 00:01:00:01:2c:3d:4e:5f:52:54:00:12:34:56 (a DHCPv6 client shows its own, e.g. in dhclient's lease file).");

    /// <summary>
    /// The DHCPv6 service of <paramref name="network"/>: the first IPv6 &lt;ip&gt; with a /64 and a
    /// &lt;dhcp&gt; element, on a network with a dnsmasq of its own (isolated, nat, route). Null, with
    /// KCHNET0174E in <paramref name="error"/>, when there is none.
    /// </summary>
    public static Dhcpv6Subnet? FindDhcpv6Subnet(NetworkXml network, out ValidationError? error) =>
        FindService(network, s_ipv6, out error);

    /// <summary>
    /// Every rule an IPv6 reservation to add breaks: no MAC, a DUID or a host name (KCHNET0175E), a
    /// well-formed DUID (KCHNET0172E), an IPv6 address in the /64 (KCHNET0140E) that is not its
    /// gateway or network address (KCHNET0141E), a host name and lease time as for IPv4, and no DUID,
    /// address or name reserved twice among the network's IPv6 hosts, live and persistent
    /// (KCHNET0173E, KCHNET0143E, KCHNET0144E). Empty when it can be added.
    /// </summary>
    public static IReadOnlyList<ValidationError> ValidateAddIpv6(DhcpReservationSpec spec, NetworkXml network, NetworkXml? persistent = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(network);
        var errors = new List<ValidationError>();
        if (spec.MacAddress is not null)
        {
            errors.Add(new ValidationError(ErrorCodes.DhcpReservationKeys, "MacAddress", spec.MacAddress,
                "An IPv6 reservation is made by DUID (-Duid) or host name (-HostName), not by MAC address: a DHCPv6 client identifies itself by its DUID, and libvirt refuses a MAC address in an IPv6 host."));
        }
        else if (spec.Duid is null && spec.HostName is null)
        {
            errors.Add(new ValidationError(ErrorCodes.DhcpReservationKeys, "Duid", null,
                "An IPv6 reservation needs the client's DUID (-Duid) or its host name (-HostName)."));
        }

        AddIfNotNull(errors, CheckDuid(spec.Duid));
        var target = FindDhcpv6Subnet(network, out var unavailable);
        if (target is null)
        {
            errors.Add(unavailable!);
        }

        var hasAddress = Ipv6Subnet.TryParseAddress(spec.IPAddress, out var address);
        if (!hasAddress)
        {
            var what = spec.IPAddress is null ? "An IPv6 address is needed" : $"'{DisplayText.Printable(spec.IPAddress)}' is not an IPv6 address";
            var where = target is null ? string.Empty : $" in the subnet {target.Subnet} of network '{DisplayText.Printable(network.Name)}'";
            errors.Add(new ValidationError(ErrorCodes.DhcpAddressOutsideSubnet, "IPAddress", spec.IPAddress, $"{what}: give one{where}."));
        }
        else if (target is not null)
        {
            AddIfNotNull(errors, CheckAddress6(spec.IPAddress!, address, target, network.Name));
        }

        AddIfNotNull(errors, CheckHostName(spec.HostName));
        AddIfNotNull(errors, CheckLeaseTime(spec.LeaseTime));
        if (target is not null)
        {
            var hosts = Hosts(network, s_ipv6).Concat(persistent is null ? [] : Hosts(persistent, s_ipv6)).ToArray();
            CheckDuplicates(s_ipv6, spec, hasAddress, hosts, network.Name, errors);
        }

        return errors;
    }

    /// <summary>The IPv6 reservations of <paramref name="target"/> that match every key given (DUID and host name ignoring case, address as a number).</summary>
    public static IReadOnlyList<NetworkDhcpHostXml> Matching(Dhcpv6Subnet target, DhcpReservationSpec keys)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(keys);
        return (target.Ip.Dhcp?.Hosts ?? [])
            .Where(h => keys.MacAddress is null
                && (keys.Duid is null || SameDuid(h.Id, keys.Duid))
                && (keys.IPAddress is null || SameAddress6(h.Ip, keys.IPAddress))
                && (keys.HostName is null || string.Equals(h.Name, keys.HostName, StringComparison.OrdinalIgnoreCase)))
            .ToArray();
    }

    private static ValidationError? CheckAddress6(string text, UInt128 address, Dhcpv6Subnet target, string network)
    {
        var shownNetwork = DisplayText.Printable(network);
        if (!target.Subnet.Contains(address))
        {
            return new ValidationError(ErrorCodes.DhcpAddressOutsideSubnet, "IPAddress", text,
                $"Address {DisplayText.Printable(text)} is outside the IPv6 subnet {target.Subnet} of network '{shownNetwork}': give an address in it.");
        }

        var role = address == target.Gateway ? "the gateway (the host's own address)"
            : address == target.Subnet.Network ? "the subnet-router anycast address (the /64's first)"
            : null;
        return role is null
            ? null
            : new ValidationError(ErrorCodes.DhcpAddressReserved, "IPAddress", text,
                $"Address {DisplayText.Printable(text)} is {role} of the IPv6 subnet {target.Subnet} of network '{shownNetwork}', which no guest can have: give another address in it.");
    }

    private static bool SameAddress6(string? a, string b) =>
        Ipv6Subnet.TryParseAddress(a, out var x) && Ipv6Subnet.TryParseAddress(b, out var y) && x == y;
}
