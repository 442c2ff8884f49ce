using System;

namespace KimchiNet.Model;

/// <summary>A lease the network's dnsmasq holds now, with the virtual machine whose NIC has the client's MAC.</summary>
public sealed record DhcpLeaseInfo
{
    /// <summary>The network's name.</summary>
    public required string Network { get; init; }

    /// <summary>The client's MAC address, or null (a DHCPv6 client may send none).</summary>
    public string? MacAddress { get; init; }

    /// <summary>The leased address.</summary>
    public required string IPAddress { get; init; }

    /// <summary>The prefix length of the leased address.</summary>
    public int Prefix { get; init; }

    /// <summary>The host name the client sent, or null.</summary>
    public string? HostName { get; init; }

    /// <summary>When the lease ends, or null for a lease that never ends.</summary>
    public DateTimeOffset? ExpiryTime { get; init; }

    /// <summary>The virtual machine with a NIC of that MAC (one on this network first, then a running one), or null when no domain has it.</summary>
    public string? VM { get; init; }

    /// <summary>The client id (IPv4) or DUID (IPv6), or null.</summary>
    public string? ClientId { get; init; }

    /// <summary>The network's bridge the lease is on.</summary>
    public string? Interface { get; init; }

    /// <summary>The libvirt URI the lease was read from.</summary>
    public required string Uri { get; init; }
}
