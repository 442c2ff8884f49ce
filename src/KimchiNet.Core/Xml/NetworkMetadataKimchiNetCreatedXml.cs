using System.Collections.Generic;
using System.Xml.Linq;

namespace KimchiNet.Xml;

/// <summary>
/// <c>&lt;kimchinet:created&gt;</c>: what KimchiNet made on the host for a bridge network on a NIC or bond.
/// <code>
/// &lt;kimchinet:created&gt;
///   &lt;kimchinet:bridge name="kbeth0" mac="52:54:00:12:34:56" ifindex="7" /&gt;
///   &lt;kimchinet:vlan dev="eth0.10" parent="eth0" id="10" /&gt;
///   &lt;kimchinet:address value="192.168.1.5/24" /&gt;
///   &lt;kimchinet:manager name="networkd" /&gt;
///   &lt;kimchinet:file path="/etc/systemd/network/10-eth0.network" kept="/etc/systemd/network/.kimchinet/kbeth0/10-eth0.network" /&gt;
/// &lt;/kimchinet:created&gt;
/// </code>
/// </summary>
public sealed record NetworkMetadataKimchiNetCreatedXml
{
    /// <summary>The bridge KimchiNet created, or null.</summary>
    public string? Bridge { get; init; }

    /// <summary>The created bridge's MAC address when it was made, or null (not recorded before KimchiNet checked it).</summary>
    public string? BridgeMac { get; init; }

    /// <summary>The created bridge's interface index when it was made, or null.</summary>
    public int? BridgeIfindex { get; init; }

    /// <summary>The VLAN device KimchiNet created, or null.</summary>
    public string? VlanDevice { get; init; }

    /// <summary>The NIC or bond under the created VLAN device, or null.</summary>
    public string? VlanParent { get; init; }

    /// <summary>The id of the created VLAN device, or null.</summary>
    public int? VlanId { get; init; }

    /// <summary>The IPv4 addresses moved from the device to the bridge, as address/prefix.</summary>
    public IReadOnlyList<string> MovedAddresses { get; init; } = [];

    /// <summary>The network manager the bridge was made through (networkd), or null for iproute2 alone.</summary>
    public string? Manager { get; init; }

    /// <summary>The <c>renderer</c> attribute of <c>&lt;kimchinet:manager&gt;</c>: for netplan, the backend it rendered for ("networkd", "NetworkManager"), or null.</summary>
    public string? ManagerRenderer { get; init; }

    /// <summary>The manager files written: path, and where the original is kept (null for a file KimchiNet created).</summary>
    public IReadOnlyList<(string Path, string? Kept)> ManagerFiles { get; init; } = [];

    /// <summary>Children a later KimchiNet version may add, kept raw.</summary>
    public IReadOnlyList<XElement> OtherElements { get; init; } = [];
}
