using System;
using System.Collections.Generic;
using KimchiNet.HelpBuilder.Model;

namespace KimchiNet.HelpBuilder.Markdown;

/// <summary>
/// Reads one syntax line (<c>Verb-Noun [-Name] &lt;String&gt; -Connection &lt;String&gt; [-Subnet &lt;String&gt;]</c>)
/// into its parameters, with whether each is required and positional as the brackets say. The
/// reader compares that with the yaml blocks, so syntax and parameter facts cannot drift apart.
/// </summary>
public static class SyntaxLine
{
    /// <summary>What a syntax line holds.</summary>
    /// <param name="Command">The first word (the command name).</param>
    /// <param name="Parameters">The parameters, in line order.</param>
    /// <param name="CommonParameters">Whether [&lt;CommonParameters&gt;] is present.</param>
    public sealed record Parsed(string Command, IReadOnlyList<SyntaxParameter> Parameters, bool CommonParameters);

    /// <summary>Parses a syntax block's text; returns null and sets <paramref name="error"/> on unbalanced brackets.</summary>
    public static Parsed? Parse(string code, int line, out string? error)
    {
        var text = string.Join(' ', code.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var command = space < 0 ? text : text[..space];
        var parameters = new List<SyntaxParameter>();
        var common = false;
        var depth = 0;
        for (var i = command.Length; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    if (depth < 0)
                    {
                        error = "the syntax line has a ']' without a matching '['";
                        return null;
                    }

                    break;
                case '<' or '{':
                    // Type names (<String[]>) and value sets ({A | B}) hold brackets of their own.
                    var close = text.IndexOf(c == '<' ? '>' : '}', i);
                    if (close < 0)
                    {
                        error = $"the syntax line has a '{c}' that is never closed";
                        return null;
                    }

                    common |= string.Equals(text[(i + 1)..close], "CommonParameters", StringComparison.Ordinal);
                    i = close;
                    break;
                case '-' when (text[i - 1] is ' ' or '[') && i + 1 < text.Length && char.IsLetter(text[i + 1]):
                    var end = i + 1;
                    while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
                    {
                        end++;
                    }

                    var nameOnly = text[i - 1] == '[' && end < text.Length && text[end] == ']' && NextIsValue(text, end + 1);
                    var effectiveDepth = depth - (nameOnly ? 1 : 0);
                    parameters.Add(new SyntaxParameter(text[(i + 1)..end], effectiveDepth == 0, nameOnly, line));
                    i = end - 1;
                    break;
            }
        }

        if (depth != 0)
        {
            error = "the syntax line has a '[' without a matching ']'";
            return null;
        }

        error = null;
        return new Parsed(command, parameters, common);
    }

    /// <summary>A bracketed name is positional only when a value placeholder follows it: <c>[-Name] &lt;String&gt;</c>, not <c>[-Force]</c>.</summary>
    private static bool NextIsValue(string text, int index)
    {
        while (index < text.Length && text[index] == ' ')
        {
            index++;
        }

        return index < text.Length && text[index] is '<' or '{';
    }
}
