using System;
using System.Diagnostics;
using System.IO;
using KimchiNet.Hosts.Managers;
using KimchiNet.Model;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Hosts.Managers;

/// <summary>
/// The parts of <see cref="NetplanHostBridges"/> that need no running manager: how a netplan file is
/// split (proved by rendering the result with the real <c>netplan generate --root-dir</c>), what is
/// refused, which records are trusted, and the metadata round trip. The lab proves the rest (Lab.Networkd.Tests.ps1, which runs for networkd and for netplan).
/// </summary>
public sealed class NetplanHostBridgesTests
{
    private const string Static = """
        # eth1, static, as a server's installer writes it
        network:
          version: 2
          renderer: networkd
          ethernets:
            eth1:
              mtu: 9000
              optional: true
              addresses: [192.0.2.10/24, "2001:db8::10/64"]
              routes:
                - to: default
                  via: 192.0.2.1
              nameservers: {addresses: [192.0.2.1], search: [lab.example]}
            eth2:
              dhcp4: true
        """;

    [Fact]
    public void TrySplit_StaticNic_ShouldMoveTheAddressingToTheBridgeAndNetplanShouldRenderIt()
    {
        Assert.True(NetplanHostBridges.TrySplit(Static, "eth1", "52:54:00:00:00:01", "kbeth1", HostNetworkManager.Networkd, out var nic, out var bridge, out var why), why);

        var rendered = Generate(("10-main.yaml", nic!), ("90-kimchinet-kbeth1.yaml", bridge!));

        var eth1 = rendered["10-netplan-eth1.network"];
        Assert.Contains("Bridge=kbeth1", eth1, StringComparison.Ordinal);
        Assert.Contains("MTUBytes=9000", eth1, StringComparison.Ordinal);
        Assert.DoesNotContain("Address=", eth1, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway=", eth1, StringComparison.Ordinal);
        var kbeth1 = rendered["10-netplan-kbeth1.network"];
        foreach (var moved in new[] { "Address=192.0.2.10/24", "Address=2001:db8::10/64", "Gateway=192.0.2.1", "DNS=192.0.2.1", "Domains=lab.example" })
        {
            Assert.Contains(moved, kbeth1, StringComparison.Ordinal);
        }

        var netdev = rendered["10-netplan-kbeth1.netdev"];
        Assert.Contains("Kind=bridge", netdev, StringComparison.Ordinal);
        Assert.Contains("MACAddress=52:54:00:00:00:01", netdev, StringComparison.Ordinal);
        Assert.Contains("STP=false", netdev, StringComparison.Ordinal);
        Assert.Contains("ForwardDelaySec=0", netdev, StringComparison.Ordinal);

        // eth2 is untouched, and so are the NIC's link settings; the comments are in the kept original only
        Assert.Contains("DHCP=ipv4", rendered["10-netplan-eth2.network"], StringComparison.Ordinal);
        Assert.Contains("optional: true", bridge, StringComparison.Ordinal);
        Assert.StartsWith("# eth1's addressing was moved to 90-kimchinet-kbeth1.yaml by KimchiNet", nic, StringComparison.Ordinal);
    }

    [Fact]
    public void TrySplit_DhcpNicMatchedByMac_ShouldMoveTheDhcpClientAndNameThePortByItsNetplanId()
    {
        const string text = "network:\n  version: 2\n  ethernets:\n    uplink:\n      match: {macaddress: \"52:54:00:00:00:02\"}\n      set-name: eth2\n      dhcp4: true\n      dhcp6: true\n";

        Assert.True(NetplanHostBridges.TrySplit(text, "eth2", "52:54:00:00:00:02", "kbeth2", HostNetworkManager.Networkd, out var nic, out var bridge, out var why), why);

        Assert.Contains("interfaces: [uplink]", bridge, StringComparison.Ordinal);
        Assert.DoesNotContain("dhcp4", nic, StringComparison.Ordinal);
        Assert.Contains("set-name: eth2", nic, StringComparison.Ordinal);
        var rendered = Generate(("01-uplink.yaml", nic!), ("90-kimchinet-kbeth2.yaml", bridge!));
        Assert.Contains("DHCP=yes", rendered["10-netplan-kbeth2.network"], StringComparison.Ordinal);
        Assert.Contains("Bridge=kbeth2", rendered["10-netplan-uplink.network"], StringComparison.Ordinal);
    }

    [Fact]
    public void TrySplit_ForNetworkManager_ShouldRenderABridgeProfileWithTheAddressingAndTheNicAsItsPort()
    {
        var text = Static.Replace("renderer: networkd", "renderer: NetworkManager", StringComparison.Ordinal);

        Assert.True(NetplanHostBridges.TrySplit(text, "eth1", "52:54:00:00:00:01", "kbeth1", HostNetworkManager.NetworkManager, out var nic, out var bridge, out var why), why);

        Assert.Contains("renderer: NetworkManager", bridge, StringComparison.Ordinal);
        var rendered = Generate(("10-main.yaml", nic!), ("90-kimchinet-kbeth1.yaml", bridge!));
        var profile = rendered["netplan-kbeth1.nmconnection"];
        foreach (var expected in new[] { "type=bridge", "interface-name=kbeth1", "stp=false", "cloned-mac-address=52:54:00:00:00:01", "address1=192.0.2.10/24", "address1=2001:db8::10/64", "route1=0.0.0.0/0,192.0.2.1" })
        {
            Assert.Contains(expected, profile, StringComparison.Ordinal);
        }

        var port = rendered["netplan-eth1.nmconnection"];
        Assert.Contains("master=kbeth1", port, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.10", port, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Refused { get; } = new()
    {
        { "network:\n  ethernets:\n    eth1: {addresses: [192.0.2.10/24]\n", "eth1", "not valid YAML" },
        { "network:\n  ethernets:\n    eth9: {dhcp4: true}\n", "eth1", "no netplan definition in it names 'eth1'" },
        { "network:\n  ethernets:\n    en:\n      match: {name: \"eth*\"}\n      dhcp4: true\n", "eth1", "matches interfaces by a pattern or a driver" },
        { "network:\n  ethernets:\n    eth1: {dhcp4: true}\n    byname:\n      match: {name: eth1}\n", "eth1", "2 netplan definitions in it name 'eth1'" },
        { "network:\n  bridges:\n    eth1: {dhcp4: true}\n", "eth1", "defined in netplan's bridges section" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void TrySplit_ADefinitionKimchiNetCannotChangeAlone_ShouldSayWhy(string text, string device, string reason)
    {
        Assert.False(NetplanHostBridges.TrySplit(text, device, null, "kbeth1", HostNetworkManager.Networkd, out var nic, out var bridge, out var why));

        Assert.Null(nic);
        Assert.Null(bridge);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateBridge_WithTheDefinitionInTwoFiles_ShouldRefuseWithKchnet0134EAndChangeNothing()
    {
        var error = Assert.Throws<KimchiException>(() => new NetplanHostBridges().CreateBridge("eth1", ["/etc/netplan/10-a.yaml", "/etc/netplan/20-b.yaml"]));

        Assert.Equal(ErrorCodes.ManagedBridgeFailed, error.Code);
        Assert.Contains("spread over 2 files (/etc/netplan/10-a.yaml, /etc/netplan/20-b.yaml)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, bool> Records { get; } = new()
    {
        { "/etc/netplan/10-main.yaml", "/etc/netplan/.kimchinet/kbeth1/10-main.yaml", true },
        { "/etc/netplan/90-kimchinet-kbeth1.yaml", null, true },
        { "/etc/netplan/10-main.yaml", null, false },
        { "/etc/systemd/network/10-netplan-kbeth1.network.d/50-kimchinet-dhcp-identity.conf", null, true },
        { "/etc/systemd/network/10-netplan-kbeth9.network.d/50-kimchinet-dhcp-identity.conf", null, false },
        { "/etc/systemd/network/10-netplan-kbeth1.network.d/50-kimchinet-dhcp-identity.conf", "/etc/netplan/.kimchinet/kbeth1/50-kimchinet-dhcp-identity.conf", false },
        { "/etc/systemd/network/10-eth1.network", null, false },
        { "/etc/netplan/90-kimchinet-kbeth9.yaml", null, false },
        { "/etc/passwd", null, false },
        { "/etc/netplan/../shadow.yaml", null, false },
        { "/etc/netplan/sub/x.yaml", null, false },
        { "/etc/netplan/10-main.yml", null, false },
        { "/etc/netplan/10-main.yaml", "/etc/shadow", false },
        { "/etc/netplan/10-main.yaml", "/etc/netplan/.kimchinet/kbeth9/10-main.yaml", false },
        { "/etc/netplan/10-main.yaml", "/etc/netplan/.kimchinet/kbeth1/other.yaml", false },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void CheckRecord_ShouldTrustOnlyYamlFilesOfNetplansFolderAndKeptCopiesOfTheBridgesOwnFolder(string path, string? kept, bool trusted)
    {
        var changes = new HostChanges { CreatedBridge = "kbeth1", Manager = HostNetworkManager.Netplan, ManagerFiles = [new ManagerFileChange(path, kept)] };

        Assert.Equal(trusted, new NetplanHostBridges().CheckRecord(changes) is null);
        Assert.Equal(trusted, ManagedHostBridges.CheckRecord(changes) is null);
    }

    [Fact]
    public void Metadata_WithNetplanFiles_ShouldRoundTripThroughTheNetworkXml()
    {
        var changes = new HostChanges
        {
            CreatedBridge = "kbeth1",
            BridgeMac = "52:54:00:00:00:01",
            BridgeIfindex = 7,
            MovedAddresses = ["192.0.2.10/24"],
            Manager = HostNetworkManager.Netplan,
            Renderer = HostNetworkManager.NetworkManager,
            ManagerFiles =
            [
                new ManagerFileChange("/etc/netplan/90-kimchinet-kbeth1.yaml", null),
                new ManagerFileChange("/etc/netplan/10-main.yaml", "/etc/netplan/.kimchinet/kbeth1/10-main.yaml"),
            ],
        };
        var spec = new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth1"] };

        var xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { BridgeName = "kbeth1", Created = changes }));
        var read = NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).HostChanges;

        Assert.Contains("name=\"netplan\" renderer=\"NetworkManager\"", xml, StringComparison.Ordinal);
        Assert.Equal(HostNetworkManager.Netplan, read!.Manager);
        Assert.Equal(HostNetworkManager.NetworkManager, read.Renderer);
        Assert.Equal(changes.ManagerFiles, read.ManagerFiles);
    }

    /// <summary>The files <c>netplan generate --root-dir</c> renders for networkd and NetworkManager from <paramref name="files"/> (in /etc/netplan of a fresh root), by name.</summary>
    private static System.Collections.Generic.Dictionary<string, string> Generate(params (string Name, string Text)[] files)
    {
        var root = Directory.CreateTempSubdirectory("kimchinet-netplan-");
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(root.FullName, "etc", "netplan"));
            foreach (var (name, text) in files)
            {
                var path = Path.Combine(folder.FullName, name);
                File.WriteAllText(path, text);
                if (OperatingSystem.IsLinux())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // as netplan wants its files
                }
            }

            var start = new ProcessStartInfo(ExternalPrograms.Find("netplan", "/usr/sbin:/usr/bin")) { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add("generate");
            start.ArgumentList.Add("--root-dir");
            start.ArgumentList.Add(root.FullName);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"netplan generate failed ({process.ExitCode}): {error}");

            var rendered = new System.Collections.Generic.Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var output in new[] { Path.Combine(root.FullName, "run", "systemd", "network"), Path.Combine(root.FullName, "run", "NetworkManager", "system-connections") })
            {
                foreach (var path in Directory.Exists(output) ? Directory.GetFiles(output) : [])
                {
                    rendered[Path.GetFileName(path)] = File.ReadAllText(path);
                }
            }

            return rendered;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
