using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Validation;

namespace KimchiNet.Core.Tests.Validation;

/// <summary>The reservations of a network specification (-DhcpReservation), judged as a set by the reservation rules (KCHNET0140E-0149E, 0177E).</summary>
public sealed class DhcpReservationSetValidatorTests
{
    private static NetworkSpec Nat(params string[] reservations) => new()
    {
        Name = "net",
        Connection = ConnectionType.Nat,
        Subnet = "10.1.1.0/24",
        DhcpReservations = reservations.Select(DhcpReservation.Parse).ToArray(),
    };

    private static ValidationError[] Errors(NetworkSpec spec) => NetworkSpecValidator.Validate(spec).ToArray();

    [Fact]
    public void Validate_ValidReservations_ShouldFindNothing()
    {
        var spec = Nat("52:54:00:00:00:01=10.1.1.20,web", "52-54-00-00-00-02=10.1.1.21");
        spec = spec with { DhcpReservations = [.. spec.DhcpReservations!, new DhcpReservation { MacAddress = "52:54:00:00:00:03", IPAddress = "10.1.1.22", LeaseTime = TimeSpan.FromHours(2) }] };

        Assert.Empty(Errors(spec));
    }

    [Theory]
    [InlineData("52:54:00:00:00:01=10.1.2.20", ErrorCodes.DhcpAddressOutsideSubnet, "outside the subnet 10.1.1.0/24")]
    [InlineData("52:54:00:00:00:01=10.1.1.300", ErrorCodes.DhcpAddressOutsideSubnet, "is not an IPv4 address")]
    [InlineData("52:54:00:00:00:01", ErrorCodes.DhcpAddressOutsideSubnet, "An IPv4 address is needed")]
    [InlineData("52:54:00:00:00:01=10.1.1.1", ErrorCodes.DhcpAddressReserved, "the gateway")]
    [InlineData("52:54:00:00:00:01=10.1.1.0", ErrorCodes.DhcpAddressReserved, "the network address")]
    [InlineData("52:54:00:00:00:01=10.1.1.255", ErrorCodes.DhcpAddressReserved, "the broadcast address")]
    [InlineData("52:54:00:00:00=10.1.1.20", ErrorCodes.InvalidMacAddress, "is not a MAC address")]
    [InlineData("01:00:5e:00:00:01=10.1.1.20", ErrorCodes.InvalidMacAddress, "multicast")]
    [InlineData("52:54:00:00:00:01=10.1.1.20,we_b", ErrorCodes.InvalidDhcpHostName, "is not a host name")]
    public void Validate_BadReservation_ShouldReportTheReservationRuleOnDhcpReservation(string reservation, string code, string reason)
    {
        var error = Assert.Single(Errors(Nat(reservation)));

        Assert.Equal((code, "DhcpReservation"), (error.Code, error.ParameterName));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortLeaseTime_ShouldReportKCHNET0149E()
    {
        var spec = Nat() with { DhcpReservations = [new DhcpReservation { MacAddress = "52:54:00:00:00:01", IPAddress = "10.1.1.20", LeaseTime = TimeSpan.FromSeconds(30) }] };

        Assert.Equal(ErrorCodes.InvalidDhcpLeaseTime, Assert.Single(Errors(spec)).Code);
    }

    [Fact]
    public void Validate_MacAddressOrNameOrAddressTwice_ShouldReportEachDuplicateOnce()
    {
        var errors = Errors(Nat("52:54:00:00:00:01=10.1.1.20,web", "52-54-00-00-00-01=10.1.1.21", "52:54:00:00:00:02=10.1.1.20", "52:54:00:00:00:03=10.1.1.22,WEB"));

        Assert.Equal([ErrorCodes.DhcpMacInUse, ErrorCodes.DhcpAddressInUse, ErrorCodes.DhcpHostNameInUse], errors.Select(e => e.Code).ToArray());
        Assert.Contains("52:54:00:00:00:01", errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConnectionType.Macvtap, "not valid for a macvtap network")]
    [InlineData(ConnectionType.Bridge, "not valid for a bridge network")]
    [InlineData(ConnectionType.Open, "forward mode 'open'")]
    public void Validate_TypeWithoutLibvirtsDhcp_ShouldReportKCHNET0146EOnce(ConnectionType connection, string reason)
    {
        var spec = Nat("52:54:00:00:00:01=10.1.1.20", "52:54:00:00:00:02=10.1.1.21") with { Connection = connection, Subnet = connection.HasSubnet() ? "10.1.1.0/24" : null, Interfaces = connection.HasSubnet() ? null : ["eth1"] };

        var error = Assert.Single(Errors(spec), e => e.ParameterName == "DhcpReservation");

        Assert.Equal(ErrorCodes.DhcpNotAvailable, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithDhcpOff_ShouldReportKCHNET0146E()
    {
        var error = Assert.Single(Errors(Nat("52:54:00:00:00:01=10.1.1.20") with { Dhcp = false }));

        Assert.Equal(ErrorCodes.DhcpNotAvailable, error.Code);
        Assert.Contains("DHCP turned off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WithoutSubnet_ShouldReportKCHNET0177E()
    {
        var error = Assert.Single(Errors(Nat("52:54:00:00:00:01=10.1.1.20") with { Subnet = null }));

        Assert.Equal("KCHNET0177E", error.Code);
        Assert.Contains("-DhcpReservation needs -Subnet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SubnetNamingTheGateway_ShouldJudgeAgainstThatGateway()
    {
        var spec = Nat("52:54:00:00:00:01=10.1.1.1", "52:54:00:00:00:02=10.1.1.254") with { Subnet = "10.1.1.254/24" };

        var error = Assert.Single(Errors(spec));

        Assert.Equal(ErrorCodes.DhcpAddressReserved, error.Code);
        Assert.Contains("10.1.1.254 is the gateway", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("52:54:00:00:00:01=10.1.1.20,web", "52:54:00:00:00:01", "10.1.1.20", "web")]
    [InlineData(" 52:54:00:00:00:01 = 10.1.1.20 ", "52:54:00:00:00:01", "10.1.1.20", null)]
    [InlineData("52:54:00:00:00:01=10.1.1.20,", "52:54:00:00:00:01", "10.1.1.20", null)]
    [InlineData("52:54:00:00:00:01", "52:54:00:00:00:01", null, null)]
    public void Parse_Text_ShouldReadMacAddressAndHostName(string text, string mac, string? ip, string? name)
    {
        var reservation = DhcpReservation.Parse(text);

        Assert.Equal((mac, ip, name, (TimeSpan?)null), (reservation.MacAddress, reservation.IPAddress, reservation.HostName, reservation.LeaseTime));
        Assert.Equal(reservation, new DhcpReservation(text));
    }

    [Fact]
    public void ToString_ShouldBeTheTextParseReads()
    {
        var reservation = DhcpReservation.Parse("52:54:00:00:00:01=10.1.1.20,web");

        Assert.Equal("52:54:00:00:00:01=10.1.1.20,web", reservation.ToString());
        Assert.Equal(reservation, DhcpReservation.Parse(reservation.ToString()));
    }
}
