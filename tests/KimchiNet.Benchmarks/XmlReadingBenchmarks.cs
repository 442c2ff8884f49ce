using System.Globalization;
using System.Text;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Benchmarks;

/// <summary>
/// What Get-KimchiNetwork does per network once libvirt answered: read the network XML into the
/// model (<see cref="NetworkXmlReader"/>) and describe it the Kimchi way
/// (<see cref="NetworkDescriptions"/>).
/// </summary>
/// <remarks>Baseline (the floor): XElement.Parse of the same text, which any reader must do.</remarks>
[MemoryDiagnoser]
public class XmlReadingBenchmarks
{
    private string _xml = null!;

    /// <summary>
    /// kimchinet-nat, kimchinet-vepa: what KimchiNet itself defines (with its metadata);
    /// libvirt-default: libvirt's stock "default" network as libvirtd returns it;
    /// big-foreign: a hand-made network of another tool (~40 KB: 250 DHCP hosts, 100 DNS hosts,
    /// IPv6, routes, 16 port groups with VLANs and bandwidth, no KimchiNet metadata).
    /// </summary>
    [Params("kimchinet-nat", "kimchinet-vepa", "libvirt-default", "big-foreign")]
    public string Document { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _xml = Documents.Get(Document);
        // fail early (not inside the timed loop) when the reader refuses a document
        _ = NetworkDescriptions.FromXml(NetworkXmlReader.Read(_xml));
    }

    [Benchmark(Baseline = true, Description = "floor: XElement.Parse")]
    public XElement ParseFloor() => XElement.Parse(_xml);

    [Benchmark(Description = "NetworkXmlReader.Read")]
    public NetworkXml Read() => NetworkXmlReader.Read(_xml);

    [Benchmark(Description = "Read + NetworkDescriptions.FromXml")]
    public NetworkDescription ReadAndDescribe() => NetworkDescriptions.FromXml(NetworkXmlReader.Read(_xml));
}

/// <summary>The documents read by <see cref="XmlReadingBenchmarks"/>.</summary>
internal static class Documents
{
    public static string Get(string name) => name switch
    {
        "kimchinet-nat" => NetworkXmlWriter.Write(NetworkXmlBuilder.Build(
            Specs.For(ConnectionType.Nat),
            new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse("192.168.122.0/24"), BridgeName = "knbr0", Uuid = "3e3fce45-4f53-4fa7-bb32-11f34168b82b" })),
        "kimchinet-vepa" => NetworkXmlWriter.Write(NetworkXmlBuilder.Build(
            Specs.For(ConnectionType.Vepa), new NetworkBuildOptions { Uuid = "8a2b2c4e-0f6e-4b8e-9f59-6f2f2d6f1a10" })),
        "libvirt-default" => LibvirtDefault,
        "big-foreign" => BigForeign(),
        _ => throw new System.ArgumentOutOfRangeException(nameof(name)),
    };

    private const string LibvirtDefault = """
        <network>
          <name>default</name>
          <uuid>5b3e1a8c-6d1f-4f5e-9a36-0c2f3d4e5f60</uuid>
          <forward mode='nat'>
            <nat>
              <port start='1024' end='65535'/>
            </nat>
          </forward>
          <bridge name='virbr0' stp='on' delay='0'/>
          <mac address='52:54:00:12:34:56'/>
          <ip address='192.168.122.1' netmask='255.255.255.0'>
            <dhcp>
              <range start='192.168.122.2' end='192.168.122.254'/>
            </dhcp>
          </ip>
        </network>
        """;

    private static string BigForeign()
    {
        var inv = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.Append("<network connections='12'>\n  <name>datacenter-east</name>\n  <uuid>0b7c6d2e-1f3a-4c5b-8d9e-a0b1c2d3e4f5</uuid>\n");
        b.Append("  <forward mode='nat'>\n    <nat>\n      <address start='203.0.113.10' end='203.0.113.20'/>\n      <port start='20000' end='30000'/>\n    </nat>\n  </forward>\n");
        b.Append("  <bridge name='dcbr0' stp='on' delay='2'/>\n  <mtu size='9000'/>\n  <mac address='52:54:00:aa:bb:cc'/>\n  <domain name='east.example' localOnly='yes'/>\n");
        b.Append("  <bandwidth>\n    <inbound average='100000' peak='200000' burst='10240'/>\n    <outbound average='100000'/>\n  </bandwidth>\n");
        b.Append("  <dns>\n    <txt name='example' value='a text record'/>\n    <srv service='ldap' protocol='tcp' domain='east.example' target='ldap' port='389' priority='10' weight='10'/>\n");
        for (var i = 0; i < 100; i++)
        {
            b.AppendFormat(inv, "    <host ip='10.20.{0}.{1}'>\n      <hostname>svc{2}.east.example</hostname>\n      <hostname>svc{2}</hostname>\n    </host>\n", i / 200, (i % 200) + 10, i);
        }

        b.Append("  </dns>\n  <ip address='10.20.0.1' netmask='255.255.0.0'>\n    <tftp root='/srv/tftp'/>\n    <dhcp>\n      <range start='10.20.128.0' end='10.20.255.250'>\n        <lease expiry='24' unit='hours'/>\n      </range>\n");
        for (var i = 0; i < 250; i++)
        {
            b.AppendFormat(inv, "      <host mac='52:54:00:10:{0:x2}:{1:x2}' name='vm{2}' ip='10.20.1.{3}'/>\n", i / 256, i % 256, i, i + 2);
        }

        b.Append("      <bootp file='pxelinux.0'/>\n    </dhcp>\n  </ip>\n");
        b.Append("  <ip family='ipv6' address='fd00:20::1' prefix='64'>\n    <dhcp>\n      <range start='fd00:20::100' end='fd00:20::1ff'/>\n    </dhcp>\n  </ip>\n");
        for (var i = 0; i < 8; i++)
        {
            b.AppendFormat(inv, "  <route address='172.30.{0}.0' prefix='24' gateway='10.20.0.{1}'/>\n", i, i + 2);
        }

        for (var i = 0; i < 16; i++)
        {
            b.AppendFormat(inv, "  <portgroup name='pg{0}'{1}>\n    <vlan>\n      <tag id='{2}'/>\n    </vlan>\n    <bandwidth>\n      <inbound average='{3}'/>\n    </bandwidth>\n  </portgroup>\n",
                i, i == 0 ? " default='yes'" : string.Empty, 100 + i, 1000 * (i + 1));
        }

        b.Append("</network>\n");
        return b.ToString();
    }
}
