using System.Collections.Generic;
using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Model;

namespace KimchiNet.Tests.Hosts;

public sealed class HostInterfacesTests
{
    [Fact]
    public void MarkOpenVSwitchBridges_WithOvsBridges_ShouldMakeThemBridgesAndAddThoseLibvirtDidNotList()
    {
        var listed = new List<HostInterfaceInfo>
        {
            new() { Name = "eth1", Type = HostInterfaceType.Nic },
            new() { Name = "ovsbr0", Type = HostInterfaceType.Nic, Mac = "52:54:00:00:00:01" },
        };
        var marked = HostInterfaces.MarkOpenVSwitchBridges(listed, new HashSet<string> { "ovsbr0", "ovsbr9" });

        Assert.Equal(["eth1", "ovsbr0", "ovsbr9"], marked.Select(i => i.Name));
        Assert.False(marked[0].OpenVSwitch);
        Assert.Equal(HostInterfaceType.Nic, marked[0].Type);
        Assert.True(marked[1].OpenVSwitch);
        Assert.Equal(HostInterfaceType.Bridge, marked[1].Type);
        Assert.Equal("52:54:00:00:00:01", marked[1].Mac);
        Assert.True(marked[2].OpenVSwitch);
        Assert.Equal([ConnectionType.Bridge], marked[2].SuitableFor);
    }

    [Fact]
    public void MarkOpenVSwitchBridges_WithoutOvs_ShouldChangeNothing()
    {
        var listed = new List<HostInterfaceInfo> { new() { Name = "eth1", Type = HostInterfaceType.Nic } };
        Assert.Same(listed, HostInterfaces.MarkOpenVSwitchBridges(listed, new HashSet<string>()));
    }
}
