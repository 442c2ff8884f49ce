namespace KimchiNet.Libvirt;

/// <summary>One DHCP lease as libvirt reports it (virNetworkGetDHCPLeases), copied out of libvirt's memory.</summary>
/// <param name="Interface">The network's bridge the lease is on.</param>
/// <param name="ExpiryTime">When the lease ends, in seconds since the Unix epoch; 0 for a lease that never ends.</param>
/// <param name="IsIPv6">Whether the address is IPv6.</param>
/// <param name="Mac">The client's MAC address, or null (DHCPv6 clients may have none).</param>
/// <param name="IpAddress">The leased address.</param>
/// <param name="Prefix">The prefix length of the address.</param>
/// <param name="HostName">The host name the client sent, or null.</param>
/// <param name="ClientId">The client id (IPv4) or DUID (IPv6), or null.</param>
public sealed record DhcpLeaseRecord(
    string? Interface, long ExpiryTime, bool IsIPv6, string? Mac, string? IpAddress, uint Prefix, string? HostName, string? ClientId);
