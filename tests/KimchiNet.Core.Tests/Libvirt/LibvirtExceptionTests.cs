using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

public sealed class LibvirtExceptionTests
{
    private static LibvirtError Error(int code, string message = "boom") => new("virTest", code, 0, message, null, 0);

    [Theory]
    [InlineData(LibvirtErrorNumbers.NoNetwork, false, ErrorCodes.NetworkNotFound, ErrorKind.NotFound)]
    [InlineData(LibvirtErrorNumbers.NetworkExists, false, ErrorCodes.NetworkExists, ErrorKind.AlreadyExists)]
    [InlineData(LibvirtErrorNumbers.AuthFailed, false, ErrorCodes.PermissionDenied, ErrorKind.PermissionDenied)]
    [InlineData(LibvirtErrorNumbers.AuthCancelled, false, ErrorCodes.PermissionDenied, ErrorKind.PermissionDenied)]
    [InlineData(LibvirtErrorNumbers.AccessDenied, false, ErrorCodes.PermissionDenied, ErrorKind.PermissionDenied)]
    [InlineData(LibvirtErrorNumbers.NoConnect, false, ErrorCodes.ConnectionFailed, ErrorKind.Unavailable)]
    [InlineData(LibvirtErrorNumbers.SystemError, true, ErrorCodes.ConnectionFailed, ErrorKind.Unavailable)]
    [InlineData(LibvirtErrorNumbers.Rpc, true, ErrorCodes.ConnectionFailed, ErrorKind.Unavailable)]
    [InlineData(LibvirtErrorNumbers.InternalError, true, ErrorCodes.ConnectionFailed, ErrorKind.Unavailable)]
    [InlineData(LibvirtErrorNumbers.SystemError, false, ErrorCodes.LibvirtError, ErrorKind.OperationFailed)]
    [InlineData(LibvirtErrorNumbers.InternalError, false, ErrorCodes.LibvirtError, ErrorKind.OperationFailed)]
    [InlineData(LibvirtErrorNumbers.XmlError, true, ErrorCodes.LibvirtError, ErrorKind.OperationFailed)]
    [InlineData(LibvirtErrorNumbers.OperationInvalid, false, ErrorCodes.LibvirtError, ErrorKind.OperationFailed)]
    public void Map_EachLibvirtError_ChoosesCodeAndKind(int libvirtCode, bool dead, string code, ErrorKind kind)
    {
        var exception = LibvirtException.Map(Error(libvirtCode), dead, "net1");

        Assert.Equal(code, exception.Code);
        Assert.Equal(kind, exception.Kind);
        Assert.Equal(libvirtCode, exception.Error.Code);
        Assert.Equal("net1", exception.Target);
    }

    [Fact]
    public void Map_OperationFailedSayingAlreadyExists_IsNetworkExists()
    {
        Assert.Equal(ErrorCodes.NetworkExists, LibvirtException.Map(Error(LibvirtErrorNumbers.OperationFailed, "network 'x' already exists with uuid y"), false).Code);
        Assert.Equal(ErrorCodes.LibvirtError, LibvirtException.Map(Error(LibvirtErrorNumbers.OperationFailed, "disk full"), false).Code);
    }

    [Fact]
    public void Map_AnyError_IsAKimchiExceptionWithLibvirtsMessageInside()
    {
        KimchiException exception = LibvirtException.Map(Error(LibvirtErrorNumbers.NoNetwork, "Network not found: no network with matching name 'x'"), false);

        Assert.Contains("no network with matching name 'x'", exception.Message, System.StringComparison.Ordinal);
        Assert.Contains("virTest", exception.Message, System.StringComparison.Ordinal);
    }
}
