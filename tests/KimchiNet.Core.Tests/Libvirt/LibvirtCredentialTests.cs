using System;
using System.Net;
using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

/// <summary>The pool's connections that log in with a credential (the test driver opens without asking for one).</summary>
[Collection(LibvirtCollection.Name)]
public sealed class LibvirtCredentialTests
{
    private const string Password = "pw-Never-Shown-4711";

    [Fact]
    public void GetWithCredential_ThenUriAlone_ReachesTheSameConnection()
    {
        var uri = TestUris.Host("small-host.xml");
        try
        {
            var withCredential = LibvirtConnections.GetWithCredential(uri, new NetworkCredential("alice", Password));

            Assert.Same(withCredential, LibvirtConnections.Get(uri));
            Assert.Same(withCredential, LibvirtConnections.GetWithCredential(uri, new NetworkCredential("alice", Password)));
            Assert.DoesNotContain(LibvirtConnections.PooledUris, pooled => pooled.Contains(Password, StringComparison.Ordinal));
        }
        finally
        {
            LibvirtConnections.Close(uri);
        }
    }

    [Fact]
    public void GetWithCredential_OtherPassword_ReplacesThePooledConnection()
    {
        var uri = TestUris.Host("small-host.xml");
        try
        {
            var first = LibvirtConnections.GetWithCredential(uri, new NetworkCredential("alice", Password));
            var second = LibvirtConnections.GetWithCredential(uri, new NetworkCredential("alice", "another"));

            Assert.NotSame(first, second);
            Assert.Same(second, LibvirtConnections.Get(uri));
            Assert.False(first.IsAlive);
        }
        finally
        {
            LibvirtConnections.Close(uri);
        }
    }

    [Theory]
    [InlineData("qemu+ssh://alice@host.example/system")]
    [InlineData("QEMU+SSH://host.example/system?keyfile=/k")]
    [InlineData("qemu+ext:///system?command=/bin/true")]
    public void GetWithCredential_TransportThatRunsAProgram_IsRefusedWithKCHNET0156E(string uri)
    {
        var error = Assert.Throws<KimchiException>(() => LibvirtConnections.GetWithCredential(uri, new NetworkCredential("alice", Password)));

        Assert.Equal(ErrorCodes.CredentialNotUsable, error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(uri, LibvirtConnections.PooledUris);
    }

    [Theory]
    [InlineData("qemu+libssh://host.example/system?known_hosts=/k", "alice", "qemu+libssh://alice@host.example/system?known_hosts=/k")]
    [InlineData("qemu+libssh://bob@host.example/system", "alice", "qemu+libssh://bob@host.example/system")]
    [InlineData("qemu+libssh://host.example:2222", "a b", "qemu+libssh://a%20b@host.example:2222")]
    [InlineData("qemu:///system", "alice", "qemu:///system")]
    [InlineData("qemu+libssh://host.example/system", "", "qemu+libssh://host.example/system")]
    public void WithUser_PutsTheUserIntoAUriThatNamesAHostButNoUser(string uri, string user, string expected) =>
        Assert.Equal(expected, LibvirtConnections.WithUser(uri, user));
}
