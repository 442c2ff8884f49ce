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
}
