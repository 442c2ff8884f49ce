using System;
using System.IO;
using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;
using KimchiNet.Model;

namespace KimchiNet.Tests.Libvirt;

public sealed class HostInterfaceTests
{
    private static readonly ConnectionType[] s_device = { ConnectionType.Macvtap, ConnectionType.Bridge, ConnectionType.Vepa, ConnectionType.Passthrough };

    [Fact]
    public void Parse_Ethernet_IsANicWithAddressMacAndLinkState()
    {
        var nic = HostInterfaceXml.Parse("""
            <interface type='ethernet' name='enp1s0'>
              <mac address='52:54:00:12:34:56'/>
              <link speed='1000' state='up'/>
              <protocol family='ipv6'><ip address='fe80::1' prefix='64'/></protocol>
              <protocol family='ipv4'><ip address='10.0.0.5' prefix='20'/></protocol>
            </interface>
            """);

        Assert.Equal("enp1s0", nic.Name);
        Assert.Equal(HostInterfaceType.Nic, nic.Type);
        Assert.Equal("nic", nic.TypeName);
        Assert.Equal(HostInterfaceStatus.Up, nic.Status);
        Assert.Equal("10.0.0.5", nic.IPv4Address);
        Assert.Equal(20, nic.IPv4Prefix);
        Assert.Equal("255.255.240.0", nic.IPv4Netmask);
        Assert.Equal("52:54:00:12:34:56", nic.Mac);
        Assert.Equal(s_device, nic.SuitableFor);
    }

    [Fact]
    public void Parse_LinkStateDown_WinsOverActiveAndNoLinkFallsBackToActive()
    {
        Assert.Equal(HostInterfaceStatus.Down, HostInterfaceXml.Parse("<interface type='ethernet' name='e'><link state='down'/></interface>", isActive: true).Status);
        Assert.Equal(HostInterfaceStatus.Up, HostInterfaceXml.Parse("<interface type='ethernet' name='e'/>", isActive: true).Status);
        Assert.Equal(HostInterfaceStatus.Down, HostInterfaceXml.Parse("<interface type='ethernet' name='e'/>").Status);
    }

    [Fact]
    public void Parse_Bond_ListsItsSlavesAndSuitsDeviceTypes()
    {
        var bond = HostInterfaceXml.Parse("""
            <interface type='bond' name='bond1'>
              <bond mode='802.3ad'>
                <interface type='ethernet' name='eth8'/>
                <interface type='ethernet' name='eth9'/>
              </bond>
            </interface>
            """);

        Assert.Equal(HostInterfaceType.Bonding, bond.Type);
        Assert.Equal("bonding", bond.TypeName);
        Assert.Equal(new[] { "eth8", "eth9" }, bond.Members);
        Assert.Equal(s_device, bond.SuitableFor);
    }

    [Fact]
    public void Parse_Bridge_ListsItsPortsAndSuitsBridgeOnly()
    {
        var bridge = HostInterfaceXml.Parse("""
            <interface type='bridge' name='br1'>
              <bridge stp='off'><interface type='ethernet' name='eth3'/><interface type='bond' name='bond1'/></bridge>
            </interface>
            """);

        Assert.Equal(HostInterfaceType.Bridge, bridge.Type);
        Assert.Equal(new[] { "eth3", "bond1" }, bridge.Members);
        Assert.Equal(new[] { ConnectionType.Bridge }, bridge.SuitableFor);
    }

    [Fact]
    public void Parse_Vlan_HasTagAndParentAndSuitsNothing()
    {
        var vlan = HostInterfaceXml.Parse("<interface type='vlan' name='vlan42'><vlan tag='42'><interface name='bond0'/></vlan></interface>");

        Assert.Equal(HostInterfaceType.Vlan, vlan.Type);
        Assert.Equal(42, vlan.VlanId);
        Assert.Equal("bond0", vlan.Parent);
        Assert.Empty(vlan.SuitableFor);
    }

    [Fact]
    public void Parse_UnknownType_SuitsNothing()
    {
        var other = HostInterfaceXml.Parse("<interface type='infiniband' name='ib0'/>");

        Assert.Equal(HostInterfaceType.Unknown, other.Type);
        Assert.Empty(other.SuitableFor);
    }

    [Fact]
    public void FromLibvirt_BridgesAndBonds_MarkPortsAndSlavesAndAddMembersListedOnlyInsideTheirMaster()
    {
        var records = new[]
        {
            new InterfaceRecord("br1", "<interface type='bridge' name='br1'><bridge><interface type='ethernet' name='eth3'><mac address='52:54:00:00:00:03'/></interface></bridge></interface>", true),
            new InterfaceRecord("bond1", "<interface type='bond' name='bond1'><bond><interface type='ethernet' name='eth8'/></bond></interface>", true),
            new InterfaceRecord("eth3", "<interface type='ethernet' name='eth3'><mac address='52:54:00:00:00:03'/><link state='up'/></interface>", true),
            new InterfaceRecord("eth1", "<interface type='ethernet' name='eth1'/>", false),
        };

        var all = HostInterfaceXml.FromLibvirt(records).ToDictionary(i => i.Name);

        Assert.Equal(new[] { "bond1", "br1", "eth1", "eth3", "eth8" }, all.Keys);
        Assert.True(all["eth3"].IsBridgePort);
        Assert.Equal("br1", all["eth3"].Master);
        Assert.Equal(HostInterfaceStatus.Up, all["eth3"].Status);
        Assert.Empty(all["eth3"].SuitableFor);
        Assert.False(all["eth8"].IsBridgePort);
        Assert.Equal("bond1", all["eth8"].Master);
        Assert.Empty(all["eth8"].SuitableFor);
        Assert.Equal(s_device, all["eth1"].SuitableFor);
        Assert.Equal(HostInterfaceStatus.Down, all["eth1"].Status);
    }

    [Theory]
    [InlineData(0, "0.0.0.0")]
    [InlineData(8, "255.0.0.0")]
    [InlineData(23, "255.255.254.0")]
    [InlineData(32, "255.255.255.255")]
    public void PrefixToNetmask_AnyPrefix_IsItsDottedMask(int prefix, string netmask) => Assert.Equal(netmask, HostInterfaceXml.PrefixToNetmask(prefix));

    [Fact]
    public void Sysfs_FakeTree_ReadsEveryKind()
    {
        var root = Directory.CreateTempSubdirectory("kimchinet-sysfs-").FullName;
        try
        {
            var net = Path.Combine(root, "sys", "class", "net");
            var proc = Path.Combine(root, "proc", "net", "vlan");
            Device(net, "lo", ("type", "772"), ("operstate", "unknown"));
            Device(net, "eth0", ("type", "1"), ("operstate", "up"), ("address", "52:54:00:00:00:10"), ("device/vendor", "0x8086"));
            Device(net, "eth1", ("type", "1"), ("operstate", "down"), ("device/vendor", "0x8086"), ("master", "bond0"), ("bonding_slave/state", "active"));
            Device(net, "eth2", ("type", "1"), ("operstate", "up"), ("device/vendor", "0x8086"), ("bonding_slave/state", "backup"));
            Device(net, "veth1", ("type", "1"), ("operstate", "up"), ("uevent", "INTERFACE=veth1\nIFINDEX=9"));
            Device(net, "bond0", ("type", "1"), ("operstate", "up"), ("uevent", "DEVTYPE=bond\nINTERFACE=bond0"), ("bonding/slaves", "eth1 eth2\n"));
            Device(net, "br0", ("type", "1"), ("operstate", "up"), ("uevent", "DEVTYPE=bridge"), ("bridge/stp_state", "0"), ("brif/eth3", ""));
            Device(net, "eth3", ("type", "1"), ("operstate", "up"), ("device/vendor", "0x8086"), ("brport/state", "3"));
            Device(net, "eth0.100", ("type", "1"), ("operstate", "lowerlayerdown"), ("uevent", "DEVTYPE=vlan\nINTERFACE=eth0.100"), ("lower_eth0/ifindex", "2"));
            Device(net, "vlan7", ("type", "1"), ("operstate", "up"), ("uevent", "DEVTYPE=vlan"), ("lower_eth2/ifindex", "4"));
            Device(net, "tap0", ("type", "1"), ("operstate", "unknown"), ("carrier", "1"), ("tun_flags", "0x1002"));
            File.WriteAllText(Path.Combine(net, "bonding_masters"), "bond0\n");
            Directory.CreateDirectory(proc);
            File.WriteAllText(Path.Combine(proc, "vlan7"), "vlan7  VID: 7\t REORDER_HDR: 1  dev->priv_flags: 1\n");

            var all = SysfsInterfaces
                .Read(net, proc, name => name == "eth0" ? new Ipv4Address("192.0.2.4", 25) : null)
                .ToDictionary(i => i.Name);

            Assert.Equal(new[] { "bond0", "br0", "eth0", "eth0.100", "eth1", "eth2", "eth3", "tap0", "veth1", "vlan7" }, all.Keys);
            Assert.Equal(HostInterfaceType.Nic, all["eth0"].Type);
            Assert.Equal(HostInterfaceStatus.Up, all["eth0"].Status);
            Assert.Equal("52:54:00:00:00:10", all["eth0"].Mac);
            Assert.Equal("192.0.2.4", all["eth0"].IPv4Address);
            Assert.Equal("255.255.255.128", all["eth0"].IPv4Netmask);
            Assert.Equal(s_device, all["eth0"].SuitableFor);

            Assert.Equal(HostInterfaceType.Bonding, all["bond0"].Type);
            Assert.Equal(new[] { "eth1", "eth2" }, all["bond0"].Members);
            Assert.Equal("bond0", all["eth1"].Master);
            Assert.Equal(HostInterfaceStatus.Down, all["eth1"].Status);
            Assert.Equal("bond0", all["eth2"].Master); // no master link: found from bond0's slave list
            Assert.Empty(all["eth2"].SuitableFor);

            Assert.Equal(HostInterfaceType.Bridge, all["br0"].Type);
            Assert.Equal(new[] { "eth3" }, all["br0"].Members);
            Assert.True(all["eth3"].IsBridgePort);
            Assert.Equal("br0", all["eth3"].Master);
            Assert.Empty(all["eth3"].SuitableFor);

            Assert.Equal(HostInterfaceType.Vlan, all["eth0.100"].Type);
            Assert.Equal("eth0", all["eth0.100"].Parent);
            Assert.Equal(100, all["eth0.100"].VlanId);
            Assert.Equal(HostInterfaceStatus.Down, all["eth0.100"].Status);
            Assert.Equal(7, all["vlan7"].VlanId);
            Assert.Equal("eth2", all["vlan7"].Parent);

            Assert.Equal(HostInterfaceType.Nic, all["veth1"].Type);
            Assert.Equal(HostInterfaceType.Unknown, all["tap0"].Type);
            Assert.Equal(HostInterfaceStatus.Up, all["tap0"].Status);
            Assert.Null(all["tap0"].IPv4Address);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Sysfs_MissingRoot_IsEmpty()
    {
        Assert.Empty(SysfsInterfaces.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), null, _ => null));
    }

    private static void Device(string net, string name, params (string Path, string Text)[] files)
    {
        var folder = Path.Combine(net, name);
        Directory.CreateDirectory(folder);
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            if (path == "master")
            {
                File.CreateSymbolicLink(full, Path.Combine("..", text));
            }
            else
            {
                File.WriteAllText(full, text);
            }
        }
    }
}
