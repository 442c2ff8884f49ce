using KimchiNet.Model;
using System;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using KimchiNet.Hosts.Managers;

namespace KimchiNet.Tests.Hosts.Managers;

/// <summary>The owner of each interface, over a fake tree of every manager's files (Fixtures/managers/root).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class HostManagerDetectorTests
{
    private static readonly string s_root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "managers", "root");

    public static TheoryData<string, int, string?, HostNetworkManager, HostNetworkManager?, string?> Cases => new()
    {
        { "eth1", 0, null, HostNetworkManager.Ifupdown, null, "etc/network/interfaces.d/eth1" },
        { "eth2", 0, null, HostNetworkManager.Ifupdown, null, "etc/network/interfaces.d/br0" },   // a bridge_ports member
        { "br0", 0, null, HostNetworkManager.Ifupdown, null, "etc/network/interfaces.d/br0" },
        { "eth3", 0, null, HostNetworkManager.Ifupdown, null, "etc/network/extra.d/eth3" },       // source-directory
        { "eth10", 0, null, HostNetworkManager.None, null, null },                                // eth10.conf: not a sourceable name
        { "ethhidden", 0, null, HostNetworkManager.None, null, null },                            // a dot file: not matched by *
        { "eth4", 4, null, HostNetworkManager.Networkd, null, "/etc/systemd/network/10-eth4.network" },
        { "eth11", 5, null, HostNetworkManager.None, null, null },                                // networkd: unmanaged
        { "eth5", 0, null, HostNetworkManager.Netplan, HostNetworkManager.Networkd, "etc/netplan/10-main.yaml" },
        { "enb1", 0, null, HostNetworkManager.Netplan, HostNetworkManager.Networkd, "etc/netplan/10-main.yaml" },
        { "x1", 0, "52:54:00:aa:bb:cc", HostNetworkManager.Netplan, HostNetworkManager.Networkd, "etc/netplan/10-main.yaml" },
        { "bond0", 0, null, HostNetworkManager.Netplan, HostNetworkManager.NetworkManager, "etc/netplan/10-main.yaml" },
        { "eth7", 0, null, HostNetworkManager.None, null, null },                                 // its file is hidden by run/netplan
        { "eth8", 0, null, HostNetworkManager.Netplan, HostNetworkManager.NetworkManager, "run/netplan/20-nm.yaml" },
        { "eth9", 0, null, HostNetworkManager.Netplan, HostNetworkManager.Networkd, "lib/netplan/05-lib.yaml" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Detect_OnTheFixtureTree_ShouldFindTheOwner(string name, int ifindex, string? mac, HostNetworkManager manager, HostNetworkManager? renderer, string? file)
    {
        var scan = new HostManagerDetector { Root = s_root, AskNetworkManager = false }.Detect([new ManagedInterface(name, ifindex, mac)]);
        var owner = scan.Owners[name];

        Assert.Equal(manager, owner.Manager);
        Assert.Equal(renderer, owner.Renderer);
        if (file is null)
        {
            Assert.Empty(owner.Files);
        }
        else
        {
            Assert.EndsWith(file, Assert.Single(owner.Files), StringComparison.Ordinal);
        }

        Assert.Empty(scan.Problems);
    }

    [Fact]
    public void InterfaceOwner_ToString_ShouldNameTheRendererOfNetplan()
    {
        Assert.Equal("Netplan (networkd)", new InterfaceOwner { Manager = HostNetworkManager.Netplan, Renderer = HostNetworkManager.Networkd }.ToString());
        Assert.Equal("Netplan (NetworkManager)", new InterfaceOwner { Manager = HostNetworkManager.Netplan, Renderer = HostNetworkManager.NetworkManager }.ToString());
        Assert.Equal("networkd", new InterfaceOwner { Manager = HostNetworkManager.Networkd }.ToString());
        Assert.Equal("None", InterfaceOwner.Unmanaged.ToString());
    }

    [Theory]
    [InlineData("0666", 0u)]
    [InlineData("0644", 65534u)]
    public void Detect_WithAFileOthersCouldWrite_ShouldRefuseItWithKCHNET0130E(string mode, uint owner)
    {
        var root = Directory.CreateTempSubdirectory("kimchi-managers-").FullName;
        try
        {
            var network = Directory.CreateDirectory(Path.Combine(root, "etc/network/interfaces.d")).FullName;
            File.WriteAllText(Path.Combine(root, "etc/network/interfaces"), "source interfaces.d/*\niface eth1 inet dhcp\n");
            var bad = Path.Combine(network, "eth2");
            File.WriteAllText(bad, "iface eth2 inet dhcp\n");
            File.SetUnixFileMode(bad, (UnixFileMode)Convert.ToInt32(mode, 8));
            Chown(bad, owner);

            var scan = new HostManagerDetector { Root = root, AskNetworkManager = false }.Detect([new ManagedInterface("eth1", 0, null), new ManagedInterface("eth2", 0, null)]);

            Assert.Equal(HostNetworkManager.Ifupdown, scan.Owners["eth1"].Manager);
            Assert.Equal(HostNetworkManager.None, scan.Owners["eth2"].Manager);
            var problem = Assert.Single(scan.Problems);
            Assert.Equal(ErrorCodes.ManagerFileUnsafe, problem.Code);
            Assert.Equal(bad, problem.Target);
            Assert.Contains("must be owned by root and not writable by group or others", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Detect_WithAFolderOthersCouldWrite_ShouldRefuseEveryFileInIt()
    {
        var root = Directory.CreateTempSubdirectory("kimchi-managers-").FullName;
        try
        {
            var netplan = Directory.CreateDirectory(Path.Combine(root, "etc/netplan")).FullName;
            File.WriteAllText(Path.Combine(netplan, "a.yaml"), "network:\n  ethernets:\n    eth1: {}\n");
            File.SetUnixFileMode(netplan, (UnixFileMode)Convert.ToInt32("1777", 8));

            var scan = new HostManagerDetector { Root = root, AskNetworkManager = false }.Detect([new ManagedInterface("eth1", 0, null)]);

            Assert.Equal(HostNetworkManager.None, scan.Owners["eth1"].Manager);
            Assert.Equal([netplan], scan.Problems.Select(p => p.Target));
            Assert.All(scan.Problems, p => Assert.Equal(ErrorCodes.ManagerFileUnsafe, p.Code));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Detect_NetworkdStateOfItsOwnUser_ShouldBeTrusted()
    {
        var root = Directory.CreateTempSubdirectory("kimchi-managers-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0::/root:/bin/sh\nsystemd-network:x:4242:4242::/:/bin/false\n");
            var links = Directory.CreateDirectory(Path.Combine(root, "run/systemd/netif/links")).FullName;
            File.WriteAllText(Path.Combine(links, "7"), "ADMIN_STATE=configured\nNETWORK_FILE=/etc/systemd/network/x.network\n");
            Chown(links, 4242);
            Chown(Path.Combine(links, "7"), 4242);

            var scan = new HostManagerDetector { Root = root, AskNetworkManager = false }.Detect([new ManagedInterface("eth7", 7, null)]);

            Assert.Equal(HostNetworkManager.Networkd, scan.Owners["eth7"].Manager);
            Assert.Empty(scan.Problems);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Chown(string path, uint uid)
    {
        var run = System.Diagnostics.Process.Start("/usr/bin/chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])!;
        run.WaitForExit();
        Assert.Equal(0, run.ExitCode);
    }
}
