using System.Collections.Generic;

namespace KimchiNet.HelpBuilder.Model;

/// <summary>One example: its title, the code block, and what follows it.</summary>
/// <param name="Title">The heading text, e.g. "Example 1: Convert a CSV file".</param>
/// <param name="Code">The first code block's text.</param>
/// <param name="Remarks">Everything else in the example, paragraph by paragraph (output blocks included).</param>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);
