using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// DNS of a network created, updated (inactive and live) and compared on the test driver (demo host:
/// 'default' is an active nat network on 192.168.122.0/24, used by the running guest web01).
/// </summary>
[Collection(LibvirtCollection.Name)]
public sealed class NetworkDnsUpdateTests
{
    private static readonly DnsHostRecord s_web = DnsHostRecord.Parse("192.168.122.5=web,www");
    private static readonly DnsHostRecord s_db = DnsHostRecord.Parse("192.168.122.6=db");

    [Fact]
    public void Create_WithDnsSettings_ShouldDefineThemAndReadThemBack()
    {
        using var host = new TestHost();
        var spec = new NetworkSpec
        {
            Name = "dnsnet",
            Connection = ConnectionType.Isolated,
            Subnet = "10.83.0.0/24",
            DnsHosts = [DnsHostRecord.Parse("10.83.0.5=web")],
            DnsForwarders = [DnsForwarder.Parse("corp.example=10.83.0.53")],
            Domain = "lab.example",
            DomainLocalOnly = true,
        };

        var info = host.Ops.Create(host.Ops.PlanCreate(spec), start: false);

        Assert.True(info.Dns);
        Assert.Equal(["10.83.0.5=web"], info.DnsHosts.Select(h => h.ToString()).ToArray());
        Assert.Equal(["corp.example=10.83.0.53"], info.DnsForwarders.Select(f => f.ToString()).ToArray());
        Assert.Equal(("lab.example", (bool?)true), (info.Domain, info.DomainLocalOnly));
    }

    [Fact]
    public void PlanUpdate_DnsHostsOfActiveNetwork_ShouldGoLiveWithOneAddPerNewRecord()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate { DnsHosts = [s_web, s_db] }, restart: false);

        Assert.Equal(before, host.Snapshot());
        Assert.False(plan.Restart);
        Assert.Equal("Add DNS host 192.168.122.5=web,www, add DNS host 192.168.122.6=db (live)", plan.Description);
        Assert.Equal([("DnsHosts", true)], plan.Changes.Select(c => (c.Property, c.Live)).ToArray());
    }

    [Fact]
    public void Update_DnsHostsOfActiveNetwork_ShouldChangeTheRunningNetworkAndItsDefinition()
    {
        using var host = new TestHost();

        var info = host.Ops.Update(host.Ops.PlanUpdate("default", new NetworkUpdate { DnsHosts = [s_web, s_db] }, restart: false));
        var changed = host.Ops.Update(host.Ops.PlanUpdate("default", new NetworkUpdate { DnsHosts = [DnsHostRecord.Parse("192.168.122.6=db,database")] }, restart: false));

        Assert.Equal(NetworkState.Active, info.State);
        Assert.Equal(["192.168.122.5=web,www", "192.168.122.6=db"], info.DnsHosts.Select(h => h.ToString()).ToArray());
        Assert.Equal(["192.168.122.6=db,database"], changed.DnsHosts.Select(h => h.ToString()).ToArray());
        var live = host.Connection.GetNetworkXml("default");
        Assert.Contains("<hostname>database</hostname>", live, StringComparison.Ordinal);
        Assert.DoesNotContain("www", live, StringComparison.Ordinal);
        Assert.Contains("<hostname>database</hostname>", host.Connection.GetNetworkXml("default", inactive: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DnsForwarders")]
    [InlineData("Domain")]
    [InlineData("DomainLocalOnly")]
    [InlineData("Dns")]
    public void PlanUpdate_DnsSettingLibvirtCannotChangeLive_ShouldThrowKCHNET0170E(string property)
    {
        using var host = new TestHost();
        var update = property switch
        {
            "DnsForwarders" => new NetworkUpdate { DnsForwarders = [DnsForwarder.Parse("192.0.2.53")] },
            "Domain" => new NetworkUpdate { Domain = "lab.example" },
            "DomainLocalOnly" => new NetworkUpdate { Domain = "lab.example", DomainLocalOnly = true },
            _ => new NetworkUpdate { Dns = false },
        };

        var error = host.Refused(() => host.Ops.PlanUpdate("default", update, restart: false));

        Assert.Equal(ErrorCodes.UpdateNeedsRestart, error.Code);
        Assert.Contains($"({property})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanUpdate_LiveRecordsAndARestartChange_ShouldSayWhichIsWhich()
    {
        using var host = new TestHost();

        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate { DnsHosts = [s_db], Domain = "lab.example" }, restart: true);

        Assert.True(plan.Restart);
        Assert.Equal("Add DNS host 192.168.122.6=db (live), set domain lab.example (needs a restart)", plan.Description);
    }

    [Fact]
    public void PlanUpdate_BadRecordsOnActiveNetwork_ShouldThrowTheRuleCodeAndChangeNothing()
    {
        using var host = new TestHost();
        var before = host.Snapshot();

        var outside = host.Refused(() => host.Ops.PlanUpdate("default", new NetworkUpdate { DnsHosts = [DnsHostRecord.Parse("10.9.9.9=far")] }, restart: false));
        var twice = host.Refused(() => host.Ops.PlanUpdate("default", new NetworkUpdate { DnsHosts = [s_web, DnsHostRecord.Parse("192.168.122.7=WEB")] }, restart: false));

        Assert.Equal(ErrorCodes.InvalidDnsHost, outside.Code);
        Assert.Equal(ErrorCodes.DuplicateDnsHost, twice.Code);
        Assert.Equal(before, host.Snapshot());
    }

    [Fact]
    public void PlanUpdate_DnsOffWhileTheNetworkHasRecords_ShouldThrowKCHNET0176E()
    {
        using var host = new TestHost();
        host.Ops.Update(host.Ops.PlanUpdate("default", new NetworkUpdate { DnsHosts = [s_web] }, restart: false));

        var error = host.Refused(() => host.Ops.PlanUpdate("default", new NetworkUpdate { Dns = false }, restart: true));
        var plan = host.Ops.PlanUpdate("default", new NetworkUpdate { Dns = false, DnsHosts = [] }, restart: true);

        Assert.Equal(ErrorCodes.DnsSettingsWithoutDns, error.Code);
        Assert.Contains("<dns enable=\"no\" />", plan.NewXml, StringComparison.Ordinal);
        Assert.DoesNotContain("<host ip=", plan.NewXml, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanUpdate_DnsOnABridgeNetwork_ShouldThrowKCHNET0125E()
    {
        using var host = new TestHost();
        host.Connection.DefineNetwork("<network><name>hostbr</name><forward mode='bridge'/><bridge name='br0'/></network>");

        var error = host.Refused(() => host.Ops.PlanUpdate("hostbr", new NetworkUpdate { DnsHosts = [s_web] }));

        Assert.Equal(ErrorCodes.DnsNotAllowed, error.Code);
    }

    [Fact]
    public void Compare_DnsSettings_ShouldCompareRecordsAsASetAndReportEachDifference()
    {
        using var host = new TestHost();
        host.Ops.Update(host.Ops.PlanUpdate("default", new NetworkUpdate { DnsHosts = [s_web, s_db] }, restart: false));
        var actual = host.Ops.Get(n => n == "default").Single();

        var same = DesiredState.From("default").WithDns([s_db, DnsHostRecord.Parse("192.168.122.5=WEB,www")], null, null, null, true);
        var other = DesiredState.From("default").WithDns([s_db], [DnsForwarder.Parse("192.0.2.53")], "lab.example", true, null);
        var off = DesiredState.From("default").WithDns(null, null, null, null, false);

        Assert.Empty(DesiredState.Compare(same, actual));
        Assert.Equal(
            ["DnsHosts", "DnsForwarders", "Domain", "DomainLocalOnly"],
            DesiredState.Compare(other, actual).Select(d => d.Property).ToArray());
        var dns = Assert.Single(DesiredState.Compare(off, actual));
        Assert.Equal(("Dns", (object?)false, (object?)true), (dns.Property, dns.Desired, dns.Actual));
    }
}
