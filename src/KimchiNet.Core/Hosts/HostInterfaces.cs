using System;
using System.Collections.Generic;
using KimchiNet.Libvirt;
using KimchiNet.Model;

namespace KimchiNet.Hosts;

/// <summary>The host interfaces of a connection: libvirt's list, or sysfs for a local host where libvirt lists none.</summary>
public static class HostInterfaces
{
    /// <summary>
    /// libvirt's interfaces (<see cref="HostInterfaceXml.FromLibvirt"/>). When libvirt lists none, or
    /// has no interface driver (VIR_ERR_NO_SUPPORT), and the URI is local and not the test driver,
    /// the host's sysfs under <paramref name="sysfsRoot"/> is read instead.
    /// </summary>
    public static IReadOnlyList<HostInterfaceInfo> List(LibvirtConnection connection, string sysfsRoot = SysfsInterfaces.DefaultRoot)
    {
        ArgumentNullException.ThrowIfNull(connection);
        IReadOnlyList<InterfaceRecord> records;
        try
        {
            records = connection.ListInterfaces();
        }
        catch (LibvirtException e) when (e.Error.Code == LibvirtErrorNumbers.NoSupport)
        {
            records = Array.Empty<InterfaceRecord>();
        }

        if (records.Count > 0)
        {
            return HostInterfaceXml.FromLibvirt(records);
        }

        return connection.IsLocal && !connection.IsTestDriver
            ? SysfsInterfaces.Read(sysfsRoot)
            : Array.Empty<HostInterfaceInfo>();
    }
}
