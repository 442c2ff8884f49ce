using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace KimchiNet.Libvirt;

/// <summary>Host interfaces as libvirt's interface driver reports them, read only.</summary>
public sealed partial class LibvirtConnection
{
    /// <summary>
    /// An interface removed after the list was taken (a network's bridge torn down by another client, a
    /// NIC unplugged) fails its reads with VIR_ERR_NO_INTERFACE and is left out, as a network is. (One
    /// caught while the kernel is still unregistering it fails otherwise, with libvirt's udev backend's
    /// internal or system errors ("Could not parse MTU value", "Could not get members of bridge"), and is
    /// still reported: nothing but those texts tells them apart.)
    /// </summary>
    private static readonly DocumentKind<InterfaceHandle> s_interfaces = new("Interface", Interop.Libvirt.ListAllInterfaces, Interop.Libvirt.InterfaceGetName, Interop.Libvirt.InterfaceGetXmlDesc, LibvirtErrorNumbers.NoInterface);

    /// <summary>
    /// One interface listing at a time per libvirt URI in this process. libvirt 9.0's libvirtd (Debian 12)
    /// corrupts its heap and dies (SIGABRT "corrupted double-linked list", or a general protection
    /// fault) within seconds when several of its workers serve interface calls at once: 8 threads of a
    /// plain C client listing interfaces on one connection killed it after about 5 s, one thread listed
    /// 17,000 times without harm. KimchiNet's runspaces must not be the ones that do it; different URIs are
    /// different daemons, so a fleet's hosts are still listed in parallel.
    /// </summary>
    private static readonly ConcurrentDictionary<string, object> s_interfaceGates = new(StringComparer.Ordinal);

    /// <summary>Every host interface libvirt's interface driver lists (active and inactive), with its XML; one listing at a time per URI in this process (<see cref="s_interfaceGates"/>).</summary>
    public IReadOnlyList<InterfaceRecord> ListInterfaces()
    {
        lock (s_interfaceGates.GetOrAdd(Uri, _ => new object()))
        {
            return ListInterfacesNow();
        }
    }

    private IReadOnlyList<InterfaceRecord> ListInterfacesNow() => Read(conn => ListDocuments<InterfaceHandle, InterfaceRecord>(conn, s_interfaces, () => (iface, name, xml) =>
    {
        var active = Interop.Libvirt.virInterfaceIsActive(iface);
        if (active < 0)
        {
            var error = Fail(conn, "virInterfaceIsActive", name);
            if (error.Error.Code == s_interfaces.Vanished)
            {
                return null; // removed after its XML was read
            }

            throw error;
        }

        return new InterfaceRecord(name, xml, active == 1);
    }));
}
