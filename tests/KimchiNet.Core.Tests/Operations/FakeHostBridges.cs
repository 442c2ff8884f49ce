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

    public HostChanges CreateBridge(string device, int? vlanId)
    {
        if (CreateFailure is not null)
        {
            throw CreateFailure;
        }

        Created.Add((device, vlanId));
        var suffix = vlanId is { } id ? "." + id.ToString(CultureInfo.InvariantCulture) : string.Empty;
        return new HostChanges
        {
            CreatedBridge = "kb" + device + suffix,
            CreatedVlan = vlanId is { } vlan ? new HostVlanDevice(device + suffix, device, vlan) : null,
            MovedAddresses = ["192.0.2.10/24"],
        };
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

    public void Undo(HostChanges changes) => Undone.Add(changes);
}
