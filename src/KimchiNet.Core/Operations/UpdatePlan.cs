using System.Collections.Generic;
using KimchiNet.Libvirt;

namespace KimchiNet.Operations;

/// <summary>What <see cref="NetworkOperations.Update"/> will do, from <see cref="NetworkOperations.PlanUpdate(string, NetworkUpdate, bool)"/>.</summary>
public sealed record UpdatePlan
{
    /// <summary>The network's current name.</summary>
    public required string Name { get; init; }

    /// <summary>The current persistent definition, exactly as libvirt gave it; Update refuses when it changed since.</summary>
    public required string OldXml { get; init; }

    /// <summary>The definition after the update: the current one with only the changed parts edited.</summary>
    public required string NewXml { get; init; }

    /// <summary>The requested change.</summary>
    public required NetworkUpdate Update { get; init; }

    /// <summary>True when the update asks for nothing that differs (no new name, subnet, devices or VLAN id, autostart as it is): Update then changes nothing, even on an active network.</summary>
    public bool ChangesNothing { get; init; }

    /// <summary>
    /// True when the network was active when planned: <see cref="NetworkOperations.Update"/> then makes
    /// the change live (<see cref="Restart"/> false) or restarts the network (<see cref="Restart"/> true).
    /// </summary>
    public bool Active { get; init; }

    /// <summary>True when the active network is to be stopped, redefined and started, and its running guests' NICs reconnected (Set-KimchiNetwork -Restart).</summary>
    public bool Restart { get; init; }

    /// <summary>Each change asked for, and whether it goes live or needs a restart (for an inactive network, every change is in the definition only and Live is false).</summary>
    public IReadOnlyList<UpdateChange> Changes { get; init; } = [];

    /// <summary>The running guests that use the active network (that a restart cuts off until their NICs are reconnected), by name.</summary>
    public IReadOnlyList<string> RunningGuests { get; init; } = [];

    /// <summary>The virNetworkUpdate calls that make the change live, in order (empty for a restart or an inactive network).</summary>
    internal IReadOnlyList<LiveNetworkEdit> LiveEdits { get; init; } = [];

    /// <summary>One line for ShouldProcess, e.g. "Rename to lab2, change subnet to 10.0.5.0/24".</summary>
    public required string Description { get; init; }

    /// <summary>Warnings for the user (a host bridge the network leaves whose record no longer matches the host, which is then left untouched); empty when none.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What moving a bridge network does on the host (a host bridge made over the new NIC, the one KimchiNet made undone), or null.</summary>
    internal HostBridgeMove? HostBridgeMove { get; init; }
}

/// <summary>
/// What an update that moves a bridge network does on the host: the host bridge it makes over
/// <paramref name="NewDevice"/> (null when the new device is a bridge already), as planned in
/// <paramref name="Expected"/>, and the host changes KimchiNet made for it that it undoes afterwards
/// (<paramref name="Old"/>; null when there are none, or when their record does not match the host,
/// which <paramref name="Warning"/> then says). <paramref name="Owner"/> is the network manager the plan
/// found owning the new device (null when none, for a VLAN bridge or another bridge maker), for the plan's
/// description; the bridge itself is made on the owner found when the update is carried out.
/// </summary>
internal sealed record HostBridgeMove(string? NewDevice, int? NewVlanId, KimchiNet.Model.HostChanges? Expected, KimchiNet.Model.HostChanges? Old, string? Warning, KimchiNet.Model.InterfaceOwner? Owner);

/// <summary>One change of an update, as -WhatIf shows it.</summary>
/// <param name="Property">The parameter that asks for it (NewName, Subnet, Interfaces, VlanId, DhcpRange, Autostart).</param>
/// <param name="Description">What changes, e.g. "change subnet to 10.0.5.0/24".</param>
/// <param name="Live">True when it is made on the running network without a restart.</param>
public sealed record UpdateChange(string Property, string Description, bool Live);

/// <summary>One virNetworkUpdate call of a live change; its undo is the opposite command with the same element.</summary>
internal sealed record LiveNetworkEdit(NetworkUpdateCommand Command, NetworkUpdateSection Section, int ParentIndex, string Xml);
