using System;
using System.Collections.Generic;
using System.Linq;

namespace KimchiNet.Libvirt;

/// <summary>The DHCP leases call.</summary>
public sealed partial class LibvirtConnection
{
    /// <summary>The DHCP leases dnsmasq holds now on the network (virNetworkGetDHCPLeases).</summary>
    /// <exception cref="LibvirtException">KCHNET0002E when there is no such network; libvirt's refusal otherwise (the test driver has no leases call: VIR_ERR_NO_SUPPORT).</exception>
    public IReadOnlyList<DhcpLeaseRecord> GetDhcpLeases(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Read(conn =>
        {
            using var network = LookupNetwork(conn, name);
            Trace($"virNetworkGetDHCPLeases('{name}', mac=NULL, flags=0)");
            if (Interop.Libvirt.NetworkGetDhcpLeases(network, out var leases) < 0)
            {
                throw Fail(conn, "virNetworkGetDHCPLeases", name);
            }

            return leases
                .Select(l => new DhcpLeaseRecord(l.Iface, l.ExpiryTime, l.IsIPv6, l.Mac, l.IpAddr, l.Prefix, l.Hostname, l.ClientId))
                .ToArray();
        });
    }
}
