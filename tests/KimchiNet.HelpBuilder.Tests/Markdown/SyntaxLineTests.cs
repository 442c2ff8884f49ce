using System.Linq;
using KimchiNet.HelpBuilder.Markdown;

namespace KimchiNet.HelpBuilder.Tests.Markdown;

public sealed class SyntaxLineTests
{
    [Theory]
    [InlineData("[-Name] <String>", true, true)]
    [InlineData("[[-Name] <String>]", false, true)]
    [InlineData("-Name <String>", true, false)]
    [InlineData("[-Name <String[]>]", false, false)]
    [InlineData("[-Name]", false, false)]
    [InlineData("-Name", true, false)]
    [InlineData("[-Name {A | B}]", false, false)]
    [InlineData("[-Name] {A | B}", true, true)]
    public void Parse_Parameter_ShouldReadRequiredAndPositionalFromBrackets(string shape, bool required, bool positional)
    {
        var parsed = SyntaxLine.Parse($"Get-Thing {shape} [<CommonParameters>]", 3, out var error);

        Assert.Null(error);
        var parameter = Assert.Single(parsed!.Parameters);
        Assert.Equal("Name", parameter.Name);
        Assert.Equal(required, parameter.Required);
        Assert.Equal(positional, parameter.Positional);
        Assert.Equal(3, parameter.Line);
        Assert.True(parsed.CommonParameters);
    }

    [Fact]
    public void Parse_WrappedLine_ShouldJoinContinuationLines()
    {
        var parsed = SyntaxLine.Parse("ConvertTo-Thing [-Name] <String> -Connection <String>\n [-VlanId <Int32>] [<CommonParameters>]", 1, out _);

        Assert.Equal("ConvertTo-Thing", parsed!.Command);
        Assert.Equal(["Name", "Connection", "VlanId"], parsed.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Parse_WithoutCommonParameters_ShouldSaySo()
    {
        Assert.False(SyntaxLine.Parse("Get-Thing -Name <String>", 1, out _)!.CommonParameters);
    }

    [Theory]
    [InlineData("Get-Thing [-Name <String>")]
    [InlineData("Get-Thing -Name <String>]")]
    [InlineData("Get-Thing -Name <String")]
    public void Parse_Unbalanced_ShouldFail(string line)
    {
        Assert.Null(SyntaxLine.Parse(line, 1, out var error));
        Assert.NotNull(error);
    }
}
