using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

[Collection(ProcessWideCollection.Name)]
public sealed class HandleTests
{
    [Fact]
    public void ListAll_OnTheDemoHost_GivesValidHandlesClosedOnDispose()
    {
        using var conn = Interop.Libvirt.virConnectOpen(DemoHost.Uri);
        Assert.False(conn.IsInvalid);

        Assert.Equal(7, Interop.Libvirt.ListAllNetworks(conn, 0, out var networks));
        Assert.Equal(4, Interop.Libvirt.ListAllDomains(conn, 0, out var domains));
        Assert.True(Interop.Libvirt.ListAllInterfaces(conn, 0, out var interfaces) >= 8);

        var all = networks.Cast<System.Runtime.InteropServices.SafeHandle>().Concat(domains).Concat(interfaces).ToList();
        Assert.All(all, h => Assert.False(h.IsInvalid || h.IsClosed));
        Assert.Contains("default", networks.Select(Interop.Libvirt.NetworkGetName));

        all.ForEach(h => h.Dispose());
        Assert.All(all, h => Assert.True(h.IsClosed));
    }

    [Fact]
    public void ConnectHandle_DisposedBeforeItsObjects_ClosesLast()
    {
        var conn = Interop.Libvirt.virConnectOpen(DemoHost.Uri);
        using var network = Interop.Libvirt.virNetworkLookupByName(conn, "default");
        Assert.False(network.IsInvalid);

        conn.Dispose(); // libvirt keeps the connection while the network object refers to it

        Assert.True(conn.IsClosed);
        Assert.Equal(1, Interop.Libvirt.virNetworkIsActive(network));
    }

    [Fact]
    public void LookupByName_OfAMissingNetwork_GivesAnInvalidHandleAndTheErrorOnThisThread()
    {
        using var conn = Interop.Libvirt.virConnectOpen(TestUris.Default);
        using var missing = Interop.Libvirt.virNetworkLookupByName(conn, "nope");

        var error = LibvirtError.CaptureLast("virNetworkLookupByName");

        Assert.True(missing.IsInvalid);
        Assert.Equal(LibvirtErrorNumbers.NoNetwork, error.Code);
        Assert.Contains("nope", error.Message, System.StringComparison.Ordinal);
        Assert.Equal(0, LibvirtError.CaptureLast("after reset").Code); // captured errors are cleared
    }

    [Fact]
    public void ListNetworks_CalledManyTimes_DoesNotGrowTheProcess()
    {
        var connection = LibvirtConnections.Get(DemoHost.Uri);
        for (var i = 0; i < 50; i++)
        {
            connection.ListNetworks();
            connection.ListDomains();
            connection.ListInterfaces();
        }

        System.GC.Collect();
        var before = System.Diagnostics.Process.GetCurrentProcess().HandleCount;
        var memoryBefore = System.Environment.WorkingSet;
        for (var i = 0; i < 500; i++)
        {
            connection.ListNetworks();
            connection.ListDomains();
            connection.ListInterfaces();
        }

        System.GC.Collect();
        Assert.InRange(System.Diagnostics.Process.GetCurrentProcess().HandleCount, 0, before + 2);
        Assert.InRange(System.Environment.WorkingSet, 0, memoryBefore + (64L << 20));
    }
}
