using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KimchiNet.HelpBuilder.Model;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace KimchiNet.HelpBuilder.Markdown;

/// <summary>What reading one cmdlet page gave: the model when the page is sound, and every problem found.</summary>
/// <param name="Command">The model, or null when there were diagnostics.</param>
/// <param name="Diagnostics">Every problem found in the page (not just the first).</param>
public sealed record CommandReadResult(CommandHelp? Command, IReadOnlyList<HelpDiagnostic> Diagnostics);

/// <summary>
/// Reads a platyPS v1 (schema 2.0.0) cmdlet page into a <see cref="CommandHelp"/>. The page is parsed
/// once by Markdig; the reader walks the top-level blocks, cuts them into ## sections and ### sub-sections,
/// and checks what platyPS's own reader would reject, plus what makes help wrong without failing
/// (syntax that disagrees with a parameter's yaml, an undocumented parameter, fewer than two examples).
/// </summary>
public sealed class CommandMarkdownReader
{
    /// <summary>The fewest examples a page may have.</summary>
    public const int MinExamples = 2;

    private static readonly string[] s_sectionOrder =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    private static readonly string[] s_requiredSections = ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS"];

    private readonly string _file;
    private readonly List<HelpDiagnostic> _diagnostics = [];
    private readonly Dictionary<string, int> _parameterLines = new(StringComparer.OrdinalIgnoreCase);

    // Parameters whose own block was already reported; cross-checks skip them rather than report the same fault again.
    private readonly HashSet<string> _reportedParameters = new(StringComparer.OrdinalIgnoreCase);

    private CommandMarkdownReader(string file) => _file = file;

    /// <summary>The ## sections in the order platyPS writes them.</summary>
    public static IReadOnlyList<string> SectionOrder => s_sectionOrder;

    /// <summary>Reads a page's text; <paramref name="file"/> names it in diagnostics and must be named after the command.</summary>
    public static CommandReadResult Read(string markdown, string file)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var reader = new CommandMarkdownReader(file);
        var command = reader.ReadCommand(markdown);
        return reader._diagnostics.Count == 0
            ? new CommandReadResult(command, [])
            : new CommandReadResult(null, reader._diagnostics);
    }

    private CommandHelp? ReadCommand(string markdown)
    {
        _diagnostics.AddRange(MarkdownText.FindPlaceholders(markdown, _file));
        var document = MarkdownText.Parse(markdown);
        var front = FrontMatter.From(document);
        var (moduleName, helpFile) = CheckFrontMatter(front);

        var blocks = document.Where(b => b is not YamlFrontMatterBlock).ToList();
        if (blocks.FirstOrDefault() is not HeadingBlock { Level: 1 } title)
        {
            Error(blocks.Count > 0 ? blocks[0] : null, "the page must start (after the front matter) with '# Verb-Noun'.");
            return null;
        }

        var name = MarkdownText.Inline(title.Inline);
        CheckName(name, title);
        var sections = CutSections(blocks.Skip(1), title);

        var synopsis = Paragraphs(sections, "SYNOPSIS", mustHaveText: true);
        var syntax = sections.TryGetValue("SYNTAX", out var syntaxSection) ? ReadSyntax(syntaxSection, name) : [];
        var description = Paragraphs(sections, "DESCRIPTION", mustHaveText: true);
        var examples = sections.TryGetValue("EXAMPLES", out var exampleSection) ? ReadExamples(exampleSection) : [];
        var commonDocumented = false;
        var parameters = sections.TryGetValue("PARAMETERS", out var parameterSection)
            ? ReadParameters(parameterSection, out commonDocumented)
            : [];
        var inputs = sections.TryGetValue("INPUTS", out var inputSection) ? ReadTypes(inputSection) : [];
        var outputs = sections.TryGetValue("OUTPUTS", out var outputSection) ? ReadTypes(outputSection) : [];
        var notes = Paragraphs(sections, "NOTES", mustHaveText: false);
        var links = sections.TryGetValue("RELATED LINKS", out var linkSection) ? ReadLinks(linkSection) : [];

        var online = front?["online version"];
        if (!string.IsNullOrEmpty(online))
        {
            links.Insert(0, new LinkHelp("Online Version:", online));
        }

        if (syntaxSection is not null && parameterSection is not null)
        {
            CrossCheck(syntax, parameters, parameterSection);
            if (syntax.Any(s => s.CommonParameters) != commonDocumented)
            {
                Error(parameterSection.Heading, commonDocumented
                    ? "### CommonParameters is documented but no syntax line ends with [<CommonParameters>]."
                    : "the syntax shows [<CommonParameters>] but ## PARAMETERS has no ### CommonParameters.");
            }
        }

        return new CommandHelp
        {
            Name = name,
            ModuleName = moduleName ?? string.Empty,
            ExternalHelpFile = helpFile ?? string.Empty,
            OnlineVersion = string.IsNullOrEmpty(online) ? null : online,
            Synopsis = synopsis,
            Description = description,
            Syntax = syntax,
            Parameters = parameters,
            Examples = examples,
            Inputs = inputs,
            Outputs = outputs,
            Notes = notes,
            RelatedLinks = links,
        };
    }

    private (string? Module, string? HelpFile) CheckFrontMatter(FrontMatter? front)
    {
        if (front is null)
        {
            _diagnostics.Add(new(_file, 1, "the page has no front matter; start it with '---', 'external help file: …', 'Module Name: …', 'schema: 2.0.0', '---'."));
            return (null, null);
        }

        var helpFile = front["external help file"];
        var module = front["Module Name"];
        if (string.IsNullOrEmpty(helpFile) || !helpFile.EndsWith("-Help.xml", StringComparison.OrdinalIgnoreCase) || helpFile.IndexOfAny(['/', '\\']) >= 0)
        {
            _diagnostics.Add(new(_file, front.Line, "front matter 'external help file' must name a file ending in -Help.xml (for a binary module: <Assembly>.dll-Help.xml)."));
        }

        if (string.IsNullOrEmpty(module))
        {
            _diagnostics.Add(new(_file, front.Line, "front matter has no 'Module Name'."));
        }

        if (front["schema"] != "2.0.0")
        {
            _diagnostics.Add(new(_file, front.Line, $"front matter 'schema' is '{front["schema"]}'; only platyPS schema 2.0.0 is read."));
        }

        return (module, helpFile);
    }

    private void CheckName(string name, HeadingBlock title)
    {
        var hyphen = name.IndexOf('-', StringComparison.Ordinal);
        if (hyphen <= 0 || hyphen == name.Length - 1 || name.Any(char.IsWhiteSpace))
        {
            Error(title, $"the title '{name}' is not a Verb-Noun command name.");
        }

        var expected = Path.GetFileNameWithoutExtension(_file);
        if (!string.Equals(name, expected, StringComparison.Ordinal))
        {
            Error(title, $"the title '{name}' differs from the file name '{expected}'; name the page after its command.");
        }
    }

    private Dictionary<string, Section> CutSections(IEnumerable<Block> blocks, HeadingBlock title)
    {
        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        Section? current = null;
        var lastIndex = -1;
        foreach (var block in blocks)
        {
            if (block is HeadingBlock { Level: 1 })
            {
                Error(block, "a page holds one command: a second '#' heading is not allowed.");
            }
            else if (block is HeadingBlock { Level: 2 } heading)
            {
                var name = MarkdownText.Inline(heading.Inline).ToUpperInvariant();
                var index = Array.IndexOf(s_sectionOrder, name);
                current = null;
                if (index < 0)
                {
                    Error(heading, $"'## {name}' is not a platyPS section; the sections are {string.Join(", ", SectionOrder)}.");
                }
                else if (sections.ContainsKey(name))
                {
                    Error(heading, $"'## {name}' appears twice.");
                }
                else
                {
                    if (index < lastIndex)
                    {
                        Error(heading, $"'## {name}' is out of order; the sections go {string.Join(", ", SectionOrder)}.");
                    }

                    lastIndex = Math.Max(lastIndex, index);
                    current = new Section(name, heading, []);
                    sections.Add(name, current);
                }
            }
            else if (current is not null)
            {
                current.Blocks.Add(block);
            }
            else if (sections.Count == 0)
            {
                Error(block, "text between the title and '## SYNOPSIS' is not part of any section.");
            }
        }

        foreach (var missing in s_requiredSections.Where(s => !sections.ContainsKey(s)))
        {
            Error(title, $"the page has no '## {missing}' section.");
        }

        return sections;
    }

    private List<string> Paragraphs(Dictionary<string, Section> sections, string name, bool mustHaveText)
    {
        if (!sections.TryGetValue(name, out var section))
        {
            return [];
        }

        var paragraphs = ToParagraphs(section.Blocks);
        if (mustHaveText && paragraphs.All(string.IsNullOrWhiteSpace))
        {
            Error(section.Heading, $"'## {name}' is empty.");
        }

        return paragraphs;
    }

    private List<SyntaxHelp> ReadSyntax(Section section, string command)
    {
        var result = new List<SyntaxHelp>();
        foreach (var (heading, body) in SubSections(section))
        {
            var codes = body.OfType<FencedCodeBlock>().ToList();
            foreach (var stray in body.Where(b => b is not FencedCodeBlock))
            {
                Error(stray, "'## SYNTAX' holds only '### SetName' headings and one code block under each.");
            }

            if (codes.Count != 1)
            {
                Error((Block?)heading ?? section.Heading, $"each parameter set needs exactly one syntax code block; found {codes.Count}.");
                continue;
            }

            var setName = SyntaxHelp.AllParameterSets;
            var isDefault = false;
            if (heading is not null)
            {
                setName = MarkdownText.Inline(heading.Inline);
                const string DefaultSuffix = "(Default)";
                if (setName.EndsWith(DefaultSuffix, StringComparison.OrdinalIgnoreCase))
                {
                    isDefault = true;
                    setName = setName[..^DefaultSuffix.Length].TrimEnd();
                }
            }
            else if (result.Count > 0 || SubSections(section).Count > 1)
            {
                Error(codes[0], "with several parameter sets, put each syntax block under a '### SetName' heading.");
            }

            var line = MarkdownText.LineOf(codes[0]);
            var parsed = SyntaxLine.Parse(MarkdownText.Code(codes[0]), line, out var error);
            if (parsed is null)
            {
                Error(codes[0], $"parameter set '{setName}': {error}.");
                continue;
            }

            if (!string.Equals(parsed.Command, command, StringComparison.Ordinal))
            {
                Error(codes[0], $"the syntax line starts with '{parsed.Command}', not the command name '{command}'.");
            }

            foreach (var duplicate in parsed.Parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                Error(codes[0], $"parameter set '{setName}' shows -{duplicate.Key} more than once.");
            }

            if (result.Any(s => string.Equals(s.ParameterSetName, setName, StringComparison.OrdinalIgnoreCase)))
            {
                Error((Block?)heading ?? codes[0], $"parameter set '{setName}' is listed twice.");
            }

            result.Add(new SyntaxHelp(setName, isDefault, parsed.Parameters, parsed.CommonParameters));
        }

        if (result.Count == 0 && section.Blocks.Count == 0)
        {
            Error(section.Heading, "'## SYNTAX' has no syntax block.");
        }

        if (result.Count(s => s.IsDefault) > 1)
        {
            Error(section.Heading, "more than one parameter set is marked (Default).");
        }

        return result;
    }

    private List<ExampleHelp> ReadExamples(Section section)
    {
        var result = new List<ExampleHelp>();
        foreach (var (heading, body) in SubSections(section))
        {
            if (heading is null)
            {
                Error(body[0], "text before the first '### Example 1: …' heading.");
                continue;
            }

            var title = MarkdownText.Inline(heading.Inline);
            var expected = $"Example {result.Count + 1}";
            if (!title.StartsWith(expected, StringComparison.Ordinal)
                || (title.Length > expected.Length && title[expected.Length] != ':'))
            {
                Error(heading, $"example heading '{title}' should read '### {expected}: <title>'.");
            }

            var code = body.OfType<FencedCodeBlock>().FirstOrDefault();
            if (code is null)
            {
                Error(heading, $"'{title}' has no code block; an example is a fenced powershell block followed by what it does.");
                continue;
            }

            var remarks = ToParagraphs(body.Where(b => b != code));
            if (remarks.All(string.IsNullOrWhiteSpace))
            {
                Error(heading, $"'{title}' says nothing about what the code does; add a sentence after the code block.");
            }

            result.Add(new ExampleHelp(title, MarkdownText.Code(code), remarks));
        }

        if (result.Count < MinExamples)
        {
            Error(section.Heading, $"the page has {result.Count} example(s); write at least {MinExamples}.");
        }

        return result;
    }

    private List<ParameterHelp> ReadParameters(Section section, out bool commonDocumented)
    {
        commonDocumented = false;
        var result = new List<ParameterHelp>();
        foreach (var (heading, body) in SubSections(section))
        {
            if (heading is null)
            {
                Error(body[0], "text before the first '### -Name' heading.");
                continue;
            }

            var title = MarkdownText.Inline(heading.Inline);
            if (title == "CommonParameters")
            {
                commonDocumented = true;
                continue;
            }

            if (title.Length < 2 || title[0] != '-' || !title.Skip(1).All(c => char.IsLetterOrDigit(c) || c == '_'))
            {
                Error(heading, $"parameter heading '{title}' should read '### -Name' (or '### CommonParameters').");
                continue;
            }

            var name = title[1..];
            if (result.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                Error(heading, $"parameter -{name} is documented twice.");
                continue;
            }

            var yamlBlocks = body.OfType<FencedCodeBlock>().Where(b => string.Equals(b.Info, "yaml", StringComparison.OrdinalIgnoreCase)).ToList();
            var description = ToParagraphs(body.Where(b => !yamlBlocks.Contains(b)));
            if (description.All(string.IsNullOrWhiteSpace))
            {
                Error(heading, $"parameter -{name} has no description.");
            }

            if (yamlBlocks.Count == 0)
            {
                Error(heading, $"parameter -{name} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, …).");
                _reportedParameters.Add(name);
                continue;
            }

            var yamls = yamlBlocks.Select(b => ParameterYaml.Read(b, _file, name, _diagnostics)).ToList();
            if (yamls.Any(y => y is null))
            {
                _reportedParameters.Add(name);
                continue;
            }

            var first = yamls[0]!;
            foreach (var other in yamls.Skip(1).Where(y => !string.Equals(y!.Type, first.Type, StringComparison.Ordinal)))
            {
                _diagnostics.Add(new(_file, other!.Line, $"parameter -{name} has Type '{other.Type}' here but '{first.Type}' in its first yaml block."));
            }

            result.Add(new ParameterHelp
            {
                Name = name,
                Description = description,
                Type = first.Type,
                Aliases = first.Aliases,
                AcceptedValues = first.AcceptedValues,
                DefaultValue = first.DefaultValue,
                Globbing = first.Globbing,
                SetFacts = yamls.Select(y => y!.Facts).ToList(),
            });
            _parameterLines[name] = MarkdownText.LineOf(heading);
        }

        return result;
    }

    private List<TypeHelp> ReadTypes(Section section)
    {
        var result = new List<TypeHelp>();
        foreach (var (heading, body) in SubSections(section))
        {
            if (heading is null)
            {
                Error(body[0], $"put each type under '## {section.Name}' in a '### TypeName' heading (### None when there is none).");
                continue;
            }

            result.Add(new TypeHelp(MarkdownText.Inline(heading.Inline), ToParagraphs(body)));
        }

        if (result.Count == 0)
        {
            Error(section.Heading, $"'## {section.Name}' names no type; write '### None' if the cmdlet takes or returns nothing.");
        }

        return result;
    }

    private List<LinkHelp> ReadLinks(Section section)
    {
        var result = new List<LinkHelp>();
        foreach (var block in section.Blocks.SelectMany(Leaves))
        {
            if (block is not ParagraphBlock paragraph)
            {
                Error(block, "'## RELATED LINKS' holds only markdown links, one per line or list item.");
                continue;
            }

            var links = paragraph.Inline?.Descendants<LinkInline>().Where(l => !l.IsImage).ToList() ?? [];
            if (links.Count == 0)
            {
                Error(block, $"'{MarkdownText.Inline(paragraph.Inline)}' is not a link; write [Text](address).");
            }

            foreach (var link in links)
            {
                result.Add(new LinkHelp(MarkdownText.LinkLabel(link), MarkdownText.IsAbsolute(link.Url) ? link.Url : null));
            }
        }

        return result;
    }

    private void CrossCheck(List<SyntaxHelp> syntax, List<ParameterHelp> parameters, Section parameterSection)
    {
        var byName = parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var set in syntax)
        {
            foreach (var shown in set.Parameters)
            {
                if (!byName.TryGetValue(shown.Name, out var parameter))
                {
                    if (_reportedParameters.Contains(shown.Name))
                    {
                        continue;
                    }

                    _diagnostics.Add(new(_file, shown.Line, $"the syntax of set '{set.ParameterSetName}' shows -{shown.Name}, which '## PARAMETERS' does not document."));
                    continue;
                }

                var facts = parameter.FactsFor(set.ParameterSetName);
                var line = _parameterLines.GetValueOrDefault(parameter.Name, MarkdownText.LineOf(parameterSection.Heading));
                if (facts is null)
                {
                    _diagnostics.Add(new(_file, line, $"-{parameter.Name} is in the syntax of set '{set.ParameterSetName}' but its yaml 'Parameter Sets' do not name it."));
                    continue;
                }

                if (facts.Required != shown.Required)
                {
                    _diagnostics.Add(new(_file, line, $"-{parameter.Name}: yaml says Required: {facts.Required}, but the syntax of set '{set.ParameterSetName}' (line {shown.Line}) shows it as {(shown.Required ? "required" : "optional")}."));
                }

                if (facts.Position.HasValue != shown.Positional)
                {
                    _diagnostics.Add(new(_file, line, $"-{parameter.Name}: yaml says Position: {(facts.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named")}, but the syntax of set '{set.ParameterSetName}' (line {shown.Line}) shows it as {(shown.Positional ? "positional ([-Name] <Type>)" : "named")}."));
                }
            }
        }

        foreach (var parameter in parameters)
        {
            var line = _parameterLines.GetValueOrDefault(parameter.Name, MarkdownText.LineOf(parameterSection.Heading));
            if (!syntax.Any(s => s.Parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))))
            {
                _diagnostics.Add(new(_file, line, $"-{parameter.Name} is documented but no syntax line shows it."));
            }

            foreach (var set in parameter.SetFacts.SelectMany(f => f.ParameterSets).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!syntax.Any(s => string.Equals(s.ParameterSetName, set, StringComparison.OrdinalIgnoreCase)))
                {
                    _diagnostics.Add(new(_file, line, $"-{parameter.Name} names parameter set '{set}', which '## SYNTAX' does not have."));
                }
            }
        }
    }

    private List<string> ToParagraphs(IEnumerable<Block> blocks)
    {
        var paragraphs = new List<string>();
        if (!MarkdownText.TryParagraphs(blocks, paragraphs, out var unsupported))
        {
            Error(unsupported, $"help cannot show a {unsupported!.GetType().Name} here; use paragraphs, lists and code blocks.");
        }

        return paragraphs;
    }

    private static List<(HeadingBlock? Heading, List<Block> Body)> SubSections(Section section)
    {
        var result = new List<(HeadingBlock?, List<Block>)>();
        foreach (var block in section.Blocks)
        {
            if (block is HeadingBlock { Level: 3 } heading)
            {
                result.Add((heading, []));
            }
            else
            {
                if (result.Count == 0)
                {
                    result.Add((null, []));
                }

                result[^1].Item2.Add(block);
            }
        }

        return result;
    }

    private static IEnumerable<Block> Leaves(Block block) =>
        block is ListBlock or ListItemBlock or QuoteBlock
            ? ((ContainerBlock)block).SelectMany(Leaves)
            : [block];

    private void Error(Block? block, string message) =>
        _diagnostics.Add(new(_file, block is null ? 1 : MarkdownText.LineOf(block), message));

    private sealed record Section(string Name, HeadingBlock Heading, List<Block> Blocks);
}
