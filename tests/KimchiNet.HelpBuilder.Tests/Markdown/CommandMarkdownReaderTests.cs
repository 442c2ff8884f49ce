using System.Linq;
using KimchiNet.HelpBuilder.Markdown;
using KimchiNet.HelpBuilder.Model;

namespace KimchiNet.HelpBuilder.Tests.Markdown;

public sealed class CommandMarkdownReaderTests
{
    [Fact]
    public void Read_Sample_ShouldTakeNameAndFrontMatter()
    {
        var help = Fixtures.ReadSample();

        Assert.Equal("Get-Sample", help.Name);
        Assert.Equal("Get", help.Verb);
        Assert.Equal("Sample", help.Noun);
        Assert.Equal("Sample", help.ModuleName);
        Assert.Equal("Sample.dll-Help.xml", help.ExternalHelpFile);
        Assert.Equal("https://example.org/Get-Sample", help.OnlineVersion);
    }

    [Fact]
    public void Read_Sample_ShouldTurnProseIntoPlainParagraphs()
    {
        var help = Fixtures.ReadSample();

        Assert.Equal(["Gets samples by name or from the pipeline."], help.Synopsis);
        Assert.Equal(
            [
                "The Get-Sample cmdlet gets samples. It is only a fixture for the help builder (https://example.org/builder), so nothing here is real.",
                "Samples come in two kinds:",
                "- Small ones.",
                "- Large ones & <odd> ones.",
            ],
            help.Description);
        Assert.Equal(["Samples are not real."], help.Notes);
    }

    [Fact]
    public void Read_Sample_ShouldReadOneSyntaxPerParameterSet()
    {
        var help = Fixtures.ReadSample();

        Assert.Collection(
            help.Syntax,
            byName =>
            {
                Assert.Equal("ByName", byName.ParameterSetName);
                Assert.True(byName.IsDefault);
                Assert.True(byName.CommonParameters);
                Assert.Equal(["Name", "Kind", "Force"], byName.Parameters.Select(p => p.Name));
                Assert.Equal([true, false, false], byName.Parameters.Select(p => p.Required));
                Assert.Equal([true, false, false], byName.Parameters.Select(p => p.Positional));
            },
            byInput =>
            {
                Assert.Equal("ByInputObject", byInput.ParameterSetName);
                Assert.False(byInput.IsDefault);
                Assert.Equal(["InputObject", "Kind"], byInput.Parameters.Select(p => p.Name));
                Assert.Equal([true, false], byInput.Parameters.Select(p => p.Required));
            });
    }

    [Fact]
    public void Read_Sample_ShouldReadYamlFacts()
    {
        var parameters = Fixtures.ReadSample().Parameters.ToDictionary(p => p.Name);

        Assert.Equal(["Name", "Kind", "Force", "InputObject"], parameters.Keys);
        var name = parameters["Name"];
        Assert.Equal("String[]", name.Type);
        Assert.Equal(["SampleName", "N"], name.Aliases);
        Assert.True(name.Globbing);
        Assert.Null(name.DefaultValue);
        var nameFacts = Assert.Single(name.SetFacts);
        Assert.Equal(["ByName"], nameFacts.ParameterSets);
        Assert.True(nameFacts.Required);
        Assert.Equal(0, nameFacts.Position);
        Assert.Equal("True (ByPropertyName)", nameFacts.PipelineInput);
        Assert.Null(name.FactsFor("ByInputObject"));

        var kind = parameters["Kind"];
        Assert.Equal(["Small", "Large"], kind.AcceptedValues);
        Assert.Equal("Small", kind.DefaultValue);
        Assert.True(kind.SetFacts[0].AllSets);
        Assert.NotNull(kind.FactsFor("byinputobject"));

        Assert.True(parameters["Force"].IsSwitch);
        Assert.Equal("True (ByValue)", parameters["InputObject"].SetFacts[0].PipelineInput);
        Assert.Null(parameters["InputObject"].SetFacts[0].Position);
    }

    [Fact]
    public void Read_Sample_ShouldSplitExamplesIntoCodeAndRemarks()
    {
        var examples = Fixtures.ReadSample().Examples;

        Assert.Equal(["Example 1: Get a sample by name", "Example 2: Pipe an object"], examples.Select(e => e.Title));
        Assert.Equal("Get-Sample -Name one", examples[0].Code);
        Assert.Equal(["Name Kind\n---- ----\none  Small", "The sample named one is returned."], examples[0].Remarks);
        Assert.Equal(["Objects bind to -InputObject."], examples[1].Remarks);
    }

    [Fact]
    public void Read_Sample_ShouldReadTypesAndLinks()
    {
        var help = Fixtures.ReadSample();

        Assert.Equal(new TypeHelp("System.Management.Automation.PSObject", ["Any object with a Name property."]).Name, Assert.Single(help.Inputs).Name);
        Assert.Equal(["Sample.Item", "System.String"], help.Outputs.Select(o => o.Name));
        Assert.Equal(["With -Force, a note for hidden samples."], help.Outputs[1].Description);
        Assert.Equal(
            [
                new LinkHelp("Online Version:", "https://example.org/Get-Sample"),
                new LinkHelp("Set-Sample", null),
                new LinkHelp("Sample documentation", "https://example.org/samples"),
            ],
            help.RelatedLinks);
    }

    [Fact]
    public void Read_SinglePlainSyntaxBlock_ShouldUseAllParameterSets()
    {
        var text = Fixtures.SampleCommandText();
        var start = text.IndexOf("### ByName (Default)", System.StringComparison.Ordinal);
        var end = text.IndexOf("## DESCRIPTION", System.StringComparison.Ordinal);
        text = text[..start]
            + "```\nGet-Sample [-Name] <String[]> [-Kind <String>] [-Force] [-InputObject <PSObject>] [<CommonParameters>]\n```\n\n"
            + text[end..];
        text = text.Replace("Parameter Sets: ByInputObject", "Parameter Sets: (All)").Replace("Parameter Sets: ByName", "Parameter Sets: (All)")
            .Replace("Required: True\nPosition: Named", "Required: False\nPosition: Named");

        var result = CommandMarkdownReader.Read(text, Fixtures.SampleCommandPath);

        Assert.Empty(result.Diagnostics);
        var set = Assert.Single(result.Command!.Syntax);
        Assert.Equal(SyntaxHelp.AllParameterSets, set.ParameterSetName);
        Assert.Equal(4, set.Parameters.Count);
    }
}
