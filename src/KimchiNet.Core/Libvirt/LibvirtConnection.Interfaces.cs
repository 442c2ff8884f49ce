using System.Collections.Generic;

namespace KimchiNet.Libvirt;

/// <summary>Host interfaces as libvirt's interface driver reports them, read only.</summary>
public sealed partial class LibvirtConnection
{
    /// <summary>An interface's XML read failing is always reported (no error number means "removed meanwhile").</summary>
    private static readonly DocumentKind<InterfaceHandle> s_interfaces = new("Interface", Interop.Libvirt.ListAllInterfaces, Interop.Libvirt.InterfaceGetName, Interop.Libvirt.InterfaceGetXmlDesc, Vanished: null);

    /// <summary>Every host interface libvirt's interface driver lists (active and inactive), with its XML.</summary>
    public IReadOnlyList<InterfaceRecord> ListInterfaces() => Read(conn => ListDocuments<InterfaceHandle, InterfaceRecord>(conn, s_interfaces, () => (iface, name, xml) =>
    {
        var active = Interop.Libvirt.virInterfaceIsActive(iface);
        if (active < 0)
        {
            throw Fail(conn, "virInterfaceIsActive", name);
        }

        return new InterfaceRecord(name, xml, active == 1);
    }));
}
