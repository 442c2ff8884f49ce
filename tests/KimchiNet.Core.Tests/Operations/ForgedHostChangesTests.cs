using System;
using KimchiNet.Hosts;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// Issue 12 item 3: a <c>&lt;kimchinet:created&gt;</c> record anyone who can define networks can
/// write. Remove (and DSC Absent) undo host changes only when the network is a bridge network on
/// the recorded bridge, the names follow KimchiNet's rule, and the live bridge has the recorded MAC
/// and interface index; otherwise only the libvirt network goes, with a warning naming the mismatch.
/// The host is played by <see cref="FakeHostBridges"/> here; the lab test in
/// tests/KimchiNet.Tests/Lab/Security.Lab.Tests.ps1 does the same against a real libvirtd and real bridges.
/// </summary>
[Collection(LibvirtCollection.Name)]
public sealed class ForgedHostChangesTests
{
    private static string Network(string name, string body, string bridge, string mac = "52:54:00:aa:bb:cc", string ifindex = "42", string device = "eth4") => $"""
        <network>
          <name>{name}</name>
          <metadata>
            <kimchinet:network xmlns:kimchinet="urn:kimchinet:network:1">
              <kimchinet:connection>bridge</kimchinet:connection>
              <kimchinet:interface dev="{device}"/>
              <kimchinet:created>
                <kimchinet:bridge name="{bridge}" mac="{mac}" ifindex="{ifindex}"/>
                <kimchinet:address value="192.168.50.2/24"/>
              </kimchinet:created>
            </kimchinet:network>
          </metadata>
          {body}
        </network>
        """;

    private static FakeHostBridges Host()
    {
        var bridges = new FakeHostBridges();
        bridges.Links["br0"] = new HostLinkIdentity("br0", "bridge", "52:54:00:aa:bb:cc", 42);
        bridges.Links["br7"] = new HostLinkIdentity("br7", "bridge", "52:54:00:aa:bb:cc", 42);
        bridges.Links["kbeth4"] = new HostLinkIdentity("kbeth4", "bridge", "52:54:00:aa:bb:cc", 42);
        return bridges;
    }

    [Fact]
    public void Remove_OfAnIsolatedNetworkClaimingBr0_ShouldLeaveTheHostAloneAndWarn()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(Network("forged", "<ip address='10.254.1.1' prefix='24'/>", "br0"));
        var bridges = Host();
        var ops = host.WithBridges(bridges);

        var plan = ops.PlanRemove("forged", force: false);
        var warning = ops.Remove(plan);

        Assert.Null(host.Connection.GetNetwork("forged"));
        Assert.Empty(bridges.Undone);
        Assert.Null(plan.HostChanges);
        Assert.Contains("leave the host untouched", plan.Description, StringComparison.Ordinal);
        Assert.NotNull(warning);
        Assert.Contains("not a bridge network", warning, StringComparison.Ordinal);
        Assert.Contains("'br0' is not a name KimchiNet gives", warning, StringComparison.Ordinal);
        Assert.Equal(plan.HostChangesWarning, warning);
    }

    [Fact]
    public void Remove_OfABridgeNetworkOnBr7_ShouldNotDeleteBr7AsItIsNotAKimchiNetName()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(Network("forged", "<forward mode='bridge'/><bridge name='br7'/>", "br7"));
        var bridges = Host();
        var ops = host.WithBridges(bridges);

        var warning = ops.Remove(ops.PlanRemove("forged", force: false));

        Assert.Empty(bridges.Undone);
        Assert.Contains("'br7' is not a name KimchiNet gives a bridge for 'eth4'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_WithARecordedBridgeThatIsNotTheNetworksOwn_ShouldNotActOnIt()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(Network("forged", "<forward mode='bridge'/><bridge name='kbeth9'/>", "kbeth4"));
        var bridges = Host();
        var ops = host.WithBridges(bridges);

        var warning = ops.Remove(ops.PlanRemove("forged", force: false));

        Assert.Empty(bridges.Undone);
        Assert.Contains("own bridge is 'kbeth9', not the recorded 'kbeth4'", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("52:54:00:aa:bb:cc", "43", "interface index 42, not the recorded 43")]
    [InlineData("52:54:00:00:00:99", "42", "has MAC 52:54:00:aa:bb:cc, not the recorded 52:54:00:00:00:99")]
    public void Remove_WhenTheBridgesLiveIdentityDiffers_ShouldNotDeleteIt(string mac, string ifindex, string expected)
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(Network("forged", "<forward mode='bridge'/><bridge name='kbeth4'/>", "kbeth4", mac, ifindex));
        var bridges = Host();
        var ops = host.WithBridges(bridges);

        var warning = ops.Remove(ops.PlanRemove("forged", force: false));

        Assert.Empty(bridges.Undone);
        Assert.Null(host.Connection.GetNetwork("forged"));
        Assert.Contains(expected, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordWithoutIdentity_OrABridgeThatIsGone_ShouldNotBeActedOn()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(Network("old", "<forward mode='bridge'/><bridge name='kbeth4'/>", "kbeth4").Replace(" mac=\"52:54:00:aa:bb:cc\" ifindex=\"42\"", string.Empty, StringComparison.Ordinal));
        host.Connection.DefineNetwork(Network("gone", "<forward mode='bridge'/><bridge name='kbeth5'/>", "kbeth5", device: "eth5"));
        var bridges = Host();
        var ops = host.WithBridges(bridges);

        var old = ops.Remove(ops.PlanRemove("old", force: false));
        var gone = ops.Remove(ops.PlanRemove("gone", force: false));

        Assert.Empty(bridges.Undone);
        Assert.Contains("no identity (MAC and interface index)", old, StringComparison.Ordinal);
        Assert.Contains("no device 'kbeth5' exists", gone, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvergeAbsent_OfAForgedNetwork_ShouldRemoveOnlyTheNetworkAndReturnTheWarning()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork(Network("forged", "<ip address='10.254.1.1' prefix='24'/>", "br0"));
        var bridges = Host();
        var ops = host.WithBridges(bridges);

        var result = DesiredState.Converge(ops, new DesiredState { Name = "forged", Ensure = Ensure.Absent });

        Assert.Null(host.Connection.GetNetwork("forged"));
        Assert.Empty(bridges.Undone);
        Assert.Contains("not a bridge network", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_OfABridgeKimchiNetMade_ShouldStillUndoItWithTheRecordedIdentity()
    {
        using var host = new TestHost();
        var bridges = new FakeHostBridges();
        var ops = host.WithBridges(bridges);
        ops.Create(ops.PlanCreate(new NetworkSpec { Name = "real", Connection = ConnectionType.Bridge, Interfaces = ["eth0"], VlanId = 10 }), start: false);

        var xml = host.Connection.GetNetworkXml("real", inactive: true);
        Assert.Contains("mac=\"52:54:00:00:00:01\"", xml, StringComparison.Ordinal);
        Assert.Contains("ifindex=\"100\"", xml, StringComparison.Ordinal);
        var warning = ops.Remove(ops.PlanRemove("real", force: false));

        Assert.Null(warning);
        Assert.Equal("kbeth0.10", Assert.Single(bridges.Undone).CreatedBridge);
    }
}
