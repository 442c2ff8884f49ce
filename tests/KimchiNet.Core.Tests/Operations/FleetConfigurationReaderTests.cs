using System;
using System.Collections;
using System.IO;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Tests.Operations;

public sealed class FleetConfigurationReaderTests
{
    private const string Source = "fleet.json";

    /// <summary>A configuration of one group 'web' on two hosts with the one network given (JSON object text).</summary>
    private static string OneNetwork(string network) =>
        $$"""{ "Groups": [ { "Name": "web", "Uris": ["test:///a", "test:///b"], "Networks": [ {{network}} ] } ] }""";

    private static KimchiException Refused(string json) =>
        Assert.Throws<KimchiException>(() => FleetConfigurationReader.ParseJson(json, Source));

    private static void AssertNames(KimchiException error, params string[] parts)
    {
        Assert.StartsWith(Source, error.Message, StringComparison.Ordinal);
        foreach (var part in parts)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ParseJson_WithEveryProperty_ShouldReadThem()
    {
        var configuration = FleetConfigurationReader.ParseJson(OneNetwork(
            """{ "Name": "san", "Connection": "bridge", "Interfaces": ["br0"], "VlanId": 20, "State": "Inactive", "Autostart": false }"""), Source);

        var group = Assert.Single(configuration.Groups);
        Assert.Equal("web", group.Name);
        Assert.Equal(["test:///a", "test:///b"], group.Uris);
        var network = Assert.Single(group.Networks);
        Assert.Equal(
            new DesiredState { Name = "san", Connection = ConnectionType.Bridge, Interfaces = network.Interfaces, VlanId = 20, State = NetworkState.Inactive, Autostart = false },
            network);
        Assert.Equal(["br0"], network.Interfaces);
    }

    [Fact]
    public void ParseJson_WithKeysInAnyCaseAndAbsentNetwork_ShouldReadThem()
    {
        var configuration = FleetConfigurationReader.ParseJson(
            """{ "groups": [ { "name": "web", "URIS": "test:///a", "networks": [ { "name": "old", "ensure": "absent" }, { "NAME": "lab", "connection": "NAT", "state": "active" } ] } ] }""", Source);

        var group = Assert.Single(configuration.Groups);
        Assert.Equal(["test:///a"], group.Uris);
        Assert.Equal(Ensure.Absent, group.Networks[0].Ensure);
        Assert.Null(group.Networks[0].Connection);
        Assert.Equal(ConnectionType.Nat, group.Networks[1].Connection);
        Assert.Equal(NetworkState.Active, group.Networks[1].State);
    }

    [Fact]
    public void FromData_WithPowerShellTablesArraysAndInts_ShouldReadThem()
    {
        var data = new Hashtable(StringComparer.OrdinalIgnoreCase)
        {
            ["Groups"] = new object[]
            {
                new Hashtable(StringComparer.OrdinalIgnoreCase)
                {
                    ["Name"] = "storage",
                    ["Uris"] = "test:///c",
                    ["Networks"] = new Hashtable(StringComparer.OrdinalIgnoreCase) { ["Name"] = "san", ["Connection"] = "bridge", ["Interfaces"] = "br0", ["VlanId"] = 20, ["Autostart"] = true },
                },
            },
        };

        var network = Assert.Single(Assert.Single(FleetConfigurationReader.FromData(data, "fleet.psd1").Groups).Networks);

        Assert.Equal(20, network.VlanId);
        Assert.Equal(["br0"], network.Interfaces);
        Assert.True(network.Autostart);
    }

    [Fact]
    public void ReadJsonFile_WithTheSample_ShouldReadBothGroupsAndThreeHosts()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "../../../../../docs/fleet/fleet.json");

        var configuration = FleetConfigurationReader.ReadJsonFile(sample);

        Assert.Equal(["web", "storage"], configuration.Groups.Select(g => g.Name));
        Assert.Equal(3, configuration.Hosts().Count);
        Assert.Equal(["frontend", "backend", "legacy"], configuration.Hosts()[0].Networks.Select(n => n.Desired.Name));
    }

    [Fact]
    public void Hosts_WithAHostInTwoGroups_ShouldGiveItTheNetworksOfBoth()
    {
        var configuration = FleetConfigurationReader.ParseJson(
            """
            { "Groups": [
              { "Name": "a", "Uris": ["test:///x", "test:///y"], "Networks": [ { "Name": "one", "Connection": "nat" } ] },
              { "Name": "b", "Uris": ["test:///y"], "Networks": [ { "Name": "two", "Connection": "isolated" } ] } ] }
            """, Source);

        var hosts = configuration.Hosts();

        Assert.Equal(["test:///x", "test:///y"], hosts.Select(h => h.Uri));
        Assert.Equal([("a", "one"), ("b", "two")], hosts[1].Networks.Select(n => (n.Group, n.Desired.Name)));
    }

    [Fact]
    public void ReadJsonFile_WithMissingFile_ShouldThrow0180ENamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kimchinet-no-{Guid.NewGuid():n}.json");

        var error = Assert.Throws<KimchiException>(() => FleetConfigurationReader.ReadJsonFile(path));

        Assert.Equal(ErrorCodes.FleetFileUnreadable, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"Groups\": [ ")]
    [InlineData("[ 1, 2 ]")]
    public void ParseJson_WithNoJsonObject_ShouldThrow0180E(string json)
    {
        var error = Refused(json);

        Assert.Equal(ErrorCodes.FleetFileUnreadable, error.Code);
        Assert.Contains(Source, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_WithUnknownTopKey_ShouldThrow0181E()
    {
        var error = Refused("""{ "Groups": [], "Hosts": [] }""");

        Assert.Equal(ErrorCodes.FleetUnknownKey, error.Code);
        AssertNames(error, "property 'Hosts'", "Groups");
    }

    [Fact]
    public void ParseJson_WithMisspeltNetworkKey_ShouldThrow0181ENamingGroupNetworkAndKey()
    {
        var error = Refused(OneNetwork("""{ "Name": "lab", "Connection": "nat", "Subnett": "10.1.2.0/24" }"""));

        Assert.Equal(ErrorCodes.FleetUnknownKey, error.Code);
        AssertNames(error, "group 'web'", "network 'lab'", "property 'Subnett'");
    }

    [Theory]
    [InlineData("""{ }""", "property 'Groups'")]
    [InlineData("""{ "Groups": [ { "Uris": ["test:///a"], "Networks": [] } ] }""", "property 'Name'")]
    [InlineData("""{ "Groups": [ { "Name": "web", "Networks": [] } ] }""", "property 'Uris'")]
    [InlineData("""{ "Groups": [ { "Name": "web", "Uris": ["test:///a"] } ] }""", "property 'Networks'")]
    [InlineData("""{ "Groups": [ { "Name": "web", "Uris": ["test:///a"], "Networks": [ { "Connection": "nat" } ] } ] }""", "property 'Name'")]
    public void ParseJson_WithRequiredKeyMissing_ShouldThrow0182E(string json, string names)
    {
        var error = Refused(json);

        Assert.Equal(ErrorCodes.FleetMissingKey, error.Code);
        AssertNames(error, names);
    }

    [Fact]
    public void ParseJson_WithPresentNetworkWithoutConnection_ShouldThrow0182E()
    {
        var error = Refused(OneNetwork("""{ "Name": "lab", "Subnet": "10.1.2.0/24" }"""));

        Assert.Equal(ErrorCodes.FleetMissingKey, error.Code);
        AssertNames(error, "group 'web'", "network 'lab'", "property 'Connection'");
    }

    [Theory]
    [InlineData("""{ "Name": "lab", "Connection": "bridge", "Interfaces": ["br0"], "VlanId": "10" }""", "VlanId", "whole number")]
    [InlineData("""{ "Name": "lab", "Connection": "bridge", "Interfaces": ["br0"], "VlanId": 1.5 }""", "VlanId", "whole number")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "Autostart": "yes" }""", "Autostart", "true or false")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "Ipv6Subnet": 6 }""", "Ipv6Subnet", "text")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "Ipv6Subnet": "fd00:1:2:3::/64", "Ipv6Dhcp": "yes" }""", "Ipv6Dhcp", "true or false")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "Ipv6Subnet": "fd00:1:2:3::/64", "Ipv6Nat": 1 }""", "Ipv6Nat", "true or false")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "PortGroups": 7 }""", "PortGroups", "list")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "PortGroups": [7] }""", "PortGroups", "text")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "Ensure": "Gone" }""", "Ensure", "Present or Absent")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "State": "Running" }""", "State", "Inactive or Active")]
    [InlineData("""{ "Name": "lab", "Connection": 3 }""", "Connection", "text")]
    [InlineData("""{ "Name": "lab", "Connection": "vepa", "Interfaces": 7 }""", "Interfaces", "list")]
    [InlineData("""{ "Name": "lab", "Ensure": "Absent", "Connection": "nat" }""", "Connection", "Ensure = Absent")]
    public void ParseJson_WithValueOfWrongKind_ShouldThrow0183ENamingProperty(string network, string property, string says)
    {
        var error = Refused(OneNetwork(network));

        Assert.Equal(ErrorCodes.FleetInvalidValue, error.Code);
        AssertNames(error, "group 'web'", "network 'lab'", $"property '{property}'", says);
    }

    [Theory]
    [InlineData("""{ "Groups": [ 5 ] }""", "group '#1'")]
    [InlineData("""{ "Groups": [ { "Name": "", "Uris": ["test:///a"], "Networks": [] } ] }""", "property 'Name'")]
    [InlineData("""{ "Groups": [ { "Name": "web", "Uris": [], "Networks": [] } ] }""", "property 'Uris'")]
    [InlineData("""{ "Groups": [ { "Name": "web", "Uris": [""], "Networks": [] } ] }""", "property 'Uris'")]
    [InlineData("""{ "Groups": [ { "Name": "web", "Uris": ["test:///a"], "Networks": [ "lab" ] } ] }""", "network '#1'")]
    [InlineData("""{ "Groups": 4 }""", "property 'Groups'")]
    public void ParseJson_WithGroupOfWrongShape_ShouldThrow0183E(string json, string names)
    {
        var error = Refused(json);

        Assert.Equal(ErrorCodes.FleetInvalidValue, error.Code);
        AssertNames(error, names);
    }

    [Fact]
    public void ParseJson_WithGroupNamedTwice_ShouldThrow0184E()
    {
        var error = Refused("""{ "Groups": [ { "Name": "web", "Uris": "test:///a", "Networks": [] }, { "Name": "WEB", "Uris": "test:///b", "Networks": [] } ] }""");

        Assert.Equal(ErrorCodes.FleetDuplicate, error.Code);
        AssertNames(error, "group 'WEB'", "twice");
    }

    [Fact]
    public void ParseJson_WithNetworkTwiceForOneHost_ShouldThrow0184ENamingBothGroups()
    {
        var error = Refused(
            """
            { "Groups": [
              { "Name": "a", "Uris": ["test:///x", "test:///y"], "Networks": [ { "Name": "lab", "Connection": "nat" } ] },
              { "Name": "b", "Uris": ["test:///y"], "Networks": [ { "Name": "lab", "Connection": "isolated" } ] } ] }
            """);

        Assert.Equal(ErrorCodes.FleetDuplicate, error.Code);
        AssertNames(error, "network 'lab'", "test:///y", "groups 'a' and 'b'");
    }

    [Fact]
    public void ParseJson_WithKeyTwiceInOneObject_ShouldThrow0184E()
    {
        var error = Refused(OneNetwork("""{ "Name": "lab", "Connection": "nat", "connection": "isolated" }"""));

        Assert.Equal(ErrorCodes.FleetDuplicate, error.Code);
        AssertNames(error, "'connection'", "twice");
    }

    [Theory]
    [InlineData("""{ "Name": "lab", "Connection": "wifi" }""", ErrorCodes.InvalidConnection)]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "Subnet": "10.1.2.0/33" }""", ErrorCodes.MalformedSubnet)]
    [InlineData("""{ "Name": "lab", "Connection": "bridge", "Interfaces": ["br0"], "VlanId": 5000 }""", ErrorCodes.InvalidVlanId)]
    [InlineData("""{ "Name": "lab", "Connection": "macvtap", "Interfaces": ["eth1", "eth2"] }""", null)]
    public void ParseJson_WithNetworkKimchiRefuses_ShouldThrowKimchisCodeNamingGroupAndNetwork(string network, string? code)
    {
        var error = Refused(OneNetwork(network));

        if (code is not null)
        {
            Assert.Equal(code, error.Code);
        }

        Assert.DoesNotContain("KCHNET018", error.Code, StringComparison.Ordinal);
        AssertNames(error, "group 'web'", "network 'lab'");
    }

    [Fact]
    public void ParseJson_WithInvalidNetworkName_ShouldThrow0011E()
    {
        var error = Refused(OneNetwork("""{ "Name": "a/b", "Connection": "nat" }"""));

        Assert.Equal(ErrorCodes.InvalidName, error.Code);
        AssertNames(error, "group 'web'", "network 'a/b'");
    }

    [Fact]
    public void ParseJson_WithIpv6AndPortGroups_ShouldReadThemAsTheCmdletsDo()
    {
        var configuration = FleetConfigurationReader.ParseJson(
            OneNetwork("""{ "Name": "lab", "Connection": "nat", "Subnet": "10.9.1.0/24", "ipv6subnet": "fd00:1:2:3::/64", "Ipv6Dhcp": false, "Ipv6Nat": true, "PortGroups": ["web=default", "db"] }"""),
            Source);

        var desired = Assert.Single(Assert.Single(configuration.Groups).Networks);

        Assert.Equal("fd00:1:2:3::/64", desired.Ipv6Subnet);
        Assert.False(desired.Ipv6Dhcp);
        Assert.True(desired.Ipv6Nat);
        Assert.Equal(["web=default", "db"], desired.PortGroups!.Select(g => g.ToString()));
    }

    [Theory]
    [InlineData("""{ "Name": "lab", "Connection": "isolated", "Subnet": "10.9.1.0/24", "Ipv6Subnet": "fd00:1:2:3::/64", "Ipv6Nat": true }""", "KCHNET0127E")]
    [InlineData("""{ "Name": "lab", "Connection": "bridge", "Interfaces": ["br0"], "Ipv6Subnet": "fd00:1:2:3::/64" }""", "KCHNET0127E")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "Ipv6Subnet": "10.9.1.0/24" }""", "KCHNET0126E")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "PortGroups": ["we b"] }""", "KCHNET0194E")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "PortGroups": ["a=default", "b=default"] }""", "KCHNET0196E")]
    [InlineData("""{ "Name": "lab", "Connection": "nat", "PortGroups": ["a=vlan:10"] }""", "KCHNET0197E")]
    public void ParseJson_WithIpv6OrPortGroupsBreakingKimchisRules_ShouldThrowTheRulesCodeNamingTheNetwork(string network, string code)
    {
        var error = Refused(OneNetwork(network));

        Assert.Equal(code, error.Code);
        AssertNames(error, "group 'web'", "network 'lab'");
    }
}
