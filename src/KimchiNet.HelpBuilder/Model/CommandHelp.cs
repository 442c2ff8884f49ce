using System;
using System.Collections.Generic;

namespace KimchiNet.HelpBuilder.Model;

/// <summary>
/// One cmdlet's help as read from its markdown page. It is the only input of the MAML writer, so
/// everything the writer needs has been checked by the reader by the time one exists.
/// </summary>
public sealed record CommandHelp
{
    /// <summary>The cmdlet name, Verb-Noun.</summary>
    public required string Name { get; init; }

    /// <summary>The module the cmdlet belongs to (front matter "Module Name").</summary>
    public required string ModuleName { get; init; }

    /// <summary>The MAML file the cmdlet's help goes into (front matter "external help file").</summary>
    public required string ExternalHelpFile { get; init; }

    /// <summary>The online version's address (front matter "online version"), or null.</summary>
    public string? OnlineVersion { get; init; }

    /// <summary>The SYNOPSIS paragraphs.</summary>
    public required IReadOnlyList<string> Synopsis { get; init; }

    /// <summary>The DESCRIPTION paragraphs.</summary>
    public required IReadOnlyList<string> Description { get; init; }

    /// <summary>One entry per parameter set, in the order the page lists them.</summary>
    public required IReadOnlyList<SyntaxHelp> Syntax { get; init; }

    /// <summary>The parameters, in the order the page documents them (CommonParameters excluded).</summary>
    public required IReadOnlyList<ParameterHelp> Parameters { get; init; }

    /// <summary>The examples, in page order.</summary>
    public required IReadOnlyList<ExampleHelp> Examples { get; init; }

    /// <summary>The INPUTS types.</summary>
    public required IReadOnlyList<TypeHelp> Inputs { get; init; }

    /// <summary>The OUTPUTS types.</summary>
    public required IReadOnlyList<TypeHelp> Outputs { get; init; }

    /// <summary>The NOTES paragraphs; empty when the page has none.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The RELATED LINKS, in page order.</summary>
    public IReadOnlyList<LinkHelp> RelatedLinks { get; init; } = [];

    /// <summary>The verb: the part of <see cref="Name"/> before the first hyphen.</summary>
    public string Verb => Name[..Name.IndexOf('-', StringComparison.Ordinal)];

    /// <summary>The noun: the part of <see cref="Name"/> after the first hyphen.</summary>
    public string Noun => Name[(Name.IndexOf('-', StringComparison.Ordinal) + 1)..];
}
