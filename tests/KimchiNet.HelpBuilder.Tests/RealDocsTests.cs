using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using KimchiNet.HelpBuilder.Maml;

namespace KimchiNet.HelpBuilder.Tests;

/// <summary>The shipped docs: they must build without a single error, and cover what the module has.</summary>
public sealed class RealDocsTests : IDisposable
{
    private readonly string _docs = Path.Combine(Fixtures.RepositoryRoot(), "docs", "en-US");
    private readonly string _output = Path.Combine(Path.GetTempPath(), "kimchinet-docs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public void Build_RealDocs_ShouldSucceedWithMamlAndAboutTopic()
    {
        var result = HelpBuild.Run(_docs, _output);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var maml = XDocument.Load(Path.Combine(_output, "KimchiNet.dll-Help.xml"));
        var names = maml.Root!.Elements(XName.Get("command", MamlWriter.CommandNamespace))
            .Select(c => c.Element(XName.Get("details", MamlWriter.CommandNamespace))!.Element(XName.Get("name", MamlWriter.CommandNamespace))!.Value)
            .ToList();
        Assert.Contains("ConvertTo-KimchiNetworkXml", names);
        Assert.Equal(Directory.GetFiles(_docs, "*-*.md").Length, names.Count);
        Assert.True(File.Exists(Path.Combine(_output, "about_KimchiNet.help.txt")));
    }

    [Fact]
    public void AboutTopic_InTheRealDocs_ShouldDocumentEveryErrorCode()
    {
        var about = File.ReadAllText(Path.Combine(_docs, "about_KimchiNet.md"));
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Contains($"- {code}: ", about, StringComparison.Ordinal));
    }

    [Fact]
    public void ModulePage_InTheRealDocs_ShouldListEveryCmdletPage()
    {
        var modulePage = File.ReadAllText(Path.Combine(_docs, "KimchiNet.md"));
        var pages = Directory.GetFiles(_docs, "*-*.md").Select(Path.GetFileNameWithoutExtension).ToList();

        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.Contains($"### [{page}]({page}.md)", modulePage, StringComparison.Ordinal));
    }
}
