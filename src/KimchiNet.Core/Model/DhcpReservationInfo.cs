using System;

namespace KimchiNet.Model;

/// <summary>
/// A static DHCP host (reservation) of a network's IPv4 DHCP or DHCPv6 service, as the cmdlets emit it. It pipes
/// into Remove-KimchiDhcpReservation by property name (Network, MacAddress, Duid, IPAddress, HostName, Uri).
/// </summary>
public sealed record DhcpReservationInfo
{
    /// <summary>The network's name.</summary>
    public required string Network { get; init; }

    /// <summary>The client's MAC address as the network's XML has it, or null for a reservation by host name only.</summary>
    public string? MacAddress { get; init; }

    /// <summary>The reserved address: IPv4, or IPv6 for a reservation of the DHCPv6 service.</summary>
    public string? IPAddress { get; init; }

    /// <summary>The DHCPv6 client's DUID of an IPv6 reservation, or null.</summary>
    public string? Duid { get; init; }

    /// <summary>The host name, or null.</summary>
    public string? HostName { get; init; }

    /// <summary>The reservation's own lease time, or null for the network's; <see cref="TimeSpan.Zero"/> is a lease that never ends.</summary>
    public TimeSpan? LeaseTime { get; init; }

    /// <summary>The libvirt URI the reservation was read from.</summary>
    public required string Uri { get; init; }
}
