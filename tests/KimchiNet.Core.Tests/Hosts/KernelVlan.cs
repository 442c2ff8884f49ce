using System;

namespace KimchiNet.Tests.Hosts;

/// <summary>
/// Whether this kernel can make 802.1Q VLAN devices (CONFIG_VLAN_8021Q): probed once by making one on
/// a veth in a throw-away namespace. Some CI kernels lack it; the VLAN tests then test the refusal.
/// </summary>
internal static class KernelVlan
{
    private static readonly Lazy<bool> s_supported = new(Probe);

    public static bool Supported => s_supported.Value;

    private static bool Probe()
    {
        var ns = "kn-hbprobe-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            NetnsLab.Run("ip", "netns", "add", ns);
        }
        catch (InvalidOperationException)
        {
            return true; // no namespaces at all: let the VLAN test itself fail and say why
        }

        try
        {
            NetnsLab.Run("ip", "-n", ns, "link", "add", "p1", "type", "veth", "peer", "name", "p2");
            NetnsLab.Run("ip", "-n", ns, "link", "add", "link", "p1", "name", "p1.5", "type", "vlan", "id", "5");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            NetnsLab.Run("ip", "netns", "del", ns);
        }
    }
}

/// <summary>A fact that runs only where the kernel makes VLAN devices.</summary>
public sealed class VlanFactAttribute : FactAttribute
{
    public VlanFactAttribute()
    {
        if (!KernelVlan.Supported)
        {
            Skip = "This kernel cannot make VLAN devices (no CONFIG_VLAN_8021Q); the refusal is tested instead.";
        }
    }
}

/// <summary>A fact that runs only where the kernel cannot make VLAN devices.</summary>
public sealed class NoVlanFactAttribute : FactAttribute
{
    public NoVlanFactAttribute()
    {
        if (KernelVlan.Supported)
        {
            Skip = "This kernel makes VLAN devices; the VLAN bridge itself is tested instead.";
        }
    }
}
