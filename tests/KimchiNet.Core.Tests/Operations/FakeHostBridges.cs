using System;
using System.Collections.Generic;
using System.Globalization;
using KimchiNet.Hosts;
using KimchiNet.Model;

namespace KimchiNet.Tests.Operations;

/// <summary>Records the calls; makes nothing on the host.</summary>
internal sealed class FakeHostBridges : IHostBridges
{
    public List<(string Device, int? VlanId)> Created { get; } = new();

    public List<HostChanges> Undone { get; } = new();

    public Exception? CreateFailure { get; init; }

    /// <summary>The devices FindLink reports; CreateBridge adds its bridge, Undo removes it.</summary>
    public Dictionary<string, HostLinkIdentity> Links { get; } = new(StringComparer.Ordinal);

    public HostChanges CreateBridge(string device, int? vlanId)
    {
        if (CreateFailure is not null)
        {
            throw CreateFailure;
        }

        Created.Add((device, vlanId));
        var suffix = vlanId is { } id ? "." + id.ToString(CultureInfo.InvariantCulture) : string.Empty;
        var bridge = new HostLinkIdentity("kb" + device + suffix, "bridge", "52:54:00:00:00:" + (Links.Count + 1).ToString("x2", CultureInfo.InvariantCulture), 100 + Links.Count);
        Links[bridge.Name] = bridge;
        return new HostChanges
        {
            CreatedBridge = bridge.Name,
            BridgeMac = bridge.Mac,
            BridgeIfindex = bridge.Ifindex,
            CreatedVlan = vlanId is { } vlan ? new HostVlanDevice(device + suffix, device, vlan) : null,
            MovedAddresses = ["192.0.2.10/24"],
        };
    }

    public HostLinkIdentity? FindLink(string name) => Links.GetValueOrDefault(name);

    public void Undo(HostChanges changes)
    {
        Undone.Add(changes);
        if (changes.CreatedBridge is { } bridge)
        {
            Links.Remove(bridge);
        }
    }

    public Exception? CheckFailure { get; init; }

    public List<(string Device, int? VlanId)> Checked { get; } = new();

    public void CheckDevice(string device, int? vlanId)
    {
        Checked.Add((device, vlanId));
        if (CheckFailure is not null)
        {
            throw CheckFailure;
        }
    }
}
