using System;
using System.IO;
using KimchiNet.Hosts.Managers;
using KimchiNet.Model;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Hosts.Managers;

/// <summary>The parts of <see cref="NetworkManagerHostBridges"/> that need no NetworkManager: how a keyfile is split, which records are trusted (and that an untrusted one is refused with KCHNET0114E), a failed step's KCHNET0139E, and the metadata round trip. The lab proves the rest (Lab.NetworkManager.Tests.ps1).</summary>
public sealed class NetworkManagerHostBridgesTests
{
    private const string Static = "[connection]\nid=Wired 1\nuuid=0B4C6D2E-6A53-4F0E-9D8A-1E0C11E11E11\ntype=ethernet\ninterface-name=eth1\nautoconnect-priority=5\n\n[ethernet]\nmtu=9000\n\n[ipv4]\naddress1=192.0.2.10/24,192.0.2.1\ndns=192.0.2.1;\nroute1=198.51.100.0/24,192.0.2.254\nmethod=manual\n\n[ipv6]\naddr-gen-mode=eui64\nmethod=auto\n\n[proxy]\n";

    [Fact]
    public void Split_StaticKeyfile_ShouldMakeTheNicAPortAndMoveItsIpSectionsToTheBridge()
    {
        var (nic, bridge, uuid) = NetworkManagerHostBridges.Split(Static, "kbeth1", "eth1", "52:54:00:00:00:01", "11111111-2222-3333-4444-555555555555");

        Assert.Equal("0b4c6d2e-6a53-4f0e-9d8a-1e0c11e11e11", uuid);
        Assert.Contains("[connection]\nmaster=kbeth1\nslave-type=bridge\nid=Wired 1\n", nic, StringComparison.Ordinal);
        Assert.Contains("autoconnect-priority=5", nic, StringComparison.Ordinal);
        Assert.Contains("[ethernet]\nmtu=9000\n", nic, StringComparison.Ordinal);
        foreach (var gone in new[] { "[ipv4]", "[ipv6]", "[proxy]", "address1=", "dns=", "route1=" })
        {
            Assert.DoesNotContain(gone, nic, StringComparison.Ordinal);
        }

        Assert.Contains("[connection]\nid=kbeth1\nuuid=11111111-2222-3333-4444-555555555555\ntype=bridge\ninterface-name=kbeth1\n", bridge, StringComparison.Ordinal);
        Assert.Contains("[bridge]\nmac-address=52:54:00:00:00:01\nstp=false\n", bridge, StringComparison.Ordinal);
        Assert.Contains("[ipv4]\naddress1=192.0.2.10/24,192.0.2.1\ndns=192.0.2.1;\nroute1=198.51.100.0/24,192.0.2.254\nmethod=manual\n", bridge, StringComparison.Ordinal);
        Assert.Contains("[ipv6]\naddr-gen-mode=eui64\nmethod=auto\n", bridge, StringComparison.Ordinal);
        Assert.DoesNotContain("Wired 1", bridge, StringComparison.Ordinal);
        Assert.DoesNotContain("mtu=", bridge, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_PortOfAnotherController_ShouldReplaceItsControllerSettings()
    {
        var (nic, _, _) = NetworkManagerHostBridges.Split("[connection]\r\nid=eth2\r\nuuid=0b4c6d2e-6a53-4f0e-9d8a-1e0c11e11e22\r\nmaster=old\r\nslave-type=bond\r\n", "kbeth2", "eth2", null, Guid.NewGuid().ToString());

        Assert.DoesNotContain("master=old", nic, StringComparison.Ordinal);
        Assert.DoesNotContain("slave-type=bond", nic, StringComparison.Ordinal);
        Assert.Contains("master=kbeth2\nslave-type=bridge\n", nic, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[connection]\nid=x\n")]
    [InlineData("[connection]\nuuid=not-a-uuid\n")]
    [InlineData("[ipv4]\nuuid=0b4c6d2e-6a53-4f0e-9d8a-1e0c11e11e22\n")]
    public void Uuid_WithoutAValidConnectionUuid_ShouldBeNull(string text)
    {
        Assert.Null(NetworkManagerHostBridges.Uuid(text));
    }

    public static TheoryData<string, string?, bool> Records { get; } = new()
    {
        { "/etc/NetworkManager/system-connections/eth1.nmconnection", "/etc/NetworkManager/system-connections/.kimchinet/kbeth1/eth1.nmconnection", true },
        { "/etc/NetworkManager/system-connections/Wired connection 1", "/etc/NetworkManager/system-connections/.kimchinet/kbeth1/Wired connection 1", true },
        { "/etc/NetworkManager/system-connections/kbeth1.nmconnection", null, true },
        { "/etc/NetworkManager/system-connections/other.nmconnection", null, false },
        { "/etc/passwd", null, false },
        { "/etc/NetworkManager/system-connections/../../passwd", "/etc/NetworkManager/system-connections/.kimchinet/kbeth1/passwd", false },
        { "/run/NetworkManager/system-connections/eth1.nmconnection", "/etc/NetworkManager/system-connections/.kimchinet/kbeth1/eth1.nmconnection", false },
        { "/etc/NetworkManager/system-connections/eth1.nmconnection", "/etc/shadow", false },
        { "/etc/NetworkManager/system-connections/eth1.nmconnection", "/etc/NetworkManager/system-connections/.kimchinet/kbeth9/eth1.nmconnection", false },
        { "/etc/NetworkManager/system-connections/eth1.nmconnection", "/etc/NetworkManager/system-connections/.kimchinet/kbeth1/other.nmconnection", false },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void CheckRecord_ShouldTrustOnlyTheBridgesKeyfileAndKeptCopiesOfTheBridgesOwnFolder(string path, string? kept, bool trusted)
    {
        var changes = new HostChanges { CreatedBridge = "kbeth1", Manager = HostNetworkManager.NetworkManager, ManagerFiles = [new ManagerFileChange(path, kept)] };

        var problem = new NetworkManagerHostBridges().CheckRecord(changes);

        Assert.Equal(trusted, problem is null);
        Assert.Equal(problem, ManagedHostBridges.CheckRecord(changes));
    }

    [Fact]
    public void Undo_OfAnUntrustedRecord_ShouldRefuseWithNetworkManagersRestoreCodeAndTouchNothing()
    {
        var folder = Directory.CreateTempSubdirectory("kimchinet-nm-").FullName;
        try
        {
            var victim = Path.Combine(folder, "victim");
            File.WriteAllText(victim, "kept");
            var changes = new HostChanges
            {
                CreatedBridge = "kbeth1",
                Manager = HostNetworkManager.NetworkManager,
                ManagerFiles = [new ManagerFileChange(victim, null)],
            };

            var e = Assert.Throws<KimchiException>(() => new NetworkManagerHostBridges().Undo(changes));

            Assert.Equal(ErrorCodes.NetworkManagerBridgeRestoreFailed, e.Code);
            Assert.Equal(ErrorKind.InvalidInput, e.Kind);
            Assert.Contains("NetworkManager", e.Message, StringComparison.Ordinal);
            Assert.Equal("kept", File.ReadAllText(victim));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void CreateBridge_OnADeviceThatDoesNotExist_ShouldFailWithNetworkManagersCodeAndChangeNothing()
    {
        var e = Assert.Throws<KimchiException>(() => new NetworkManagerHostBridges().CreateBridge("knnodev0", "/etc/NetworkManager/system-connections/knnodev0.nmconnection"));

        Assert.Equal(ErrorCodes.NetworkManagerBridgeFailed, e.Code);
        Assert.Contains("through NetworkManager", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_WithNetworkManagerKeyfiles_ShouldRoundTripThroughTheNetworkXml()
    {
        var changes = new HostChanges
        {
            CreatedBridge = "kbeth1",
            BridgeMac = "52:54:00:00:00:01",
            BridgeIfindex = 7,
            MovedAddresses = ["192.0.2.10/24"],
            Manager = HostNetworkManager.NetworkManager,
            ManagerFiles =
            [
                new ManagerFileChange("/etc/NetworkManager/system-connections/kbeth1.nmconnection", null),
                new ManagerFileChange("/etc/NetworkManager/system-connections/eth1.nmconnection", "/etc/NetworkManager/system-connections/.kimchinet/kbeth1/eth1.nmconnection"),
            ],
        };
        var spec = new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth1"] };

        var xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { BridgeName = "kbeth1", Created = changes }));
        var read = NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).HostChanges;

        Assert.Contains("name=\"NetworkManager\"", xml, StringComparison.Ordinal);
        Assert.NotNull(read);
        Assert.Equal(HostNetworkManager.NetworkManager, read.Manager);
        Assert.Equal(changes.ManagerFiles, read.ManagerFiles);
    }
}
