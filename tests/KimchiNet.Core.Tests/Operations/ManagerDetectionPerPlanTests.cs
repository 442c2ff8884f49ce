using System;
using System.IO;
using System.Runtime.Versioning;
using KimchiNet.Hosts;
using KimchiNet.Hosts.Managers;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Hosts;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// A plan of a host bridge finds the NIC's network manager once (reading netplan, ifupdown and
/// networkd files and asking NetworkManager is slow) and hands that owner to the device check, the
/// manager note and the not-persistent warning. The libvirt host is the test driver; the NIC is a
/// veth of a throw-away namespace (NetnsLab); the managers' files are a fake tree counted per scan.
/// </summary>
[Collection(LibvirtCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class ManagerDetectionPerPlanTests : IClassFixture<NetnsLab>
{
    private const string NetplanForEth4 = "network:\n  version: 2\n  renderer: networkd\n  ethernets:\n    eth4:\n      dhcp4: true\n";

    private readonly NetnsLab _lab;

    public ManagerDetectionPerPlanTests(NetnsLab lab) => _lab = lab;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PlanCreate_BridgeOverANic_ShouldDetectItsManagerOnce(bool managed)
    {
        using var tree = new FakeTree(managed ? NetplanForEth4 : null);
        using var host = new TestHost();
        var scans = 0;
        var ops = host.WithBridges(Bridges(tree, () => scans++));

        var plan = ops.PlanCreate(new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth4"] });

        AssertManagerShown(managed, tree, plan.Description, plan.Warnings);
        Assert.Equal(1, scans);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PlanUpdate_MoveOntoANic_ShouldDetectItsManagerOnce(bool managed)
    {
        using var tree = new FakeTree(managed ? NetplanForEth4 : null);
        using var host = new TestHost(xml => xml.Replace("<source bridge=\"br0\"/>", "<source bridge=\"virbr0\"/>", StringComparison.Ordinal));
        host.Connection.StopNetwork("bridge-br0");
        host.Connection.UndefineNetwork("bridge-br0");
        host.Connection.DefineNetwork("<network><name>onbr</name><forward mode='bridge'/><bridge name='br0'/></network>");
        var scans = 0;
        var ops = host.WithBridges(Bridges(tree, () => scans++));

        var plan = ops.PlanUpdate("onbr", new NetworkUpdate { Interfaces = ["eth4"] });

        Assert.Contains("create host bridge kbeth4 over eth4", plan.Description, StringComparison.Ordinal);
        AssertManagerShown(managed, tree, plan.Description, plan.Warnings);
        Assert.Equal(1, scans);
    }

    [Fact]
    public void PlanCreate_VlanBridge_ShouldNotDetectAManager()
    {
        using var tree = new FakeTree(NetplanForEth4);
        using var host = new TestHost();
        var scans = 0;
        var ops = host.WithBridges(Bridges(tree, () => scans++));

        var plan = ops.PlanCreate(new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth4"], VlanId = 5 });

        Assert.Contains("KimchiNet makes VLAN bridges (VLAN 5 on 'eth4') with iproute2 alone", Assert.Single(plan.Warnings), StringComparison.Ordinal);
        Assert.Equal(0, scans);
    }

    private ManagedHostBridges Bridges(FakeTree tree, Action detecting) => new(
        new LinuxHostBridges(_lab.Host),
        log: null,
        new HostManagerDetector { Root = tree.Root, AskNetworkManager = false, Detecting = detecting });

    /// <summary>Managed by netplan: the description names it and there is no warning; else the warning that the bridge will not survive a reboot, and no manager in the description.</summary>
    private static void AssertManagerShown(bool managed, FakeTree tree, string description, System.Collections.Generic.IReadOnlyList<string> warnings)
    {
        if (managed)
        {
            Assert.Contains($"through netplan, which configures it for systemd-networkd ({tree.NetplanFile}): writing ", description, StringComparison.Ordinal);
            Assert.Empty(warnings);
        }
        else
        {
            Assert.DoesNotContain("through netplan", description, StringComparison.Ordinal);
            Assert.Contains("no network manager KimchiNet works through owns 'eth4'", Assert.Single(warnings), StringComparison.Ordinal);
        }
    }

    /// <summary>A folder standing for /, with a netplan file when given; deleted on dispose.</summary>
    private sealed class FakeTree : IDisposable
    {
        public FakeTree(string? netplan)
        {
            Root = Directory.CreateTempSubdirectory("kimchi-detect-").FullName;
            NetplanFile = Path.Combine(Directory.CreateDirectory(Path.Combine(Root, "etc/netplan")).FullName, "10-kimchi.yaml");
            if (netplan is not null)
            {
                File.WriteAllText(NetplanFile, netplan);
            }
        }

        public string Root { get; }

        public string NetplanFile { get; }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
