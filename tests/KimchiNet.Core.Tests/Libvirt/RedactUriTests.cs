using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

public sealed class RedactUriTests
{
    [Theory]
    [InlineData("qemu+tcp://alice:S3cret@host/system", "qemu+tcp://alice:***@host/system")]
    [InlineData("qemu+ssh://alice:p@ss:w@host:22/system?keyfile=/k", "qemu+ssh://alice:***@host:22/system?keyfile=/k")]
    [InlineData("qemu+ssh://alice@host/system", "qemu+ssh://alice@host/system")]
    [InlineData("qemu:///system", "qemu:///system")]
    [InlineData("qemu+unix:///system?socket=/run/x:y@z", "qemu+unix:///system?socket=/run/x:y@z")]
    [InlineData(null, null)]
    public void RedactUri_ShouldHideOnlyThePassword(string? uri, string? expected)
    {
        Assert.Equal(expected, LibvirtConnection.RedactUri(uri));
    }

    [Fact]
    public void GetNetwork_WithNulInName_ShouldFindNothingRatherThanTheNameBeforeIt()
    {
        using var connection = new LibvirtConnection("test:///default");
        Assert.NotNull(connection.GetNetwork("default"));
        Assert.Null(connection.GetNetwork("default\0evil"));
    }
}
