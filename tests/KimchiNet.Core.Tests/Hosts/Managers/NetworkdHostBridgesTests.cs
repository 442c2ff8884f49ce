using System;
using KimchiNet.Hosts.Managers;
using KimchiNet.Model;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Hosts.Managers;

/// <summary>The parts of <see cref="NetworkdHostBridges"/> that need no networkd: how a .network file is split, which records are trusted, and the metadata round trip. The lab proves the rest (Lab.Networkd.Tests.ps1).</summary>
public sealed class NetworkdHostBridgesTests
{
    private const string Static = "# eth1\n[Match]\nName=eth1\n\n[Link]\nMTUBytes=9000\n\n[Network]\nAddress=192.0.2.10/24\nGateway=192.0.2.1\nDHCP=no\n\n[Address]\nAddress=2001:db8::10/64\n\n[Route]\nDestination=198.51.100.0/24\nGateway=192.0.2.254\n\n[DHCPv4]\nUseDNS=no\n";

    [Fact]
    public void Split_StaticFile_ShouldKeepMatchAndLinkOnTheNicAndMoveTheRestToTheBridge()
    {
        var (nic, bridge) = NetworkdHostBridges.Split(Static, "kbeth1", "eth1");

        Assert.Contains("[Match]\nName=eth1\n", nic, StringComparison.Ordinal);
        Assert.Contains("[Link]\nMTUBytes=9000\n", nic, StringComparison.Ordinal);
        Assert.Contains("[Network]\nBridge=kbeth1\n", nic, StringComparison.Ordinal);
        Assert.DoesNotContain("Address=", nic, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway=", nic, StringComparison.Ordinal);
        Assert.DoesNotContain("[DHCPv4]", nic, StringComparison.Ordinal);

        Assert.Contains("[Match]\nName=kbeth1\n", bridge, StringComparison.Ordinal);
        Assert.DoesNotContain("Name=eth1", bridge, StringComparison.Ordinal);
        Assert.DoesNotContain("MTUBytes", bridge, StringComparison.Ordinal);
        foreach (var moved in new[] { "Address=192.0.2.10/24", "Gateway=192.0.2.1", "[Address]\nAddress=2001:db8::10/64", "Destination=198.51.100.0/24", "[DHCPv4]\nUseDNS=no" })
        {
            Assert.Contains(moved, bridge, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Split_DhcpFile_ShouldMoveTheDhcpClientToTheBridge()
    {
        var (nic, bridge) = NetworkdHostBridges.Split("[Match]\r\nMACAddress=52:54:00:00:00:01\r\n[Network]\r\nDHCP=yes\r\n", "kbeth2", "eth2");

        Assert.Contains("MACAddress=52:54:00:00:00:01", nic, StringComparison.Ordinal);
        Assert.DoesNotContain("DHCP=yes", nic, StringComparison.Ordinal);
        Assert.Contains("DHCP=yes", bridge, StringComparison.Ordinal);
        Assert.DoesNotContain("MACAddress", bridge, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_WithTheNicsDhcpIaid_ShouldGiveTheBridgeTheSameDhcpClientIdentity()
    {
        var (_, bridge) = NetworkdHostBridges.Split("[Match]\nName=eth2\n[Network]\nDHCP=ipv4\n", "kbeth2", "eth2", 0x0a83b73e);

        Assert.Contains("[DHCPv4]\nIAID=176404286\n", bridge, StringComparison.Ordinal);
        Assert.Contains("DHCP=ipv4", bridge, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_WithAnIaidOfItsOwn_ShouldKeepIt()
    {
        var (_, bridge) = NetworkdHostBridges.Split("[Match]\nName=eth2\n[Network]\nDHCP=ipv4\n[DHCPv4]\nIAID=7\n", "kbeth2", "eth2", 0x0a83b73e);

        Assert.Contains("IAID=7", bridge, StringComparison.Ordinal);
        Assert.DoesNotContain("176404286", bridge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("               DHCP4 Client ID: IAID:0xa83b73e/DUID\n             DHCP6 Client DUID: DUID-EN/Vendor:0000ab11", 0x0a83b73eu)]
    [InlineData("                       Address: 192.0.2.10\n                       Gateway: 192.0.2.1\n", null)]
    public void ParseDhcpIaid_ShouldReadTheIaidOfNetworkctlStatus(string status, uint? expected)
    {
        Assert.Equal(expected, NetworkdHostBridges.ParseDhcpIaid(status));
    }

    public static TheoryData<string, string?, bool> Records { get; } = new()
    {
        { "/etc/systemd/network/10-eth1.network", "/etc/systemd/network/.kimchinet/kbeth1/10-eth1.network", true },
        { "/etc/systemd/network/00-kimchinet-kbeth1.netdev", null, true },
        { "/etc/systemd/network/00-kimchinet-kbeth1.network", null, true },
        { "/etc/systemd/network/00-kimchinet-kbeth9.netdev", null, false },
        { "/etc/systemd/network/10-eth1.network", null, false },
        { "/etc/passwd", null, false },
        { "/etc/systemd/network/../../passwd.network", null, false },
        { "/etc/systemd/network/sub/x.network", null, false },
        { "/etc/systemd/network/10-eth1.conf", null, false },
        { "10-eth1.network", null, false },
        { "/etc/systemd/network/10-eth1.network", "/etc/shadow", false },
        { "/etc/systemd/network/10-eth1.network", "/etc/systemd/network/.kimchinet/kbeth9/10-eth1.network", false },
        { "/etc/systemd/network/10-eth1.network", "/etc/systemd/network/.kimchinet/kbeth1/other.network", false },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void CheckRecord_ShouldTrustOnlyFilesOfNetworkdsFolderAndKeptCopiesOfTheBridgesOwnFolder(string path, string? kept, bool trusted)
    {
        var changes = new HostChanges { CreatedBridge = "kbeth1", Manager = HostNetworkManager.Networkd, ManagerFiles = [new ManagerFileChange(path, kept)] };

        var problem = new NetworkdHostBridges().CheckRecord(changes);

        Assert.Equal(trusted, problem is null);
    }

    [Fact]
    public void Metadata_WithNetworkdFiles_ShouldRoundTripThroughTheNetworkXml()
    {
        var changes = new HostChanges
        {
            CreatedBridge = "kbeth1",
            BridgeMac = "52:54:00:00:00:01",
            BridgeIfindex = 7,
            MovedAddresses = ["192.0.2.10/24"],
            Manager = HostNetworkManager.Networkd,
            ManagerFiles =
            [
                new ManagerFileChange("/etc/systemd/network/00-kimchinet-kbeth1.netdev", null),
                new ManagerFileChange("/etc/systemd/network/10-eth1.network", "/etc/systemd/network/.kimchinet/kbeth1/10-eth1.network"),
            ],
        };
        var spec = new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth1"] };

        var xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { BridgeName = "kbeth1", Created = changes }));
        var read = NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).HostChanges;

        Assert.NotNull(read);
        Assert.Equal(HostNetworkManager.Networkd, read.Manager);
        Assert.Equal(changes.ManagerFiles, read.ManagerFiles);
        Assert.Equal(changes.MovedAddresses, read.MovedAddresses);
    }

    [Fact]
    public void Metadata_WithoutManager_ShouldReadNoManagerAndNoFiles()
    {
        var spec = new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth1"] };
        var xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { BridgeName = "kbeth1", Created = new HostChanges { CreatedBridge = "kbeth1" } }));

        var read = NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).HostChanges;

        Assert.Null(read?.Manager);
        Assert.Empty(read!.ManagerFiles);
        Assert.DoesNotContain("kimchinet:file", xml, StringComparison.Ordinal);
    }
}
