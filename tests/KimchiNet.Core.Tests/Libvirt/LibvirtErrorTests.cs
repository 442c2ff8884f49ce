using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

public sealed class LibvirtErrorTests
{
    [Fact]
    public void WithoutQuotedSource_OfAnXmlDetailError_DropsLibxml2sSourceLineAndCaret()
    {
        const string message = "/root/secret.txt:1: Start tag expected, '<' not found\nTopSecretLine\n^";

        Assert.Equal("/root/secret.txt:1: Start tag expected, '<' not found", LibvirtError.WithoutQuotedSource(LibvirtErrorNumbers.XmlDetail, message));
        Assert.Equal(message, LibvirtError.WithoutQuotedSource(LibvirtErrorNumbers.InternalError, message));
    }
}
