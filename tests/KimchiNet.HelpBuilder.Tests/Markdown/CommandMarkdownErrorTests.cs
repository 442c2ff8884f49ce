using System;
using System.Linq;
using KimchiNet.HelpBuilder.Markdown;

namespace KimchiNet.HelpBuilder.Tests.Markdown;

/// <summary>
/// Each row breaks the sound sample page in one way and names the message fragment expected and a
/// text on the line the message must point at, so both what and where are checked.
/// </summary>
public sealed class CommandMarkdownErrorTests
{
    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // name, find, replace, expected message fragment, text on the expected line
        { "no synopsis", "## SYNOPSIS\n\nGets samples by name or from the pipeline.\n\n", "", "no '## SYNOPSIS' section", "# Get-Sample" },
        { "empty description", "The `Get-Sample` cmdlet gets samples. It is **only** a fixture for the\n[help builder](https://example.org/builder), so nothing here is real.\n\nSamples come in two kinds:\n\n- Small ones.\n- Large ones & <odd> ones.\n", "", "'## DESCRIPTION' is empty", "## DESCRIPTION" },
        { "one example", "### Example 2: Pipe an object\n\n```powershell\n[pscustomobject]@{ Name = 'two' } | Get-Sample -Kind Large\n```\n\nObjects bind to `-InputObject`.\n", "", "1 example(s); write at least 2", "## EXAMPLES" },
        { "example without code", "```powershell\n[pscustomobject]@{ Name = 'two' } | Get-Sample -Kind Large\n```\n", "", "has no code block", "### Example 2: Pipe an object" },
        { "example numbering", "### Example 2: Pipe", "### Example 3: Pipe", "should read '### Example 2: <title>'", "### Example 3: Pipe" },
        { "parameter without yaml", "The kind of sample.\n\n```yaml\nType: String\nParameter Sets: (All)\nAliases:\nAccepted values: Small, Large\n\nRequired: False\nPosition: Named\nDefault value: Small\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n", "The kind of sample.\n", "-Kind has no ```yaml block", "### -Kind" },
        { "parameter without description", "An object with a Name property.\n\n", "", "-InputObject has no description", "### -InputObject" },
        { "unknown yaml key", "Default value: Small\n", "Default: Small\n", "'Default: Small' is not a parameter yaml line", "Default: Small" },
        { "missing yaml key", "Accepted values: Small, Large\n\nRequired: False\n", "Accepted values: Small, Large\n\n", "no 'Required:' line", "```yaml\nType: String\n" },
        { "bad bool", "Accept wildcard characters: True", "Accept wildcard characters: Yes", "'Yes' is not True or False", "Accept wildcard characters: Yes" },
        { "bad position", "Position: 0", "Position: first", "Position is 'first'", "Position: first" },
        { "bad pipeline", "Accept pipeline input: True (ByValue)", "Accept pipeline input: Yes", "Accept pipeline input is 'Yes'", "Accept pipeline input: Yes" },
        { "required differs from syntax", "Get-Sample -InputObject <PSObject>", "Get-Sample [-InputObject <PSObject>]", "yaml says Required: True, but the syntax of set 'ByInputObject'", "### -InputObject" },
        { "position differs from syntax", "[-Name] <String[]>", "-Name <String[]>", "yaml says Position: 0", "### -Name" },
        { "undocumented syntax parameter", "[-Force] [<CommonParameters>]", "[-Force] [-Extra <Int32>] [<CommonParameters>]", "shows -Extra, which '## PARAMETERS' does not document", "```\nGet-Sample [-Name]" },
        { "parameter in no syntax", "[-Kind <String>] [-Force]", "[-Kind <String>]", "-Force is documented but no syntax line shows it", "### -Force" },
        { "unknown parameter set", "Parameter Sets: ByInputObject", "Parameter Sets: ByInputObject, ByPath", "names parameter set 'ByPath'", "### -InputObject" },
        { "set not named by yaml", "Get-Sample -InputObject <PSObject> [-Kind <String>]", "Get-Sample -InputObject <PSObject> [-Kind <String>] [-Force]", "-Force is in the syntax of set 'ByInputObject' but its yaml", "### -Force" },
        { "syntax of another command", "Get-Sample -InputObject <PSObject>", "Get-Other -InputObject <PSObject>", "starts with 'Get-Other'", "```\nGet-Other -InputObject" },
        { "unbalanced bracket", "[-Kind <String>] [-Force]", "[-Kind <String> [-Force]", "'[' without a matching ']'", "```\nGet-Sample [-Name]" },
        { "title differs from file", "# Get-Sample", "# Get-Samples", "differs from the file name 'Get-Sample'", "# Get-Samples" },
        { "section out of order", "## DESCRIPTION", "## INPUTS\n\n### None\n\n## DESCRIPTION", "'## DESCRIPTION' is out of order", "## DESCRIPTION" },
        { "unknown section", "## NOTES", "## REMARKS", "'## REMARKS' is not a platyPS section", "## REMARKS" },
        { "wrong schema", "schema: 2.0.0", "schema: 1.0.0", "only platyPS schema 2.0.0 is read", "---" },
        { "placeholder", "Samples are not real.", "{{ Fill in the Notes }}", "placeholder is left in the page", "{{ Fill in the Notes }}" },
        { "no inputs type", "### System.Management.Automation.PSObject\n\n", "", "put each type under '## INPUTS' in a '### TypeName' heading", "Any object with a Name property." },
        { "related link not a link", "[Set-Sample](Set-Sample.md)", "Set-Sample", "is not a link", "Set-Sample\n" },
        { "common parameters missing", "### CommonParameters\n\nThis cmdlet takes the common parameters.\n\n", "", "has no ### CommonParameters", "## PARAMETERS" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_WithBrokenPage_ShouldReportFileLineAndReason(string name, string find, string replace, string message, string lineText)
    {
        var original = Fixtures.SampleCommandText();
        Assert.True(original.Contains(find, StringComparison.Ordinal), $"{name}: the sample no longer holds the text this case changes.");
        var text = original.Replace(find, replace, StringComparison.Ordinal);
        var result = CommandMarkdownReader.Read(text, Fixtures.SampleCommandPath);

        Assert.Null(result.Command);
        var diagnostic = result.Diagnostics.FirstOrDefault(d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(diagnostic is not null, $"{name}: expected '{message}' among: {string.Join(" | ", result.Diagnostics)}");
        Assert.Equal(Fixtures.SampleCommandPath, diagnostic.File);
        Assert.Equal(LineOf(text, lineText), diagnostic.Line);
    }

    [Fact]
    public void Read_WithoutFrontMatter_ShouldReportLineOne()
    {
        var text = Fixtures.SampleCommandText();
        text = text[(text.IndexOf("# Get-Sample", StringComparison.Ordinal))..];

        var result = CommandMarkdownReader.Read(text, Fixtures.SampleCommandPath);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(1, diagnostic.Line);
        Assert.Contains("no front matter", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WithSeveralProblems_ShouldReportEveryOne()
    {
        var text = Fixtures.SampleCommandText()
            .Replace("Position: 0", "Position: first", StringComparison.Ordinal)
            .Replace("Default value: Small", "Default: Small", StringComparison.Ordinal);

        var result = CommandMarkdownReader.Read(text, Fixtures.SampleCommandPath);

        Assert.Equal(2, result.Diagnostics.Count);
    }

    [Fact]
    public void Diagnostic_ToString_ShouldUseTheCanonicalErrorForm()
    {
        Assert.Equal("docs/a.md(12): error: it is wrong.", new HelpDiagnostic("docs/a.md", 12, "it is wrong.").ToString());
    }

    /// <summary>The 1-based line where <paramref name="lineText"/> first starts.</summary>
    private static int LineOf(string text, string lineText)
    {
        var index = text.IndexOf(lineText, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{lineText}' is not in the page.");
        return text[..index].Count(c => c == '\n') + 1;
    }
}
