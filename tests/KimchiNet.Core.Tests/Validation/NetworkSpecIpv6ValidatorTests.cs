using System.Linq;
using KimchiNet.Model;
using KimchiNet.Validation;

namespace KimchiNet.Core.Tests.Validation;

/// <summary>The IPv6 rules of a specification: KCHNET0126E (not a /64) and KCHNET0127E (IPv6 where it does not belong).</summary>
public sealed class NetworkSpecIpv6ValidatorTests
{
    private static NetworkSpec Spec(ConnectionType connection, string? ipv6, bool? dhcp6 = null, bool? nat6 = null, string[]? interfaces = null) => new()
    {
        Name = "net",
        Connection = connection,
        Interfaces = interfaces,
        Ipv6Subnet = ipv6,
        Ipv6Dhcp = dhcp6,
        Ipv6Nat = nat6,
    };

    private static (string Code, string Parameter)[] Errors(NetworkSpec spec) =>
        NetworkSpecValidator.Validate(spec).Select(e => (e.Code, e.ParameterName)).ToArray();

    [Theory]
    [InlineData(ConnectionType.Nat, "fd12:3456:789a:1::/64", null, true)]
    [InlineData(ConnectionType.Nat, "auto", false, true)]
    [InlineData(ConnectionType.Isolated, "AUTO", true, null)]
    [InlineData(ConnectionType.Routed, "fd12:3456:789a:1::/64", false, null)]
    [InlineData(ConnectionType.Open, "2001:db8:1:2::/64", null, false)]
    public void Validate_WithIpv6OnATypeWithABridgeOfLibvirts_ShouldReportNothing(ConnectionType connection, string ipv6, bool? dhcp6, bool? nat6) =>
        Assert.Empty(Errors(Spec(connection, ipv6, dhcp6, nat6)));

    [Theory]
    [InlineData(ConnectionType.Bridge, "br0")]
    [InlineData(ConnectionType.Macvtap, "eth0")]
    [InlineData(ConnectionType.Vepa, "eth0")]
    [InlineData(ConnectionType.Passthrough, "eth0")]
    public void Validate_WithIpv6OnADeviceType_ShouldRefuseItWithKCHNET0127E(ConnectionType connection, string device)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Spec(connection, "auto", interfaces: [device])));
        Assert.Equal(ErrorCodes.Ipv6NotAllowed, error.Code);
        Assert.Equal("Ipv6Subnet", error.ParameterName);
        Assert.Contains(connection.ToKimchiName(), error.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithIpv6DhcpOrNatButNoIpv6Subnet_ShouldRefuseBothWithKCHNET0127E() =>
        Assert.Equal(
            [(ErrorCodes.Ipv6NotAllowed, "Ipv6Dhcp"), (ErrorCodes.Ipv6NotAllowed, "Ipv6Nat")],
            Errors(Spec(ConnectionType.Nat, null, dhcp6: false, nat6: true)));

    [Theory]
    [InlineData(ConnectionType.Isolated)]
    [InlineData(ConnectionType.Routed)]
    [InlineData(ConnectionType.Open)]
    public void Validate_WithIpv6NatOnANetworkThatIsNotNat_ShouldRefuseItWithKCHNET0127E(ConnectionType connection) =>
        Assert.Equal([(ErrorCodes.Ipv6NotAllowed, "Ipv6Nat")], Errors(Spec(connection, "auto", nat6: true)));

    [Fact]
    public void Validate_WithIpv6NatFalseOnAnyType_ShouldReportNothing() =>
        Assert.Empty(Errors(Spec(ConnectionType.Routed, "auto", nat6: false)));

    [Theory]
    [InlineData("fd12:3456:789a::/48")]
    [InlineData("fd12:3456:789a:1::1")]
    [InlineData("automatic")]
    [InlineData("ff05::/64")]
    [InlineData("192.168.5.0/24")]
    public void Validate_WithSomethingOtherThanASlash64OrAuto_ShouldRefuseItWithKCHNET0126E(string ipv6) =>
        Assert.Equal([(ErrorCodes.InvalidIpv6Subnet, "Ipv6Subnet")], Errors(Spec(ConnectionType.Nat, ipv6)));
}
