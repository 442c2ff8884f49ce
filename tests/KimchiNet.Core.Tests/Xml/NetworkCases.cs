using System.Collections.Generic;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

/// <summary>One spec per connection type (and per bridge flavour; routed and open with the bridge knobs), with the host facts the builder needs.</summary>
internal static class NetworkCases
{
    public const string Uuid = "4a5c2f4e-1d3b-4c8e-9f70-2b6a1e0c9d11";

    /// <summary>Case name (also the golden file's name) → spec and options.</summary>
    public static IReadOnlyDictionary<string, (NetworkSpec Spec, NetworkBuildOptions Options)> All { get; } =
        new Dictionary<string, (NetworkSpec, NetworkBuildOptions)>
        {
            ["isolated"] = (
                new NetworkSpec { Name = "lab-isolated", Connection = ConnectionType.Isolated, Subnet = "10.20.30.8/29" },
                new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse("10.20.30.8/29"), BridgeName = "kbr-iso0", Uuid = Uuid }),
            ["nat"] = (
                new NetworkSpec { Name = "lab-nat", Connection = ConnectionType.Nat, Subnet = "192.168.5.77/24" },
                new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse("192.168.5.77/24") }),
            ["macvtap"] = (
                new NetworkSpec { Name = "lab-macvtap", Connection = ConnectionType.Macvtap, Interfaces = ["eth3"] },
                new NetworkBuildOptions()),
            ["bridge-existing"] = (
                new NetworkSpec { Name = "lab-bridge", Connection = ConnectionType.Bridge, Interfaces = ["br0"] },
                new NetworkBuildOptions { BridgeName = "br0" }),
            ["bridge-ovs-vlan"] = (
                new NetworkSpec { Name = "lab-ovs", Connection = ConnectionType.Bridge, Interfaces = ["ovsbr0"], VlanId = 42 },
                new NetworkBuildOptions { BridgeName = "ovsbr0", OpenVSwitch = true }),
            ["bridge-created-vlan"] = (
                new NetworkSpec { Name = "lab-vlan10", Connection = ConnectionType.Bridge, Interfaces = ["eth0"], VlanId = 10 },
                new NetworkBuildOptions
                {
                    BridgeName = "kbr-eth0-10",
                    Created = new HostChanges
                    {
                        CreatedBridge = "kbr-eth0-10",
                        CreatedVlan = new HostVlanDevice("eth0.10", "eth0", 10),
                        MovedAddresses = ["192.168.1.5/24"],
                    },
                }),
            ["vepa"] = (
                new NetworkSpec { Name = "lab-vepa", Connection = ConnectionType.Vepa, Interfaces = ["eth1", "eth2"] },
                new NetworkBuildOptions()),
            ["passthrough"] = (
                new NetworkSpec { Name = "lab-passthrough", Connection = ConnectionType.Passthrough, Interfaces = ["ens1f0", "bond0"] },
                new NetworkBuildOptions()),
            ["routed"] = (
                new NetworkSpec
                {
                    Name = "lab-routed",
                    Connection = ConnectionType.Routed,
                    Subnet = "10.1.1.0/24",
                    Interfaces = ["eth1"],
                    Mtu = 9000,
                    DhcpRange = "10.1.1.100-10.1.1.200",
                    DhcpLeaseTime = System.TimeSpan.FromHours(2),
                },
                new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse("10.1.1.0/24"), BridgeName = "kbr-route0" }),
            ["open"] = (
                new NetworkSpec { Name = "lab-open", Connection = ConnectionType.Open, Subnet = "10.2.2.0/24", Mtu = 1400, Dhcp = false },
                new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse("10.2.2.0/24") }),
        };

    public static string Write(string name)
    {
        var (spec, options) = All[name];
        return NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, options));
    }
}
