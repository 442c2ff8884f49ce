using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>What <see cref="NetworkOperations.Remove"/> will do, from <see cref="NetworkOperations.PlanRemove"/>.</summary>
public sealed record RemovePlan
{
    /// <summary>The network's name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the network ran when planned; it is then stopped first (only planned with force).</summary>
    public bool IsActive { get; init; }

    /// <summary>Whether the network is defined; a transient one disappears when stopped and is not undefined.</summary>
    public bool IsPersistent { get; init; }

    /// <summary>What KimchiNet recorded in the network's metadata as made on the host, checked against the host and undone after the undefine; null when nothing (or when the record does not match the host: see <see cref="HostChangesWarning"/>).</summary>
    public HostChanges? HostChanges { get; init; }

    /// <summary>Why a record of host changes in the metadata will not be acted on (it does not match the host), or null.</summary>
    public string? HostChangesWarning { get; init; }

    /// <summary>The definition that will be removed (VIR_NETWORK_XML_INACTIVE), for the record.</summary>
    public required string Xml { get; init; }

    /// <summary>One line for ShouldProcess, e.g. "Stop and remove network, delete host bridge kbeth0".</summary>
    public required string Description { get; init; }
}
