using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

public sealed class LibvirtUriTests
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
    public void Redact_AnyUri_HidesOnlyThePassword(string? uri, string? expected)
    {
        Assert.Equal(expected, LibvirtUri.Redact(uri));
    }

    [Theory]
    [InlineData("qemu:///system", true)]
    [InlineData("qemu:///session", true)]
    [InlineData("qemu+unix:///system?socket=/run/lab1/libvirt-sock", true)]
    [InlineData("test:///default", true)]
    [InlineData("test+unix:///default", true)]
    [InlineData("qemu+ssh://root@kvm1/system", false)]
    [InlineData("qemu+tcp://localhost/system", false)]
    [InlineData("qemu://kvm1/system", false)]
    [InlineData("qemu+tls://kvm1/system", false)]
    [InlineData("qemu+libssh2://kvm1/system", false)]
    [InlineData("qemu+unix://kvm1/system", false)]
    public void IsLocal_AnyUri_NeedsUnixOrNoTransportAndNoHost(string uri, bool local)
    {
        Assert.Equal(local, LibvirtUri.IsLocal(uri));
    }

    [Theory]
    [InlineData("qemu+ssh://root@10.0.0.2/system?socket=/run/lab/libvirt-sock&keyfile=/k/id&command=/c/ssh", "10.0.0.2", "root", null, "/k/id", "qemu+unix:///system?socket=/run/lab/libvirt-sock")]
    [InlineData("qemu+ssh://kvm1/system", "kvm1", null, null, null, "qemu:///system")]
    [InlineData("qemu+ssh://alice:S3cret@kvm1:2222/session?keyfile=%2Fk%20x", "kvm1", "alice", "2222", "/k x", "qemu:///session")]
    [InlineData("qemu+libssh://bob@[2001:db8::1]:22/system", "[2001:db8::1]", "bob", "22", null, "qemu:///system")]
    [InlineData("qemu+tcp://kvm1:16509/system", "kvm1", null, null, null, "qemu:///system")]
    public void RemoteHost_RemoteUri_GivesTheRemotingPartsAndTheHostSideUri(string uri, string host, string? user, string? port, string? keyFile, string hostSide)
    {
        var parts = LibvirtUri.RemoteHost(uri);
        Assert.NotNull(parts);
        Assert.Equal((host, user, port, keyFile, hostSide), (parts.Host, parts.User, parts.Port, parts.KeyFile, parts.HostSideUri));
        Assert.DoesNotContain("S3cret", parts.ToString(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qemu:///system")]
    [InlineData("qemu+unix:///system?socket=/run/lab/libvirt-sock")]
    [InlineData("not a uri")]
    [InlineData(null)]
    public void RemoteHost_UriWithoutHost_IsNull(string? uri)
    {
        Assert.Null(LibvirtUri.RemoteHost(uri));
    }
}
