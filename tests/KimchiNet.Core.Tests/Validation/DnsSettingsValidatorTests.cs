using System;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Validation;

namespace KimchiNet.Core.Tests.Validation;

/// <summary>The DNS rules of a network specification (KCHNET0122E-0125E, 0176E).</summary>
public sealed class DnsSettingsValidatorTests
{
    private static NetworkSpec Nat(string? subnet = "10.1.1.0/24") => new() { Name = "net", Connection = ConnectionType.Nat, Subnet = subnet };

    private static DnsHostRecord[] Hosts(params string[] texts) => texts.Select(DnsHostRecord.Parse).ToArray();

    private static string[] Codes(NetworkSpec spec) => NetworkSpecValidator.Validate(spec).Select(e => e.Code).ToArray();

    [Fact]
    public void Validate_ValidDnsSettings_ShouldFindNothing()
    {
        var spec = Nat() with
        {
            DnsHosts = Hosts("10.1.1.5=web,www", "10.1.1.6=db.lab", "fd00::5=v6host"),
            DnsForwarders = [DnsForwarder.Parse("192.0.2.53"), DnsForwarder.Parse("corp.example=10.0.0.53"), DnsForwarder.Parse("local.example=")],
            Domain = "lab.example",
            DomainLocalOnly = true,
        };

        Assert.Empty(NetworkSpecValidator.Validate(spec));
    }

    [Theory]
    [InlineData("10.1.2.5=web", "outside the network's subnet 10.1.1.0/24")]
    [InlineData("10.1.1=web", "no IPv4 or IPv6 address")]
    [InlineData("host=web", "no IPv4 or IPv6 address")]
    [InlineData("10.1.1.5", "has no name")]
    [InlineData("10.1.1.5=", "has no name")]
    [InlineData("10.1.1.5=-web", "'-web' is not a DNS name")]
    [InlineData("10.1.1.5=we_b", "'we_b' is not a DNS name")]
    [InlineData("10.1.1.5=a..b", "'a..b' is not a DNS name")]
    public void Validate_BadDnsHost_ShouldThrowKCHNET0122E(string record, string reason)
    {
        var errors = NetworkSpecValidator.Validate(Nat() with { DnsHosts = Hosts(record) });

        var error = Assert.Single(errors);
        Assert.Equal((ErrorCodes.InvalidDnsHost, "DnsHost"), (error.Code, error.ParameterName));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LabelOf64Characters_ShouldThrowKCHNET0122E()
    {
        Assert.Equal([ErrorCodes.InvalidDnsHost], Codes(Nat() with { DnsHosts = Hosts("10.1.1.5=" + new string('a', 64)) }));
        Assert.Empty(Codes(Nat() with { DnsHosts = Hosts("10.1.1.5=" + new string('a', 63)) }));
    }

    [Fact]
    public void Validate_WithoutSubnet_ShouldTakeAnyValidAddress()
    {
        Assert.Empty(Codes(Nat(subnet: null) with { DnsHosts = Hosts("172.16.9.9=far") }));
    }

    [Theory]
    [InlineData("10.1.1.5=web", "10.1.1.5=www")]
    [InlineData("10.1.1.5=web", "10.1.1.6=WEB")]
    [InlineData("10.1.1.5=web,web", null)]
    public void Validate_DuplicateAddressOrName_ShouldThrowKCHNET0123E(string first, string? second)
    {
        var hosts = second is null ? Hosts(first) : Hosts(first, second);

        Assert.Equal([ErrorCodes.DuplicateDnsHost], Codes(Nat() with { DnsHosts = hosts }));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("bad_domain=10.0.0.1")]
    [InlineData("corp.example=999.0.0.1")]
    [InlineData("=")]
    public void Validate_BadForwarder_ShouldThrowKCHNET0124E(string forwarder)
    {
        var error = Assert.Single(NetworkSpecValidator.Validate(Nat() with { DnsForwarders = [DnsForwarder.Parse(forwarder)] }));

        Assert.Equal((ErrorCodes.InvalidDnsSetting, "DnsForwarder"), (error.Code, error.ParameterName));
    }

    [Fact]
    public void Validate_BadDomainOrLocalOnlyWithoutDomain_ShouldThrowKCHNET0124E()
    {
        Assert.Equal([ErrorCodes.InvalidDnsSetting], Codes(Nat() with { Domain = "lab_example" }));
        Assert.Equal([ErrorCodes.InvalidDnsSetting], Codes(Nat() with { DomainLocalOnly = true }));
        Assert.Empty(Codes(Nat() with { DomainLocalOnly = false }));
    }

    [Theory]
    [InlineData(ConnectionType.Bridge)]
    [InlineData(ConnectionType.Macvtap)]
    [InlineData(ConnectionType.Vepa)]
    [InlineData(ConnectionType.Passthrough)]
    public void Validate_DnsOnATypeWithoutLibvirtsDnsmasq_ShouldThrowKCHNET0125EPerParameter(ConnectionType connection)
    {
        var spec = new NetworkSpec
        {
            Name = "net",
            Connection = connection,
            Interfaces = ["eth1"],
            DnsHosts = Hosts("10.1.1.5=web"),
            DnsForwarders = [DnsForwarder.Parse("192.0.2.53")],
            Domain = "lab.example",
            DomainLocalOnly = true,
            Dns = false,
        };

        var dns = NetworkSpecValidator.Validate(spec).Where(e => e.Code == ErrorCodes.DnsNotAllowed).Select(e => e.ParameterName).ToArray();

        Assert.Equal(["DnsHost", "DnsForwarder", "Domain", "DomainLocalOnly", "Dns"], dns);
    }

    [Theory]
    [InlineData(ConnectionType.Nat)]
    [InlineData(ConnectionType.Isolated)]
    [InlineData(ConnectionType.Routed)]
    [InlineData(ConnectionType.Open)]
    public void Validate_DnsOffOnATypeWithDnsmasq_ShouldBeValid(ConnectionType connection)
    {
        var spec = new NetworkSpec { Name = "net", Connection = connection, Subnet = "10.1.1.0/24", Interfaces = connection == ConnectionType.Routed ? ["eth1"] : null, Dns = false, Domain = "lab.example" };

        Assert.Empty(NetworkSpecValidator.Validate(spec));
    }

    [Fact]
    public void Validate_DnsOffWithRecordsForwardersOrLocalOnly_ShouldThrowKCHNET0176EForEach()
    {
        var spec = Nat() with
        {
            Dns = false,
            DnsHosts = Hosts("10.1.1.5=web"),
            DnsForwarders = [DnsForwarder.Parse("192.0.2.53")],
            Domain = "lab.example",
            DomainLocalOnly = true,
        };

        var errors = NetworkSpecValidator.Validate(spec);

        Assert.Equal(
            [("DnsHost", ErrorCodes.DnsSettingsWithoutDns), ("DnsForwarder", ErrorCodes.DnsSettingsWithoutDns), ("DomainLocalOnly", ErrorCodes.DnsSettingsWithoutDns)],
            errors.Select(e => (e.ParameterName, e.Code)).ToArray());
    }

    [Fact]
    public void Parse_RecordAndForwarderTexts_ShouldReadEachForm()
    {
        var record = DnsHostRecord.Parse(" 10.1.1.5 = web , www ");
        Assert.Equal("10.1.1.5", record.Address);
        Assert.Equal(["web", "www"], record.Names);
        Assert.Equal("10.1.1.5=web,www", record.ToString());
        Assert.Equal(DnsHostRecord.Parse("10.1.1.5=WEB,www"), record);

        Assert.Equal((null, "192.0.2.1"), (DnsForwarder.Parse("192.0.2.1").Domain, DnsForwarder.Parse("192.0.2.1").Address));
        Assert.Equal(("corp.example", "10.0.0.53"), (DnsForwarder.Parse("corp.example=10.0.0.53").Domain, DnsForwarder.Parse("corp.example=10.0.0.53").Address));
        Assert.Equal(("local.example", null), (DnsForwarder.Parse("local.example=").Domain, DnsForwarder.Parse("local.example=").Address));
        Assert.Equal("local.example=", DnsForwarder.Parse("local.example=").ToString());
    }
}
