using System.Collections.Generic;

namespace KimchiNet.HelpBuilder.Model;

/// <summary>One parameter set as the SYNTAX section shows it.</summary>
/// <param name="ParameterSetName">The set's name; <see cref="AllParameterSets"/> when the page gives none.</param>
/// <param name="IsDefault">Whether the heading says "(Default)".</param>
/// <param name="Parameters">The set's parameters in the order the syntax line shows them.</param>
/// <param name="CommonParameters">Whether the syntax line ends with [&lt;CommonParameters&gt;].</param>
public sealed record SyntaxHelp(
    string ParameterSetName,
    bool IsDefault,
    IReadOnlyList<SyntaxParameter> Parameters,
    bool CommonParameters)
{
    /// <summary>PowerShell's name for the one set of a cmdlet that declares none.</summary>
    public const string AllParameterSets = "__AllParameterSets";
}

/// <summary>How one parameter appears on a syntax line.</summary>
/// <param name="Name">The parameter name without the hyphen.</param>
/// <param name="Required">False when the whole parameter is in square brackets.</param>
/// <param name="Positional">True when only the name is bracketed (<c>[-Name] &lt;String&gt;</c>).</param>
/// <param name="Line">The 1-based line of the syntax block, for messages.</param>
public sealed record SyntaxParameter(string Name, bool Required, bool Positional, int Line);
