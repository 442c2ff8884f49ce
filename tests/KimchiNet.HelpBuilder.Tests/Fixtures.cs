using System;
using System.IO;
using KimchiNet.HelpBuilder.Markdown;
using KimchiNet.HelpBuilder.Model;

namespace KimchiNet.HelpBuilder.Tests;

/// <summary>Paths to the fixture files copied beside the test assembly, and the sample read once.</summary>
internal static class Fixtures
{
    public static string Sample { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Sample");

    public static string Golden { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Golden");

    public static string SampleCommandPath { get; } = Path.Combine(Sample, "Get-Sample.md");

    public static string SampleCommandText() => File.ReadAllText(SampleCommandPath).ReplaceLineEndings("\n");

    public static string SampleAboutText() => File.ReadAllText(Path.Combine(Sample, "about_Sample.md")).ReplaceLineEndings("\n");

    public static string GoldenText(string name) => File.ReadAllText(Path.Combine(Golden, name)).ReplaceLineEndings("\n");

    public static CommandHelp ReadSample()
    {
        var result = CommandMarkdownReader.Read(SampleCommandText(), SampleCommandPath);
        Assert.Empty(result.Diagnostics);
        return result.Command!;
    }

    /// <summary>The repository root: the nearest folder above the test assembly that holds docs/en-US.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "docs", "en-US")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds docs/en-US.");
    }
}
