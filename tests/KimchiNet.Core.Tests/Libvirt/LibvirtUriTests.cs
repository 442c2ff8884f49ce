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
}
