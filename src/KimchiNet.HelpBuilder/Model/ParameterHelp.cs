using System;
using System.Collections.Generic;
using System.Linq;

namespace KimchiNet.HelpBuilder.Model;

/// <summary>One parameter from the PARAMETERS section: its text and the facts of its yaml blocks.</summary>
public sealed record ParameterHelp
{
    /// <summary>The name without the hyphen.</summary>
    public required string Name { get; init; }

    /// <summary>The description paragraphs.</summary>
    public required IReadOnlyList<string> Description { get; init; }

    /// <summary>The type as written (String, String[], Int32, SwitchParameter…).</summary>
    public required string Type { get; init; }

    /// <summary>The aliases; empty when none.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The accepted values; empty when any value of the type is taken.</summary>
    public IReadOnlyList<string> AcceptedValues { get; init; } = [];

    /// <summary>The default value, or null when the page says None or nothing.</summary>
    public string? DefaultValue { get; init; }

    /// <summary>Whether the parameter accepts wildcard characters.</summary>
    public bool Globbing { get; init; }

    /// <summary>One entry per yaml block: the facts that can differ between parameter sets.</summary>
    public required IReadOnlyList<ParameterSetFacts> SetFacts { get; init; }

    /// <summary>Whether the parameter is a switch (it takes no value on the command line).</summary>
    public bool IsSwitch => string.Equals(Type, "SwitchParameter", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Type, "System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase);

    /// <summary>The facts for a set, or null when the parameter is not in it.</summary>
    public ParameterSetFacts? FactsFor(string parameterSetName) =>
        SetFacts.FirstOrDefault(f => f.AppliesTo(parameterSetName));
}

/// <summary>The facts of one yaml block: the sets it is about and how the parameter binds in them.</summary>
/// <param name="ParameterSets">The set names; empty means "(All)".</param>
/// <param name="Required">Whether the parameter is mandatory in these sets.</param>
/// <param name="Position">The position, or null for a named parameter.</param>
/// <param name="PipelineInput">"False", or "True (ByValue)", "True (ByPropertyName)" or both.</param>
public sealed record ParameterSetFacts(
    IReadOnlyList<string> ParameterSets,
    bool Required,
    int? Position,
    string PipelineInput)
{
    /// <summary>Whether the block covers every set.</summary>
    public bool AllSets => ParameterSets.Count == 0;

    /// <summary>Whether the block is about the named set (set names compare case-insensitively, as PowerShell's do).</summary>
    public bool AppliesTo(string parameterSetName) =>
        AllSets || ParameterSets.Contains(parameterSetName, StringComparer.OrdinalIgnoreCase);
}
