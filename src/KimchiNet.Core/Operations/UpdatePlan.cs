namespace KimchiNet.Operations;

/// <summary>What <see cref="NetworkOperations.Update"/> will do, from <see cref="NetworkOperations.PlanUpdate"/>.</summary>
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

    /// <summary>One line for ShouldProcess, e.g. "Rename to lab2, change subnet to 10.0.5.0/24".</summary>
    public required string Description { get; init; }
}
