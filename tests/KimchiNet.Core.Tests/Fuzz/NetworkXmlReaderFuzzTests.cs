using System.Threading;
using KimchiNet.Xml;
using Xunit.Abstractions;

namespace KimchiNet.Tests.Fuzz;

/// <summary>
/// Whatever text <see cref="NetworkXmlReader.Read(string)"/> is given, the only exception that
/// escapes is a KCHNET0107E <see cref="KimchiException"/>; whatever it returns,
/// <see cref="NetworkDescriptions.FromXml"/> describes and <see cref="NetworkXmlWriter"/> writes
/// without throwing, and the written text reads back and is written again to the same text.
/// </summary>
public sealed class NetworkXmlReaderFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Read_WithGeneratedAndMutatedXml_ShouldOnlyThrowMalformedXml()
    {
        long read = 0;
        FuzzBudget.Run(output, "NetworkXmlReader.Read (trees, mutated fixtures)", NetworkXmlGens.Any, xml => Count(AssertReadDescribeWrite(xml), ref read), testDefault: 4000);
        output.WriteLine($"read (then described, written and read again): {read}; the rest refused as KCHNET0107E");
        Assert.True(read > 0, "no generated case was readable: the generators no longer reach past the XML parser");
    }

    [Fact]
    public void Read_WithHostileDocuments_ShouldOnlyThrowMalformedXml()
    {
        // Megabyte values, 200,000-deep nesting, DTDs: few cases, each costly.
        long read = 0;
        FuzzBudget.Run(output, "NetworkXmlReader.Read (hostile documents)", NetworkXmlGens.Hostile, xml => Count(AssertReadDescribeWrite(xml), ref read), testDefault: 40, weight: 0.01, print: Abbreviate);
        output.WriteLine($"read: {read}; the rest refused as KCHNET0107E");
    }

    [Fact]
    public void Read_WithNestingUpToLibvirtsLimit_ShouldReadIt()
    {
        var network = NetworkXmlReader.Read(NetworkXmlGens.Nested(NetworkXmlReader.MaxDepth));

        Assert.Equal("deep", network.Name);
        Assert.Single(network.OtherElements);
    }

    [Theory]
    [InlineData(NetworkXmlReader.MaxDepth + 1)]
    [InlineData(100_000)]
    [InlineData(2_000_000)]
    public void Read_WithNestingDeeperThanLibvirtsLimit_ShouldThrowMalformedXmlWithoutOverflowingTheStack(int depth)
    {
        // Before the limit, 100,000 levels (700 KB) took 20 s to load and then overflowed the stack
        // while copying the raw element: a crash of the whole process (PowerShell included) that no
        // catch stops. A small stack makes any recursion per level show here rather than only on
        // deeper input; the test would take minutes if the tree were still built first.
        var xml = NetworkXmlGens.Nested(depth);
        KimchiException? error = null;
        var thread = new Thread(
            () => error = Assert.Throws<KimchiException>(() => NetworkXmlReader.Read(xml)),
            maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();

        Assert.NotNull(error);
        Assert.Equal(ErrorCodes.MalformedXml, error.Code);
        Assert.Contains("256 deep", error.Message, System.StringComparison.Ordinal);
    }

    private static void Count(bool read, ref long count)
    {
        if (read)
        {
            Interlocked.Increment(ref count);
        }
    }

    /// <summary>The property; true when the text was read (false when refused as malformed).</summary>
    private static bool AssertReadDescribeWrite(string xml)
    {
        NetworkXml network;
        try
        {
            network = NetworkXmlReader.Read(xml);
        }
        catch (KimchiException e) when (e.Code == ErrorCodes.MalformedXml)
        {
            return false;
        }

        // Any other exception (a KimchiException with another code included) fails the property.
        NetworkDescriptions.FromXml(network);
        var written = NetworkXmlWriter.Write(network);
        var again = NetworkXmlWriter.Write(NetworkXmlReader.Read(written));
        // Written text is a fixed point: reading it and writing it again gives the same bytes.
        Assert.True(written == again, $"written:\n{written}\nread and written again:\n{again}");
        return true;
    }

    private static string Abbreviate(string xml) => xml.Length <= 300 ? xml : $"{xml[..200]}…({xml.Length} chars)…{xml[^80..]}";
}
