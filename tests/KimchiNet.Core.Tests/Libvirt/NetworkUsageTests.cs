using System.Linq;
using KimchiNet.Libvirt;

namespace KimchiNet.Tests.Libvirt;

public sealed class NetworkUsageTests
{
    private static NetworkRecord Net(string name, string body) =>
        new(name, $"<network><name>{name}</name>{body}</network>", true, true, false);

    private static DomainRecord Vm(string name, params string[] nics) =>
        new(name, $"<domain type='kvm'><name>{name}</name><devices>{string.Concat(nics)}</devices></domain>", false);

    private static string NetworkNic(string network) => $"<interface type='network'><source network='{network}'/></interface>";

    private static string BridgeNic(string bridge) => $"<interface type='bridge'><source bridge='{bridge}'/></interface>";

    private static string DirectNic(string dev, string mode = "vepa") => $"<interface type='direct'><source dev='{dev}' mode='{mode}'/></interface>";

    [Fact]
    public void Compute_EachNicKind_FindsItsNetwork()
    {
        var networks = new[]
        {
            Net("nat", "<forward mode='nat'/><bridge name='virbr7'/>"),
            Net("lan", "<forward mode='bridge'/><bridge name='br9'/>"),
            Net("mv", "<forward mode='bridge' dev='eth3'><interface dev='eth3'/></forward>"),
            Net("vepa", "<forward mode='vepa'><interface dev='eth1'/><interface dev='eth2'/></forward>"),
            Net("pt", "<forward mode='hostdev'><pf dev='enp1s0'/></forward>"),
            Net("unused", "<bridge name='virbr8'/>"),
        };
        var domains = new[]
        {
            Vm("a", NetworkNic("nat")),
            Vm("b", BridgeNic("virbr7")),
            Vm("c", BridgeNic("br9")),
            Vm("d", DirectNic("eth3", "bridge")),
            Vm("e", DirectNic("eth2")),
            Vm("f", DirectNic("enp1s0", "passthrough")),
            Vm("g", "<interface type='user'/>", NetworkNic("gone"), BridgeNic("docker0"), DirectNic("eth9")),
        };

        var usage = NetworkUsage.Compute(networks, domains);

        Assert.Equal(new[] { "a", "b" }, usage["nat"]);
        Assert.Equal(new[] { "c" }, usage["lan"]);
        Assert.Equal(new[] { "d" }, usage["mv"]);
        Assert.Equal(new[] { "e" }, usage["vepa"]);
        Assert.Equal(new[] { "f" }, usage["pt"]);
        Assert.Empty(usage["unused"]);
        Assert.Equal(6, usage.Count);
    }

    [Fact]
    public void Compute_AVmOnTwoNetworks_ListsItUnderBothAndOnceEach()
    {
        var networks = new[] { Net("one", "<bridge name='v1'/>"), Net("two", "<bridge name='v2'/>") };
        var domains = new[] { Vm("twice", NetworkNic("one"), NetworkNic("two"), BridgeNic("v1"), NetworkNic("one")) };

        var usage = NetworkUsage.Compute(networks, domains);

        Assert.Equal(new[] { "twice" }, usage["one"]);
        Assert.Equal(new[] { "twice" }, usage["two"]);
    }

    [Fact]
    public void Compute_SharedDevice_CountsForEveryNetworkOnIt()
    {
        var networks = new[]
        {
            Net("vepa1", "<forward mode='vepa'><interface dev='eth1'/></forward>"),
            Net("mv1", "<forward mode='bridge' dev='eth1'/>"),
        };

        var usage = NetworkUsage.Compute(networks, new[] { Vm("x", DirectNic("eth1")) });

        Assert.Equal(new[] { "x" }, usage["vepa1"]);
        Assert.Equal(new[] { "x" }, usage["mv1"]);
    }

    [Fact]
    public void ReadNics_EachNicKind_IsReadWithItsKind()
    {
        var nics = DomainXml.ReadNics(Vm("v", NetworkNic("n"), BridgeNic("br0"), DirectNic("eth1", "private"), "<interface type='user'><mac address='52:54:00:00:00:01'/></interface>").Xml);

        Assert.Equal(new[] { NicKind.Network, NicKind.Bridge, NicKind.Direct, NicKind.Other }, nics.Select(n => n.Kind));
        Assert.Equal(new string?[] { "n", "br0", "eth1", null }, nics.Select(n => n.Source));
        Assert.Equal("private", nics[2].Mode);
        Assert.Equal("52:54:00:00:00:01", nics[3].Mac);
    }

    [Fact]
    public void ReadNics_DomainXmlWithADtd_IsRefused()
    {
        var xml = "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain><devices>&x;</devices></domain>";

        var error = Assert.Throws<KimchiException>(() => DomainXml.ReadNics(xml, "evil"));

        Assert.Equal(ErrorCodes.MalformedXml, error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
    }
}
