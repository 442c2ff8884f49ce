using System.Linq;
using KimchiNet.Model;
using KimchiNet.Validation;

namespace KimchiNet.Tests.Validation;

/// <summary>Port groups: the text form both ways and each rule (KCHNET0194E-0197E).</summary>
public sealed class PortGroupValidatorTests
{
    private static string[] Codes(ConnectionType connection, params string[] groups) =>
        PortGroupValidator.Validate(groups.Select(PortGroup.Parse).ToArray(), connection).Select(e => e.Code).ToArray();

    [Theory]
    [InlineData("web", "web", false, null)]
    [InlineData(" web = default ", "web", true, null)]
    [InlineData("office=vlan:10", "office", false, 10)]
    [InlineData("office=default,vlan:10", "office", true, 10)]
    [InlineData("office=VLAN:4094,Default", "office", true, 4094)]
    public void Parse_TextForms_ShouldReadNameDefaultAndVlan(string text, string name, bool isDefault, int? vlan)
    {
        var group = PortGroup.Parse(text);

        Assert.Equal((name, isDefault, vlan), (group.Name, group.Default, group.VlanId));
        Assert.Empty(group.UnknownOptions);
        Assert.Equal(group, PortGroup.Parse(group.ToString()));
    }

    [Fact]
    public void ToString_AllForms_ShouldBeTheTextParseReads()
    {
        Assert.Equal(
            ["web", "web=default", "office=vlan:10", "office=default,vlan:10"],
            new[] { "web", "web=default", "office=vlan:10", "office=vlan:10,default" }.Select(t => PortGroup.Parse(t).ToString()).ToArray());
    }

    [Fact]
    public void Parse_UnknownOption_ShouldKeepItForTheValidator()
    {
        var group = PortGroup.Parse("web=vlan:x,fast");

        Assert.Equal(["vlan:x", "fast"], group.UnknownOptions);
        Assert.Equal([ErrorCodes.InvalidPortGroup, ErrorCodes.InvalidPortGroup], Codes(ConnectionType.Nat, "web=vlan:x,fast"));
    }

    [Fact]
    public void Validate_GoodPortGroups_ShouldFindNothingOnAnyType()
    {
        foreach (var connection in ConnectionTypes.All)
        {
            Assert.Empty(Codes(connection, "web=default", "db", "a.b_c-1"));
        }

        Assert.Empty(Codes(ConnectionType.Passthrough, "office=vlan:10", "lab=default,vlan:4094"));
        Assert.Empty(Codes(ConnectionType.Bridge, "office=vlan:1"));
    }

    [Theory]
    [InlineData("=default")]
    [InlineData("-web")]
    [InlineData("web group")]
    [InlineData("web/1")]
    [InlineData("x2345678901234567890123456789012345678901234567890123456789012345")]
    public void Validate_BadName_ShouldBeKCHNET0194E(string text)
    {
        Assert.Equal([ErrorCodes.InvalidPortGroup], Codes(ConnectionType.Nat, text));
    }

    [Theory]
    [InlineData("office=vlan:0")]
    [InlineData("office=vlan:4095")]
    public void Validate_VlanOutOfRange_ShouldBeKCHNET0194E(string text)
    {
        Assert.Equal([ErrorCodes.InvalidPortGroup], Codes(ConnectionType.Passthrough, text));
    }

    [Fact]
    public void Validate_SameNameTwice_ShouldBeKCHNET0195E()
    {
        Assert.Equal([ErrorCodes.DuplicatePortGroup], Codes(ConnectionType.Nat, "web", "web=default"));
        Assert.Empty(Codes(ConnectionType.Nat, "web", "WEB"));
    }

    [Fact]
    public void Validate_TwoDefaults_ShouldBeKCHNET0196E()
    {
        Assert.Equal([ErrorCodes.MultipleDefaultPortGroups], Codes(ConnectionType.Nat, "web=default", "db=default"));
    }

    [Theory]
    [InlineData(ConnectionType.Nat)]
    [InlineData(ConnectionType.Isolated)]
    [InlineData(ConnectionType.Routed)]
    [InlineData(ConnectionType.Open)]
    [InlineData(ConnectionType.Macvtap)]
    [InlineData(ConnectionType.Vepa)]
    public void Validate_VlanOnATypeLibvirtDoesNotTag_ShouldBeKCHNET0197E(ConnectionType connection)
    {
        var error = Assert.Single(PortGroupValidator.Validate([PortGroup.Parse("office=vlan:10")], connection));

        Assert.Equal((ErrorCodes.PortGroupVlanNotAllowed, "PortGroup"), (error.Code, error.ParameterName));
    }

    [Fact]
    public void NetworkSpecValidator_PortGroups_ShouldBeJudged()
    {
        var spec = new NetworkSpec { Name = "pg", Connection = ConnectionType.Nat, Subnet = "10.1.2.0/24", PortGroups = [PortGroup.Parse("web=vlan:10")] };

        var error = Assert.Single(NetworkSpecValidator.Validate(spec));

        Assert.Equal(ErrorCodes.PortGroupVlanNotAllowed, error.Code);
    }
}
