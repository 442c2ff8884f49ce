using System;
using System.Linq;
using System.Collections.Generic;
using System.Globalization;

namespace KimchiNet.Libvirt;

/// <summary>What virNetworkUpdate does with a DHCP &lt;host&gt; element.</summary>
public enum DhcpHostCommand
{
    /// <summary>Append it (VIR_NETWORK_UPDATE_COMMAND_ADD_LAST); libvirt refuses one whose MAC, IP or name is taken.</summary>
    Add,

    /// <summary>Delete the entry whose given attributes all match it (VIR_NETWORK_UPDATE_COMMAND_DELETE).</summary>
    Delete,

    /// <summary>Replace the first entry with its MAC, IP or name (VIR_NETWORK_UPDATE_COMMAND_MODIFY).</summary>
    Modify,
}

/// <summary>The DHCP calls: static host entries changed in place (virNetworkUpdate) and the current leases.</summary>
public sealed partial class LibvirtConnection
{
    /// <summary>
    /// Adds, deletes or modifies one DHCP &lt;host&gt; of a network with virNetworkUpdate, without a
    /// restart: on an active network in its live state (libvirt rewrites dnsmasq's host file and sends
    /// it SIGHUP) and, when the network is persistent, in its definition too, in one call; on an
    /// inactive network in its definition. The flags are chosen here, from the network's state read in
    /// the same call, so that a network started or stopped meanwhile still gets the right ones.
    /// </summary>
    /// <param name="name">The network.</param>
    /// <param name="command">What to do.</param>
    /// <param name="parentIndex">The position of the &lt;ip&gt; element among all of the network's &lt;ip&gt;s; -1 lets libvirt choose.</param>
    /// <param name="hostXml">The &lt;host&gt; element.</param>
    /// <returns>True when the running network was changed (live), false when only the definition was.</returns>
    /// <exception cref="LibvirtException">KCHNET0002E when there is no such network; libvirt's refusal otherwise.</exception>
    public bool UpdateDhcpHost(string name, DhcpHostCommand command, int parentIndex, string hostXml)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(hostXml);
        var nativeCommand = command switch
        {
            DhcpHostCommand.Add => Interop.Libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
            DhcpHostCommand.Delete => Interop.Libvirt.VIR_NETWORK_UPDATE_COMMAND_DELETE,
            DhcpHostCommand.Modify => Interop.Libvirt.VIR_NETWORK_UPDATE_COMMAND_MODIFY,
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };
        return Write(conn =>
        {
            using var network = LookupNetwork(conn, name);
            var active = Interop.Libvirt.virNetworkIsActive(network);
            if (active < 0)
            {
                throw Fail(conn, "virNetworkIsActive", name);
            }

            var persistent = Interop.Libvirt.virNetworkIsPersistent(network);
            if (persistent < 0)
            {
                throw Fail(conn, "virNetworkIsPersistent", name);
            }

            var flags = active == 1
                ? Interop.Libvirt.VIR_NETWORK_UPDATE_AFFECT_LIVE | (persistent == 1 ? Interop.Libvirt.VIR_NETWORK_UPDATE_AFFECT_CONFIG : 0u)
                : Interop.Libvirt.VIR_NETWORK_UPDATE_AFFECT_CONFIG;
            Trace(string.Create(
                CultureInfo.InvariantCulture,
                $"virNetworkUpdate('{name}', command={nativeCommand} ({command}), section={Interop.Libvirt.VIR_NETWORK_SECTION_IP_DHCP_HOST} (ip-dhcp-host), parentIndex={parentIndex}, {hostXml}, flags={flags})"));
            if (Interop.Libvirt.virNetworkUpdate(network, nativeCommand, Interop.Libvirt.VIR_NETWORK_SECTION_IP_DHCP_HOST, parentIndex, hostXml, flags) < 0)
            {
                throw Fail(conn, "virNetworkUpdate", name);
            }

            return active == 1;
        });
    }

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
