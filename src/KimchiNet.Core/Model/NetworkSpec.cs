using System;
using System.Collections.Generic;

namespace KimchiNet.Model;

/// <summary>
/// What a user asks for, as raw as it arrived: Kimchi's create/update arguments. Nothing in it is
/// trusted; <see cref="Validation.NetworkSpecValidator"/> judges it. <see cref="Interfaces"/> is null
/// when the user gave none, which Kimchi tells apart from an empty list.
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>The network's name, kept exactly as given (libvirt names are case-sensitive).</summary>
    public required string Name { get; init; }

    /// <summary>The connection type.</summary>
    public required ConnectionType Connection { get; init; }

    /// <summary>IPv4 subnet as address/prefix or address/netmask; null to plan one.</summary>
    public string? Subnet { get; init; }

    /// <summary>Host devices the network is built on; null when none were given.</summary>
    public IReadOnlyList<string>? Interfaces { get; init; }

    /// <summary>VLAN id for a bridge network on a NIC or bond.</summary>
    public int? VlanId { get; init; }

    /// <summary>The MTU of the bridge libvirt makes (nat, isolated, routed, open), or null for libvirt's default.</summary>
    public int? Mtu { get; init; }

    /// <summary>The DHCP range as 'START-END' (two IPv4 addresses in the subnet), or null for the default range.</summary>
    public string? DhcpRange { get; init; }

    /// <summary>How long a DHCP lease lasts (zero: never ends), or null for dnsmasq's default (one hour).</summary>
    public TimeSpan? DhcpLeaseTime { get; init; }

    /// <summary>Whether the network serves DHCP; null for the default (on for the types with a subnet).</summary>
    public bool? Dhcp { get; init; }

    /// <summary>The DHCP reservations of the network's IPv4 DHCP service (MAC, address, optional host name and lease time), or null when none were given.</summary>
    public IReadOnlyList<DhcpReservation>? DhcpReservations { get; init; }

    /// <summary>The network's DNS host records (address and names), or null when none were given.</summary>
    public IReadOnlyList<DnsHostRecord>? DnsHosts { get; init; }

    /// <summary>The DNS servers the network's dnsmasq forwards to (optionally per domain), or null when none were given.</summary>
    public IReadOnlyList<DnsForwarder>? DnsForwarders { get; init; }

    /// <summary>The network's DNS domain (libvirt's &lt;domain name=..&gt;), or null.</summary>
    public string? Domain { get; init; }

    /// <summary>Whether names under <see cref="Domain"/> are answered only locally, never forwarded; null for libvirt's default (forwarded).</summary>
    public bool? DomainLocalOnly { get; init; }

    /// <summary>Whether the network's dnsmasq answers DNS; null for the default (on for the types with a subnet).</summary>
    public bool? Dns { get; init; }

    /// <summary>The network's port groups (name, default, VLAN id), or null when none were given.</summary>
    public IReadOnlyList<PortGroup>? PortGroups { get; init; }

    /// <summary>
    /// The IPv6 /64 of a nat, isolated, routed or open network ('fd12:3456:789a:1::/64'), or
    /// <see cref="AutoIpv6Subnet"/> to plan a unique-local one; null for no IPv6.
    /// </summary>
    public string? Ipv6Subnet { get; init; }

    /// <summary>Whether the IPv6 subnet serves DHCPv6 (true, the default) or only router advertisements for SLAAC (false); null for the default.</summary>
    public bool? Ipv6Dhcp { get; init; }

    /// <summary>Whether a nat network also masquerades its IPv6 subnet (&lt;nat ipv6='yes'/&gt;, libvirt 6.5 and later); null or false: IPv6 is routed.</summary>
    public bool? Ipv6Nat { get; init; }

    /// <summary>The <see cref="Ipv6Subnet"/> value that plans a unique-local /64.</summary>
    public const string AutoIpv6Subnet = "auto";

    /// <summary>True when <see cref="Ipv6Subnet"/> asks for a planned unique-local /64.</summary>
    public bool PlansIpv6Subnet => string.Equals(Ipv6Subnet, AutoIpv6Subnet, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether libvirt starts the network when the host boots (Kimchi's default: on).</summary>
    public bool Autostart { get; init; } = true;

    /// <summary>The interfaces, or an empty list when none were given.</summary>
    public IReadOnlyList<string> InterfacesOrEmpty => Interfaces ?? Array.Empty<string>();
}
