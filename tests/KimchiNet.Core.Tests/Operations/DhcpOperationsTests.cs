using System;
using System.Linq;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Operations;

/// <summary>DHCP reservations through virNetworkUpdate on libvirt's test driver (which implements the ip-dhcp-host section, but not the leases call).</summary>
[Collection(LibvirtCollection.Name)]
public sealed class DhcpOperationsTests
{
    private const string Mac = "52:54:00:12:34:56";

    private static DhcpReservationSpec Web01(string network = "default") => new()
    {
        Network = network,
        MacAddress = "52-54-00-12-34-56",
        IPAddress = "192.168.122.50",
        HostName = "web01",
        LeaseTime = TimeSpan.FromHours(1),
    };

    private static NetworkDhcpHostXml[] HostsIn(string xml) =>
        NetworkXmlReader.Read(xml).Ips.SelectMany(ip => ip.Dhcp?.Hosts ?? []).ToArray();

    [Fact]
    public void Add_OnAnActiveNetwork_ShouldChangeTheLiveStateAndTheDefinitionWithoutARestart()
    {
        using var host = new TestHost();
        var dhcp = new DhcpOperations(host.Connection);

        var plan = dhcp.PlanAdd(Web01());
        var added = dhcp.Add(plan);

        Assert.Equal("Add DHCP reservation 52:54:00:12:34:56 -> 192.168.122.50 (name web01), lease 01:00:00: live and in the persistent definition, without a restart", plan.Description);
        Assert.Equal(new DhcpReservationInfo { Network = "default", MacAddress = Mac, IPAddress = "192.168.122.50", HostName = "web01", LeaseTime = TimeSpan.FromHours(1), Uri = host.Connection.Uri }, added);
        Assert.Contains("<host mac='52:54:00:12:34:56' name='web01' ip='192.168.122.50'>", host.Connection.GetNetworkXml("default"), StringComparison.Ordinal);
        Assert.Contains("<lease expiry='1' unit='hours'/>", host.Connection.GetNetworkXml("default", inactive: true), StringComparison.Ordinal);
        Assert.True(host.Connection.GetNetwork("default")!.IsActive);
        Assert.Equal([added], dhcp.GetReservations(n => n == "default"));
    }

    [Fact]
    public void Add_OnAnInactiveNetwork_ShouldChangeOnlyTheDefinitionAndLeaveItStopped()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork("<network><name>lab</name><ip address='10.70.0.1' prefix='24'><dhcp><range start='10.70.0.100' end='10.70.0.200'/></dhcp></ip></network>");
        var dhcp = new DhcpOperations(host.Connection);

        var plan = dhcp.PlanAdd(new DhcpReservationSpec { Network = "lab", MacAddress = Mac, IPAddress = "10.70.0.9" });
        dhcp.Add(plan);

        Assert.EndsWith("in the definition (the network is not running)", plan.Description, StringComparison.Ordinal);
        Assert.False(host.Connection.GetNetwork("lab")!.IsActive);
        var added = Assert.Single(HostsIn(host.Connection.GetNetworkXml("lab", inactive: true)));
        Assert.Equal((Mac, "10.70.0.9", (string?)null), (added.Mac, added.Ip, added.Name));
    }

    [Fact]
    public void Add_OnADualStackNetworkWhoseIpv6HasDhcpFirst_ShouldGoToTheIpv4Dhcp()
    {
        // libvirt's own choice (parentIndex -1) would be the first <ip> with DHCP, the IPv6 one, and refuse an IPv4 host.
        using var host = new TestHost();
        host.Connection.DefineNetwork("<network><name>dual</name><forward mode='nat'/><ip family='ipv6' address='fd00:71::1' prefix='64'><dhcp><range start='fd00:71::100' end='fd00:71::1ff'/></dhcp></ip><ip address='10.71.0.1' prefix='24'><dhcp><range start='10.71.0.100' end='10.71.0.200'/></dhcp></ip></network>");
        var dhcp = new DhcpOperations(host.Connection);

        var plan = dhcp.PlanAdd(new DhcpReservationSpec { Network = "dual", MacAddress = Mac, IPAddress = "10.71.0.9" });
        dhcp.Add(plan);

        Assert.Equal(1, plan.ParentIndex);
        var ips = NetworkXmlReader.Read(host.Connection.GetNetworkXml("dual", inactive: true)).Ips;
        Assert.Empty(ips[0].Dhcp!.Hosts);
        Assert.Equal("10.71.0.9", Assert.Single(ips[1].Dhcp!.Hosts).Ip);
    }

    [Fact]
    public void PlanAdd_WithBadInput_ShouldRefuseWithEveryCodeAndChangeNothing()
    {
        using var host = new TestHost();
        var dhcp = new DhcpOperations(host.Connection);
        dhcp.Add(dhcp.PlanAdd(Web01()));

        Assert.Equal(ErrorCodes.DhcpMacInUse, host.Refused(() => dhcp.PlanAdd(Web01())).Code);
        Assert.Equal(ErrorCodes.DhcpAddressInUse, host.Refused(() => dhcp.PlanAdd(Web01() with { MacAddress = "52:54:00:00:00:77", HostName = null })).Code);
        Assert.Equal(ErrorCodes.DhcpHostNameInUse, host.Refused(() => dhcp.PlanAdd(Web01() with { MacAddress = "52:54:00:00:00:77", IPAddress = "192.168.122.51", HostName = "WEB01" })).Code);
        Assert.Equal(ErrorCodes.DhcpAddressOutsideSubnet, host.Refused(() => dhcp.PlanAdd(new DhcpReservationSpec { Network = "default", MacAddress = "52:54:00:00:00:77", IPAddress = "10.0.0.9" })).Code);
        Assert.Equal(ErrorCodes.DhcpAddressReserved, host.Refused(() => dhcp.PlanAdd(new DhcpReservationSpec { Network = "default", MacAddress = "52:54:00:00:00:77", IPAddress = "192.168.122.1" })).Code);
        Assert.Equal(ErrorCodes.InvalidMacAddress, host.Refused(() => dhcp.PlanAdd(new DhcpReservationSpec { Network = "default", MacAddress = "52:54:00:00:00", IPAddress = "192.168.122.52" })).Code);
        Assert.Equal(ErrorCodes.InvalidDhcpHostName, host.Refused(() => dhcp.PlanAdd(new DhcpReservationSpec { Network = "default", MacAddress = "52:54:00:00:00:77", IPAddress = "192.168.122.52", HostName = "x,192.168.122.9" })).Code);
        Assert.Equal(ErrorCodes.InvalidDhcpLeaseTime, host.Refused(() => dhcp.PlanAdd(new DhcpReservationSpec { Network = "default", MacAddress = "52:54:00:00:00:77", IPAddress = "192.168.122.52", LeaseTime = TimeSpan.FromSeconds(30) })).Code);
        var unavailable = host.Refused(() => dhcp.PlanAdd(new DhcpReservationSpec { Network = "bridge-br0", MacAddress = "52:54:00:00:00:77", IPAddress = "192.168.122.52" }));
        Assert.Equal((ErrorCodes.DhcpNotAvailable, ErrorKind.InvalidState), (unavailable.Code, unavailable.Kind));
        var missing = host.Refused(() => dhcp.PlanAdd(Web01("nope")));
        Assert.Equal((ErrorCodes.NetworkNotFound, ErrorKind.NotFound), (missing.Code, missing.Kind));
    }

    [Theory]
    [InlineData("52:54:00:12:34:56", null, null)]
    [InlineData(null, "192.168.122.50", null)]
    [InlineData(null, null, "WEB01")]
    [InlineData("52-54-00-12-34-56", "192.168.122.50", "web01")]
    public void Remove_ByAnyKey_ShouldTakeTheReservationOutOfTheLiveStateAndTheDefinition(string? mac, string? ip, string? name)
    {
        using var host = new TestHost();
        var dhcp = new DhcpOperations(host.Connection);
        dhcp.Add(dhcp.PlanAdd(Web01()));
        dhcp.Add(dhcp.PlanAdd(new DhcpReservationSpec { Network = "default", MacAddress = "52:54:00:00:00:77", IPAddress = "192.168.122.77" }));

        var plan = dhcp.PlanRemove(new DhcpReservationSpec { Network = "default", MacAddress = mac, IPAddress = ip, HostName = name });
        dhcp.Remove(plan);

        Assert.Equal(Mac, Assert.Single(plan.Reservations).MacAddress);
        Assert.Equal(["192.168.122.77"], HostsIn(host.Connection.GetNetworkXml("default")).Select(h => h.Ip));
        Assert.Equal(["192.168.122.77"], HostsIn(host.Connection.GetNetworkXml("default", inactive: true)).Select(h => h.Ip));
        Assert.True(host.Connection.GetNetwork("default")!.IsActive);
    }

    [Fact]
    public void PlanRemove_WhenNothingMatches_ShouldRefuseWithKCHNET0147EAndChangeNothing()
    {
        using var host = new TestHost();
        var dhcp = new DhcpOperations(host.Connection);
        dhcp.Add(dhcp.PlanAdd(Web01()));

        var error = host.Refused(() => dhcp.PlanRemove(new DhcpReservationSpec { Network = "default", MacAddress = Mac, IPAddress = "192.168.122.51" }));

        Assert.Equal((ErrorCodes.DhcpReservationNotFound, ErrorKind.NotFound), (error.Code, error.Kind));
        Assert.Equal(ErrorCodes.InvalidMacAddress, host.Refused(() => dhcp.PlanRemove(new DhcpReservationSpec { Network = "default", MacAddress = "nope" })).Code);
        Assert.Equal(ErrorCodes.DhcpNotAvailable, host.Refused(() => dhcp.PlanRemove(new DhcpReservationSpec { Network = "vepa-eth1-eth2", MacAddress = Mac })).Code);
    }

    [Fact]
    public void UpdateDhcpHost_Modify_ShouldReplaceTheEntryWithThatMac()
    {
        using var host = new TestHost();
        var dhcp = new DhcpOperations(host.Connection);
        dhcp.Add(dhcp.PlanAdd(Web01()));

        var live = host.Connection.UpdateNetwork("default", NetworkUpdateCommand.Modify, NetworkUpdateSection.IpDhcpHost, 0, $"<host mac='{Mac}' name='web01' ip='192.168.122.60'/>");

        Assert.True(live);
        Assert.Equal("192.168.122.60", Assert.Single(HostsIn(host.Connection.GetNetworkXml("default"))).Ip);
    }

    [Fact]
    public void UpdateDhcpHost_WhenLibvirtRefuses_ShouldReportLibvirtsError()
    {
        using var host = new TestHost();

        var error = Assert.Throws<LibvirtException>(() => host.Connection.UpdateNetwork("default", NetworkUpdateCommand.Delete, NetworkUpdateSection.IpDhcpHost, 0, $"<host mac='{Mac}' ip='192.168.122.50'/>"));

        Assert.Equal("virNetworkUpdate", error.Error.Function);
        Assert.Equal(LibvirtErrorNumbers.OperationInvalid, error.Error.Code);
    }

    [Fact]
    public void GetLeases_OnTheTestDriver_ShouldSayItHasNoLeasesCall()
    {
        using var host = new TestHost();

        var error = Assert.ThrowsAny<KimchiException>(() => new DhcpOperations(host.Connection).GetLeases(n => n == "default"));

        Assert.Equal((ErrorCodes.LibvirtError, ErrorKind.NotSupported), (error.Code, error.Kind));
        Assert.Contains("virNetworkGetDHCPLeases", error.Message, StringComparison.Ordinal);
        Assert.Empty(new DhcpOperations(host.Connection).GetLeases(n => n == "no-such-network"));
    }

    [Fact]
    public void GetReservations_ShouldListIpv4HostsWithTheirLeaseTimes_ThenIpv6HostsWithTheirDuid()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork("""
            <network><name>mixed</name>
              <ip address='10.72.0.1' prefix='24'><dhcp><host mac='52:54:00:00:00:01' ip='10.72.0.5'><lease expiry='0'/></host><host name='byname' ip='10.72.0.6'/></dhcp></ip>
              <ip family='ipv6' address='fd00:72::1' prefix='64'><dhcp><host id='0:3:0:1:0:16:3e:11:22:33' ip='fd00:72::5'/></dhcp></ip>
            </network>
            """);

        var found = new DhcpOperations(host.Connection).GetReservations(n => n == "mixed");

        Assert.Equal(["10.72.0.5", "10.72.0.6", "fd00:72::5"], found.Select(r => r.IPAddress));
        Assert.Equal("0:3:0:1:0:16:3e:11:22:33", found[2].Duid);
        Assert.Equal(TimeSpan.Zero, found[0].LeaseTime);
        Assert.Null(found[1].MacAddress);
        Assert.Equal("byname", found[1].HostName);
    }
}
