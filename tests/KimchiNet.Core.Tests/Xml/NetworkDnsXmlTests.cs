using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

/// <summary>&lt;domain&gt; and &lt;dns&gt; both ways: built from a spec, written in libvirt's order, read back (also from foreign XML), kept where unmodelled.</summary>
public sealed class NetworkDnsXmlTests
{
    private static NetworkSpec DnsSpec(bool? dns = null) => new()
    {
        Name = "lab-dns",
        Connection = ConnectionType.Nat,
        Subnet = "10.1.2.0/24",
        DnsHosts = [DnsHostRecord.Parse("10.1.2.5=web,www"), DnsHostRecord.Parse("10.1.2.6=db")],
        DnsForwarders = [DnsForwarder.Parse("192.0.2.53"), DnsForwarder.Parse("corp.example=10.0.0.53"), DnsForwarder.Parse("local.example=")],
        Domain = "lab.example",
        DomainLocalOnly = true,
        Dns = dns,
    };

    private static string Build(NetworkSpec spec) =>
        NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse(spec.Subnet!) }));

    [Fact]
    public void Build_DnsSettings_ShouldWriteDomainAndDnsInLibvirtsOrderAndPassTheSchema()
    {
        var xml = Build(DnsSpec());

        Assert.Contains(
            """
              <domain name="lab.example" localOnly="yes" />
              <dns>
                <forwarder addr="192.0.2.53" />
                <forwarder domain="corp.example" addr="10.0.0.53" />
                <forwarder domain="local.example" />
                <host ip="10.1.2.5">
                  <hostname>web</hostname>
                  <hostname>www</hostname>
                </host>
                <host ip="10.1.2.6">
                  <hostname>db</hostname>
                </host>
              </dns>
              <ip address="10.1.2.1"
            """.Replace("\r", string.Empty, StringComparison.Ordinal),
            xml,
            StringComparison.Ordinal);
        VirtXmlValidate.AssertValid(xml, "a network with DNS settings");
    }

    [Fact]
    public void Build_DnsOff_ShouldWriteDnsEnableNo()
    {
        var spec = new NetworkSpec { Name = "quiet", Connection = ConnectionType.Isolated, Subnet = "10.1.3.0/24", Dns = false };

        var xml = Build(spec);

        Assert.Contains("<dns enable=\"no\" />", xml, StringComparison.Ordinal);
        VirtXmlValidate.AssertValid(xml, "a network without DNS");
        Assert.False(NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).Dns);
    }

    [Fact]
    public void Build_NoDnsSettings_ShouldWriteNeitherDomainNorDns()
    {
        var xml = Build(new NetworkSpec { Name = "plain", Connection = ConnectionType.Nat, Subnet = "10.1.4.0/24" });

        Assert.DoesNotContain("<dns", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<domain", xml, StringComparison.Ordinal);
        Assert.True(NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).Dns);
    }

    [Fact]
    public void BuildThenRead_DnsSettings_ShouldDescribeWhatWasAskedFor()
    {
        var description = NetworkDescriptions.FromXml(NetworkXmlReader.Read(Build(DnsSpec())));

        Assert.True(description.Dns);
        Assert.Equal(["10.1.2.5=web,www", "10.1.2.6=db"], description.DnsHosts.Select(h => h.ToString()).ToArray());
        Assert.Equal(["192.0.2.53", "corp.example=10.0.0.53", "local.example="], description.DnsForwarders.Select(f => f.ToString()).ToArray());
        Assert.Equal(("lab.example", true), (description.Domain, description.DomainLocalOnly));
    }

    [Fact]
    public void Read_ForeignDnsAsLibvirtFormatsIt_ShouldModelHostsForwardersAndDomainAndKeepTheRest()
    {
        const string foreign = """
            <network>
              <name>foreign</name>
              <forward mode='nat'/>
              <domain name='corp.lan' localOnly='no' register='yes'/>
              <dns forwardPlainNames='no'>
                <forwarder domain='example.com' addr='8.8.4.4'/>
                <txt name='example' value='example value'/>
                <srv service='name' protocol='tcp' domain='test-domain-name' target='.' port='1024' priority='10' weight='10'/>
                <host ip='192.168.122.2'>
                  <hostname>myhost</hostname>
                  <hostname>myhostalias</hostname>
                </host>
              </dns>
              <ip address='192.168.122.1' netmask='255.255.255.0'/>
            </network>
            """;

        var network = NetworkXmlReader.Read(foreign);
        var description = NetworkDescriptions.FromXml(network);
        var written = NetworkXmlWriter.Write(network);

        Assert.Equal(["192.168.122.2=myhost,myhostalias"], description.DnsHosts.Select(h => h.ToString()).ToArray());
        Assert.Equal(["example.com=8.8.4.4"], description.DnsForwarders.Select(f => f.ToString()).ToArray());
        Assert.Equal(("corp.lan", false), (description.Domain, description.DomainLocalOnly));
        Assert.True(description.Dns);
        Assert.Contains("<domain name=\"corp.lan\" localOnly=\"no\" register=\"yes\" />", written, StringComparison.Ordinal);
        Assert.Contains("<dns forwardPlainNames=\"no\">", written, StringComparison.Ordinal);
        // libvirt's order inside <dns>: forwarder, txt, srv, host.
        var order = new[] { "<forwarder", "<txt", "<srv", "<host" }.Select(t => written.IndexOf(t, StringComparison.Ordinal)).ToArray();
        Assert.Equal(order.OrderBy(i => i).ToArray(), order);
        Assert.DoesNotContain(-1, order);
        Assert.Equal(NetworkXmlWriter.Write(NetworkXmlReader.Read(written)), written);
    }

    [Fact]
    public void Read_HostnameWithAttributes_ShouldStayRawAndNotBeReadAsAName()
    {
        const string xml = """
            <network>
              <name>odd</name>
              <dns><host ip='10.0.0.5'><hostname>a</hostname><hostname x='1'>b</hostname></host></dns>
              <ip address='10.0.0.1' netmask='255.255.255.0'/>
            </network>
            """;

        var network = NetworkXmlReader.Read(xml);

        Assert.Equal(["a"], network.Dns!.Hosts.Single().Hostnames);
        Assert.Contains("<hostname x=\"1\">b</hostname>", NetworkXmlWriter.Write(network), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteDnsHost_ShouldBeOneLineAsLibvirtsUpdateCallTakesIt()
    {
        var text = NetworkXmlWriter.WriteDnsHost(new NetworkDnsHostXml { Ip = "10.0.0.5", Hostnames = ["a", "b&c"] });

        Assert.Equal("<host ip=\"10.0.0.5\"><hostname>a</hostname><hostname>b&amp;c</hostname></host>", text);
    }

    [Fact]
    public void Describe_NetworkWithoutAddress_ShouldHaveNoDnsValue()
    {
        var description = NetworkDescriptions.FromXml(NetworkXmlReader.Read("<network><name>br</name><forward mode='bridge'/><bridge name='br0'/></network>"));

        Assert.Null(description.Dns);
        Assert.Null(description.DomainLocalOnly);
        Assert.Empty(description.DnsHosts);
    }
}
