using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Validation;

/// <summary>
/// The IPv4 DHCP service of a network, where reservations go: its &lt;ip&gt; element, that element's
/// position among all of the network's &lt;ip&gt;s (virNetworkUpdate's parentIndex), and its subnet.
/// </summary>
/// <param name="ParentIndex">The position of <paramref name="Ip"/> among all &lt;ip&gt; elements, IPv6 ones included.</param>
/// <param name="Ip">The IPv4 &lt;ip&gt; element that has &lt;dhcp&gt;.</param>
/// <param name="Network">The subnet's network address.</param>
/// <param name="Prefix">The subnet's prefix length.</param>
/// <param name="Gateway">The host's address on the subnet (the &lt;ip&gt; address).</param>
public sealed record DhcpSubnet(int ParentIndex, NetworkIpXml Ip, uint Network, int Prefix, uint Gateway)
{
    /// <summary>The subnet's broadcast address.</summary>
    public uint Broadcast => Network | ~Ipv4Subnet.PrefixToMask(Prefix);

    /// <summary>The subnet as network/prefix.</summary>
    public override string ToString() => $"{Ipv4Subnet.FormatAddress(Network)}/{Prefix.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The rules for a DHCP reservation (static &lt;host&gt;) on a libvirt network, each with its own code.
/// Reports every broken rule, not just the first. Input rules (MAC, host name, lease time) need no
/// network; the others are judged against the network's XML (the live one, and the persistent one too
/// when they differ, so that a reservation clashes with neither).
/// </summary>
public static partial class DhcpReservationValidator
{
    /// <summary>The shortest lease dnsmasq grants (it raises shorter ones to this).</summary>
    public static readonly TimeSpan MinLeaseTime = TimeSpan.FromMinutes(2);

    /// <summary>The longest lease time taken (about 68 years): whole seconds that fit dnsmasq's 32-bit lease time.</summary>
    public static readonly TimeSpan MaxLeaseTime = TimeSpan.FromSeconds(int.MaxValue);

    /// <summary>Longest DNS host name (RFC 1035, without the final dot).</summary>
    public const int MaxHostNameLength = 253;

    /// <summary>The forward modes whose networks run their own dnsmasq: none (isolated), nat (also when the mode is left out) and route.</summary>
    private static readonly string?[] s_dhcpModes = [null, "nat", "route"];

    /// <summary>IPv4 reservations: by MAC address, in the first IPv4 &lt;ip&gt; with a subnet and &lt;dhcp&gt;.</summary>
    private static readonly DhcpFamily<DhcpSubnet> s_ipv4 = new(
        "DHCP reservations",
        ErrorCodes.DhcpNotAvailable,
        ip => ip.Family is null or "ipv4",
        (i, ip) => TrySubnet(ip, out var address, out var prefix) ? new DhcpSubnet(i, ip, address & Ipv4Subnet.PrefixToMask(prefix), prefix, address) : null,
        shown => $"Network '{shown}' has DHCP turned off (its IPv4 <ip> has no <dhcp>): turn DHCP on before reserving addresses.",
        shown => $"Network '{shown}' has no IPv4 subnet, so it has no IPv4 DHCP service for reservations.",
        new ReservationKey("MAC address", "MAC", "MacAddress", ErrorCodes.DhcpMacInUse, spec => spec.MacAddress, NormalizeMac, (host, mac) => NormalizeMac(host.Mac) == mac),
        SameAddress,
        "a reservation");

    /// <summary>
    /// The MAC address in libvirt's spelling (lower case, colons) when <paramref name="text"/> is six
    /// pairs of hex digits separated all by colons or all by hyphens; else null (<see cref="DhcpReservation.NormalizeMac"/>).
    /// </summary>
    public static string? NormalizeMac(string? text) => DhcpReservation.NormalizeMac(text);

    /// <summary>True when both are the same MAC address as libvirt compares them (case and separator aside); text that is no MAC address is compared as written, without case.</summary>
    public static bool SameMac(string? a, string? b) =>
        string.Equals(NormalizeMac(a) ?? a, NormalizeMac(b) ?? b, StringComparison.OrdinalIgnoreCase);

    /// <summary>KCHNET0145E unless <paramref name="mac"/> is a unicast MAC address (not multicast, not all zeros).</summary>
    public static ValidationError? CheckMac(string? mac)
    {
        var normalized = NormalizeMac(mac);
        string? problem = null;
        if (normalized is null)
        {
            problem = mac is null ? "A MAC address is needed" : $"'{DisplayText.Printable(mac)}' is not a MAC address";
        }
        else if ((Convert.ToByte(normalized[..2], 16) & 1) == 1)
        {
            problem = $"'{DisplayText.Printable(mac)}' is a multicast MAC address, which no NIC has";
        }
        else if (normalized == "00:00:00:00:00:00")
        {
            problem = "00:00:00:00:00:00 is not the MAC address of a NIC";
        }

        return problem is null
            ? null
            : new ValidationError(
                ErrorCodes.InvalidMacAddress,
                "MacAddress",
                mac,
                $"{problem}: give six pairs of hexadecimal digits separated by colons, as in 52:54:00:12:34:56, of a unicast address.");
    }

    /// <summary>
    /// KCHNET0148E unless <paramref name="name"/> is null or a DNS host name libvirt and dnsmasq take:
    /// labels of letters, digits and hyphens (1 to 63 characters, no hyphen at either end) joined by
    /// dots, at most 253 characters, starting with a letter (libvirt refuses any other first character).
    /// Nothing else may pass: the name is written into dnsmasq's host file, where a comma would start a new field.
    /// </summary>
    public static ValidationError? CheckHostName(string? name)
    {
        if (name is null || IsHostName(name))
        {
            return null;
        }

        return new ValidationError(
            ErrorCodes.InvalidDhcpHostName,
            "HostName",
            name,
            $"'{DisplayText.Printable(name)}' is not a host name: use letters, digits and hyphens, starting with a letter, in labels of at most 63 characters joined by dots (at most {MaxHostNameLength.ToString(CultureInfo.InvariantCulture)} in all), as in web01 or web01.lab.");
    }

    private static bool IsHostName(string name)
    {
        if (name.Length is 0 or > MaxHostNameLength || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>KCHNET0149E unless <paramref name="leaseTime"/> is null, zero (never ends) or whole seconds from <see cref="MinLeaseTime"/> to <see cref="MaxLeaseTime"/>.</summary>
    public static ValidationError? CheckLeaseTime(TimeSpan? leaseTime)
    {
        if (leaseTime is not { } lease || lease == TimeSpan.Zero
            || (lease.Ticks % TimeSpan.TicksPerSecond == 0 && lease >= MinLeaseTime && lease <= MaxLeaseTime))
        {
            return null;
        }

        return new ValidationError(
            ErrorCodes.InvalidDhcpLeaseTime,
            "LeaseTime",
            lease,
            $"Lease time {lease.ToString("c", CultureInfo.InvariantCulture)} cannot be used: give whole seconds from 2 minutes up (dnsmasq grants no shorter lease), as in '01:00:00' or (New-TimeSpan -Hours 1), or 0 for a lease that never ends.");
    }

    /// <summary>
    /// The IPv4 DHCP service of <paramref name="network"/>: the first IPv4 &lt;ip&gt; with a subnet and a
    /// &lt;dhcp&gt; element, on a network whose forward mode runs its own dnsmasq (isolated, nat,
    /// route). Null, with KCHNET0146E in <paramref name="error"/>, when there is none.
    /// </summary>
    public static DhcpSubnet? FindDhcpSubnet(NetworkXml network, out ValidationError? error) =>
        FindService(network, s_ipv4, out error);

    /// <summary>
    /// Every rule the reservations of a network's specification break (-DhcpReservation of New,
    /// ConvertTo and Test, a desired state's reservations), judged as the whole set of the network's
    /// IPv4 reservations: each by the rules of <see cref="ValidateAdd"/> (a MAC address, an address in
    /// <paramref name="subnet"/> that is not its gateway, network or broadcast address, a host name,
    /// a lease time) and against the ones before it, valid or not (no MAC, address or name twice), on a network of
    /// type <paramref name="connection"/> that serves DHCP when <paramref name="dhcp"/> is true. The
    /// errors name the parameter DhcpReservation. KCHNET0177E when <paramref name="subnet"/> is null
    /// (the subnet would be planned); KCHNET0146E, once, for a type or network without IPv4 DHCP.
    /// </summary>
    /// <param name="name">The network's name.</param>
    /// <param name="connection">The network's connection type.</param>
    /// <param name="subnet">The subnet as ADDRESS/PREFIX or ADDRESS/NETMASK, where a host address names the gateway (as -Subnet); null when none was given.</param>
    /// <param name="dhcp">Whether the network serves DHCP.</param>
    /// <param name="reservations">The reservations, in order.</param>
    public static IReadOnlyList<ValidationError> ValidateSet(string name, ConnectionType connection, string? subnet, bool dhcp, IReadOnlyList<DhcpReservation?> reservations)
    {
        ArgumentNullException.ThrowIfNull(reservations);
        if (reservations.Count == 0)
        {
            return [];
        }

        var shown = string.Join("; ", reservations);
        if (!connection.HasSubnet())
        {
            return [new(ErrorCodes.DhcpNotAvailable, Parameter, shown, $"-{Parameter} is not valid for a {connection.ToKimchiName()} network: its guests get their addresses outside libvirt. DHCP reservations need a nat, isolated or routed network.", ErrorKind.InvalidInput)];
        }

        if (subnet is null)
        {
            return [new(ErrorCodes.DhcpReservationNeedsSubnet, Parameter, shown, $"-{Parameter} needs -Subnet: a reservation's address must lie in the network's subnet, so give the subnet (as in -Subnet 192.168.50.0/24) instead of leaving it to the planner.")];
        }

        if (!TryReadSubnet(subnet, out var gateway, out var prefix))
        {
            return []; // the subnet's own rule reports it
        }

        var network = new NetworkXml
        {
            Name = name,
            Forward = connection.PrivateForwardMode() is { } mode ? new NetworkForwardXml { Mode = mode } : null,
            Ips = [new NetworkIpXml { Address = Ipv4Subnet.FormatAddress(gateway), Prefix = (uint)prefix, Dhcp = dhcp ? new NetworkDhcpXml() : null }],
        };
        if (FindDhcpSubnet(network, out var unavailable) is null)
        {
            return [unavailable! with { ParameterName = Parameter, Value = shown }];
        }

        var errors = new List<ValidationError>();
        var accepted = new List<NetworkDhcpHostXml>();
        foreach (var reservation in reservations)
        {
            if (reservation is null)
            {
                errors.Add(new(ErrorCodes.InvalidMacAddress, Parameter, null, "A DHCP reservation is empty: write it as 'MAC=IP' or 'MAC=IP,HOSTNAME', as in '52:54:00:12:34:56=192.168.50.20,web'."));
                continue;
            }

            var spec = new DhcpReservationSpec
            {
                Network = name,
                MacAddress = reservation.MacAddress,
                IPAddress = reservation.IPAddress,
                HostName = reservation.HostName,
                LeaseTime = reservation.LeaseTime,
            };
            var found = ValidateAgainst(spec, network, persistent: null, accepted);
            errors.AddRange(found.Select(e => e with { ParameterName = Parameter }));
            accepted.Add(NetworkXmlBuilder.ToXml(reservation));
        }

        return errors;
    }

    /// <summary>
    /// Every rule a reservation to add breaks on <paramref name="network"/>, in parameter order; empty
    /// when it can be added. The MAC address and the IP address are required. Duplicates are looked for
    /// among the static hosts of every IPv4 &lt;ip&gt; of <paramref name="network"/> and of
    /// <paramref name="persistent"/> (the network's persistent definition, when it differs from the live one).
    /// </summary>
    public static IReadOnlyList<ValidationError> ValidateAdd(DhcpReservationSpec spec, NetworkXml network, NetworkXml? persistent = null) =>
        ValidateAgainst(spec, network, persistent, []);

    private static List<ValidationError> ValidateAgainst(DhcpReservationSpec spec, NetworkXml network, NetworkXml? persistent, IReadOnlyList<NetworkDhcpHostXml> others)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(network);
        var errors = new List<ValidationError>();
        AddIfNotNull(errors, CheckMac(spec.MacAddress));
        var target = FindDhcpSubnet(network, out var unavailable);
        if (target is null)
        {
            errors.Add(unavailable!);
        }

        uint? address = null;
        if (spec.IPAddress is not null && Ipv4Subnet.TryParseAddress(spec.IPAddress, out var parsed))
        {
            address = parsed;
        }

        if (target is not null || address is null)
        {
            AddIfNotNull(errors, CheckAddress(spec.IPAddress, address, target, network.Name));
        }

        AddIfNotNull(errors, CheckHostName(spec.HostName));
        AddIfNotNull(errors, CheckLeaseTime(spec.LeaseTime));
        if (target is not null)
        {
            var hosts = Hosts(network, s_ipv4).Concat(persistent is null ? [] : Hosts(persistent, s_ipv4)).Concat(others).ToArray();
            CheckDuplicates(s_ipv4, spec, address is not null, hosts, network.Name, errors);
        }

        return errors;
    }

    /// <summary>
    /// The reservations of <paramref name="target"/> (a network's IPv4 DHCP service) that match every key given in
    /// <paramref name="keys"/> (MAC compared as libvirt does, ignoring case and separators; host name
    /// ignoring case, as DNS does; address as a number).
    /// </summary>
    public static IReadOnlyList<NetworkDhcpHostXml> Matching(DhcpSubnet target, DhcpReservationSpec keys)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(keys);
        return (target.Ip.Dhcp?.Hosts ?? [])
            .Where(h => (keys.MacAddress is null || SameMac(h.Mac, keys.MacAddress))
                && (keys.IPAddress is null || SameAddress(h.Ip, keys.IPAddress))
                && (keys.HostName is null || string.Equals(h.Name, keys.HostName, StringComparison.OrdinalIgnoreCase)))
            .ToArray();
    }

    private static ValidationError? CheckAddress(string? text, uint? address, DhcpSubnet? target, string network)
    {
        var shownNetwork = DisplayText.Printable(network);
        if (address is not { } value)
        {
            var what = text is null ? "An IPv4 address is needed" : $"'{DisplayText.Printable(text)}' is not an IPv4 address";
            var where = target is null ? string.Empty : $" in the subnet {target} of network '{shownNetwork}'";
            return new ValidationError(ErrorCodes.DhcpAddressOutsideSubnet, "IPAddress", text, $"{what}: give one{where}, written as four numbers 0-255 separated by dots.");
        }

        var subnet = target!;
        if ((value & Ipv4Subnet.PrefixToMask(subnet.Prefix)) != subnet.Network)
        {
            return new ValidationError(
                ErrorCodes.DhcpAddressOutsideSubnet,
                "IPAddress",
                text,
                $"Address {text} is outside the subnet {subnet} of network '{shownNetwork}': give an address in it.");
        }

        var role = value == subnet.Gateway ? "the gateway (the host's own address)"
            : value == subnet.Network ? "the network address"
            : value == subnet.Broadcast ? "the broadcast address"
            : null;
        return role is null
            ? null
            : new ValidationError(
                ErrorCodes.DhcpAddressReserved,
                "IPAddress",
                text,
                $"Address {text} is {role} of the subnet {subnet} of network '{shownNetwork}', which no guest can have: give another address in it.");
    }

    private static bool SameAddress(string? a, string b) =>
        a is not null && Ipv4Subnet.TryParseAddress(a, out var x) && Ipv4Subnet.TryParseAddress(b, out var y) ? x == y : string.Equals(a, b, StringComparison.Ordinal);

    private const string Parameter = "DhcpReservation";

    /// <summary>The gateway and prefix of a subnet written as -Subnet takes it: a host address names the gateway, the network address stands for its first host.</summary>
    private static bool TryReadSubnet(string text, out uint gateway, out int prefix)
    {
        gateway = 0;
        prefix = -1;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        var mask = text[(slash + 1)..];
        var ip = uint.TryParse(mask, NumberStyles.None, CultureInfo.InvariantCulture, out var given)
            ? new NetworkIpXml { Address = text[..slash], Prefix = given }
            : new NetworkIpXml { Address = text[..slash], Netmask = mask };
        if (!TrySubnet(ip, out var address, out prefix) || prefix > 30)
        {
            return false;
        }

        gateway = (address & Ipv4Subnet.PrefixToMask(prefix)) == address ? address + 1 : address;
        return true;
    }

    private static bool TrySubnet(NetworkIpXml ip, out uint address, out int prefix)
    {
        prefix = -1;
        if (!Ipv4Subnet.TryParseAddress(ip.Address, out address))
        {
            return false;
        }

        if (ip.Prefix is { } given)
        {
            prefix = given <= 32 ? (int)given : -1;
        }
        else if (Ipv4Subnet.TryParseAddress(ip.Netmask, out var mask))
        {
            prefix = Ipv4Subnet.MaskToPrefix(mask);
        }

        return prefix >= 0;
    }

    private static void AddIfNotNull(List<ValidationError> errors, ValidationError? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
