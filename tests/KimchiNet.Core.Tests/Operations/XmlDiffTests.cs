using KimchiNet.Operations;

namespace KimchiNet.Core.Tests.Operations;

public sealed class XmlDiffTests
{
    [Fact]
    public void Lines_WithOneChangedLine_ShouldMarkRemovedThenAdded()
    {
        var diff = XmlDiff.Lines("<network>\n  <name>a</name>\n</network>", "<network>\n  <name>b</name>\n</network>");
        Assert.Equal("  <network>\n-   <name>a</name>\n+   <name>b</name>\n  </network>", diff);
    }

    [Fact]
    public void Lines_WithSameText_ShouldMarkNothing()
    {
        var diff = XmlDiff.Lines("x\ny", "x\ny");
        Assert.Equal("  x\n  y", diff);
    }

    [Fact]
    public void Lines_WithInsertedAndDeletedLines_ShouldKeepCommonOnesInOrder()
    {
        var diff = XmlDiff.Lines("a\nb\nc", "a\nc\nd");
        Assert.Equal("  a\n- b\n  c\n+ d", diff);
    }

    [Fact]
    public void Networks_WithOnlyQuotingChanged_ShouldShowNoChange()
    {
        var diff = XmlDiff.Networks("<network><name>a</name><bridge stp='on' delay='0'/></network>\n", "<network>\n  <name>a</name>\n  <bridge stp=\"on\" delay=\"0\" />\n</network>");
        Assert.DoesNotContain("\n+ ", "\n" + diff, System.StringComparison.Ordinal);
        Assert.DoesNotContain("\n- ", "\n" + diff, System.StringComparison.Ordinal);
    }
}
