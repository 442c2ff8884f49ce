using System;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using CsCheck;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

/// <summary>spec → Build → write → read → describe, for fixed cases and for CsCheck-generated valid specs.</summary>
public sealed class NetworkXmlRoundTripTests
{
    private const string DeviceChars = "abcdefghijklmnopqrstuvwxyz0123456789_.-";

    /// <summary>Pieces that break naive XML writers, plus bidi marks, joiners and emoji.</summary>
    private static readonly string[] s_hostileFragments =
    [
        "<", ">", "&", "'", "]]>", "<![CDATA[", "<!--", "-->", "&amp;", "&#x41;", "<network>", "</name>",
        "\u202E", "\u200F", "\u200D", "\uFEFF", "\u00A0", "\u2028", "\U0001F680", "\U0001F469\u200D\U0001F4BB",
        "漢字", " ", "\\", "$(x)", "%s", "{0}", "a", "net",
    ];

    private static readonly Gen<string> s_deviceName = Gen.String[Gen.Char[DeviceChars], 1, 15]
        .Where(name => NetworkSpecValidator.CheckInterfaceName(name) is null);

    private static readonly Gen<string> s_hostileText = Gen.OneOf(
            Gen.OneOfConst(s_hostileFragments),
            Gen.Char.Select(c => c.ToString()),
            Gen.String[0, 3])
        .Array[1, 8]
        .Select(parts => string.Concat(parts));

    /// <summary>Any name the validator accepts, leaning on hostile pieces.</summary>
    private static readonly Gen<string> s_hostileName = s_hostileText.Where(name => NetworkSpecValidator.CheckName(name) is null);

    /// <summary>
    /// Interface names at the edges of what the validator accepts (libvirt's device-name characters
    /// only: markup characters are refused before the writer sees them, see the validator's tests).
    /// </summary>
    private static readonly Gen<string> s_hostileDevice = Gen.String[Gen.Char["._-"], 1, 3]
        .Select(s_deviceName, (edge, name) => (edge + name)[..Math.Min(15, edge.Length + name.Length)])
        .Where(name => NetworkSpecValidator.CheckInterfaceName(name) is null);

    private static readonly Gen<string> s_subnet = Gen.Select(Gen.Int[1, 223], Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[Ipv4Subnet.MinPrefix, Ipv4Subnet.MaxPrefix])
        .Select((a, b, c, d, prefix) => string.Create(CultureInfo.InvariantCulture, $"{a}.{b}.{c}.{d}/{prefix}"))
        .Where(text => Ipv4Subnet.TryParse(text, out _, out _));

    private static readonly ConnectionType[] s_privateTypes = [ConnectionType.Nat, ConnectionType.Isolated, ConnectionType.Routed, ConnectionType.Open];

    /// <summary>A lease time: none, never ending, or one of seconds, minutes or hours.</summary>
    private static readonly Gen<TimeSpan?> s_leaseTime = Gen.OneOfConst<TimeSpan?>(null, TimeSpan.Zero, TimeSpan.FromSeconds(150), TimeSpan.FromMinutes(45), TimeSpan.FromHours(5));

    private static readonly Gen<(NetworkSpec Spec, NetworkBuildOptions Options)> s_privateBridge =
        Gen.Select(Gen.OneOfConst(s_privateTypes), s_subnet, Gen.Bool, s_deviceName, Gen.Bool, Gen.Int[NetworkSpecValidator.MinMtu - 1, NetworkSpecValidator.MaxMtu], s_leaseTime, Gen.Int[0, 2])
            .Select((connection, subnet, chooseBridge, bridge, planned, mtu, lease, dhcp) => (
                new NetworkSpec
                {
                    Name = "n",
                    Connection = connection,
                    Subnet = planned ? null : subnet,
                    Interfaces = connection == ConnectionType.Routed && chooseBridge ? [bridge] : null,
                    Mtu = mtu < NetworkSpecValidator.MinMtu ? null : mtu,
                    DhcpLeaseTime = dhcp == 0 ? null : lease,
                    Dhcp = dhcp switch { 0 => false, 1 => null, _ => true },
                },
                new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse(subnet), BridgeName = chooseBridge ? bridge : null }));

    private static readonly Gen<(NetworkSpec Spec, NetworkBuildOptions Options)> s_macvtap =
        s_deviceName.Select(dev => (
            new NetworkSpec { Name = "n", Connection = ConnectionType.Macvtap, Interfaces = [dev] },
            new NetworkBuildOptions()));

    private static readonly Gen<(NetworkSpec Spec, NetworkBuildOptions Options)> s_bridge =
        Gen.Select(s_deviceName, Gen.Int[NetworkSpecValidator.MinVlanId, NetworkSpecValidator.MaxVlanId], Gen.Int[0, 2], Gen.Bool)
            .Select((dev, vlan, kind, withVlan) => kind switch
            {
                // 0: an existing Linux bridge, 1: an Open vSwitch bridge, 2: a Linux bridge KimchiNet made on a NIC.
                0 => (new NetworkSpec { Name = "n", Connection = ConnectionType.Bridge, Interfaces = [dev] }, new NetworkBuildOptions { BridgeName = dev }),
                1 => (new NetworkSpec { Name = "n", Connection = ConnectionType.Bridge, Interfaces = [dev], VlanId = withVlan ? vlan : null }, new NetworkBuildOptions { BridgeName = dev, OpenVSwitch = true }),
                _ => (
                    new NetworkSpec { Name = "n", Connection = ConnectionType.Bridge, Interfaces = [dev], VlanId = withVlan ? vlan : null },
                    new NetworkBuildOptions
                    {
                        BridgeName = "kbr" + vlan.ToString(CultureInfo.InvariantCulture),
                        Created = new HostChanges
                        {
                            CreatedBridge = "kbr" + vlan.ToString(CultureInfo.InvariantCulture),
                            CreatedVlan = withVlan ? new HostVlanDevice("kv" + vlan.ToString(CultureInfo.InvariantCulture), dev, vlan) : null,
                            MovedAddresses = ["192.0.2.7/24"],
                        },
                    }),
            });

    private static readonly Gen<(NetworkSpec Spec, NetworkBuildOptions Options)> s_devicePool =
        Gen.Select(Gen.Bool, s_deviceName.ArrayUnique[1, 4])
            .Select((vepa, devices) => (
                new NetworkSpec { Name = "n", Connection = vepa ? ConnectionType.Vepa : ConnectionType.Passthrough, Interfaces = devices },
                new NetworkBuildOptions()));

    /// <summary>Valid specs of all eight types, each with a name that is plain or hostile.</summary>
    private static readonly Gen<(NetworkSpec Spec, NetworkBuildOptions Options)> s_validCase =
        Gen.Select(Gen.OneOf(s_privateBridge, s_macvtap, s_bridge, s_devicePool), Gen.OneOf(Gen.String[Gen.Char['a', 'z'], 1, 12], s_hostileName))
            .Select((c, name) => (c.Spec with { Name = name }, c.Options));

    public static TheoryData<string> Cases => [.. NetworkCases.All.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundTrip_WithEachConnectionType_ShouldGiveBackWhatWasAsked(string name)
    {
        var (spec, options) = NetworkCases.All[name];

        AssertRoundTrip(spec, options);
    }

    [Fact]
    public void RoundTrip_WithGeneratedValidSpecs_ShouldGiveBackWhatWasAsked()
    {
        s_validCase.Sample(c => AssertRoundTrip(c.Spec, c.Options), iter: 300);
    }

    [Fact]
    public void Write_WithGeneratedValidSpecs_ShouldPassLibvirtSchema()
    {
        // Sixty cases over all eight types keep the suite fast (one short virt-xml-validate run each).
        s_validCase.Sample(
            c => VirtXmlValidate.AssertValid(NetworkXmlWriter.Write(NetworkXmlBuilder.Build(c.Spec, c.Options)), $"a {c.Spec.Connection} network"),
            iter: 60,
            threads: 4);
    }

    [Fact]
    public void WriteRead_WithHostileNames_ShouldGiveBackTheExactName()
    {
        Gen.Select(s_hostileName, s_hostileDevice).Sample(
            (name, dev) =>
            {
                var spec = new NetworkSpec { Name = name, Connection = ConnectionType.Macvtap, Interfaces = [dev] };
                var description = NetworkDescriptions.FromXml(NetworkXmlReader.Read(NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions()))));
                Assert.Equal(name, description.Name);
                Assert.Equal([dev], description.Interfaces);
            },
            iter: 2000);
    }

    [Fact]
    public void Write_WithHostileName_ShouldNeverAddAnElementOrAttribute()
    {
        Gen.Select(s_validCase, s_hostileName).Sample(
            (c, name) =>
            {
                var plain = Shape(NetworkXmlWriter.Write(NetworkXmlBuilder.Build(c.Spec with { Name = "plain" }, c.Options)));
                var hostile = Shape(NetworkXmlWriter.Write(NetworkXmlBuilder.Build(c.Spec with { Name = name }, c.Options)));
                Assert.Equal(plain, hostile);
            },
            iter: 1000);
    }

    [Fact]
    public void Shape_WithAnExtraAttribute_ShouldDiffer()
    {
        Assert.NotEqual(Shape("<network><name>a</name></network>"), Shape("<network><name x='1'>a</name></network>"));
        Assert.NotEqual(Shape("<network><name>a</name></network>"), Shape("<network><name>a<b/></name></network>"));
    }

    /// <summary>Every element and attribute by name and nesting, in order; text values left out.</summary>
    private static string[] Shape(string xml) =>
        XElement.Parse(xml).DescendantsAndSelf()
            .Select(e => string.Join("/", e.AncestorsAndSelf().Reverse().Select(a => a.Name.ToString()))
                + "[" + string.Join(",", e.Attributes().Select(a => a.Name.ToString())) + "]"
                + "#" + e.Nodes().Count().ToString(CultureInfo.InvariantCulture))
            .ToArray();

    private static void AssertRoundTrip(NetworkSpec spec, NetworkBuildOptions options)
    {
        Assert.Empty(NetworkSpecValidator.Validate(spec));
        var xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, options));

        var description = NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml));

        Assert.Equal(spec.Name, description.Name);
        Assert.Equal(spec.Connection, description.Connection);
        Assert.Equal(spec.InterfacesOrEmpty, description.Interfaces);
        Assert.Equal(spec.VlanId, description.VlanId);
        var subnet = spec.Connection.HasSubnet() ? options.Subnet ?? Ipv4Subnet.Parse(spec.Subnet) : (Ipv4Subnet?)null;
        Assert.Equal(subnet?.ToString(), description.Subnet);
        Assert.Equal(subnet is { } s ? Ipv4Subnet.FormatAddress(s.Gateway) : null, description.Gateway);
        var dhcp = subnet is not null && spec.Dhcp != false;
        var defaultStart = subnet is { } r ? Ipv4Subnet.FormatAddress(r.DhcpStart) : null;
        Assert.Equal(dhcp ? spec.DhcpRange?.Split('-')[0] ?? defaultStart : null, description.DhcpStart);
        Assert.Equal(subnet is null ? null : dhcp, description.Dhcp);
        Assert.Equal(spec.DhcpLeaseTime, description.DhcpLeaseTime);
        Assert.Equal(spec.Mtu, description.Mtu);
        Assert.Equal(options.Created, description.HostChanges, HostChangesEqual);
    }

    private static bool HostChangesEqual(HostChanges? expected, HostChanges? actual) =>
        expected is null
            ? actual is null
            : actual is not null
                && expected.CreatedBridge == actual.CreatedBridge
                && expected.CreatedVlan == actual.CreatedVlan
                && expected.MovedAddresses.SequenceEqual(actual.MovedAddresses);
}
