using System;
using System.Collections.Generic;
using System.Linq;
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

        var local = connection.IsLocal && !connection.Uri.StartsWith("test:", StringComparison.OrdinalIgnoreCase);
        IReadOnlyList<HostInterfaceInfo> interfaces = records.Count > 0
            ? HostInterfaceXml.FromLibvirt(records)
            : local ? SysfsInterfaces.Read(sysfsRoot) : Array.Empty<HostInterfaceInfo>();
        return local ? MarkOpenVSwitchBridges(interfaces, OpenVSwitch.Bridges()) : interfaces;
    }

    /// <summary>
    /// Marks the devices that are Open vSwitch bridges (libvirt and sysfs see them as plain devices)
    /// as bridges with <see cref="HostInterfaceInfo.OpenVSwitch"/>, and adds those libvirt did not
    /// list at all (its udev backend lists only the devices udev announced).
    /// </summary>
    internal static IReadOnlyList<HostInterfaceInfo> MarkOpenVSwitchBridges(IReadOnlyList<HostInterfaceInfo> interfaces, IReadOnlySet<string> ovsBridges)
    {
        if (ovsBridges.Count == 0)
        {
            return interfaces;
        }

        var marked = new List<HostInterfaceInfo>(interfaces.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in interfaces)
        {
            seen.Add(item.Name);
            marked.Add(ovsBridges.Contains(item.Name) ? item with { Type = HostInterfaceType.Bridge, OpenVSwitch = true } : item);
        }

        foreach (var name in ovsBridges.Order(StringComparer.Ordinal))
        {
            if (!seen.Contains(name))
            {
                marked.Add(new HostInterfaceInfo { Name = name, Type = HostInterfaceType.Bridge, OpenVSwitch = true });
            }
        }

        return marked;
    }
}
