using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

/// <summary>DHCP reservations of a network spec both ways: built as &lt;host&gt; in the IPv4 &lt;dhcp&gt;, read back, also from foreign XML.</summary>
public sealed class NetworkDhcpReservationXmlTests
{
    private static NetworkSpec Spec() => new()
    {
        Name = "lab-resv",
        Connection = ConnectionType.Nat,
        Subnet = "10.1.5.0/24",
        DhcpReservations =
        [
            DhcpReservation.Parse("52-54-00-AA-BB-01=10.1.5.20,web"),
            new DhcpReservation { MacAddress = "52:54:00:aa:bb:02", IPAddress = "10.1.5.21", LeaseTime = TimeSpan.FromMinutes(90) },
            new DhcpReservation { MacAddress = "52:54:00:aa:bb:03", IPAddress = "10.1.5.22", LeaseTime = TimeSpan.Zero },
        ],
    };

    private static string Build(NetworkSpec spec) =>
        NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse(spec.Subnet!) }));

    [Fact]
    public void Build_Reservations_ShouldWriteHostsAfterTheRangeInLibvirtsSpellingAndPassTheSchema()
    {
        var xml = Build(Spec());

        Assert.Contains(
            """
                <dhcp>
                  <range start="10.1.5.128" end="10.1.5.253" />
                  <host mac="52:54:00:aa:bb:01" name="web" ip="10.1.5.20" />
                  <host mac="52:54:00:aa:bb:02" ip="10.1.5.21">
                    <lease expiry="90" unit="minutes" />
                  </host>
                  <host mac="52:54:00:aa:bb:03" ip="10.1.5.22">
                    <lease expiry="0" />
                  </host>
                </dhcp>
            """.Replace("\r", string.Empty, StringComparison.Ordinal),
            xml,
            StringComparison.Ordinal);
        VirtXmlValidate.AssertValid(xml, "a network with DHCP reservations");
    }

    [Fact]
    public void BuildThenRead_Reservations_ShouldDescribeWhatWasAskedForWithTheMacInLibvirtsSpelling()
    {
        var description = NetworkDescriptions.FromXml(NetworkXmlReader.Read(Build(Spec())));

        Assert.Equal(
            [
                new DhcpReservation { MacAddress = "52:54:00:aa:bb:01", IPAddress = "10.1.5.20", HostName = "web" },
                new DhcpReservation { MacAddress = "52:54:00:aa:bb:02", IPAddress = "10.1.5.21", LeaseTime = TimeSpan.FromMinutes(90) },
                new DhcpReservation { MacAddress = "52:54:00:aa:bb:03", IPAddress = "10.1.5.22", LeaseTime = TimeSpan.Zero },
            ],
            description.DhcpReservations);
    }

    [Fact]
    public void Build_NoReservations_ShouldWriteNoHost()
    {
        var xml = Build(Spec() with { DhcpReservations = null });

        Assert.DoesNotContain("<host", xml, StringComparison.Ordinal);
        Assert.Empty(NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).DhcpReservations);
    }

    [Fact]
    public void Read_ForeignHostsAsLibvirtFormatsThem_ShouldModelTheIpv4OnesAndKeepEveryElement()
    {
        const string foreign = """
            <network>
              <name>foreign</name>
              <forward mode='nat'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                  <host mac='00:16:3e:77:e2:ed' name='foo.example.com' ip='192.168.122.10'/>
                  <host mac='00:16:3e:3e:a9:1a' ip='192.168.122.11'>
                    <lease expiry='2' unit='hours'/>
                  </host>
                  <host name='bar' ip='192.168.122.12'/>
                  <bootp file='pxelinux.0'/>
                </dhcp>
              </ip>
              <ip family='ipv6' address='2001:db8:ca2:2::1' prefix='64'>
                <dhcp>
                  <host id='0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63' name='paul' ip='2001:db8:ca2:2:3::1'/>
                </dhcp>
              </ip>
            </network>
            """;

        var network = NetworkXmlReader.Read(foreign);
        var description = NetworkDescriptions.FromXml(network);
        var written = NetworkXmlWriter.Write(network);

        Assert.Equal(
            ["00:16:3e:77:e2:ed=192.168.122.10,foo.example.com", "00:16:3e:3e:a9:1a=192.168.122.11", "=192.168.122.12,bar"],
            description.DhcpReservations.Select(r => r.ToString()).ToArray());
        Assert.Equal(TimeSpan.FromHours(2), description.DhcpReservations[1].LeaseTime);
        Assert.Contains("<bootp file=\"pxelinux.0\" />", written, StringComparison.Ordinal);
        Assert.Contains("name=\"paul\"", written, StringComparison.Ordinal);
        Assert.Equal(NetworkXmlWriter.Write(NetworkXmlReader.Read(written)), written);
    }
}
