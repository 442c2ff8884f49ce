using System;
using System.Collections.Generic;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>
/// Which host devices a network needs that the host lacks: the bridge of a bridge network (and
/// the VLAN device KimchiNet made under it), the devices of a macvtap, vepa or passthrough network,
/// and the bridge libvirt made for an active nat or isolated network. A bridge deleted behind
/// libvirt's back (or lost in a reboot) leaves the network "active" in libvirt while guests fail
/// to attach ("Cannot get interface MTU on 'kbeth1': No such device").
/// </summary>
internal static class NetworkHealthCheck
{
    private static readonly HashSet<string> s_deviceModes = new(StringComparer.Ordinal) { "bridge", "vepa", "passthrough", "private" };

    /// <summary>
    /// The problems of one network, given the names of the host's devices; <paramref name="allDevicesListed"/>
    /// says whether every device of the host is among them, the bridges libvirt makes for nat and isolated
    /// networks and Open vSwitch bridges included (not on the test driver, whose fake host lists neither).
    /// </summary>
    public static IReadOnlyList<string> Problems(NetworkDescription description, bool isActive, ISet<string> devices, bool allDevicesListed)
    {
        var problems = new List<string>();
        void Need(string? device, string what)
        {
            if (!string.IsNullOrEmpty(device) && !devices.Contains(device))
            {
                problems.Add($"{what} '{DisplayText.Printable(device)}' is missing on the host");
            }
        }

        switch (description.Connection)
        {
            case ConnectionType.Bridge:
                if (allDevicesListed || description.VirtualPortType != "openvswitch")
                {
                    Need(description.BridgeName, "its bridge");
                }

                Need(description.HostChanges?.CreatedVlan?.Name, "its VLAN device");
                break;
            case ConnectionType.Nat or ConnectionType.Isolated or ConnectionType.Routed or ConnectionType.Open:
                if (isActive && allDevicesListed)
                {
                    Need(description.BridgeName, "its bridge");
                }

                break;
            default:
                if (description.ForwardMode is { } mode && s_deviceModes.Contains(mode))
                {
                    foreach (var device in description.Interfaces)
                    {
                        Need(device, "its host interface");
                    }
                }

                break;
        }

        return problems;
    }
}
