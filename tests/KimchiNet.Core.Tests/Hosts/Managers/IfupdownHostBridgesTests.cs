using System;
using System.IO;
using KimchiNet.Hosts.Managers;
using KimchiNet.Model;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Hosts.Managers;

/// <summary>The parts of <see cref="IfupdownHostBridges"/> that need no ifupdown: how the NIC's stanzas are rewritten, which records are trusted, and the metadata round trip. The lab proves the rest (Lab.Ifupdown.Tests.ps1).</summary>
public sealed class IfupdownHostBridgesTests
{
    private const string Static =
        "# The loopback network interface\nauto lo\niface lo inet loopback\n\n" +
        "auto eth1\niface eth1 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1\n    dns-nameservers 192.0.2.1\n\n" +
        "iface eth1 inet6 static\n    address 2001:db8::10/64\n\nsource /etc/network/interfaces.d/*\n";

    [Fact]
    public void Rewrite_StaticNic_ShouldMoveEveryStanzaToTheBridgeAndLeaveTheNicManual()
    {
        var result = IfupdownHostBridges.Rewrite(Static, "eth1", "kbeth1", "52:54:00:00:00:01");

        Assert.Null(result.Problem);
        Assert.Equal(
            "# The loopback network interface\nauto lo\niface lo inet loopback\n\n" +
            "auto kbeth1\niface kbeth1 inet static\n" +
            "    # made a bridge over eth1 by KimchiNet; the original file is kept in .kimchinet/kbeth1/ and restored by Remove-KimchiNetwork\n" +
            "    bridge_ports eth1\n    bridge_stp off\n    bridge_fd 0\n    bridge_maxwait 0\n    hwaddress 52:54:00:00:00:01\n" +
            "    address 192.0.2.10/24\n    gateway 192.0.2.1\n    dns-nameservers 192.0.2.1\n\n" +
            "iface kbeth1 inet6 static\n    address 2001:db8::10/64\n\nsource /etc/network/interfaces.d/*\n" +
            "\n# eth1 is the port of kbeth1 (KimchiNet)\niface eth1 inet manual\n",
            result.Text);
    }

    [Fact]
    public void Rewrite_HotplugDhcpNicWithInet6First_ShouldBringTheBridgeUpAtBootAndPutTheBridgeOptionsInTheInetStanza()
    {
        var text = "allow-hotplug eth2 eth3\r\niface eth2 inet6 auto\r\n\thwaddress 52:54:00:00:00:02\r\niface eth2 inet dhcp\r\n";

        var result = IfupdownHostBridges.Rewrite(text, "eth2", "kbeth2", "52:54:00:00:00:09");

        Assert.Null(result.Problem);
        Assert.Equal(
            "allow-hotplug eth3\r\nauto kbeth2\r\niface kbeth2 inet6 auto\r\n\thwaddress 52:54:00:00:00:02\r\niface kbeth2 inet dhcp\r\n" +
            "\t# made a bridge over eth2 by KimchiNet; the original file is kept in .kimchinet/kbeth2/ and restored by Remove-KimchiNetwork\r\n" +
            "\tbridge_ports eth2\r\n\tbridge_stp off\r\n\tbridge_fd 0\r\n\tbridge_maxwait 0\r\n" +
            "\r\n# eth2 is the port of kbeth2 (KimchiNet)\r\niface eth2 inet manual\r\n",
            result.Text);
    }

    [Theory]
    [InlineData("auto eth1\n", "no iface stanza names 'eth1'")]
    [InlineData("mapping eth*\n    script /usr/local/bin/map\niface eth1 inet dhcp\n", "a mapping stanza names 'eth1'")]
    [InlineData("iface eth1 inet static\n    address 192.0.2.10/24 \\\n    netmask 255.255.255.0\n", "continued with a backslash")]
    [InlineData("iface eth1 inet static inherits base\n", "not an inet or inet6 stanza")]
    [InlineData("iface eth1 ipx static\n", "not an inet or inet6 stanza")]
    public void Rewrite_WhatItCannotMove_ShouldSayWhyAndWriteNothing(string text, string why)
    {
        var result = IfupdownHostBridges.Rewrite(text, "eth1", "kbeth1", null);

        Assert.Null(result.Text);
        Assert.Contains(why, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_ShouldLeaveOtherInterfacesAndTheirPortsAlone()
    {
        var text = "auto eth10\niface eth10 inet dhcp\niface eth1 inet manual\niface br9 inet manual\n    bridge_ports eth11\n";

        var result = IfupdownHostBridges.Rewrite(text, "eth1", "kbeth1", null);

        Assert.Equal(
            "auto eth10\niface eth10 inet dhcp\niface kbeth1 inet manual\n" +
            "    # made a bridge over eth1 by KimchiNet; the original file is kept in .kimchinet/kbeth1/ and restored by Remove-KimchiNetwork\n" +
            "    bridge_ports eth1\n    bridge_stp off\n    bridge_fd 0\n    bridge_maxwait 0\n" +
            "iface br9 inet manual\n    bridge_ports eth11\n\n# eth1 is the port of kbeth1 (KimchiNet)\niface eth1 inet manual\n",
            result.Text);
    }

    [Fact]
    public void FileFor_StanzaInASourcedFile_ShouldBeThatFile()
    {
        var folder = Directory.CreateTempSubdirectory("kimchi-ifupdown-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "interfaces.d"));
            File.WriteAllText(Path.Combine(folder, "interfaces"), "auto lo\niface lo inet loopback\nsource interfaces.d/*\n");
            File.WriteAllText(Path.Combine(folder, "interfaces.d", "eth1"), "allow-hotplug eth1\niface eth1 inet dhcp\n");

            var file = new IfupdownHostBridges { Folder = folder }.FileFor("eth1", "kbeth1", []);

            Assert.Equal(Path.Combine(folder, "interfaces.d", "eth1"), file);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("iface br0 inet dhcp\n    bridge_ports eth1\niface eth1 inet manual\n", "", "it is also a port of 'br0'")]
    [InlineData("iface br0 inet dhcp\n    bridge_ports eth1\n", "", "it is a port of 'br0'")]
    [InlineData("iface eth1 inet dhcp\n", "iface eth1 inet6 auto\n", "its stanzas are in several files")]
    [InlineData("iface eth1 inet dhcp\niface kbeth1 inet manual\n", "", "a stanza for 'kbeth1' exists already")]
    [InlineData("auto eth1\n", "", "no iface stanza of its own names it")]
    public void FileFor_StanzasThatCannotBeMoved_ShouldBeRefusedWithKCHNET0136E(string interfaces, string sourced, string why)
    {
        var folder = Directory.CreateTempSubdirectory("kimchi-ifupdown-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "interfaces.d"));
            File.WriteAllText(Path.Combine(folder, "interfaces"), interfaces + "source interfaces.d/*\n");
            File.WriteAllText(Path.Combine(folder, "interfaces.d", "more"), sourced);

            var e = Assert.Throws<KimchiException>(() => new IfupdownHostBridges { Folder = folder }.FileFor("eth1", "kbeth1", [Path.Combine(folder, "interfaces")]));

            Assert.Equal(ErrorCodes.IfupdownStanzaUnsupported, e.Code);
            Assert.Equal(ErrorKind.InvalidInput, e.Kind);
            Assert.Contains(why, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static TheoryData<string, string?, bool> Records => new()
    {
        { "/etc/network/interfaces", "/etc/network/.kimchinet/kbeth1/interfaces", true },
        { "/etc/network/interfaces.d/eth1", "/etc/network/.kimchinet/kbeth1/eth1", true },
        { "/etc/network/interfaces", null, false },
        { "/etc/network/../shadow", "/etc/network/.kimchinet/kbeth1/shadow", false },
        { "/etc/passwd", "/etc/network/.kimchinet/kbeth1/passwd", false },
        { "/etc/network/.kimchinet/kbeth1/interfaces", "/etc/network/.kimchinet/kbeth1/interfaces", false },
        { "interfaces", "/etc/network/.kimchinet/kbeth1/interfaces", false },
        { "/etc/network/interfaces", "/etc/network/.kimchinet/kbeth9/interfaces", false },
        { "/etc/network/interfaces", "/etc/network/.kimchinet/kbeth1/other", false },
        { "/etc/network/interfaces", "/etc/network/.kimchinet/kbeth1/../interfaces", false },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void CheckRecord_ShouldTrustOnlyFilesOfIfupdownsFolderAndKeptCopiesOfTheBridgesOwnFolder(string path, string? kept, bool trusted)
    {
        var changes = new HostChanges { CreatedBridge = "kbeth1", Manager = HostNetworkManager.Ifupdown, ManagerFiles = [new ManagerFileChange(path, kept)] };

        var problem = new IfupdownHostBridges().CheckRecord(changes);

        Assert.Equal(trusted, problem is null);
        Assert.Equal(problem, ManagedHostBridges.CheckRecord(changes));
    }

    [Fact]
    public void CheckRecord_WithTwoFiles_ShouldRefuse()
    {
        var file = new ManagerFileChange("/etc/network/interfaces", "/etc/network/.kimchinet/kbeth1/interfaces");
        var changes = new HostChanges { CreatedBridge = "kbeth1", Manager = HostNetworkManager.Ifupdown, ManagerFiles = [file, file] };

        Assert.NotNull(new IfupdownHostBridges().CheckRecord(changes));
    }

    [Fact]
    public void Metadata_WithIfupdownFile_ShouldRoundTripThroughTheNetworkXml()
    {
        var changes = new HostChanges
        {
            CreatedBridge = "kbeth1",
            BridgeMac = "52:54:00:00:00:01",
            BridgeIfindex = 7,
            MovedAddresses = ["192.0.2.10/24"],
            Manager = HostNetworkManager.Ifupdown,
            ManagerFiles = [new ManagerFileChange("/etc/network/interfaces", "/etc/network/.kimchinet/kbeth1/interfaces")],
        };
        var spec = new NetworkSpec { Name = "lan", Connection = ConnectionType.Bridge, Interfaces = ["eth1"] };

        var xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { BridgeName = "kbeth1", Created = changes }));
        var read = NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).HostChanges;

        Assert.NotNull(read);
        Assert.Equal(HostNetworkManager.Ifupdown, read.Manager);
        Assert.Equal(changes.ManagerFiles, read.ManagerFiles);
    }
}
