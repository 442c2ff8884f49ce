using System;
using System.Collections.Generic;

namespace KimchiNet.Operations;

/// <summary>What <see cref="NetworkOperations.Stop"/> will do, from <see cref="NetworkOperations.PlanStop"/>.</summary>
public sealed record StopPlan
{
    /// <summary>The network's name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the network ran when planned; when false, Stop does nothing.</summary>
    public bool IsActive { get; init; }

    /// <summary>The virtual machines using the network (non-empty only when the stop was forced).</summary>
    public IReadOnlyList<string> VMs { get; init; } = Array.Empty<string>();
}
