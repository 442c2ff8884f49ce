using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace KimchiNet.HelpBuilder.Markdown;

/// <summary>
/// Turns Markdig nodes into the plain text that help shows. Help has no markup, so emphasis and
/// code spans lose their markers, and links keep their text (plus the address when it is absolute,
/// since a reader at a console cannot follow it otherwise).
/// </summary>
public static class MarkdownText
{
    /// <summary>The one pipeline every reader uses: CommonMark plus YAML front matter, nothing else.</summary>
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    /// <summary>Parses markdown with <see cref="Pipeline"/>.</summary>
    public static MarkdownDocument Parse(string markdown) => Markdig.Markdown.Parse(markdown, Pipeline);

    /// <summary>The 1-based line a block starts at.</summary>
    public static int LineOf(Block block) => block.Line + 1;

    /// <summary>The plain text of a heading or paragraph's inlines.</summary>
    public static string Inline(ContainerInline? container)
    {
        var text = new StringBuilder();
        AppendInline(text, container);
        return text.ToString().Trim();
    }

    /// <summary>A link's own text, without the address that <see cref="Inline"/> adds for absolute links.</summary>
    public static string LinkLabel(LinkInline link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var text = new StringBuilder();
        AppendChildren(text, link);
        return text.ToString().Trim();
    }

    /// <summary>The text of a code block, lines joined with "\n", trailing blank lines dropped.</summary>
    public static string Code(LeafBlock block)
    {
        var lines = block.Lines.Lines.Take(block.Lines.Count).Select(l => l.Slice.ToString().TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// The paragraphs of a run of blocks: one per paragraph or code block, one per list item
    /// (prefixed "- " or "1. "). Returns false with the offending block for kinds help cannot show.
    /// </summary>
    public static bool TryParagraphs(IEnumerable<Block> blocks, List<string> paragraphs, out Block? unsupported)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ParagraphBlock paragraph:
                    paragraphs.Add(Inline(paragraph.Inline));
                    break;
                case CodeBlock code when code is not YamlFrontMatterBlock:
                    paragraphs.Add(Code(code));
                    break;
                case HeadingBlock heading:
                    paragraphs.Add(Inline(heading.Inline));
                    break;
                case ListBlock list:
                    var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var inner = new List<string>();
                        if (!TryParagraphs(item, inner, out unsupported))
                        {
                            return false;
                        }

                        var bullet = list.IsOrdered ? $"{number++}. " : "- ";
                        paragraphs.Add(bullet + string.Join("\n", inner));
                    }

                    break;
                case QuoteBlock quote:
                    if (!TryParagraphs(quote, paragraphs, out unsupported))
                    {
                        return false;
                    }

                    break;
                case ThematicBreakBlock:
                case BlankLineBlock:
                case LinkReferenceDefinitionGroup:
                    break;
                default:
                    unsupported = block;
                    return false;
            }
        }

        unsupported = null;
        return true;
    }

    /// <summary>
    /// Lines where a platyPS placeholder ("{{ Fill in the Synopsis }}") was left: platyPS writes them
    /// into new pages, and shipping one would put the placeholder into Get-Help.
    /// </summary>
    public static IEnumerable<HelpDiagnostic> FindPlaceholders(string markdown, string file)
    {
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var open = lines[i].IndexOf("{{", StringComparison.Ordinal);
            if (open >= 0 && lines[i].IndexOf("}}", open, StringComparison.Ordinal) > open)
            {
                yield return new HelpDiagnostic(file, i + 1, $"a platyPS placeholder is left in the page: {lines[i].Trim()}");
            }
        }
    }

    /// <summary>Whether an address is absolute (http, https or mailto), as opposed to a sibling page.</summary>
    public static bool IsAbsolute(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);

    private static void AppendInline(StringBuilder text, Inline? inline)
    {
        switch (inline)
        {
            case null:
                return;
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline lineBreak:
                text.Append(lineBreak.IsHard ? '\n' : ' ');
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.ToString());
                break;
            case HtmlInline html:
                text.Append(html.Tag);
                break;
            case LinkInline link:
                var before = text.Length;
                AppendChildren(text, link);
                var label = text.ToString(before, text.Length - before);
                if (IsAbsolute(link.Url) && !string.Equals(label, link.Url, StringComparison.Ordinal))
                {
                    text.Append(" (").Append(link.Url).Append(')');
                }

                break;
            case ContainerInline container:
                AppendChildren(text, container);
                break;
        }
    }

    private static void AppendChildren(StringBuilder text, ContainerInline container)
    {
        foreach (var child in container)
        {
            AppendInline(text, child);
        }
    }
}
