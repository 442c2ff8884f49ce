using System;
using System.Collections.Generic;

namespace KimchiNet.Model;

/// <summary>
/// What KimchiNet changed on the host to make a bridge network on a NIC or bond: the bridge it
/// created, the VLAN device it created, and the IPv4 addresses it moved from the device to the
/// bridge. It is recorded in the network's metadata so that removing the network undoes exactly
/// this and nothing else.
/// </summary>
public sealed record HostChanges
{
    /// <summary>The bridge KimchiNet created, or null when it used an existing one.</summary>
    public string? CreatedBridge { get; init; }

    /// <summary>The VLAN device KimchiNet created under the bridge, or null when it created none.</summary>
    public HostVlanDevice? CreatedVlan { get; init; }

    /// <summary>The created bridge's MAC address (lower case) right after it was made: part of its identity, checked before Remove deletes it.</summary>
    public string? BridgeMac { get; init; }

    /// <summary>The created bridge's interface index right after it was made: part of its identity, checked before Remove deletes it.</summary>
    public int? BridgeIfindex { get; init; }

    /// <summary>The IPv4 addresses moved from the device to the bridge, as address/prefix (e.g. 192.168.1.5/24).</summary>
    public IReadOnlyList<string> MovedAddresses { get; init; } = Array.Empty<string>();

    /// <summary>The network manager the bridge was made through (<see cref="HostNetworkManager.Networkd"/>), or null when it was made with iproute2 alone.</summary>
    public HostNetworkManager? Manager { get; init; }

    /// <summary>For <see cref="HostNetworkManager.Netplan"/>: the backend netplan rendered the bridge for (Networkd or NetworkManager), which Remove reloads; else null.</summary>
    public HostNetworkManager? Renderer { get; init; }

    /// <summary>The manager's files KimchiNet wrote: each with where its original is kept (null for a file KimchiNet created), so Remove restores them byte for byte.</summary>
    public IReadOnlyList<ManagerFileChange> ManagerFiles { get; init; } = Array.Empty<ManagerFileChange>();
}

/// <summary>A network manager file KimchiNet wrote for a bridge network.</summary>
/// <param name="Path">The file (e.g. /etc/systemd/network/10-eth1.network).</param>
/// <param name="Kept">Where the byte-exact original is kept, or null when KimchiNet created the file (Remove deletes it).</param>
public sealed record ManagerFileChange(string Path, string? Kept);
