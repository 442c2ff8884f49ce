using System;

namespace KimchiNet.Model;

/// <summary>
/// What a user asks of a DHCP reservation: the one to add (MAC and IPv4 address needed, host name and
/// lease time optional; for IPv6, a DUID or a host name and an IPv6 address), or the one to remove
/// (any of MAC, DUID, address and host name, all of which must match).
/// </summary>
public sealed record DhcpReservationSpec
{
    /// <summary>The network's name.</summary>
    public required string Network { get; init; }

    /// <summary>The client's MAC address (colons or hyphens, any case).</summary>
    public string? MacAddress { get; init; }

    /// <summary>The IPv4 address reserved for it, or an IPv6 address (a reservation of the network's DHCPv6 service).</summary>
    public string? IPAddress { get; init; }

    /// <summary>The DHCPv6 client's DUID (hexadecimal pairs separated by colons): an IPv6 reservation.</summary>
    public string? Duid { get; init; }

    /// <summary>True when the reservation is one of the DHCPv6 service: a DUID, or an IPv6 address, is given.</summary>
    public bool IsIpv6 => Duid is not null || (IPAddress?.Contains(':', StringComparison.Ordinal) ?? false);

    /// <summary>The host name dnsmasq gives the client (and resolves), or null.</summary>
    public string? HostName { get; init; }

    /// <summary>The lease time of this client, or null for the network's; <see cref="TimeSpan.Zero"/> means a lease that never ends.</summary>
    public TimeSpan? LeaseTime { get; init; }
}
