using System;
using System.Globalization;

namespace KimchiNet.Libvirt;

/// <summary>What virNetworkUpdate does with the element it is given.</summary>
public enum NetworkUpdateCommand
{
    /// <summary>Append it (VIR_NETWORK_UPDATE_COMMAND_ADD_LAST); libvirt refuses a DHCP host whose MAC, IP or name is taken.</summary>
    Add,

    /// <summary>Delete the entry whose given attributes all match it (VIR_NETWORK_UPDATE_COMMAND_DELETE).</summary>
    Delete,

    /// <summary>Replace the matching entry (VIR_NETWORK_UPDATE_COMMAND_MODIFY): a DHCP host with its MAC, IP or name, a port group with its name. libvirt 9.0 refuses it for DHCP ranges and forward interfaces.</summary>
    Modify,
}

/// <summary>
/// The parts of a network that virNetworkUpdate changes, and what libvirt 9.0 (Debian 12) does with
/// each on a running network, found by experiment on a lab host (nat network with a running TCG
/// guest on its bridge, vepa and macvtap networks):
/// <list type="bullet">
/// <item>ip-dhcp-host: add, delete, modify live; dnsmasq rereads its host file (SIGHUP), same PID.</item>
/// <item>ip-dhcp-range: add and delete live ("dhcp ranges cannot be modified, only added or deleted");
/// libvirt restarts the network's dnsmasq, the bridge and the guests' taps stay.</item>
/// <item>forward-interface: add and delete live on vepa, passthrough, macvtap (forward mode bridge
/// with interfaces) and even nat; no modify. libvirt deletes an interface that a guest's macvtap still
/// uses (connections='1') without complaint, so KimchiNet refuses that itself (KCHNET0108E).</item>
/// <item>portgroup: add, delete, modify live; the bridge (same ifindex), dnsmasq (same PID) and a running
/// guest's tap stay. An add of a second default is refused ("Only one default is allowed"), a delete
/// matches the name. A live add takes a &lt;vlan&gt; even on a nat network, whose definition libvirt
/// refuses with one, so KimchiNet judges VLANs itself (KCHNET0197E).</item>
/// <item>dns-host: add and delete live; dnsmasq rereads its addnhosts file (SIGHUP), same PID, and
/// answers the new record at once. Modify is refused ("DNS HOST records cannot be modified, only added
/// or deleted"), and so is an add whose address or a name is taken. A delete matches the address.</item>
/// <item>dns-txt, dns-srv: add live, but libvirt restarts the network's dnsmasq (new PID). KimchiNet does not manage them.</item>
/// <item>domain: "can't update 'domain' section" (add or modify); DNS forwarders and &lt;dns enable&gt;
/// have no section at all: the domain, its localOnly, the forwarders and DNS on or off need a restart.</item>
/// <item>ip, bridge, forward: "can't update 'ip' (bridge, forward) section": the subnet, the bridge
/// name and the forward mode need a restart; so do the name, a VLAN tag and the MTU, which have no
/// section at all.</item>
/// </list>
/// </summary>
public enum NetworkUpdateSection
{
    /// <summary>A &lt;host&gt; of &lt;ip&gt;/&lt;dhcp&gt; (VIR_NETWORK_SECTION_IP_DHCP_HOST).</summary>
    IpDhcpHost,

    /// <summary>A &lt;range&gt; of &lt;ip&gt;/&lt;dhcp&gt; (VIR_NETWORK_SECTION_IP_DHCP_RANGE).</summary>
    IpDhcpRange,

    /// <summary>An &lt;interface&gt; of &lt;forward&gt; (VIR_NETWORK_SECTION_FORWARD_INTERFACE).</summary>
    ForwardInterface,

    /// <summary>A &lt;portgroup&gt; (VIR_NETWORK_SECTION_PORTGROUP).</summary>
    PortGroup,

    /// <summary>A &lt;host&gt; of &lt;dns&gt; (VIR_NETWORK_SECTION_DNS_HOST).</summary>
    DnsHost,
}

/// <summary>Changes to one part of a network in place (virNetworkUpdate), live when it runs.</summary>
public sealed partial class LibvirtConnection
{
    /// <summary>
    /// Adds, deletes or modifies one element of a network's section with virNetworkUpdate, without a
    /// restart: on an active network in its live state and, when the network is persistent, in its
    /// definition too, in one call; on an inactive network in its definition. The flags are chosen
    /// here, from the network's state read in the same call, so that a network started or stopped
    /// meanwhile still gets the right ones.
    /// </summary>
    /// <param name="name">The network.</param>
    /// <param name="command">What to do.</param>
    /// <param name="section">Which part of the network.</param>
    /// <param name="parentIndex">For the &lt;ip&gt; sections, the position of the &lt;ip&gt; element among all of the network's &lt;ip&gt;s; -1 lets libvirt choose.</param>
    /// <param name="xml">The element.</param>
    /// <returns>True when the running network was changed (live), false when only the definition was.</returns>
    /// <exception cref="LibvirtException">KCHNET0002E when there is no such network; libvirt's refusal otherwise.</exception>
    public bool UpdateNetwork(string name, NetworkUpdateCommand command, NetworkUpdateSection section, int parentIndex, string xml)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(xml);
        var nativeCommand = command switch
        {
            NetworkUpdateCommand.Add => Interop.Libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
            NetworkUpdateCommand.Delete => Interop.Libvirt.VIR_NETWORK_UPDATE_COMMAND_DELETE,
            NetworkUpdateCommand.Modify => Interop.Libvirt.VIR_NETWORK_UPDATE_COMMAND_MODIFY,
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };
        var (nativeSection, sectionName) = section switch
        {
            NetworkUpdateSection.IpDhcpHost => (Interop.Libvirt.VIR_NETWORK_SECTION_IP_DHCP_HOST, "ip-dhcp-host"),
            NetworkUpdateSection.IpDhcpRange => (Interop.Libvirt.VIR_NETWORK_SECTION_IP_DHCP_RANGE, "ip-dhcp-range"),
            NetworkUpdateSection.ForwardInterface => (Interop.Libvirt.VIR_NETWORK_SECTION_FORWARD_INTERFACE, "forward-interface"),
            NetworkUpdateSection.PortGroup => (Interop.Libvirt.VIR_NETWORK_SECTION_PORTGROUP, "portgroup"),
            NetworkUpdateSection.DnsHost => (Interop.Libvirt.VIR_NETWORK_SECTION_DNS_HOST, "dns-host"),
            _ => throw new ArgumentOutOfRangeException(nameof(section), section, null),
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
                $"virNetworkUpdate('{name}', command={nativeCommand} ({command}), section={nativeSection} ({sectionName}), parentIndex={parentIndex}, {xml}, flags={flags})"));
            if (Interop.Libvirt.virNetworkUpdate(network, nativeCommand, nativeSection, parentIndex, xml, flags) < 0)
            {
                throw Fail(conn, "virNetworkUpdate", name);
            }

            return active == 1;
        });
    }
}
