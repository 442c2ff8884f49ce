using KimchiNet.Model;
using KimchiNet.Planning;

namespace KimchiNet.Operations;

/// <summary>
/// What <see cref="NetworkOperations.Create"/> will do, found by <see cref="NetworkOperations.PlanCreate"/>
/// without changing anything: the validated spec, the XML to define, the planned subnet and whether
/// a host bridge will be made.
/// </summary>
public sealed record CreatePlan
{
    /// <summary>The validated specification.</summary>
    public required NetworkSpec Spec { get; init; }

    /// <summary>
    /// The network XML to define. When <see cref="CreatesHostBridge"/> is true it is a preview: the
    /// bridge name is the expected one, and Create rebuilds the XML with the bridge and the
    /// <c>&lt;kimchinet:created&gt;</c> record that <see cref="Hosts.IHostBridges.CreateBridge"/> actually returns.
    /// </summary>
    public required string Xml { get; init; }

    /// <summary>The subnet of a nat or isolated network (given or planned); null for the other types.</summary>
    public Ipv4Subnet? Subnet { get; init; }

    /// <summary>The IPv6 /64 of a nat, isolated, routed or open network (given or planned); null when it has none.</summary>
    public Ipv6Subnet? Ipv6Subnet { get; init; }

    /// <summary>The host's unique-local global ID the IPv6 /64 was planned under ('auto'); null when it was given or there is none.</summary>
    public ulong? UlaGlobalId { get; init; }

    /// <summary>
    /// The bridge KimchiNet chose for a nat or isolated network: the lowest free <c>virbrN</c>, so
    /// also past libvirt's own limit of 256 (virbr0..virbr255); null for the other types.
    /// </summary>
    public string? BridgeName { get; init; }

    /// <summary>True when Create makes a host bridge over a NIC or bond (a bridge network not on an existing bridge).</summary>
    public bool CreatesHostBridge { get; init; }

    /// <summary>Warnings for the user (a subnet that could not be checked against the host's addresses); empty when none.</summary>
    public System.Collections.Generic.IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>One line for ShouldProcess, e.g. "Define vepa network on eth1, eth2".</summary>
    public required string Description { get; init; }
}
