using System.Collections.Generic;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>
/// A checked replacement of a network's IPv4 DHCP reservations by a whole set, from
/// <see cref="DesiredState.PlanReservationSet"/>, carried out by <see cref="DesiredState.ReplaceReservations(NetworkOperations, DhcpReservationSetPlan)"/>;
/// nothing was changed to make it.
/// </summary>
public sealed record DhcpReservationSetPlan
{
    /// <summary>The network's name (its new name when an update renames it first).</summary>
    public required string Network { get; init; }

    /// <summary>The network's reservations that no desired one matches, to be removed first.</summary>
    public required IReadOnlyList<DhcpReservation> Removed { get; init; }

    /// <summary>The desired reservations that none of the network's matches, to be added after the removals.</summary>
    public required IReadOnlyList<DhcpReservation> Added { get; init; }

    /// <summary>What will be done, for -WhatIf and -Confirm, e.g. "remove DHCP reservations 52:54:00:00:00:01=10.0.0.5, add DHCP reservations 52:54:00:00:00:02=10.0.0.6 (live where the network runs, without a restart)".</summary>
    public required string Description { get; init; }

    /// <summary>The network's definition as the replacement leaves it (for the -WhatIf diff).</summary>
    public required string Xml { get; init; }
}
