using System;
using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

[Collection(LibvirtCollection.Name)]
public sealed class NetworkOperationTests
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
    public void Define_Start_Autostart_Stop_Undefine()
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
    public void LookupOfAMissingNetwork_IsNetworkNotFound()
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
    public void DefiningADuplicate_IsNetworkExists()
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
    public void BadXml_IsLibvirtError_WithLibvirtsMessage(string xml)
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
    public void StartingARunningNetwork_IsLibvirtError_AndCanBeRethrownAsStartFailed()
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
    public void TheConnectionStaysUsableAfterErrors()
    {
        Assert.Throws<LibvirtException>(() => _connection.DefineNetwork("<network/>"));
        Assert.NotNull(_connection.GetNetwork("default"));
        Assert.Equal(1, _connection.OpenCount);
    }
}
