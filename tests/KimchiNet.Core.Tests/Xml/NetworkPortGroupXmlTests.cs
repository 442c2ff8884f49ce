using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Xml;

namespace KimchiNet.Tests.Xml;

/// <summary>&lt;portgroup&gt; both ways: built from a spec, written in libvirt's order, read back (also from foreign XML with a virtualport and bandwidth, which stay raw).</summary>
public sealed class NetworkPortGroupXmlTests
{
    [Fact]
    public void Build_PortGroups_ShouldWriteThemLastWithTheirVlanAndPassTheSchema()
    {
        var spec = new NetworkSpec
        {
            Name = "lab-pg",
            Connection = ConnectionType.Passthrough,
            Interfaces = ["eth1"],
            PortGroups = [PortGroup.Parse("web=default"), PortGroup.Parse("office=vlan:10")],
        };

        var xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions()));

        Assert.EndsWith(
            """
              <portgroup name="web" default="yes" />
              <portgroup name="office">
                <vlan>
                  <tag id="10" />
                </vlan>
              </portgroup>
            </network>
            """.Replace("\r", string.Empty, StringComparison.Ordinal),
            xml.TrimEnd(),
            StringComparison.Ordinal);
        VirtXmlValidate.AssertValid(xml, "a network with port groups");
        Assert.Equal(["web=default", "office=vlan:10"], NetworkDescriptions.FromXml(NetworkXmlReader.Read(xml)).PortGroups.Select(g => g.ToString()).ToArray());
    }

    [Fact]
    public void Build_NoPortGroups_ShouldWriteNone()
    {
        var spec = new NetworkSpec { Name = "lab-pg", Connection = ConnectionType.Nat, Subnet = "10.1.2.0/24" };

        var xml = NetworkXmlWriter.Write(NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse("10.1.2.0/24") }));

        Assert.DoesNotContain("portgroup", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ForeignPortGroups_ShouldModelNameDefaultAndVlanAndKeepVirtualportAndBandwidth()
    {
        const string foreign = """
            <network>
              <name>ovs</name>
              <forward mode='bridge'/>
              <bridge name='ovsbr0'/>
              <virtualport type='openvswitch'/>
              <portgroup name='web' default='yes' trustGuestRxFilters='no'>
                <bandwidth>
                  <inbound average='1000'/>
                </bandwidth>
                <virtualport type='openvswitch'>
                  <parameters profileid='web'/>
                </virtualport>
                <vlan>
                  <tag id='42'/>
                </vlan>
              </portgroup>
              <portgroup name='trunk'>
                <vlan trunk='yes'>
                  <tag id='42'/>
                  <tag id='47'/>
                </vlan>
              </portgroup>
            </network>
            """;

        var network = NetworkXmlReader.Read(foreign);
        var written = NetworkXmlWriter.Write(network);

        Assert.Equal(["web=default,vlan:42", "trunk"], NetworkDescriptions.FromXml(network).PortGroups.Select(g => g.ToString()).ToArray());
        Assert.Contains("<portgroup name=\"web\" default=\"yes\" trustGuestRxFilters=\"no\">", written, StringComparison.Ordinal);
        Assert.Contains("<parameters profileid=\"web\" />", written, StringComparison.Ordinal);
        Assert.Contains("<inbound average=\"1000\" />", written, StringComparison.Ordinal);
        Assert.Contains("<tag id=\"47\" />", written, StringComparison.Ordinal);
        // libvirt's order inside <portgroup>: vlan, virtualport, bandwidth.
        var web = written[written.IndexOf("<portgroup name=\"web\"", StringComparison.Ordinal)..written.IndexOf("<portgroup name=\"trunk\"", StringComparison.Ordinal)];
        var order = new[] { "<vlan", "<virtualport", "<bandwidth" }.Select(t => web.IndexOf(t, StringComparison.Ordinal)).ToArray();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.OrderBy(i => i).ToArray(), order);
        Assert.Equal(NetworkXmlWriter.Write(NetworkXmlReader.Read(written)), written);
        VirtXmlValidate.AssertValid(written, "a foreign network with port groups");
    }

    [Fact]
    public void WritePortGroup_ShouldBeOneLineAsLibvirtsUpdateCallTakesIt()
    {
        var text = NetworkXmlWriter.WritePortGroup(NetworkXmlBuilder.ToXml(PortGroup.Parse("office=default,vlan:10")));

        Assert.Equal("<portgroup name=\"office\" default=\"yes\"><vlan><tag id=\"10\" /></vlan></portgroup>", text);
    }
}
