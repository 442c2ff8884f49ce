using KimchiNet.Model;
using System;
using System.IO;
using System.Linq;
using KimchiNet.Hosts.Managers;
using YamlDotNet.Core;

namespace KimchiNet.Tests.Hosts.Managers;

/// <summary>The parsers of the managers' files: ifupdown stanzas, netplan YAML, networkd state files, nmcli's terse output.</summary>
public sealed class ManagerParserTests
{
    private static readonly string s_root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "managers", "root");

    [Fact]
    public void IfupdownParse_WithContinuationsAndComments_ShouldReadStanzasAndOptions()
    {
        var text = "auto br0\niface br0 inet static\n    address 192.0.2.5/24\n    bridge_ports \\\n        eth2 eth3\n#iface eth9 inet manual\n  # comment\nmapping eth*\n  script x\niface eth1 inet6 auto\n";
        var entries = IfupdownInterfaces.Parse(text, "/f");
        var stanzas = entries.OfType<IfupdownStanza>().ToList();

        Assert.Equal(["br0", "eth1"], stanzas.Select(s => s.Name));
        Assert.Equal(("inet", "static", 2), (stanzas[0].Family, stanzas[0].Method, stanzas[0].Line));
        Assert.Equal(["address 192.0.2.5/24", "bridge_ports eth2 eth3"], stanzas[0].Options);
        Assert.Equal(["eth2", "eth3"], stanzas[0].Ports);
        Assert.Equal(("inet6", "auto"), (stanzas[1].Family, stanzas[1].Method));
        Assert.Empty(stanzas[1].Options); // "script x" belongs to the mapping, not to br0
    }

    [Theory]
    [InlineData("bridge_ports none", new string[0])]
    [InlineData("bridge-ports all", new string[0])]
    [InlineData("bond-slaves eth1 eth2", new[] { "eth1", "eth2" })]
    [InlineData("bridge_ports regex eth.*", new string[0])]
    public void IfupdownPorts_ShouldNameOnlyExplicitInterfaces(string option, string[] expected) =>
        Assert.Equal(expected, new IfupdownStanza("x", "inet", "manual", [option], "/f", 1).Ports);

    [Fact]
    public void IfupdownRead_WithSourceAndSourceDirectory_ShouldFollowIncludesAsIfupdownDoes()
    {
        var files = new ManagerFiles();
        var stanzas = IfupdownInterfaces.Read(files, IfupdownInterfaces.DefaultPath, s_root);

        // interfaces.d/* (relative, sorted, no dot files), the main file, then extra.d (names matching ^[a-zA-Z0-9_-]+$ only)
        Assert.Equal(["br0", "eth1", "lo", "eth3"], stanzas.Select(s => s.Name));
        Assert.EndsWith("etc/network/interfaces.d/br0", stanzas[0].File, StringComparison.Ordinal);
        Assert.EndsWith("etc/network/extra.d/eth3", stanzas[3].File, StringComparison.Ordinal);
        Assert.Empty(files.Problems);
    }

    [Fact]
    public void NetplanParse_ShouldReadDefinitionsMatchesAndRenderers()
    {
        var file = NetplanConfig.Parse(File.ReadAllText(Path.Combine(s_root, "etc/netplan/10-main.yaml")), "/etc/netplan/10-main.yaml");

        Assert.Equal(HostNetworkManager.Networkd, file.Renderer);
        Assert.Equal(["eth5", "lan", "bymac", "bydriver", "bond0"], file.Definitions.Select(d => d.Id));
        var lan = file.Definitions[1];
        Assert.Equal(("en[ab]*", "lan0"), (lan.MatchName, lan.SetName));
        Assert.True(lan.Names("enb1", null));
        Assert.True(lan.Names("lan0", null));
        Assert.False(lan.Names("enc1", null));
        Assert.False(lan.Names("lan", null)); // with a match block the id is only a label
        Assert.True(file.Definitions[2].Names("x1", "52:54:00:aa:bb:cc"));
        Assert.False(file.Definitions[3].Names("eth0", null)); // a driver cannot be checked here
        Assert.Equal(HostNetworkManager.NetworkManager, file.Definitions[4].SectionRenderer);
    }

    [Fact]
    public void NetplanRead_ShouldHideFilesByNameAndMergeInNameOrder()
    {
        var files = new ManagerFiles();
        var folders = NetplanConfig.DefaultFolders.Select(f => Path.Combine(s_root, f.TrimStart('/'))).ToList();
        var (definitions, renderer) = NetplanConfig.Read(files, folders);

        // 05-lib.yaml (lib), 10-main.yaml (etc), 20-nm.yaml from run hiding the one in etc (so no eth7)
        Assert.Equal(["eth9", "eth5", "lan", "bymac", "bydriver", "bond0", "eth8"], definitions.Select(d => d.Id));
        Assert.Equal(HostNetworkManager.Networkd, renderer);
        Assert.Equal(HostNetworkManager.NetworkManager, NetplanConfig.RendererFor(definitions.Single(d => d.Id == "eth8"), renderer));
        Assert.Equal(HostNetworkManager.Networkd, NetplanConfig.RendererFor(definitions.Single(d => d.Id == "eth9"), renderer));
        Assert.Empty(files.Problems);
    }

    [Fact]
    public void NetplanParse_WithSameIdTwice_ShouldLetTheLaterFileWin()
    {
        var folder = Directory.CreateTempSubdirectory("kimchi-netplan-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.yaml"), "network:\n  renderer: NetworkManager\n  ethernets:\n    eth1: {dhcp4: true}\n");
            File.WriteAllText(Path.Combine(folder, "b.yaml"), "network:\n  ethernets:\n    eth1:\n      renderer: networkd\n");
            var (definitions, renderer) = NetplanConfig.Read(new ManagerFiles(), [folder]);

            var eth1 = Assert.Single(definitions);
            Assert.Equal(HostNetworkManager.Networkd, NetplanConfig.RendererFor(eth1, renderer));
            Assert.Equal([Path.Combine(folder, "a.yaml"), Path.Combine(folder, "b.yaml")], eth1.Files);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void NetplanRead_WithBrokenYaml_ShouldReportKCHNET0131EAndReadTheRest()
    {
        var folder = Directory.CreateTempSubdirectory("kimchi-netplan-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.yaml"), "network:\n  ethernets: [unclosed\n");
            File.WriteAllText(Path.Combine(folder, "b.yaml"), "network:\n  ethernets:\n    eth1: {}\n");
            var files = new ManagerFiles();
            var (definitions, _) = NetplanConfig.Read(files, [folder]);

            Assert.Equal(["eth1"], definitions.Select(d => d.Id));
            var problem = Assert.Single(files.Problems);
            Assert.Equal(ErrorCodes.ManagerFileUnreadable, problem.Code);
            Assert.Equal(Path.Combine(folder, "a.yaml"), problem.Target);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void NetplanParse_WithNotYaml_ShouldThrowYamlException() =>
        Assert.ThrowsAny<YamlException>(() => NetplanConfig.Parse("network: [a\n", "/x"));

    [Theory]
    [InlineData("ADMIN_STATE=configured\nNETWORK_FILE=/etc/systemd/network/a.network\n", true)]
    [InlineData("ADMIN_STATE=configuring\nNETWORK_FILE=/run/systemd/network/10-netplan-eth1.network\n", true)]
    [InlineData("ADMIN_STATE=unmanaged\n", false)]
    [InlineData("ADMIN_STATE=linger\nNETWORK_FILE=/etc/systemd/network/a.network\n", false)]
    [InlineData("# This is private data. Do not parse.\nADMIN_STATE=pending\nNETWORK_FILE=\n", false)]
    public void NetworkdParse_ShouldTellManagedLinks(string text, bool managed) =>
        Assert.Equal(managed, NetworkdLinks.Parse(text).Managed);

    [Fact]
    public void NetworkdUidOf_ShouldFindTheUserInPasswd()
    {
        Assert.Equal(998u, NetworkdLinks.UidOf(File.ReadAllText(Path.Combine(s_root, "etc/passwd"))));
        Assert.Null(NetworkdLinks.UidOf("root:x:0:0::/root:/bin/sh\nsystemd-network:x:abc:1::/:/bin/false\n"));
    }

    [Fact]
    public void NmcliParse_WithEscapedColons_ShouldSplitFieldsAndJoinProfileFiles()
    {
        var devices = NetworkManagerDevices.Parse(
            "eth1:connected:Wired connection 1\neth2:connected (externally):eth2\neth3:unmanaged:\nbr\\:x:disconnected:\n",
            "eth1:/etc/NetworkManager/system-connections/Wired connection 1.nmconnection\neth2:/run/NetworkManager/system-connections/eth2.nmconnection\n");

        Assert.Equal(["eth1", "eth2", "eth3", "br:x"], devices.Keys);
        Assert.True(devices["eth1"].Managed);
        Assert.Equal(("Wired connection 1", "/etc/NetworkManager/system-connections/Wired connection 1.nmconnection"), (devices["eth1"].Connection, devices["eth1"].File));
        Assert.False(devices["eth2"].Managed);
        Assert.False(devices["eth3"].Managed);
        Assert.Null(devices["eth3"].Connection);
        Assert.True(devices["br:x"].Managed);
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("*", ".hidden", true)]
    [InlineData("en[ab]*", "enb1", true)]
    [InlineData("en[!ab]*", "enb1", false)]
    [InlineData("eth[0-3]", "eth2", true)]
    [InlineData("eth[0-3]", "eth4", false)]
    [InlineData("eth?", "eth10", false)]
    [InlineData("eth[", "eth[", true)]
    public void GlobIsMatch_ShouldFollowFnmatch(string pattern, string name, bool expected) =>
        Assert.Equal(expected, Glob.IsMatch(pattern, name));
}
