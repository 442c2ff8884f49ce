using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using KimchiNet.Model;
using KimchiNet.Validation;

namespace KimchiNet.Core.Tests.Validation;

public sealed class NetworkSpecValidatorTests
{
    private static readonly string[] s_eth0 = ["eth0"];

    private static NetworkSpec Nat(string? subnet = null) =>
        new() { Name = "net", Connection = ConnectionType.Nat, Subnet = subnet };

    private static NetworkSpec Device(ConnectionType connection, string[]? interfaces, int? vlan = null, string? subnet = null) =>
        new() { Name = "net", Connection = connection, Interfaces = interfaces, VlanId = vlan, Subnet = subnet };

    private static string[] Codes(NetworkSpec spec) =>
        NetworkSpecValidator.Validate(spec).Select(e => e.Code).ToArray();

    /// <summary>A name of exactly <paramref name="bytes"/> UTF-8 bytes whose last character is <paramref name="tail"/>.</summary>
    private static string NameOfBytes(int bytes, string tail) =>
        new string('a', bytes - Encoding.UTF8.GetByteCount(tail)) + tail;

    // ---------------------------------------------------------------- names (KCHNET0011E)

    public static TheoryData<string, string> ValidNames => new()
    {
        { "plain", "default" },
        { "single character", "n" },
        { "right-to-left marks", "\u200Fשלום\u200E" },
        { "bidi override (shown escaped in messages, but a legal name)", "\u202Eevil" },
        { "XML specials", "<&'>" },
        { "CDATA end", "a]]>b" },
        { "inner spaces", "my net" },
        { "unicode letters and emoji", "réseau-😀" },
        { "245 ASCII bytes", new string('a', 245) },
        { "245 bytes ending in a 2-byte character", NameOfBytes(245, "é") },
        { "245 bytes ending in a 3-byte character", NameOfBytes(245, "€") },
        { "245 bytes ending in a 4-byte character", NameOfBytes(245, "😀") },
    };

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Validate_WithValidName_ShouldReportNothing(string because, string name)
    {
        var errors = NetworkSpecValidator.Validate(Nat() with { Name = name });
        Assert.True(errors.Count == 0, $"{because}: {string.Join(" | ", errors.Select(e => e.Message))}");
    }

    public static TheoryData<string, string?> InvalidNames => new()
    {
        { "null", null },
        { "empty", "" },
        { "one space", " " },
        { "tab and newline", "\t\n" },
        { "slash", "a/b" },
        { "only a slash", "/" },
        { "double quote", "a\"b" },
        { "NUL", "a\0b" },
        { "bell", "net\u0007" },
        { "escape", "\u001B[31mred" },
        { "DEL", "a\u007F" },
        { "C1 control", "a\u0085" },
        { "lone high surrogate", "a\uD800b" },
        { "lone low surrogate", "a\uDC00" },
        { "swapped surrogates", "\uDE00\uD83D" },
        { "noncharacter U+FFFF", "a\uFFFF" },
        { "246 ASCII bytes (NAME.addnhosts would be 256 bytes)", new string('a', 246) },
        { "251 ASCII bytes (NAME.xml.new would be 259 bytes)", new string('a', 251) },
        { "252 ASCII bytes", new string('a', 252) },
        { "246 bytes ending in a 2-byte character", NameOfBytes(246, "é") },
        { "246 bytes ending in a 3-byte character", NameOfBytes(246, "€") },
        { "246 bytes ending in a 4-byte character", NameOfBytes(246, "😀") },
        { "123 two-byte characters (246 bytes, 123 chars)", new string('é', 123) },
    };

    [Theory]
    // Not enumerated at discovery: serializing a lone surrogate to the runner would turn it into U+FFFD.
    [MemberData(nameof(InvalidNames), DisableDiscoveryEnumeration = true)]
    public void Validate_WithInvalidName_ShouldReportKCHNET0011E(string because, string? name)
    {
        var errors = NetworkSpecValidator.Validate(Nat() with { Name = name! });
        Assert.True(errors.Count == 1, $"{because}: expected one error, got {errors.Count}: {string.Join(" | ", errors.Select(e => e.Message))}");
        var error = errors[0];
        Assert.Equal(ErrorCodes.InvalidName, error.Code);
        Assert.Equal("Name", error.ParameterName);
        Assert.Equal(name, error.Value);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
    }

    [Fact]
    public void MaxNameBytes_WithEverySuffixLibvirtAdds_ShouldFitA255ByteFileName()
    {
        // Seen on a real libvirtd (Hostile.Lab.Tests.ps1): NAME.xml is written as NAME.xml.new, and a
        // network with DHCP gets dnsmasq's NAME.hostsfile and NAME.addnhosts.
        foreach (var suffix in new[] { ".xml.new", ".conf", ".hostsfile", ".addnhosts", ".pid" })
        {
            Assert.True(NetworkSpecValidator.MaxNameBytes + suffix.Length <= 255, suffix);
        }

        Assert.Equal(255, NetworkSpecValidator.MaxNameBytes + ".addnhosts".Length);
    }

    // ---------------------------------------------------------------- connection (KCHNET0012E)

    public static TheoryData<int> UndefinedConnections => new() { -1, 8, 9, 99, int.MaxValue, int.MinValue };

    [Theory]
    [MemberData(nameof(UndefinedConnections))]
    public void Validate_WithUndefinedConnection_ShouldReportKCHNET0012E(int value)
    {
        var spec = new NetworkSpec { Name = "net", Connection = (ConnectionType)value };
        var error = Assert.Single(NetworkSpecValidator.Validate(spec));
        Assert.Equal(ErrorCodes.InvalidConnection, error.Code);
        Assert.Equal("Connection", error.ParameterName);
        Assert.Contains($"'{value.ToString(CultureInfo.InvariantCulture)}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithUndefinedConnectionAndBadName_ShouldReportBoth()
    {
        var spec = new NetworkSpec { Name = "", Connection = (ConnectionType)42 };
        Assert.Equal([ErrorCodes.InvalidName, ErrorCodes.InvalidConnection], Codes(spec));
    }

    [Fact]
    public void Validate_WithUnknownConnection_ShouldStillReportTheRulesThatDoNotDependOnIt()
    {
        // Kimchi's case {name: 'a/b', connection: 'bogus', vlan_id: 0}: every broken rule, not only KCHNET0012E.
        var spec = new NetworkSpec { Name = "a/b", Connection = ConnectionTypes.Unknown, VlanId = 0 };
        var errors = NetworkSpecValidator.Validate(spec, "bogus");
        Assert.Equal([ErrorCodes.InvalidName, ErrorCodes.InvalidConnection, ErrorCodes.InvalidVlanId], errors.Select(e => e.Code));
        Assert.Contains("'bogus'", errors[1].Message, StringComparison.Ordinal);

        var more = new NetworkSpec { Name = "n", Connection = ConnectionTypes.Unknown, Subnet = "10.0.0.0", Interfaces = ["eth0", "a/b", "eth0"], VlanId = 5000 };
        Assert.Equal(
            [ErrorCodes.InvalidConnection, ErrorCodes.MalformedSubnet, ErrorCodes.InvalidInterfaceName, ErrorCodes.DuplicateInterface, ErrorCodes.InvalidVlanId],
            NetworkSpecValidator.Validate(more, "x").Select(e => e.Code));
    }

    // ---------------------------------------------------------------- subnets (KCHNET0013E malformed, KCHNET0003E unusable)

    public static TheoryData<string> ValidSubnets => new()
    {
        "192.168.5.0/24",
        "192.168.5.0/255.255.255.0",
        "10.0.0.0/15",
        "10.0.0.0/255.254.0.0",
        "172.16.0.0/29",
        "172.16.0.0/255.255.255.248",
        "192.168.5.1/24",       // host bits set: the address is the gateway
        "192.168.5.127/24",     // just below the DHCP range
        "192.168.5.254/24",     // just above the DHCP range, below broadcast
        "1.0.0.0/24",
        "126.255.255.0/24",
        "128.0.0.0/24",
        "223.255.255.0/24",
    };

    [Theory]
    [MemberData(nameof(ValidSubnets))]
    public void Validate_WithValidSubnet_ShouldReportNothing(string subnet)
    {
        Assert.Empty(NetworkSpecValidator.Validate(Nat(subnet)));
        Assert.Empty(NetworkSpecValidator.Validate(Nat(subnet) with { Connection = ConnectionType.Isolated }));
    }

    public static TheoryData<string, string> InvalidSubnets => new()
    {
        // Malformed: KCHNET0013E.
        { "", ErrorCodes.MalformedSubnet },
        { "192.168.5.0", ErrorCodes.MalformedSubnet },                 // no prefix
        { "192.168.5.0/", ErrorCodes.MalformedSubnet },
        { "/24", ErrorCodes.MalformedSubnet },
        { "192.168.5.0/33", ErrorCodes.MalformedSubnet },
        { "192.168.5.0/-1", ErrorCodes.MalformedSubnet },
        { "192.168.5.0/+24", ErrorCodes.MalformedSubnet },
        { "192.168.5.0/024", ErrorCodes.MalformedSubnet },             // leading zero in prefix
        { "192.168.5.0/24/8", ErrorCodes.MalformedSubnet },
        { "192.168.5.0 /24", ErrorCodes.MalformedSubnet },
        { " 192.168.5.0/24", ErrorCodes.MalformedSubnet },
        { "192.168.5.0/24 ", ErrorCodes.MalformedSubnet },
        { "192.168.256.0/24", ErrorCodes.MalformedSubnet },            // octet out of range
        { "192.168.5.0/255.255.256.0", ErrorCodes.MalformedSubnet },
        { "192.168.-1.0/24", ErrorCodes.MalformedSubnet },
        { "192.168.05.0/24", ErrorCodes.MalformedSubnet },             // leading zero in octet
        { "192.168.5.00/24", ErrorCodes.MalformedSubnet },
        { "192.168.5/24", ErrorCodes.MalformedSubnet },                // three octets
        { "192.168.5.0.0/24", ErrorCodes.MalformedSubnet },            // five octets
        { "192.168.5.0./24", ErrorCodes.MalformedSubnet },
        { "192..5.0/24", ErrorCodes.MalformedSubnet },
        { "192.168.5.0/255.0.255.0", ErrorCodes.MalformedSubnet },     // non-contiguous netmask
        { "192.168.5.0/255.255.255.1", ErrorCodes.MalformedSubnet },
        { "192.168.5.0/0.255.255.255", ErrorCodes.MalformedSubnet },
        { "192.168.5.0/255.255.0255.0", ErrorCodes.MalformedSubnet },
        { "fd00::/64", ErrorCodes.MalformedSubnet },                   // IPv6
        { "::ffff:192.168.5.0/120", ErrorCodes.MalformedSubnet },
        { "١٩٢.168.5.0/24", ErrorCodes.MalformedSubnet },             // non-ASCII digits
        { "a.b.c.d/24", ErrorCodes.MalformedSubnet },

        // Well-formed but unusable: KCHNET0003E.
        { "10.0.0.0/14", ErrorCodes.InvalidSubnet },
        { "10.0.0.0/255.252.0.0", ErrorCodes.InvalidSubnet },
        { "192.168.5.0/30", ErrorCodes.InvalidSubnet },
        { "192.168.5.0/255.255.255.252", ErrorCodes.InvalidSubnet },
        { "192.168.5.0/0", ErrorCodes.InvalidSubnet },
        { "192.168.5.0/0.0.0.0", ErrorCodes.InvalidSubnet },
        { "192.168.5.0/31", ErrorCodes.InvalidSubnet },
        { "192.168.5.0/32", ErrorCodes.InvalidSubnet },
        { "192.168.5.0/255.255.255.255", ErrorCodes.InvalidSubnet },
        { "192.168.5.255/24", ErrorCodes.InvalidSubnet },              // gateway = broadcast
        { "192.168.5.7/29", ErrorCodes.InvalidSubnet },
        { "192.168.5.128/24", ErrorCodes.InvalidSubnet },              // gateway = first DHCP address
        { "192.168.5.253/24", ErrorCodes.InvalidSubnet },              // gateway = last DHCP address
        { "192.168.5.4/29", ErrorCodes.InvalidSubnet },
        { "192.168.5.5/29", ErrorCodes.InvalidSubnet },
        { "0.0.0.0/24", ErrorCodes.InvalidSubnet },                    // reserved first octets
        { "0.1.2.0/24", ErrorCodes.InvalidSubnet },
        { "127.0.0.0/24", ErrorCodes.InvalidSubnet },
        { "224.0.0.0/24", ErrorCodes.InvalidSubnet },
        { "239.1.1.0/24", ErrorCodes.InvalidSubnet },
        { "240.0.0.0/24", ErrorCodes.InvalidSubnet },
        { "255.255.255.0/24", ErrorCodes.InvalidSubnet },
    };

    [Theory]
    [MemberData(nameof(InvalidSubnets))]
    public void Validate_WithInvalidSubnet_ShouldReportItsCode(string subnet, string code)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Nat(subnet)));
        Assert.Equal(code, error.Code);
        Assert.Equal("Subnet", error.ParameterName);
        Assert.Equal(subnet, error.Value);
        Assert.Contains($"'{DisplayText.Printable(subnet)}'", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<ConnectionType> DeviceTypes => new()
    {
        ConnectionType.Macvtap, ConnectionType.Bridge, ConnectionType.Vepa, ConnectionType.Passthrough,
    };

    [Theory]
    [MemberData(nameof(DeviceTypes))]
    public void Validate_WithSubnetOnDeviceType_ShouldReportKCHNET0031E(ConnectionType connection)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Device(connection, s_eth0, subnet: "192.168.5.0/24")));
        Assert.Equal(ErrorCodes.SubnetNotAllowed, error.Code);
        Assert.Equal("192.168.5.0/24", error.Value);
        Assert.Contains("'192.168.5.0/24'", error.Message, StringComparison.Ordinal);
        Assert.Contains(connection.ToKimchiName(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DeviceTypes))]
    public void Validate_WithMalformedSubnetOnDeviceType_ShouldReportKCHNET0031EOnly(ConnectionType connection)
    {
        // The subnet is refused for being there at all; what it says does not matter.
        Assert.Equal([ErrorCodes.SubnetNotAllowed], Codes(Device(connection, s_eth0, subnet: "garbage")));
    }

    // ---------------------------------------------------------------- interfaces

    public static TheoryData<ConnectionType, string[]?, string[]> InterfaceCases => new()
    {
        // Device types: null and empty are different errors.
        { ConnectionType.Macvtap, null, [ErrorCodes.InterfacesRequired] },
        { ConnectionType.Bridge, null, [ErrorCodes.InterfacesRequired] },
        { ConnectionType.Vepa, null, [ErrorCodes.InterfacesRequired] },
        { ConnectionType.Passthrough, null, [ErrorCodes.InterfacesRequired] },
        { ConnectionType.Macvtap, [], [ErrorCodes.InterfacesEmpty] },
        { ConnectionType.Bridge, [], [ErrorCodes.InterfacesEmpty] },
        { ConnectionType.Vepa, [], [ErrorCodes.InterfacesEmpty] },
        { ConnectionType.Passthrough, [], [ErrorCodes.InterfacesEmpty] },

        // One interface is right for every device type.
        { ConnectionType.Macvtap, ["eth0"], [] },
        { ConnectionType.Bridge, ["br0"], [] },
        { ConnectionType.Vepa, ["eth0"], [] },
        { ConnectionType.Passthrough, ["bond0"], [] },

        // Several: only bridge and macvtap refuse them.
        { ConnectionType.Macvtap, ["eth0", "eth1"], [ErrorCodes.TooManyInterfaces] },
        { ConnectionType.Bridge, ["eth0", "eth1", "eth2"], [ErrorCodes.TooManyInterfaces] },
        { ConnectionType.Vepa, ["eth0", "eth1", "eth2"], [] },
        { ConnectionType.Passthrough, ["eth0", "eth1"], [] },

        // nat and isolated: none, or an empty list, is right; any interface is refused.
        { ConnectionType.Nat, null, [] },
        { ConnectionType.Nat, [], [] },
        { ConnectionType.Isolated, null, [] },
        { ConnectionType.Isolated, [], [] },
        { ConnectionType.Nat, ["eth0"], [ErrorCodes.InterfacesNotAllowed] },
        { ConnectionType.Isolated, ["eth0", "eth1"], [ErrorCodes.InterfacesNotAllowed] },

        // routed: none, or one device it is bound to; open: none.
        { ConnectionType.Routed, null, [] },
        { ConnectionType.Routed, [], [] },
        { ConnectionType.Routed, ["eth0"], [] },
        { ConnectionType.Routed, ["eth0", "eth1"], [ErrorCodes.TooManyInterfaces] },
        { ConnectionType.Routed, ["a/b"], [ErrorCodes.InvalidInterfaceName] },
        { ConnectionType.Open, null, [] },
        { ConnectionType.Open, ["eth0"], [ErrorCodes.InterfacesNotAllowed] },

        // Duplicates (ordinal: Linux names are case-sensitive).
        { ConnectionType.Vepa, ["eth0", "eth0"], [ErrorCodes.DuplicateInterface] },
        { ConnectionType.Vepa, ["eth0", "eth1", "eth0", "eth0"], [ErrorCodes.DuplicateInterface, ErrorCodes.DuplicateInterface] },
        { ConnectionType.Vepa, ["eth0", "ETH0"], [] },
        { ConnectionType.Bridge, ["eth0", "eth0"], [ErrorCodes.TooManyInterfaces, ErrorCodes.DuplicateInterface] },
    };

    [Theory]
    [MemberData(nameof(InterfaceCases))]
    public void Validate_WithInterfaces_ShouldReportExactlyTheseCodes(ConnectionType connection, string[]? interfaces, string[] expected)
    {
        Assert.Equal(expected, Codes(Device(connection, interfaces)));
    }

    [Fact]
    public void Validate_WithTwoInterfacesOnBridge_ShouldReportKCHNET0030ENamingBoth()
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Device(ConnectionType.Bridge, ["eth1", "eth2"])));
        Assert.Equal(ErrorCodes.TooManyInterfaces, error.Code);
        Assert.Equal(new[] { "eth1", "eth2" }, Assert.IsType<string[]>(error.Value));
        Assert.Contains("eth1, eth2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithInterfacesOnNat_ShouldReportKCHNET0032ENamingThem()
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Device(ConnectionType.Nat, ["eth1", "eth2"])));
        Assert.Equal(ErrorCodes.InterfacesNotAllowed, error.Code);
        Assert.Contains("eth1, eth2", error.Message, StringComparison.Ordinal);
        Assert.Contains("nat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithDuplicateInterface_ShouldReportKCHNET0100ENamingIt()
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Device(ConnectionType.Vepa, ["eth3", "eth3"])));
        Assert.Equal(ErrorCodes.DuplicateInterface, error.Code);
        Assert.Equal("eth3", error.Value);
        Assert.Contains("'eth3'", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> ValidInterfaceNames => new()
    {
        "eth0", "enp0s31f6", "br-lan", "bond0", "e", "v.100", "...", "a..b",
        new string('a', 15),
    };

    [Theory]
    [MemberData(nameof(ValidInterfaceNames))]
    public void CheckInterfaceName_WithLinuxName_ShouldAccept(string name)
    {
        Assert.Null(NetworkSpecValidator.CheckInterfaceName(name));
        Assert.Empty(NetworkSpecValidator.Validate(Device(ConnectionType.Vepa, [name])));
    }

    public static TheoryData<string?> InvalidInterfaceNames => new()
    {
        null, "", ".", "..", "../etc", "/", "eth/0", "eth0:1", ":",
        " eth0", "eth0 ", "eth 0", "eth\t0", "eth\n", "eth\u00A0", "eth\0", "eth\u001B",
        "eth\uD800",
        new string('a', 16),
        new string('a', 14) + "é",            // 16 bytes, 15 characters
        new string('é', 8),                   // 16 bytes, 8 characters
        new string('a', 12) + "😀",            // 16 bytes
        "ä" + new string('a', 13),            // 15 bytes, but libvirt's schema takes ASCII only
        "eth<0", "eth&0", "eth'0", "eth\"0", "eth\u202E0",
    };

    [Theory]
    // Not enumerated at discovery: serializing a lone surrogate to the runner would turn it into U+FFFD.
    [MemberData(nameof(InvalidInterfaceNames), DisableDiscoveryEnumeration = true)]
    public void Validate_WithInvalidInterfaceName_ShouldReportKCHNET0101E(string? name)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Device(ConnectionType.Vepa, [name!])));
        Assert.Equal(ErrorCodes.InvalidInterfaceName, error.Code);
        Assert.Equal("Interfaces", error.ParameterName);
        Assert.Equal(name, error.Value);
        Assert.Contains($"'{DisplayText.Printable(name)}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxInterfaceNameBytes_OnLinux_ShouldBeIfNamSizeMinusOne()
    {
        Assert.Equal(15, NetworkSpecValidator.MaxInterfaceNameBytes);
    }

    // ---------------------------------------------------------------- VLAN

    public static TheoryData<int, string[]> BridgeVlanCases => new()
    {
        { int.MinValue + 1, [ErrorCodes.InvalidVlanId] },
        { -1, [ErrorCodes.InvalidVlanId] },
        { 0, [ErrorCodes.InvalidVlanId] },
        { 1, [] },
        { 100, [] },
        { 4094, [] },
        { 4095, [ErrorCodes.InvalidVlanId] },
        { 4096, [ErrorCodes.InvalidVlanId] },
        { int.MaxValue, [ErrorCodes.InvalidVlanId] },
    };

    [Theory]
    [MemberData(nameof(BridgeVlanCases))]
    public void Validate_WithVlanOnBridge_ShouldAcceptOnly1To4094(int vlan, string[] expected)
    {
        var errors = NetworkSpecValidator.Validate(Device(ConnectionType.Bridge, s_eth0, vlan));
        Assert.Equal(expected, errors.Select(e => e.Code).ToArray());
        Assert.All(errors, e => Assert.Equal(vlan, e.Value));
        Assert.All(errors, e => Assert.Contains(vlan.ToString(CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WithNotAnIntegerVlan_ShouldReportKCHNET0015ESayingSo()
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Device(ConnectionType.Bridge, s_eth0, NetworkSpecValidator.NotAnIntegerVlanId)));
        Assert.Equal(ErrorCodes.InvalidVlanId, error.Code);
        Assert.Equal("VlanId", error.ParameterName);
        Assert.Contains("not a whole number", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-2147483648", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithNotAnIntegerVlanOnVepa_ShouldReportBothRules()
    {
        var errors = NetworkSpecValidator.Validate(Device(ConnectionType.Vepa, s_eth0, NetworkSpecValidator.NotAnIntegerVlanId));
        Assert.Equal([ErrorCodes.InvalidVlanId, ErrorCodes.InterfaceKind], errors.Select(e => e.Code));
        Assert.All(errors, e => Assert.DoesNotContain("-2147483648", e.Message, StringComparison.Ordinal));
    }

    public static TheoryData<ConnectionType, string[]?, string> NonBridgeTypes => new()
    {
        { ConnectionType.Vepa, ["eth0"], ErrorCodes.InterfaceKind },
        { ConnectionType.Macvtap, ["eth0"], ErrorCodes.InterfaceKind },
        { ConnectionType.Passthrough, ["eth0"], ErrorCodes.InterfaceKind },
        { ConnectionType.Nat, null, ErrorCodes.InterfacesNotAllowed },
        { ConnectionType.Isolated, null, ErrorCodes.InterfacesNotAllowed },
    };

    // Kimchi: KCHNET0028E for a VLAN id on macvtap, vepa and passthrough (its create checks),
    // KCHNET0032E on nat and isolated ("VLAN ID and interfaces are not valid parameters", its update check).
    [Theory]
    [MemberData(nameof(NonBridgeTypes))]
    public void Validate_WithVlanOnNonBridge_ShouldReportKimchisCode(ConnectionType connection, string[]? interfaces, string code)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Device(connection, interfaces, 10)));
        Assert.Equal(code, error.Code);
        Assert.Equal("VlanId", error.ParameterName);
        Assert.Equal(10, error.Value);
        Assert.Contains("10", error.Message, StringComparison.Ordinal);
        Assert.Contains(connection.ToKimchiName(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithVlanOnVepa_ShouldReportKCHNET0028E()
    {
        Assert.Equal([ErrorCodes.InterfaceKind], Codes(Device(ConnectionType.Vepa, ["eth0", "eth1"], 100)));
    }

    [Fact]
    public void Validate_WithOutOfRangeVlanOnVepa_ShouldReportKCHNET0015EAndKCHNET0028E()
    {
        Assert.Equal([ErrorCodes.InvalidVlanId, ErrorCodes.InterfaceKind], Codes(Device(ConnectionType.Vepa, s_eth0, 4095)));
    }

    // ---------------------------------------------------------------- all rules at once, and messages

    [Fact]
    public void Validate_WithSeveralBrokenRules_ShouldReportThemAllInParameterOrder()
    {
        var spec = new NetworkSpec
        {
            Name = "a/b",
            Connection = ConnectionType.Bridge,
            Subnet = "10.0.0.0/8",
            Interfaces = ["eth0", "bad name", "eth0"],
            VlanId = 0,
        };

        Assert.Equal(
            [
                ErrorCodes.InvalidName,
                ErrorCodes.SubnetNotAllowed,
                ErrorCodes.TooManyInterfaces,
                ErrorCodes.InvalidInterfaceName,
                ErrorCodes.DuplicateInterface,
                ErrorCodes.InvalidVlanId,
            ],
            Codes(spec));
    }

    [Fact]
    public void Validate_WithBadNameSubnetAndVlanOnNat_ShouldReportAllThree()
    {
        var spec = Nat("192.168.5.0/31") with { Name = "", VlanId = 5, Interfaces = ["eth0"] };
        Assert.Equal(
            [ErrorCodes.InvalidName, ErrorCodes.InvalidSubnet, ErrorCodes.InterfacesNotAllowed, ErrorCodes.InterfacesNotAllowed],
            Codes(spec));
    }

    public static TheoryData<NetworkSpec> BrokenSpecs => new()
    {
        Nat() with { Name = "bad/name" },
        Nat() with { Name = "bell\u0007" },
        Nat() with { Name = new string('x', 300) },
        Nat("192.168.5.0/31"),
        Nat("192.168.5.0/255.0.255.0"),
        Nat("300.1.1.1/24"),
        Nat("192.168.5.0\u0007/24"),
        Nat("192.168.5.0/2\u202E4"),
        Device(ConnectionType.Bridge, ["eth0", "eth1"]),
        Device(ConnectionType.Vepa, ["eth\u0007", "eth0", "eth0"]),
        Device(ConnectionType.Macvtap, [new string('q', 100)]),
        Device(ConnectionType.Bridge, s_eth0, 9999),
        Device(ConnectionType.Vepa, s_eth0, 3),
        Device(ConnectionType.Passthrough, s_eth0, subnet: "10.1.0.0/24"),
        Device(ConnectionType.Isolated, ["eth0", "wlan\u202E0"]),
    };

    [Theory]
    [MemberData(nameof(BrokenSpecs))]
    public void Validate_WithBrokenSpec_ShouldNameEveryOffendingValueInPrintableForm(NetworkSpec spec)
    {
        var errors = NetworkSpecValidator.Validate(spec);
        Assert.NotEmpty(errors);
        foreach (var error in errors)
        {
            foreach (var shown in ShownForms(error.Value))
            {
                Assert.Contains(shown, error.Message, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(error.Message, c => char.IsControl(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format);
        }
    }

    private static IEnumerable<string> ShownForms(object? value) => value switch
    {
        null => [],
        string s => [DisplayText.Printable(s)],
        int i => [i.ToString(CultureInfo.InvariantCulture)],
        IEnumerable list => list.Cast<string?>().Select(DisplayText.Printable),
        _ => throw new InvalidOperationException($"Unexpected value type {value.GetType()}"),
    };

    [Fact]
    public void Validate_WithControlAndBidiCharactersInName_ShouldEscapeThemInMessageButKeepRawValue()
    {
        const string name = "net\u0007\u202Egpj.exe";
        var error = Assert.Single(NetworkSpecValidator.Validate(Nat() with { Name = name }));
        Assert.Equal(name, error.Value);
        Assert.Contains(@"'net\u0007\u202Egpj.exe'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithHugeName_ShouldShortenItInMessageButKeepRawValue()
    {
        var name = new string('x', 10_000);
        var error = Assert.Single(NetworkSpecValidator.Validate(Nat() with { Name = name }));
        Assert.Same(name, error.Value);
        Assert.Contains(new string('x', 60) + "... (10000 characters)'", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, error.Message);
    }

    [Fact]
    public void Validate_WithValidSpecForEveryType_ShouldReportNothing()
    {
        Assert.Empty(NetworkSpecValidator.Validate(Nat()));
        Assert.Empty(NetworkSpecValidator.Validate(Nat("192.168.122.0/24") with { Connection = ConnectionType.Isolated }));
        Assert.Empty(NetworkSpecValidator.Validate(Device(ConnectionType.Macvtap, s_eth0)));
        Assert.Empty(NetworkSpecValidator.Validate(Device(ConnectionType.Bridge, s_eth0, 4094)));
        Assert.Empty(NetworkSpecValidator.Validate(Device(ConnectionType.Vepa, ["eth0", "eth1"])));
        Assert.Empty(NetworkSpecValidator.Validate(Device(ConnectionType.Passthrough, ["eth0", "eth1"])));
    }

    [Fact]
    public void ThrowIfInvalid_WithBrokenSpec_ShouldThrowTheFirstError()
    {
        var spec = Device(ConnectionType.Bridge, ["eth0", "eth1"], 0);
        var ex = Assert.Throws<KimchiException>(() => NetworkSpecValidator.ThrowIfInvalid(spec));
        Assert.Equal(ErrorCodes.TooManyInterfaces, ex.Code);
        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
    }

    [Fact]
    public void ThrowIfInvalid_WithValidSpec_ShouldNotThrow()
    {
        NetworkSpecValidator.ThrowIfInvalid(Device(ConnectionType.Bridge, s_eth0, 1));
        Assert.Throws<ArgumentNullException>(() => NetworkSpecValidator.Validate(null!));
    }

    // ---------------------------------------------------------------- bridge knobs (KCHNET0160E-0165E, 0149E)

    private static NetworkSpec Knobs(ConnectionType connection = ConnectionType.Routed, string? subnet = "10.1.1.0/24") =>
        new() { Name = "net", Connection = connection, Subnet = subnet };

    public static TheoryData<ConnectionType> PrivateBridgeTypes => new()
    {
        ConnectionType.Nat, ConnectionType.Isolated, ConnectionType.Routed, ConnectionType.Open,
    };

    [Theory]
    [MemberData(nameof(PrivateBridgeTypes))]
    public void Validate_WithEveryKnobOnPrivateBridgeType_ShouldReportNothing(ConnectionType connection)
    {
        var spec = Knobs(connection) with { Mtu = 9000, DhcpRange = "10.1.1.100-10.1.1.200", DhcpLeaseTime = TimeSpan.FromHours(1), Dhcp = true };
        Assert.Empty(Codes(spec));
        Assert.Empty(Codes(Knobs(connection) with { Dhcp = false, Mtu = 68 }));
        Assert.Empty(Codes(Knobs(connection) with { Mtu = 65535, DhcpLeaseTime = TimeSpan.Zero }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(67)]
    [InlineData(65536)]
    [InlineData(-1500)]
    public void Validate_WithMtuOutOfRange_ShouldReportKCHNET0160E(int mtu)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Knobs() with { Mtu = mtu }));
        Assert.Equal(ErrorCodes.InvalidMtu, error.Code);
        Assert.Equal("Mtu", error.ParameterName);
        Assert.Contains(mtu.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DeviceTypes))]
    public void Validate_WithKnobsOnDeviceType_ShouldReportKCHNET0161EForEach(ConnectionType connection)
    {
        var spec = Device(connection, s_eth0) with { Mtu = 1500, DhcpRange = "10.0.0.5-10.0.0.9", DhcpLeaseTime = TimeSpan.FromHours(1), Dhcp = false };
        var errors = NetworkSpecValidator.Validate(spec);
        Assert.Equal(["Mtu", "DhcpRange", "DhcpLeaseTime", "Dhcp"], errors.Select(e => e.ParameterName));
        Assert.All(errors, e => Assert.Equal(ErrorCodes.KnobNotAllowed, e.Code));
        Assert.Contains(connection.ToKimchiName(), errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.1.1.100")]
    [InlineData("10.1.1.200-10.1.1.100")]
    [InlineData("10.1.1.100-")]
    [InlineData("-10.1.1.100")]
    [InlineData("10.1.1.100 - 10.1.1.200")]
    [InlineData("10.1.1.100-10.1.1.300")]
    [InlineData("10.1.1.0/24")]
    public void Validate_WithMalformedDhcpRange_ShouldReportKCHNET0162E(string range)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Knobs() with { DhcpRange = range }));
        Assert.Equal(ErrorCodes.MalformedDhcpRange, error.Code);
        Assert.Equal("DhcpRange", error.ParameterName);
    }

    [Theory]
    [InlineData("10.1.2.5-10.1.2.9", "leaves subnet 10.1.1.0/24")]
    [InlineData("10.1.1.200-10.1.2.9", "leaves subnet 10.1.1.0/24")]
    [InlineData("10.1.1.0-10.1.1.9", "network address 10.1.1.0")]
    [InlineData("10.1.1.100-10.1.1.255", "broadcast address 10.1.1.255")]
    [InlineData("10.1.1.1-10.1.1.50", "gateway 10.1.1.1")]
    public void Validate_WithDhcpRangeOutsideTheUsableSubnet_ShouldReportKCHNET0163E(string range, string reason)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Knobs() with { DhcpRange = range }));
        Assert.Equal(ErrorCodes.DhcpRangeOutsideSubnet, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithDhcpRangeButNoSubnet_ShouldReportKCHNET0164E()
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Knobs(subnet: null) with { DhcpRange = "10.1.1.100-10.1.1.200" }));
        Assert.Equal(ErrorCodes.DhcpRangeNeedsSubnet, error.Code);
    }

    [Fact]
    public void Validate_WithRangeAndLeaseButDhcpOff_ShouldReportKCHNET0165E()
    {
        Assert.Equal([ErrorCodes.DhcpSettingsWithoutDhcp], Codes(Knobs() with { Dhcp = false, DhcpRange = "10.1.1.100-10.1.1.200" }));
        Assert.Equal([ErrorCodes.DhcpSettingsWithoutDhcp], Codes(Knobs() with { Dhcp = false, DhcpLeaseTime = TimeSpan.FromHours(1) }));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(119)]
    [InlineData(-3600)]
    public void Validate_WithShortOrNegativeLeaseTime_ShouldReportKCHNET0149EOnDhcpLeaseTime(int seconds)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Knobs() with { DhcpLeaseTime = TimeSpan.FromSeconds(seconds) }));
        Assert.Equal(ErrorCodes.InvalidDhcpLeaseTime, error.Code);
        Assert.Equal("DhcpLeaseTime", error.ParameterName);
    }

    [Fact]
    public void Validate_WithSubnetOnRoutedAndOpen_ShouldTakeIt()
    {
        Assert.Empty(Codes(Knobs(ConnectionType.Routed)));
        Assert.Empty(Codes(Knobs(ConnectionType.Open)));
        Assert.Equal([ErrorCodes.MalformedSubnet], Codes(Knobs(ConnectionType.Open, "10.0.0.0")));
    }
}
