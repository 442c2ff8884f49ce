using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KimchiNet.HelpBuilder.About;
using KimchiNet.HelpBuilder.Maml;
using KimchiNet.HelpBuilder.Markdown;
using KimchiNet.HelpBuilder.Model;

namespace KimchiNet.HelpBuilder;

/// <summary>What a build did: the files written, or the problems that stopped it.</summary>
/// <param name="Written">Full paths of the files written; empty when the build failed.</param>
/// <param name="Diagnostics">Every problem found in any page.</param>
public sealed record HelpBuildResult(IReadOnlyList<string> Written, IReadOnlyList<HelpDiagnostic> Diagnostics)
{
    /// <summary>Whether the build succeeded.</summary>
    public bool Succeeded => Diagnostics.Count == 0;
}

/// <summary>
/// Builds a docs folder: every cmdlet page into the MAML file its front matter names, every
/// about_*.md into about_*.help.txt. The module page (the file named after the module) is skipped.
/// Nothing is written unless every page is sound, so a broken page can never leave half-updated help.
/// </summary>
public static class HelpBuild
{
    /// <summary>What kind of page a markdown file is.</summary>
    public enum PageKind
    {
        /// <summary>A cmdlet page (has "external help file" in its front matter).</summary>
        Command,

        /// <summary>An about_*.md concept topic.</summary>
        About,

        /// <summary>The platyPS module page (named after the module, lists its cmdlets).</summary>
        Module,
    }

    /// <summary>Classifies a page by its name and front matter.</summary>
    public static PageKind Classify(string path, string markdown)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
        {
            return PageKind.About;
        }

        var front = FrontMatter.From(MarkdownText.Parse(markdown));
        var module = front?["Module Name"];
        return front?["external help file"] is null && string.Equals(module, name, StringComparison.OrdinalIgnoreCase)
            ? PageKind.Module
            : PageKind.Command;
    }

    /// <summary>Reads every *.md in <paramref name="inputFolder"/> and, when all are sound, writes help to <paramref name="outputFolder"/>.</summary>
    public static HelpBuildResult Run(string inputFolder, string outputFolder)
    {
        if (!Directory.Exists(inputFolder))
        {
            return Failed(new HelpDiagnostic(inputFolder, 0, "the docs folder does not exist."));
        }

        var diagnostics = new List<HelpDiagnostic>();
        var commands = new List<(string File, CommandHelp Help)>();
        var abouts = new List<(string Name, string Text)>();
        var files = Directory.GetFiles(inputFolder, "*.md").OrderBy(f => f, StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var markdown = File.ReadAllText(file).ReplaceLineEndings("\n");
            switch (Classify(file, markdown))
            {
                case PageKind.About:
                    var about = AboutTopicWriter.Convert(markdown, file);
                    diagnostics.AddRange(about.Diagnostics);
                    if (about.Text is not null)
                    {
                        abouts.Add((Path.GetFileNameWithoutExtension(file), about.Text));
                    }

                    break;
                case PageKind.Command:
                    var read = CommandMarkdownReader.Read(markdown, file);
                    diagnostics.AddRange(read.Diagnostics);
                    if (read.Command is not null)
                    {
                        commands.Add((file, read.Command));
                    }

                    break;
            }
        }

        if (files.Count > 0 && diagnostics.Count == 0 && commands.Count == 0)
        {
            diagnostics.Add(new(inputFolder, 0, "no cmdlet page found, so there would be no MAML; a cmdlet page has 'external help file' in its front matter."));
        }
        else if (files.Count == 0)
        {
            diagnostics.Add(new(inputFolder, 0, "the docs folder has no *.md files."));
        }

        foreach (var group in commands.GroupBy(c => c.Help.ModuleName, StringComparer.Ordinal).Skip(1))
        {
            diagnostics.Add(new(group.First().File, 1, $"'Module Name: {group.Key}' differs from '{commands[0].Help.ModuleName}' in {commands[0].File}; one docs folder is one module."));
        }

        if (diagnostics.Count > 0)
        {
            return new HelpBuildResult([], diagnostics);
        }

        Directory.CreateDirectory(outputFolder);
        var written = new List<string>();
        foreach (var group in commands.GroupBy(c => c.Help.ExternalHelpFile, StringComparer.OrdinalIgnoreCase))
        {
            var path = Path.Combine(outputFolder, group.Key);
            using (var stream = File.Create(path))
            {
                MamlWriter.Write(group.Select(c => c.Help), stream);
            }

            written.Add(path);
        }

        foreach (var (name, text) in abouts)
        {
            var path = Path.Combine(outputFolder, name + ".help.txt");
            File.WriteAllText(path, text);
            written.Add(path);
        }

        return new HelpBuildResult(written, []);
    }

    private static HelpBuildResult Failed(HelpDiagnostic diagnostic) => new([], [diagnostic]);
}
