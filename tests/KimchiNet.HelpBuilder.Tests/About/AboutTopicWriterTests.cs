using System;
using System.IO;
using System.Linq;
using KimchiNet.HelpBuilder.About;

namespace KimchiNet.HelpBuilder.Tests.About;

public sealed class AboutTopicWriterTests
{
    private static readonly string s_path = Path.Combine(Fixtures.Sample, "about_Sample.md");

    [Fact]
    public void Convert_Sample_ShouldMatchGoldenFile()
    {
        var result = AboutTopicWriter.Convert(Fixtures.SampleAboutText(), s_path);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(Fixtures.GoldenText("about_Sample.help.txt"), result.Text);
    }

    [Fact]
    public void Convert_Sample_ShouldWrapProseWithinWidth()
    {
        var text = AboutTopicWriter.Convert(Fixtures.SampleAboutText(), s_path).Text!;

        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= AboutTopicWriter.Width, line));
        Assert.StartsWith("TOPIC\n    about_Sample\n\nSHORT DESCRIPTION\n    Explains samples.\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("## SHORT DESCRIPTION\n\nExplains samples.\n\n", "", "'## SHORT DESCRIPTION' section with text", 1)]
    [InlineData("# about_Sample", "# about_Other", "must be the file name 'about_Sample'", 1)]
    [InlineData("### Kinds of sample", "<div>\nraw html\n</div>\n\n### Kinds of sample", "cannot be shown", 11)]
    [InlineData("Explains samples.", "Explains samples, at such length that the line no longer fits in the eighty columns.", "keep it to one line", 5)]
    [InlineData("## SHORT DESCRIPTION", "Stray text.\n\n## SHORT DESCRIPTION", "text before '## SHORT DESCRIPTION'", 3)]
    public void Convert_BrokenPage_ShouldReportLineAndReason(string find, string replace, string message, int line)
    {
        var markdown = Fixtures.SampleAboutText().Replace(find, replace, StringComparison.Ordinal);

        var result = AboutTopicWriter.Convert(markdown, s_path);

        Assert.Null(result.Text);
        var diagnostic = result.Diagnostics.FirstOrDefault(d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(diagnostic is not null, string.Join(" | ", result.Diagnostics));
        Assert.Equal(line, diagnostic.Line);
    }
}
