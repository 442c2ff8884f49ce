using System;
using System.Collections.Generic;
using System.Linq;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace KimchiNet.HelpBuilder.Markdown;

/// <summary>
/// The "key: value" lines between the leading --- fences. platyPS front matter is flat, so this is
/// read line by line rather than with a YAML library; keys compare case-insensitively.
/// </summary>
public sealed class FrontMatter
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    private FrontMatter(int line) => Line = line;

    /// <summary>The 1-based line of the opening fence.</summary>
    public int Line { get; }

    /// <summary>The front matter of a parsed document, or null when it has none.</summary>
    public static FrontMatter? From(MarkdownDocument document)
    {
        if (document.FirstOrDefault() is not YamlFrontMatterBlock block)
        {
            return null;
        }

        var matter = new FrontMatter(MarkdownText.LineOf(block));
        foreach (var raw in block.Lines.Lines.Take(block.Lines.Count))
        {
            var line = raw.Slice.ToString();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.Trim() == "---" || colon <= 0)
            {
                continue;
            }

            matter._values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return matter;
    }

    /// <summary>The value of a key, or null when the key is absent.</summary>
    public string? this[string key] => _values.TryGetValue(key, out var value) ? value : null;
}
