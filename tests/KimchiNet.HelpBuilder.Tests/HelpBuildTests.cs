using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace KimchiNet.HelpBuilder.Tests;

public sealed class HelpBuildTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "kimchinet-help-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Theory]
    [InlineData("Get-Sample.md", HelpBuild.PageKind.Command)]
    [InlineData("about_Sample.md", HelpBuild.PageKind.About)]
    [InlineData("Sample.md", HelpBuild.PageKind.Module)]
    public void Classify_SamplePages_ShouldTellKindsApart(string file, HelpBuild.PageKind kind)
    {
        var path = Path.Combine(Fixtures.Sample, file);

        Assert.Equal(kind, HelpBuild.Classify(path, File.ReadAllText(path)));
    }

    [Fact]
    public void Run_SampleFolder_ShouldWriteMamlAndAboutAndSkipModulePage()
    {
        var result = HelpBuild.Run(Fixtures.Sample, _output);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["Sample.dll-Help.xml", "about_Sample.help.txt"], result.Written.Select(Path.GetFileName));
        Assert.Equal(Fixtures.GoldenText("Sample.dll-Help.xml"), File.ReadAllText(Path.Combine(_output, "Sample.dll-Help.xml")));
        Assert.Equal(Fixtures.GoldenText("about_Sample.help.txt"), File.ReadAllText(Path.Combine(_output, "about_Sample.help.txt")));
    }

    [Fact]
    public void Run_WithOneBrokenPage_ShouldWriteNothing()
    {
        var input = CopySample();
        File.WriteAllText(Path.Combine(input, "about_Sample.md"), "# about_Sample\n\n## LONG DESCRIPTION\n\nNo short description.\n");

        var result = HelpBuild.Run(input, _output);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Written);
        Assert.False(Directory.Exists(_output));
    }

    [Fact]
    public void Run_WithOnlyModulePage_ShouldFailForWantOfMaml()
    {
        var input = CopySample();
        File.Delete(Path.Combine(input, "Get-Sample.md"));

        var result = HelpBuild.Run(input, _output);

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("no cmdlet page found", StringComparison.Ordinal));
    }

    [Fact]
    public void Tool_WithBrokenPage_ShouldExitOneAndPrintFileAndLine()
    {
        var input = CopySample();
        var page = Path.Combine(input, "Get-Sample.md");
        File.WriteAllText(page, File.ReadAllText(page).Replace("Position: 0", "Position: first", StringComparison.Ordinal));

        var (exitCode, _, error) = RunTool(input, _output);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{page}(", error, StringComparison.Ordinal);
        Assert.Contains("): error: -Name: Position is 'first'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_WithSoundPages_ShouldExitZero()
    {
        var (exitCode, output, error) = RunTool(Fixtures.Sample, _output);

        Assert.True(exitCode == 0, error);
        Assert.Contains("Sample.dll-Help.xml", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_WithoutArguments_ShouldExitTwo()
    {
        Assert.Equal(2, RunTool().ExitCode);
    }

    private string CopySample()
    {
        var input = Path.Combine(_output + "-in");
        Directory.CreateDirectory(input);
        foreach (var file in Directory.GetFiles(Fixtures.Sample))
        {
            File.Copy(file, Path.Combine(input, Path.GetFileName(file)), overwrite: true);
        }

        return input;
    }

    /// <summary>Runs the built tool as a separate process, the way a build script does.</summary>
    private static (int ExitCode, string Output, string Error) RunTool(params string[] arguments)
    {
        var tool = typeof(HelpBuild).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tool);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
