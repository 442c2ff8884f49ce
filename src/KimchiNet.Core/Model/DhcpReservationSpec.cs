using System;

namespace KimchiNet.Model;

/// <summary>
/// What a user asks of a DHCP reservation: the one to add (MAC and IPv4 address needed, host name and
/// lease time optional), or the one to remove (any of MAC, address and host name, all of which must match).
/// </summary>
public sealed record DhcpReservationSpec
{
    /// <summary>The network's name.</summary>
    public required string Network { get; init; }

    /// <summary>The client's MAC address (colons or hyphens, any case).</summary>
    public string? MacAddress { get; init; }

    /// <summary>The IPv4 address reserved for it.</summary>
    public string? IPAddress { get; init; }

    /// <summary>The host name dnsmasq gives the client (and resolves), or null.</summary>
    public string? HostName { get; init; }

    /// <summary>The lease time of this client, or null for the network's; <see cref="TimeSpan.Zero"/> means a lease that never ends.</summary>
    public TimeSpan? LeaseTime { get; init; }
}
