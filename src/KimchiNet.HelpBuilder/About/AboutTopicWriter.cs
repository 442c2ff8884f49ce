using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using KimchiNet.HelpBuilder.Markdown;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace KimchiNet.HelpBuilder.About;

/// <summary>What converting one about page gave: the text when the page is sound, and every problem found.</summary>
/// <param name="Text">The help.txt content, or null when there were diagnostics.</param>
/// <param name="Diagnostics">Every problem found.</param>
public sealed record AboutResult(string? Text, IReadOnlyList<HelpDiagnostic> Diagnostics);

/// <summary>
/// Turns an about_*.md page into the plain text PowerShell ships as about_*.help.txt: section
/// headings flush left in capitals (TOPIC, SHORT DESCRIPTION, LONG DESCRIPTION, …), sub-headings
/// indented two spaces, prose indented four and wrapped at 80 columns, code indented eight and left
/// as written. Get-Help prints the file as it is and takes the synopsis from SHORT DESCRIPTION.
/// </summary>
public static class AboutTopicWriter
{
    /// <summary>Lines are wrapped to this many columns.</summary>
    public const int Width = 80;

    private const string ShortDescription = "SHORT DESCRIPTION";
    private const string LongDescription = "LONG DESCRIPTION";

    /// <summary>Converts a page; <paramref name="file"/> names it in diagnostics and must match its title.</summary>
    public static AboutResult Convert(string markdown, string file)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var diagnostics = MarkdownText.FindPlaceholders(markdown, file).ToList();
        var document = MarkdownText.Parse(markdown);
        var blocks = document.Where(b => b is not YamlFrontMatterBlock).ToList();
        if (blocks.FirstOrDefault() is not HeadingBlock { Level: 1 } title)
        {
            diagnostics.Add(new(file, blocks.Count > 0 ? MarkdownText.LineOf(blocks[0]) : 1, "an about page starts with '# about_Name'."));
            return new AboutResult(null, diagnostics);
        }

        var topic = MarkdownText.Inline(title.Inline);
        var expected = Path.GetFileNameWithoutExtension(file);
        if (!string.Equals(topic, expected, StringComparison.Ordinal) || !topic.StartsWith("about_", StringComparison.Ordinal))
        {
            diagnostics.Add(new(file, MarkdownText.LineOf(title), $"the title '{topic}' must be the file name '{expected}' (about_Name)."));
        }

        var text = new StringBuilder();
        text.Append("TOPIC\n    ").Append(topic).Append('\n');
        var sections = new Dictionary<string, int>(StringComparer.Ordinal);
        string? section = null;
        var afterHeading = false;
        foreach (var block in blocks.Skip(1))
        {
            if (block is HeadingBlock { Level: 2 } heading)
            {
                section = MarkdownText.Inline(heading.Inline).ToUpperInvariant();
                sections[section] = 0;
                text.Append('\n').Append(section).Append('\n');
                afterHeading = true;
                continue;
            }

            if (section is null)
            {
                diagnostics.Add(new(file, MarkdownText.LineOf(block), $"text before '## {ShortDescription}' belongs in a section."));
                continue;
            }

            sections[section]++;
            if (section == ShortDescription && block is ParagraphBlock shortText && MarkdownText.Inline(shortText.Inline).Length > Width - 4)
            {
                diagnostics.Add(new(file, MarkdownText.LineOf(block), $"the short description is longer than {Width - 4} characters; Get-Help lists a topic with the first line of it only, so keep it to one line."));
            }

            var chunk = new StringBuilder();
            if (!AppendBlock(chunk, block, indent: 4))
            {
                diagnostics.Add(new(file, MarkdownText.LineOf(block), $"an about topic is plain text: a {block.GetType().Name} cannot be shown; use paragraphs, lists, headings and code blocks."));
            }

            // Text starts on the line after its heading, as in the topics PowerShell ships; blocks are otherwise a blank line apart.
            text.Append(afterHeading ? chunk.ToString().TrimStart('\n') : chunk.ToString());
            afterHeading = block is HeadingBlock;
        }

        foreach (var required in new[] { ShortDescription, LongDescription })
        {
            if (!sections.TryGetValue(required, out var count) || count == 0)
            {
                diagnostics.Add(new(file, MarkdownText.LineOf(title), $"the page needs a '## {required}' section with text."));
            }
        }

        return diagnostics.Count == 0
            ? new AboutResult(text.ToString(), [])
            : new AboutResult(null, diagnostics);
    }

    private static bool AppendBlock(StringBuilder text, Block block, int indent)
    {
        switch (block)
        {
            case HeadingBlock heading:
                // ### is a sub-heading of a section (two spaces, capitals, as the shipped topics have); deeper ones stay as written.
                var title = MarkdownText.Inline(heading.Inline);
                text.Append('\n').Append(' ', heading.Level == 3 ? 2 : indent)
                    .Append(heading.Level == 3 ? title.ToUpperInvariant() : title).Append('\n');
                return true;
            case ParagraphBlock paragraph:
                text.Append('\n');
                Wrap(text, MarkdownText.Inline(paragraph.Inline), indent, indent);
                return true;
            case CodeBlock code:
                text.Append('\n');
                foreach (var line in MarkdownText.Code(code).Split('\n'))
                {
                    text.Append(line.Length == 0 ? string.Empty : new string(' ', indent + 4) + line).Append('\n');
                }

                return true;
            case ListBlock list:
                var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                text.Append('\n');
                var first = true;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var bullet = list.IsOrdered ? $"{number++}. " : "- ";
                    if (!first && list.IsLoose)
                    {
                        text.Append('\n');
                    }

                    first = false;
                    if (!AppendListItem(text, item, indent, bullet))
                    {
                        return false;
                    }
                }

                return true;
            case QuoteBlock quote:
                return quote.All(b => AppendBlock(text, b, indent + 2));
            case ThematicBreakBlock or BlankLineBlock or LinkReferenceDefinitionGroup:
                return true;
            default:
                return false;
        }
    }

    private static bool AppendListItem(StringBuilder text, ListItemBlock item, int indent, string bullet)
    {
        var inner = indent + bullet.Length;
        var firstBlock = true;
        foreach (var block in item)
        {
            if (firstBlock && block is ParagraphBlock paragraph)
            {
                text.Append(' ', indent).Append(bullet);
                Wrap(text, MarkdownText.Inline(paragraph.Inline), 0, inner, firstLineStart: indent + bullet.Length);
            }
            else if (block is ListBlock nested)
            {
                var sub = new StringBuilder();
                if (!AppendBlock(sub, nested, inner))
                {
                    return false;
                }

                // A nested list follows its parent item directly, without the blank line a new block gets.
                text.Append(sub.ToString().TrimStart('\n'));
            }
            else if (!AppendBlock(text, block, inner))
            {
                return false;
            }

            firstBlock = false;
        }

        return true;
    }

    /// <summary>Word-wraps a paragraph; explicit line breaks in it are kept.</summary>
    private static void Wrap(StringBuilder text, string paragraph, int firstIndent, int indent, int? firstLineStart = null)
    {
        var firstLine = true;
        foreach (var hardLine in paragraph.Split('\n'))
        {
            var column = firstLine ? (firstLineStart ?? firstIndent) : indent;
            text.Append(' ', firstLine ? firstIndent : indent);
            var lineStart = true;
            foreach (var word in hardLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!lineStart && column + 1 + word.Length > Width)
                {
                    text.Append('\n').Append(' ', indent);
                    column = indent;
                    lineStart = true;
                }

                if (!lineStart)
                {
                    text.Append(' ');
                    column++;
                }

                text.Append(word);
                column += word.Length;
                lineStart = false;
            }

            text.Append('\n');
            firstLine = false;
        }
    }
}
