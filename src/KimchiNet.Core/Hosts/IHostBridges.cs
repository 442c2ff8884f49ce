using KimchiNet.Model;

namespace KimchiNet.Hosts;

/// <summary>Makes and unmakes the host bridges that bridge networks on a NIC or bond need.</summary>
public interface IHostBridges
{
    /// <summary>Creates the bridge (and VLAN device) for <paramref name="device"/>, moving its IPv4 addresses; undoes itself on failure.</summary>
    HostChanges CreateBridge(string device, int? vlanId);

    /// <summary>The device of that name as it is now (kind, MAC, interface index), or null when there is none: to check a recorded bridge is still the one made.</summary>
    HostLinkIdentity? FindLink(string name);

    /// <summary>
    /// Runs the checks <see cref="CreateBridge"/> makes on <paramref name="device"/> before it changes
    /// anything (it exists on this machine, is no loopback, bridge or port, ...), changing nothing; so a
    /// plan (-WhatIf) refuses what the real run would.
    /// </summary>
    /// <exception cref="KimchiException">The refusal <see cref="CreateBridge"/> would give.</exception>
    void CheckDevice(string device, int? vlanId);

    /// <summary>Deletes exactly what <paramref name="changes"/> records and moves the addresses back.</summary>
    void Undo(HostChanges changes);
}
