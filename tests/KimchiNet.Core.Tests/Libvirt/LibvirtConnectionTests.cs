using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

[Collection(LibvirtCollection.Name)]
public sealed class LibvirtConnectionTests
{
    private readonly LibvirtConnection _connection = LibvirtConnections.Get(TestUris.Default);

    private static string IsolatedXml(string name, int third) => $"""
        <network>
          <name>{name}</name>
          <bridge name='kn{third}'/>
          <ip address='10.77.{third}.1' netmask='255.255.255.0'>
            <dhcp><range start='10.77.{third}.2' end='10.77.{third}.254'/></dhcp>
          </ip>
        </network>
        """;

    [Fact]
    public void Uri_OfTheTestDriver_IsWhatLibvirtReportsAndLocal()
    {
        var connection = LibvirtConnections.Get(TestUris.Default);

        Assert.Equal("test:///default", connection.Uri);
        Assert.True(connection.IsLocal);
        Assert.True(connection.IsAlive);
        Assert.False(string.IsNullOrEmpty(connection.GetHostname()));
    }

    [Fact]
    public void IsTestDriver_OfTestDriverUris_IsLibvirtsOwnDriverNameAndTheOnlyCheckInTheSources()
    {
        var connection = LibvirtConnections.Get(TestUris.Default);

        Assert.Equal("TEST", connection.DriverType, ignoreCase: true);
        Assert.True(connection.IsTestDriver);
        Assert.True(LibvirtConnections.Get(TestUris.Host("small-host.xml")).IsTestDriver);

        // Issue 12 item 4: the URI's text decides nothing (test+unix:// through a daemon is the test
        // driver too; Security.Lab.Tests.ps1 shows it, and a qemu lab URI that is not).
        var src = System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, "../../../../../src"));
        var checks = System.IO.Directory.EnumerateFiles(src, "*.cs", System.IO.SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Where(f => System.IO.File.ReadAllText(f).Contains("StartsWith(\"test:\"", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.Empty(checks);
    }

    [Fact]
    public void ListNetworks_AfterTheConnectionIsLost_ReopensIt()
    {
        var uri = TestUris.Host("small-host.xml");
        try
        {
            var connection = LibvirtConnections.Get(uri);
            Assert.Single(connection.ListNetworks());

            // Break it the way a dead daemon would leave it: the native handle is gone.
            connection.Handle!.Dispose();
            Assert.False(connection.IsAlive);

            Assert.Single(connection.ListNetworks());
            Assert.Equal(2, connection.OpenCount);
            Assert.True(connection.IsAlive);
        }
        finally
        {
            LibvirtConnections.Close(uri);
        }
    }

    [Fact]
    public void CallLogging_FromTwoThreads_ReachesTheEventAndOnlyTheCurrentFlowsScope()
    {
        var connection = LibvirtConnections.Get(TestUris.Default);
        var all = new ConcurrentQueue<string>();
        var mine = new List<string>();
        var others = new List<string>();
        void OnCall(string line) => all.Enqueue(line);
        connection.CallLogged += OnCall;
        try
        {
            using (LibvirtConnection.BeginLogScope(mine.Add))
            {
                connection.GetNetworkXml("default");
                var other = new Thread(() =>
                {
                    using (LibvirtConnection.BeginLogScope(others.Add))
                    {
                        connection.ListInterfaces();
                    }
                });
                other.Start();
                other.Join();
            }

            connection.ListNetworks();
        }
        finally
        {
            connection.CallLogged -= OnCall;
        }

        Assert.Contains("libvirt virNetworkLookupByName('default')", mine);
        Assert.Contains("libvirt virNetworkGetXMLDesc('default', flags=0)", mine);
        Assert.DoesNotContain(mine, line => line.Contains("virConnectListAllInterfaces", StringComparison.Ordinal));
        Assert.DoesNotContain(mine, line => line.Contains("virConnectListAllNetworks", StringComparison.Ordinal));
        Assert.Contains(others, line => line.Contains("virConnectListAllInterfaces", StringComparison.Ordinal));
        Assert.Contains(all, line => line.Contains("virConnectListAllNetworks", StringComparison.Ordinal));
    }

    [Fact]
    public void Listing_OfTestDefault_FindsItsNetworkInterfaceAndDomain()
    {
        var connection = LibvirtConnections.Get(TestUris.Default);

        var network = connection.GetNetwork("default");
        var iface = Assert.Single(connection.ListInterfaces(), i => i.Name == "eth1");

        Assert.NotNull(network);
        Assert.Contains("<name>default</name>", network!.Xml, StringComparison.Ordinal);
        Assert.True(network.IsPersistent);
        Assert.Contains("<interface", iface.Xml, StringComparison.Ordinal);
        Assert.Contains(connection.ListDomains(), d => d.Name == "test");
    }

    [Fact]
    public void GetNetwork_WithNulInName_FindsNothingRatherThanTheNameBeforeIt()
    {
        using var connection = new LibvirtConnection("test:///default");
        Assert.NotNull(connection.GetNetwork("default"));
        Assert.Null(connection.GetNetwork("default\0evil"));
    }

    [Fact]
    public void NetworkCalls_DefineStartAutostartStopUndefine_EachChangesTheNetwork()
    {
        var name = TestUris.UniqueName("life");
        var defined = _connection.DefineNetwork(IsolatedXml(name, 11));
        try
        {
            Assert.Equal(name, defined.Name);
            Assert.False(defined.IsActive);
            Assert.True(defined.IsPersistent);
            Assert.False(defined.Autostart);
            Assert.Contains("<bridge name='kn11'", defined.Xml, StringComparison.Ordinal);

            _connection.StartNetwork(name);
            Assert.True(_connection.GetNetwork(name)!.IsActive);

            _connection.SetAutostart(name, true);
            Assert.True(_connection.GetNetwork(name)!.Autostart);
            _connection.SetAutostart(name, false);
            Assert.False(_connection.GetNetwork(name)!.Autostart);

            Assert.Contains(_connection.ListNetworks(), n => n.Name == name && n.IsActive);
            Assert.Contains("10.77.11.1", _connection.GetNetworkXml(name, inactive: true), StringComparison.Ordinal);

            _connection.StopNetwork(name);
            Assert.False(_connection.GetNetwork(name)!.IsActive);
        }
        finally
        {
            // The test driver refuses to undefine a running network (real libvirt makes it transient).
            if (_connection.GetNetwork(name) is { IsActive: true })
            {
                _connection.StopNetwork(name);
            }

            _connection.UndefineNetwork(name);
        }

        Assert.Null(_connection.GetNetwork(name));
        Assert.DoesNotContain(_connection.ListNetworks(), n => n.Name == name);
    }

    [Fact]
    public void NetworkCalls_OnAMissingNetwork_AreNetworkNotFound()
    {
        foreach (var action in new Action[]
        {
            () => _connection.GetNetworkXml("no-such-net"),
            () => _connection.StartNetwork("no-such-net"),
            () => _connection.StopNetwork("no-such-net"),
            () => _connection.UndefineNetwork("no-such-net"),
            () => _connection.SetAutostart("no-such-net", true),
        })
        {
            var error = Assert.Throws<LibvirtException>(action);
            Assert.Equal(ErrorCodes.NetworkNotFound, error.Code);
            Assert.Equal(ErrorKind.NotFound, error.Kind);
            Assert.Equal(LibvirtErrorNumbers.NoNetwork, error.Error.Code);
            Assert.Equal("no-such-net", error.Target);
        }

        Assert.Null(_connection.GetNetwork("no-such-net"));
    }

    [Fact]
    public void DefineNetwork_DuplicateName_IsNetworkExists()
    {
        // 'default' is running; a definition with the same name but another UUID clashes with it.
        var xml = """
            <network>
              <name>default</name>
              <uuid>00000000-1111-2222-3333-444444444444</uuid>
              <bridge name='kn13'/>
            </network>
            """;

        var error = Assert.Throws<LibvirtException>(() => _connection.DefineNetwork(xml));

        Assert.Equal(ErrorCodes.NetworkExists, error.Code);
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("virNetworkDefineXML", error.Error.Function);
        Assert.Contains("already exists", error.Error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("<network><name>broken</name>")]
    [InlineData("<network><bridge name='x'/></network>")]
    [InlineData("<network><name>fwd</name><forward mode='warp-drive'/></network>")]
    public void DefineNetwork_BadXml_IsLibvirtErrorWithLibvirtsMessage(string xml)
    {
        var error = Assert.Throws<LibvirtException>(() => _connection.DefineNetwork(xml));

        Assert.Equal(ErrorCodes.LibvirtError, error.Code);
        Assert.Equal(ErrorKind.OperationFailed, error.Kind);
        Assert.True(error.IsGeneric);
        Assert.NotEqual(0, error.Error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Error.Message));
        Assert.Contains(error.Error.Message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartNetwork_OfARunningNetwork_IsLibvirtErrorThatRethrowsAsStartFailed()
    {
        var error = Assert.Throws<LibvirtException>(() => _connection.StartNetwork("default"));
        Assert.True(error.IsGeneric);

        var specific = error.WithCode(ErrorCodes.StartFailed);

        Assert.Equal(ErrorCodes.StartFailed, specific.Code);
        Assert.Equal(ErrorKind.OperationFailed, specific.Kind);
        Assert.Same(error.Error, specific.Error);
        Assert.Same(error, specific.InnerException);
        Assert.Equal(error.Message, specific.Message);
        Assert.Equal("default", specific.Target);
        Assert.Equal(ErrorKind.InvalidState, error.WithCode(ErrorCodes.NetworkActive, ErrorKind.InvalidState).Kind);
    }

    [Fact]
    public void DefineNetwork_AfterAnError_LeavesTheConnectionUsable()
    {
        Assert.Throws<LibvirtException>(() => _connection.DefineNetwork("<network/>"));
        Assert.NotNull(_connection.GetNetwork("default"));
        Assert.Equal(1, _connection.OpenCount);
    }
}
