using System.Collections.Generic;

namespace KimchiNet.HelpBuilder.Model;

/// <summary>An input or output type: the heading under INPUTS or OUTPUTS, and its text.</summary>
/// <param name="Name">The type name as written (System.String, None…).</param>
/// <param name="Description">The paragraphs under the heading.</param>
public sealed record TypeHelp(string Name, IReadOnlyList<string> Description);
