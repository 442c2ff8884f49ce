using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using KimchiNet.HelpBuilder.Model;
using Markdig.Syntax;

namespace KimchiNet.HelpBuilder.Markdown;

/// <summary>
/// One platyPS v1 parameter yaml block. The block is a flat list of "Key: value" lines with a fixed
/// set of keys, so it is read line by line and every key is checked: a misspelt key would otherwise
/// vanish silently from the help.
/// </summary>
/// <param name="Type">The parameter type.</param>
/// <param name="Aliases">The aliases.</param>
/// <param name="AcceptedValues">The accepted values.</param>
/// <param name="DefaultValue">The default value, or null for None.</param>
/// <param name="Globbing">Whether wildcards are accepted.</param>
/// <param name="Facts">The per-set facts.</param>
/// <param name="Line">The 1-based line of the block's opening fence.</param>
public sealed record ParameterYaml(
    string Type,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    string? DefaultValue,
    bool Globbing,
    ParameterSetFacts Facts,
    int Line)
{
    private const string TypeKey = "Type";
    private const string SetsKey = "Parameter Sets";
    private const string AliasesKey = "Aliases";
    private const string AcceptedKey = "Accepted values";
    private const string RequiredKey = "Required";
    private const string PositionKey = "Position";
    private const string DefaultKey = "Default value";
    private const string PipelineKey = "Accept pipeline input";
    private const string WildcardKey = "Accept wildcard characters";

    private static readonly string[] s_keys =
        [TypeKey, SetsKey, AliasesKey, AcceptedKey, RequiredKey, PositionKey, DefaultKey, PipelineKey, WildcardKey];

    private static readonly string[] s_requiredKeys = [TypeKey, SetsKey, RequiredKey, PositionKey, PipelineKey, WildcardKey];

    private static readonly Regex s_pipeline = new(
        @"^(False|True \((ByValue|ByPropertyName)(, (ByValue|ByPropertyName))?\))$",
        RegexOptions.CultureInvariant);

    /// <summary>Reads a yaml block; on any problem adds diagnostics and returns null.</summary>
    public static ParameterYaml? Read(LeafBlock block, string file, string parameter, List<HelpDiagnostic> diagnostics)
    {
        var blockLine = MarkdownText.LineOf(block);
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        var before = diagnostics.Count;
        foreach (var raw in block.Lines.Lines.Take(block.Lines.Count))
        {
            var text = raw.Slice.ToString();
            var line = raw.Line + 1;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var key = colon > 0 ? text[..colon].Trim() : string.Empty;
            var canonical = s_keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
            {
                diagnostics.Add(new(file, line, $"-{parameter}: '{text.Trim()}' is not a parameter yaml line; the keys are: {string.Join(", ", s_keys)}."));
            }
            else if (!values.TryAdd(canonical, (text[(colon + 1)..].Trim(), line)))
            {
                diagnostics.Add(new(file, line, $"-{parameter}: '{canonical}' is given twice in one yaml block."));
            }
        }

        foreach (var key in s_requiredKeys.Where(k => !values.ContainsKey(k)))
        {
            diagnostics.Add(new(file, blockLine, $"-{parameter}: the yaml block has no '{key}:' line."));
        }

        if (diagnostics.Count > before)
        {
            return null;
        }

        var type = values[TypeKey];
        if (type.Value.Length == 0)
        {
            diagnostics.Add(new(file, type.Line, $"-{parameter}: Type is empty."));
        }

        var sets = values[SetsKey];
        IReadOnlyList<string> setNames = string.Equals(sets.Value, "(All)", StringComparison.OrdinalIgnoreCase) ? [] : SplitList(sets.Value);
        if (setNames.Count == 0 && !string.Equals(sets.Value, "(All)", StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Add(new(file, sets.Line, $"-{parameter}: Parameter Sets is empty; write (All) or the set names."));
        }

        var required = ReadBool(values[RequiredKey], parameter, file, diagnostics);
        var globbing = ReadBool(values[WildcardKey], parameter, file, diagnostics);

        int? position = null;
        var positionText = values[PositionKey];
        if (int.TryParse(positionText.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            position = number;
        }
        else if (!string.Equals(positionText.Value, "Named", StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Add(new(file, positionText.Line, $"-{parameter}: Position is '{positionText.Value}'; write Named or a number from 0."));
        }

        var pipeline = values[PipelineKey];
        if (!s_pipeline.IsMatch(pipeline.Value))
        {
            diagnostics.Add(new(file, pipeline.Line, $"-{parameter}: Accept pipeline input is '{pipeline.Value}'; write False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName)."));
        }

        if (diagnostics.Count > before)
        {
            return null;
        }

        var defaultValue = values.TryGetValue(DefaultKey, out var d) && d.Value.Length > 0 && !string.Equals(d.Value, "None", StringComparison.OrdinalIgnoreCase)
            ? d.Value
            : null;
        return new ParameterYaml(
            type.Value,
            values.TryGetValue(AliasesKey, out var aliases) ? SplitList(aliases.Value) : [],
            values.TryGetValue(AcceptedKey, out var accepted) ? SplitList(accepted.Value) : [],
            defaultValue,
            globbing,
            new ParameterSetFacts(setNames, required, position, pipeline.Value),
            blockLine);
    }

    private static bool ReadBool((string Value, int Line) entry, string parameter, string file, List<HelpDiagnostic> diagnostics)
    {
        if (bool.TryParse(entry.Value, out var value))
        {
            return value;
        }

        diagnostics.Add(new(file, entry.Line, $"-{parameter}: '{entry.Value}' is not True or False."));
        return false;
    }

    /// <summary>Comma-separated values, trimmed; "None" and an empty text give an empty list.</summary>
    private static string[] SplitList(string text) =>
        string.Equals(text, "None", StringComparison.OrdinalIgnoreCase)
            ? []
            : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
