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
    [InlineData("test://alice:S3cretPw@/default", "test://alice:***@/default")]
    [InlineData("qemu+tcp://alice:S3cret/Pw@192.0.2.1:1/system", "qemu+tcp://alice:***@192.0.2.1:1/system")]
    [InlineData("qemu+tcp://alice:S3c?ret@host/system", "qemu+tcp://alice:***@host/system")]
    [InlineData("qemu+tcp://alice:a/b?c@d#e@host/system?x=1", "qemu+tcp://alice:***@host/system?x=1")]
    [InlineData("qemu+ssh://alice@host/system?keyfile=/a:b@c", "qemu+ssh://alice@host/system?keyfile=/a:b@c")]
    [InlineData("qemu+ssh://host/system?keyfile=/a:b@c", "qemu+ssh://host/system?keyfile=/a:b@c")]
    [InlineData("qemu+tcp://alice:@host/system", "qemu+tcp://alice:@host/system")]
    public void RedactUri_ShouldHideOnlyThePassword(string? uri, string? expected)
    {
        Assert.Equal(expected, LibvirtConnection.RedactUri(uri));
    }

    [Fact]
    public void Uri_OfAConnectionOpenedWithAPassword_ShouldBeRedacted_AndTheRedactedUriShouldFindIt()
    {
        var path = TestUris.Host("small-host.xml")["test://".Length..];
        var secret = $"test://alice:S3cretPw@{path}";
        var redacted = $"test://alice:***@{path}";
        try
        {
            var connection = LibvirtConnections.Get(secret);

            Assert.Equal(redacted, connection.Uri);
            Assert.Equal(redacted, connection.RequestedUri);
            Assert.Same(connection, LibvirtConnections.Get(redacted));
            Assert.DoesNotContain(LibvirtConnections.PooledUris, uri => uri.Contains("S3cretPw", System.StringComparison.Ordinal));
            Assert.True(LibvirtConnections.Close(redacted));

            var error = Assert.Throws<KimchiException>(() => LibvirtConnections.Get(redacted));
            Assert.Equal(ErrorCodes.RedactedUriNotOpen, error.Code);
            Assert.DoesNotContain("S3cretPw", error.Message, System.StringComparison.Ordinal);
        }
        finally
        {
            LibvirtConnections.Close(secret);
        }
    }

    [Fact]
    public void WithoutQuotedSource_ShouldDropLibxml2sSourceLineAndCaret()
    {
        const string message = "/root/secret.txt:1: Start tag expected, '<' not found\nTopSecretLine\n^";

        Assert.Equal("/root/secret.txt:1: Start tag expected, '<' not found", Interop.Libvirt.WithoutQuotedSource(LibvirtErrorNumbers.XmlDetail, message));
        Assert.Equal(message, Interop.Libvirt.WithoutQuotedSource(LibvirtErrorNumbers.InternalError, message));
    }

    [Fact]
    public void GetNetwork_WithNulInName_ShouldFindNothingRatherThanTheNameBeforeIt()
    {
        using var connection = new LibvirtConnection("test:///default");
        Assert.NotNull(connection.GetNetwork("default"));
        Assert.Null(connection.GetNetwork("default\0evil"));
    }
}
