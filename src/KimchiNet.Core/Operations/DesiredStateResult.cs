using System;
using System.Collections.Generic;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>What <see cref="DesiredState.Converge"/> found and did.</summary>
public sealed record DesiredStateResult
{
    /// <summary>The network's name.</summary>
    public required string Name { get; init; }

    /// <summary>The differences found before anything was changed; empty when the host was already as desired.</summary>
    public IReadOnlyList<DesiredStateDifference> Differences { get; init; } = Array.Empty<DesiredStateDifference>();

    /// <summary>The steps carried out, in order, one sentence each (e.g. "Stop", "Update: change subnet to 10.1.2.0/24"); empty for a no-op.</summary>
    public IReadOnlyList<string> Steps { get; init; } = Array.Empty<string>();

    /// <summary>Warnings for a person to read, e.g. a record of host changes that was not acted on because it does not match the host.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>The network afterwards; null when it is absent.</summary>
    public KimchiNetworkInfo? Network { get; init; }

    /// <summary>True when anything on the host was changed.</summary>
    public bool Changed => Steps.Count > 0;
}
