using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Validation;

/// <summary>Every DHCP reservation rule (KCHNET0140E-0149E) with a case that breaks it and one that passes.</summary>
public sealed class DhcpReservationValidatorTests
{
    private const string Nat = """
        <network>
          <name>lab</name>
          <forward mode='nat'/>
          <ip address='10.60.0.1' netmask='255.255.255.0'>
            <dhcp>
              <range start='10.60.0.128' end='10.60.0.254'/>
              <host mac='52:54:00:00:00:0a' name='taken' ip='10.60.0.5'/>
            </dhcp>
          </ip>
        </network>
        """;

    private static readonly NetworkXml s_nat = NetworkXmlReader.Read(Nat);

    private static DhcpReservationSpec Spec(string mac = "52:54:00:12:34:56", string? ip = "10.60.0.10", string? name = null, TimeSpan? lease = null) =>
        new() { Network = "lab", MacAddress = mac, IPAddress = ip, HostName = name, LeaseTime = lease };

    private static ValidationError Single(DhcpReservationSpec spec, NetworkXml? network = null, NetworkXml? persistent = null) =>
        Assert.Single(DhcpReservationValidator.ValidateAdd(spec, network ?? s_nat, persistent));

    [Fact]
    public void ValidateAdd_WithAGoodReservation_ShouldFindNothing()
    {
        Assert.Empty(DhcpReservationValidator.ValidateAdd(Spec(name: "web01.lab", lease: TimeSpan.FromHours(1)), s_nat));
        Assert.Empty(DhcpReservationValidator.ValidateAdd(Spec(mac: "52-54-00-AB-CD-EF", ip: "10.60.0.254", lease: TimeSpan.Zero), s_nat));
    }

    [Theory]
    [InlineData("10.61.0.10", "outside the subnet 10.60.0.0/24")]
    [InlineData("10.60.0", "is not an IPv4 address")]
    [InlineData("10.60.0.010", "is not an IPv4 address")]
    [InlineData("fd00::10", "is not an IPv4 address")]
    public void ValidateAdd_WithAnAddressOutsideTheSubnet_ShouldGiveKCHNET0140E(string ip, string said)
    {
        var error = Single(Spec(ip: ip));

        Assert.Equal(ErrorCodes.DhcpAddressOutsideSubnet, error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal("IPAddress", error.ParameterName);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAdd_WithoutAnAddress_ShouldGiveKCHNET0140E()
    {
        Assert.Equal(ErrorCodes.DhcpAddressOutsideSubnet, Single(Spec(ip: null)).Code);
    }

    [Theory]
    [InlineData("10.60.0.1", "the gateway")]
    [InlineData("10.60.0.0", "the network address")]
    [InlineData("10.60.0.255", "the broadcast address")]
    public void ValidateAdd_WithTheGatewayNetworkOrBroadcastAddress_ShouldGiveKCHNET0141E(string ip, string role)
    {
        var error = Single(Spec(ip: ip));

        Assert.Equal(ErrorCodes.DhcpAddressReserved, error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains(role, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("52:54:00:00:00:0a")]
    [InlineData("52-54-00-00-00-0A")]
    [InlineData("52:54:00:00:00:0A")]
    public void ValidateAdd_WithAMacReservedAlready_ShouldGiveKCHNET0142E(string mac)
    {
        var error = Single(Spec(mac: mac));

        Assert.Equal(ErrorCodes.DhcpMacInUse, error.Code);
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
        Assert.Contains("10.60.0.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAdd_WithAnAddressReservedAlready_ShouldGiveKCHNET0143E()
    {
        var error = Single(Spec(ip: "10.60.0.5"));

        Assert.Equal(ErrorCodes.DhcpAddressInUse, error.Code);
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
    }

    [Theory]
    [InlineData("taken")]
    [InlineData("TAKEN")]
    public void ValidateAdd_WithAHostNameReservedAlready_ShouldGiveKCHNET0144E(string name)
    {
        var error = Single(Spec(name: name));

        Assert.Equal(ErrorCodes.DhcpHostNameInUse, error.Code);
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
    }

    [Fact]
    public void ValidateAdd_WithDuplicatesOnlyInThePersistentDefinition_ShouldFindThemToo()
    {
        var live = NetworkXmlReader.Read(Nat.Replace("<host mac='52:54:00:00:00:0a' name='taken' ip='10.60.0.5'/>", string.Empty, StringComparison.Ordinal));

        var errors = DhcpReservationValidator.ValidateAdd(Spec(mac: "52:54:00:00:00:0a", ip: "10.60.0.5", name: "taken"), live, s_nat);

        Assert.Equal([ErrorCodes.DhcpMacInUse, ErrorCodes.DhcpAddressInUse, ErrorCodes.DhcpHostNameInUse], errors.Select(e => e.Code));
        Assert.Empty(DhcpReservationValidator.ValidateAdd(Spec(mac: "52:54:00:00:00:0a", ip: "10.60.0.5", name: "taken"), live));
    }

    [Theory]
    [InlineData("52:54:00:12:34")]
    [InlineData("52:54:00:12:34:5g")]
    [InlineData("52:54-00:12:34:56")]
    [InlineData("5254.0012.3456")]
    [InlineData("52:54:00:12:34:56\0")]
    [InlineData("01:00:5e:00:00:01")]
    [InlineData("ff:ff:ff:ff:ff:ff")]
    [InlineData("00:00:00:00:00:00")]
    [InlineData("")]
    public void ValidateAdd_WithABadMac_ShouldGiveKCHNET0145E(string mac)
    {
        var error = Single(Spec(mac: mac));

        Assert.Equal(ErrorCodes.InvalidMacAddress, error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal("MacAddress", error.ParameterName);
    }

    [Theory]
    [InlineData("<forward mode='bridge'/><bridge name='br0'/>", "forward mode 'bridge'")]
    [InlineData("<forward mode='open'/><ip address='10.60.0.1' prefix='24'><dhcp/></ip>", "forward mode 'open'")]
    [InlineData("<forward mode='hostdev'/>", "forward mode 'hostdev'")]
    [InlineData("<forward mode='nat'/><ip address='10.60.0.1' prefix='24'/>", "DHCP turned off")]
    [InlineData("<ip family='ipv6' address='fd00::1' prefix='64'><dhcp/></ip>", "no IPv4 subnet")]
    [InlineData("", "no IPv4 subnet")]
    public void ValidateAdd_OnANetworkWithoutIpv4Dhcp_ShouldGiveKCHNET0146E(string body, string said)
    {
        var network = NetworkXmlReader.Read($"<network><name>other</name>{body}</network>");

        var error = Single(Spec(), network);

        Assert.Equal(ErrorCodes.DhcpNotAvailable, error.Code);
        Assert.Equal(ErrorKind.InvalidState, error.Kind);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<forward mode='route'/>")]
    [InlineData("<forward/>")]
    [InlineData("")]
    public void FindDhcpSubnet_OnRoutedNatAndIsolatedNetworks_ShouldFindTheIpv4DhcpSubnet(string forward)
    {
        var network = NetworkXmlReader.Read($"<network><name>n</name>{forward}<ip address='192.0.2.1' prefix='25'><dhcp/></ip></network>");

        var subnet = DhcpReservationValidator.FindDhcpSubnet(network, out var error);

        Assert.Null(error);
        Assert.Equal("192.0.2.0/25", subnet!.ToString());
        Assert.Equal(0, subnet.ParentIndex);
    }

    [Fact]
    public void FindDhcpSubnet_WithIpv6AndDhcplessIpv4First_ShouldGiveThePositionAmongAllIps()
    {
        var network = NetworkXmlReader.Read("<network><name>n</name><ip family='ipv6' address='fd00::1' prefix='64'><dhcp/></ip><ip address='10.1.0.1' prefix='24'/><ip address='10.2.0.1' netmask='255.255.0.0'><dhcp/></ip></network>");

        var subnet = DhcpReservationValidator.FindDhcpSubnet(network, out _)!;

        Assert.Equal(2, subnet.ParentIndex);
        Assert.Equal("10.2.0.0/16", subnet.ToString());
    }

    [Theory]
    [InlineData("1web")]
    [InlineData("-web")]
    [InlineData("web-")]
    [InlineData("a,b")]
    [InlineData("web 01")]
    [InlineData("web..lab")]
    [InlineData("web.")]
    [InlineData("wéb")]
    [InlineData("")]
    public void ValidateAdd_WithABadHostName_ShouldGiveKCHNET0148E(string name)
    {
        var error = Single(Spec(name: name));

        Assert.Equal(ErrorCodes.InvalidDhcpHostName, error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
    }

    [Fact]
    public void CheckHostName_AtTheLengthLimits_ShouldTakeOnlyWhatDnsAllows()
    {
        Assert.Null(DhcpReservationValidator.CheckHostName("a" + new string('b', 62)));
        Assert.NotNull(DhcpReservationValidator.CheckHostName("a" + new string('b', 63)));
        var longest = string.Join('.', Enumerable.Repeat("a" + new string('b', 62), 4))[..DhcpReservationValidator.MaxHostNameLength];
        Assert.Null(DhcpReservationValidator.CheckHostName(longest.TrimEnd('.')));
        Assert.NotNull(DhcpReservationValidator.CheckHostName(longest + "c"));
    }

    [Theory]
    [InlineData(119_000)]
    [InlineData(1)]
    [InlineData(-3_600_000)]
    [InlineData(3_600_500)]
    public void ValidateAdd_WithABadLeaseTime_ShouldGiveKCHNET0149E(long milliseconds)
    {
        var error = Single(Spec(lease: TimeSpan.FromMilliseconds(milliseconds)));

        Assert.Equal(ErrorCodes.InvalidDhcpLeaseTime, error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
    }

    [Fact]
    public void CheckLeaseTime_AtTheLimits_ShouldTakeZeroTwoMinutesAndTheLongest()
    {
        Assert.Null(DhcpReservationValidator.CheckLeaseTime(TimeSpan.Zero));
        Assert.Null(DhcpReservationValidator.CheckLeaseTime(DhcpReservationValidator.MinLeaseTime));
        Assert.Null(DhcpReservationValidator.CheckLeaseTime(DhcpReservationValidator.MaxLeaseTime));
        Assert.NotNull(DhcpReservationValidator.CheckLeaseTime(DhcpReservationValidator.MaxLeaseTime + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ValidateAdd_WithEveryRuleBroken_ShouldReportEachInParameterOrder()
    {
        var errors = DhcpReservationValidator.ValidateAdd(Spec(mac: "nope", ip: "10.60.0.1", name: "-", lease: TimeSpan.FromSeconds(5)), s_nat);

        Assert.Equal(
            [ErrorCodes.InvalidMacAddress, ErrorCodes.DhcpAddressReserved, ErrorCodes.InvalidDhcpHostName, ErrorCodes.InvalidDhcpLeaseTime],
            errors.Select(e => e.Code));
    }

    [Fact]
    public void NormalizeMac_ShouldGiveLibvirtsSpelling()
    {
        Assert.Equal("52:54:00:ab:cd:ef", DhcpReservationValidator.NormalizeMac("52-54-00-AB-CD-EF"));
        Assert.Null(DhcpReservationValidator.NormalizeMac(null));
        Assert.Null(DhcpReservationValidator.NormalizeMac("52:54:00:ab:cd:ef:00"));
    }

    [Fact]
    public void Matching_ShouldNeedEveryGivenKey()
    {
        var subnet = DhcpReservationValidator.FindDhcpSubnet(s_nat, out _)!;

        Assert.Single(DhcpReservationValidator.Matching(subnet, new DhcpReservationSpec { Network = "lab", MacAddress = "52-54-00-00-00-0A" }));
        Assert.Single(DhcpReservationValidator.Matching(subnet, new DhcpReservationSpec { Network = "lab", IPAddress = "10.60.0.5", HostName = "TAKEN" }));
        Assert.Empty(DhcpReservationValidator.Matching(subnet, new DhcpReservationSpec { Network = "lab", MacAddress = "52:54:00:00:00:0a", IPAddress = "10.60.0.6" }));
    }
}
