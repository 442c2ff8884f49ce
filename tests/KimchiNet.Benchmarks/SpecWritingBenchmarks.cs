using System.Collections.Generic;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Benchmarks;

/// <summary>
/// What New-KimchiNetwork and ConvertTo-KimchiNetworkXml do in memory for one specification, per
/// connection type: validate it, build the XML model, write the XML text.
/// </summary>
/// <remarks>
/// Baseline (the floor): cloning and serialising an XElement tree of exactly the document
/// KimchiNet writes, i.e. what producing that text with System.Xml.Linq costs at least, with no
/// rules checked. <see cref="Validate"/> alone shows the validator's share.
/// </remarks>
[MemoryDiagnoser]
public class SpecWritingBenchmarks
{
    private NetworkSpec _spec = null!;
    private NetworkBuildOptions _options = null!;
    private XElement _template = null!;

    [Params(ConnectionType.Isolated, ConnectionType.Nat, ConnectionType.Macvtap, ConnectionType.Bridge, ConnectionType.Vepa, ConnectionType.Passthrough)]
    public ConnectionType Connection { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _spec = Specs.For(Connection);
        _options = Connection is ConnectionType.Isolated or ConnectionType.Nat
            ? new NetworkBuildOptions { Subnet = Ipv4Subnet.Parse("192.168.122.0/24"), BridgeName = "knbr0" }
            : new NetworkBuildOptions();
        var errors = NetworkSpecValidator.Validate(_spec);
        if (errors.Count > 0)
        {
            throw new System.InvalidOperationException($"benchmark spec for {Connection} is invalid: {errors[0].Message}");
        }

        _template = XElement.Parse(NetworkXmlWriter.Write(NetworkXmlBuilder.Build(_spec, _options)));
    }

    [Benchmark(Baseline = true, Description = "floor: XElement clone + ToString")]
    public string XLinqFloor() => new XElement(_template).ToString();

    [Benchmark(Description = "Validate")]
    public IReadOnlyList<ValidationError> Validate() => NetworkSpecValidator.Validate(_spec);

    [Benchmark(Description = "Validate + Build + Write")]
    public string ValidateBuildWrite()
    {
        NetworkSpecValidator.ThrowIfInvalid(_spec);
        return NetworkXmlWriter.Write(NetworkXmlBuilder.Build(_spec, _options));
    }
}

/// <summary>Realistic specifications, one per connection type.</summary>
internal static class Specs
{
    public static NetworkSpec For(ConnectionType connection) => connection switch
    {
        ConnectionType.Isolated => new() { Name = "backend-isolated", Connection = connection },
        ConnectionType.Nat => new() { Name = "guests-nat", Connection = connection, Subnet = "192.168.122.0/24" },
        ConnectionType.Macvtap => new() { Name = "lan-macvtap", Connection = connection, Interfaces = ["eth1"] },
        ConnectionType.Bridge => new() { Name = "lan-bridge", Connection = connection, Interfaces = ["br0"], VlanId = 42 },
        ConnectionType.Vepa => new() { Name = "rack-vepa", Connection = connection, Interfaces = ["eth1", "eth2", "eth3", "eth4"] },
        ConnectionType.Passthrough => new() { Name = "sriov-passthrough", Connection = connection, Interfaces = ["eth1", "eth2", "eth3", "eth4", "eth5", "eth6", "eth7", "eth8"] },
        _ => throw new System.ArgumentOutOfRangeException(nameof(connection)),
    };
}
