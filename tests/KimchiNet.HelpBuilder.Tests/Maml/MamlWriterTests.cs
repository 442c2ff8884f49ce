using System.Linq;
using System.Xml.Linq;
using KimchiNet.HelpBuilder.Maml;
using KimchiNet.HelpBuilder.Model;

namespace KimchiNet.HelpBuilder.Tests.Maml;

public sealed class MamlWriterTests
{
    private static readonly XNamespace s_msh = MamlWriter.MshNamespace;
    private static readonly XNamespace s_maml = MamlWriter.MamlNamespace;
    private static readonly XNamespace s_command = MamlWriter.CommandNamespace;
    private static readonly XNamespace s_dev = MamlWriter.DevNamespace;

    [Fact]
    public void Write_Sample_ShouldMatchGoldenFile()
    {
        var maml = MamlWriter.Write([Fixtures.ReadSample()]);

        Assert.Equal(Fixtures.GoldenText("Sample.dll-Help.xml"), maml);
    }

    [Fact]
    public void Write_Sample_ShouldUseMamlNamespaces()
    {
        var document = XDocument.Parse(MamlWriter.Write([Fixtures.ReadSample()]));

        Assert.Equal(s_msh + "helpItems", document.Root!.Name);
        Assert.Equal("maml", (string?)document.Root.Attribute("schema"));
        var command = Assert.Single(document.Root.Elements(s_command + "command"));
        Assert.Equal("Get-Sample", command.Element(s_command + "details")!.Element(s_command + "name")!.Value);
        Assert.Equal("maml", command.GetPrefixOfNamespace(s_maml));
        Assert.Equal("dev", command.GetPrefixOfNamespace(s_dev));
    }

    [Fact]
    public void Write_Sample_ShouldGiveEachSyntaxItemItsSetsFacts()
    {
        var command = XDocument.Parse(MamlWriter.Write([Fixtures.ReadSample()])).Root!.Element(s_command + "command")!;

        var items = command.Element(s_command + "syntax")!.Elements(s_command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(["Name", "Kind", "Force"], Names(items[0]));
        Assert.Equal(["InputObject", "Kind"], Names(items[1]));
        var name = items[0].Elements(s_command + "parameter").First();
        Assert.Equal("true", (string?)name.Attribute("required"));
        Assert.Equal("0", (string?)name.Attribute("position"));
        Assert.Equal("true", (string?)name.Attribute("globbing"));
        Assert.Equal("SampleName, N", (string?)name.Attribute("aliases"));
        Assert.Equal("True (ByPropertyName)", (string?)name.Attribute("pipelineInput"));
        var force = items[0].Elements(s_command + "parameter").Last();
        Assert.Null(force.Element(s_command + "parameterValue"));
        Assert.Equal("named", (string?)force.Attribute("position"));
        Assert.Equal("none", (string?)force.Attribute("aliases"));
    }

    [Fact]
    public void Write_HostileText_ShouldRoundTripThroughXml()
    {
        const string Hostile = "a < b & c > d \"quoted\" ]]> 'single'";
        var help = Fixtures.ReadSample() with
        {
            Synopsis = [Hostile],
            Examples = [new ExampleHelp("Example 1: <x>", "Get-Sample | Where-Object { $_ -lt 3 -and $_ -gt 1 }", [Hostile])],
        };

        var command = XDocument.Parse(MamlWriter.Write([help])).Root!.Element(s_command + "command")!;

        Assert.Equal(Hostile, command.Element(s_command + "details")!.Element(s_maml + "description")!.Element(s_maml + "para")!.Value);
        var example = command.Element(s_command + "examples")!.Element(s_command + "example")!;
        Assert.Equal("Get-Sample | Where-Object { $_ -lt 3 -and $_ -gt 1 }", example.Element(s_dev + "code")!.Value);
        Assert.Contains("Example 1: <x>", example.Element(s_maml + "title")!.Value, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WithoutNotes_ShouldLeaveOutAlertSet()
    {
        var help = Fixtures.ReadSample() with { Notes = [] };

        var command = XDocument.Parse(MamlWriter.Write([help])).Root!.Element(s_command + "command")!;

        Assert.Null(command.Element(s_maml + "alertSet"));
    }

    private static string[] Names(XElement syntaxItem) =>
        syntaxItem.Elements(s_command + "parameter").Select(p => p.Element(s_maml + "name")!.Value).ToArray();
}
