using KimchiNet.Model;

namespace KimchiNet.Hosts;

/// <summary>
/// Makes and removes the host bridges that bridge networks on a NIC or bond need. The core only
/// calls it; an implementation works on a local host (iproute2). What it creates is returned as
/// <see cref="HostChanges"/>, recorded in the network's metadata, and handed back to
/// <see cref="Undo"/> when the network is removed, so nothing is ever undone by guessing from names.
/// </summary>
public interface IHostBridges
{
    /// <summary>
    /// Makes a bridge over <paramref name="device"/> (kb&lt;device&gt;), or, with a VLAN id, a VLAN
    /// device &lt;device&gt;.&lt;id&gt; and a bridge over it (at most 15 bytes each), and moves the
    /// device's IPv4 addresses to the bridge. It undoes its own partial work when it fails.
    /// </summary>
    /// <param name="device">The NIC or bond to put under the bridge.</param>
    /// <param name="vlanId">The VLAN id, or null for an untagged bridge.</param>
    /// <returns>Exactly what was created and moved.</returns>
    /// <exception cref="KimchiException">KCHNET0025E when the bridge or VLAN device cannot be made.</exception>
    HostChanges CreateBridge(string device, int? vlanId);

    /// <summary>Deletes exactly what <paramref name="changes"/> records and moves the addresses back.</summary>
    /// <param name="changes">A record returned by <see cref="CreateBridge"/> (possibly read back from metadata).</param>
    void Undo(HostChanges changes);
}
