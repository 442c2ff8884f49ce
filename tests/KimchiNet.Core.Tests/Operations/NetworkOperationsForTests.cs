using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

/// <summary>The one factory of <see cref="NetworkOperations"/> every cmdlet, completer and the DSC resource use.</summary>
[Collection(LibvirtCollection.Name)]
public sealed class NetworkOperationsForTests
{
    [Fact]
    public void MayMakeHostBridges_TestDriver_ShouldBeFalse()
    {
        using var host = new TestHost();

        Assert.True(host.Connection.IsTestDriver);
        Assert.False(NetworkOperations.MayMakeHostBridges(host.Connection));
    }

    [Fact]
    public void For_TestDriver_ShouldRefuseABridgeOnANicWithKCHNET0105E()
    {
        using var host = new TestHost();
        var lines = new System.Collections.Generic.List<string>();
        var operations = NetworkOperations.For(host.Connection, lines.Add);
        var spec = new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth0"] };

        var error = host.Refused(() => operations.PlanCreate(spec));

        Assert.Equal(ErrorCodes.RemoteNotSupported, error.Code);
        Assert.Empty(lines);
    }

    [Fact]
    public void For_TestDriver_ShouldListWhatTheConnectionLists()
    {
        using var host = new TestHost();

        var names = NetworkOperations.For(host.Connection).Get().Select(n => n.Name);

        Assert.Equal(host.Ops.Get().Select(n => n.Name), names);
        Assert.NotEmpty(names);
    }
}
