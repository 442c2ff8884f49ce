using System.Collections.Generic;
using KimchiNet.Model;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>A checked change of a network's DHCP reservations, ready to carry out; nothing was changed to make it.</summary>
public sealed record DhcpReservationPlan
{
    /// <summary>The network's name.</summary>
    public required string Network { get; init; }

    /// <summary>The position of the IPv4 &lt;ip&gt; element among all of the network's &lt;ip&gt;s (virNetworkUpdate's parentIndex).</summary>
    public required int ParentIndex { get; init; }

    /// <summary>The &lt;host&gt; elements to send, one call each.</summary>
    public required IReadOnlyList<NetworkDhcpHostXml> Hosts { get; init; }

    /// <summary>The reservations added or removed, as Get-KimchiDhcpReservation shows them.</summary>
    public required IReadOnlyList<DhcpReservationInfo> Reservations { get; init; }

    /// <summary>What will be done, for -WhatIf and -Confirm, e.g. "Add DHCP reservation 52:54:00:12:34:56 -> 10.0.0.5 live and in the persistent definition, without a restart".</summary>
    public required string Description { get; init; }
}
