using System;
using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

/// <summary>
/// libvirt's texts for SSH failures of virConnectOpen, as observed in the lab (Lab.Ssh.Tests.ps1) on
/// Debian 12: openssh-client 9.2 for qemu+ssh, libvirt 9.0 with libssh 0.10 for qemu+libssh.
/// </summary>
public sealed class SshFailureTests
{
    private const string SshChanged =
        "Cannot recv data: @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" +
        "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n" +
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" +
        "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n" +
        "Offending ED25519 key in /run/kimchinet-lab/sshtry/ssh/known_changed:1\n" +
        "Host key for 10.213.0.2 has changed and you have requested strict checking.\n" +
        "Host key verification failed.: Connection reset by peer";

    public static TheoryData<int, int, string, string> ObservedTexts => new()
    {
        { 38, 7, "Cannot recv data: Host key verification failed.: Connection reset by peer", ErrorCodes.SshHostKeyUnknown },
        { 38, 7, SshChanged, ErrorCodes.SshHostKeyChanged },
        { 98, 66, "libssh transport error: No user interaction callback provided: Can't verify the session host key", ErrorCodes.SshHostKeyUnknown },
        { 98, 66, "libssh transport error: SSH host key for '10.213.0.2' (a4:5f:a7:86) was not accepted", ErrorCodes.SshHostKeyUnknown },
        { 45, 66, "authentication failed: !!! SSH HOST KEY VERIFICATION FAILED !!!: Identity of host '10.213.0.2:22' differs from stored identity. Please verify the new host key 'a4:5f' to avoid possible man in the middle attack. The key is stored in '/run/kimchinet-lab/sshtry/ssh/known_changed'.", ErrorCodes.SshHostKeyChanged },
        { 38, 7, "Cannot recv data: root@10.213.0.2: Permission denied (publickey).: Connection reset by peer", ErrorCodes.SshLoginFailed },
        { 38, 7, "Cannot recv data: Permission denied, please try again.\nPermission denied, please try again.\nkimchilab@10.213.0.2: Permission denied (password).: Connection reset by peer", ErrorCodes.SshLoginFailed },
        { 98, 66, "libssh transport error: No user interaction callback provided: Can't retrieve private key passphrase", ErrorCodes.SshLoginFailed },
        { 98, 66, "libssh transport error: Can't perform authentication: Authentication callback not provided", ErrorCodes.SshLoginFailed },
        { 45, 46, "authentication failed: Password request failed", ErrorCodes.SshCredentialRejected },
    };

    [Theory]
    [MemberData(nameof(ObservedTexts))]
    public void Map_ObservedOpenFailure_HasItsSshCode(int code, int domain, string message, string expected)
    {
        var error = new LibvirtError("virConnectOpen", code, domain, message, null, 0);

        var exception = LibvirtException.Map(error, connectionDead: true, "qemu+ssh://root@10.213.0.2/system");

        Assert.Equal(expected, exception.Code);
        Assert.Equal(ErrorKind.PermissionDenied, exception.Kind);
        Assert.EndsWith($"libvirt: {message} (virConnectOpen, error {code}, domain {domain})", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cannot recv data: Host key verification failed.: Connection reset by peer", "ssh-keyscan HOST >> ~/.ssh/known_hosts")]
    [InlineData(SshChanged, "ssh-keygen -R HOST")]
    [InlineData("Permission denied (publickey).", "ssh-agent")]
    [InlineData("authentication failed: Password request failed", "-Credential")]
    public void Map_SshFailure_SaysWhatToDo(string message, string advice)
    {
        var exception = LibvirtException.Map(new LibvirtError("virConnectOpen", 38, 7, message, null, 0), connectionDead: true);

        Assert.Contains(advice, exception.Message, StringComparison.Ordinal);
        Assert.True(exception.Message.IndexOf(advice, StringComparison.Ordinal) < exception.Message.IndexOf("libvirt: ", StringComparison.Ordinal), "the advice comes before libvirt's own text");
    }

    [Fact]
    public void Map_SameTextFromAnotherCall_IsNotAnSshFailure()
    {
        // Only opening a connection logs in; a network or host named with these words elsewhere changes nothing.
        var error = new LibvirtError("virNetworkDefineXML", 1, 0, "Permission denied (publickey).", null, 0);

        Assert.Equal(ErrorCodes.LibvirtError, LibvirtException.Map(error, connectionDead: false).Code);
        Assert.StartsWith("libvirt: ", LibvirtException.Map(error, connectionDead: false).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_OtherOpenFailure_KeepsItsCode()
    {
        var error = new LibvirtError("virConnectOpen", LibvirtErrorNumbers.SystemError, 7, "Failed to connect socket to '/run/x/libvirt-sock': No such file or directory", null, 0);

        Assert.Equal(ErrorCodes.ConnectionFailed, LibvirtException.Map(error, connectionDead: true).Code);
    }
}
