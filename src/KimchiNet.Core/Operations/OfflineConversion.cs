using System;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// Turns a specification into libvirt network XML with no host at hand (ConvertTo-KimchiNetworkXml).
/// It validates exactly as creation on a host does; what only a host can decide is fixed by two
/// offline rules: a Bridge network's device is taken to be an existing Linux bridge, and a nat or
/// isolated network must be given its subnet (and an IPv6 /64 rather than 'auto'), since there are no networks to plan one around.
/// </summary>
public static class OfflineConversion
{
    /// <summary>The XML libvirt would be given for <paramref name="spec"/>; throws <see cref="KimchiException"/> for bad input.</summary>
    public static string ToXml(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        NetworkSpecValidator.ThrowIfInvalid(spec);

        Ipv4Subnet? subnet = null;
        string? bridge = null;
        if (spec.Connection.HasSubnet())
        {
            if (spec.Subnet is null)
            {
                throw new KimchiException(
                    ErrorCodes.MalformedSubnet,
                    ErrorKind.InvalidInput,
                    $"A {spec.Connection.ToKimchiName()} network needs a subnet when converted offline: there is no host to plan a free one on. Give one, for example 192.168.5.0/24.",
                    spec.Subnet);
            }

            subnet = Ipv4Subnet.Parse(spec.Subnet);
            if (spec.PlansIpv6Subnet)
            {
                throw new KimchiException(
                    ErrorCodes.InvalidIpv6Subnet,
                    ErrorKind.InvalidInput,
                    $"-Ipv6Subnet auto cannot be converted offline: the unique-local /64 is planned on a host, around its networks and under its own global ID. Give a /64, for example fd12:3456:789a:1::/64.",
                    spec.Ipv6Subnet);
            }
        }
        else if (spec.Connection == ConnectionType.Bridge)
        {
            bridge = spec.InterfacesOrEmpty[0];
            if (spec.VlanId is { } vlan)
            {
                throw new KimchiException(
                    ErrorCodes.VlanOnVlan,
                    ErrorKind.InvalidInput,
                    $"Offline, '{bridge}' is taken to be an existing Linux bridge, and a bridge cannot be the trunk of VLAN {vlan}. Create the network on a host with New-KimchiNetwork, where a NIC or bond gets its own VLAN bridge.",
                    vlan);
            }
        }

        var xml = NetworkXmlBuilder.Build(spec, new NetworkBuildOptions { Subnet = subnet, BridgeName = bridge });
        return NetworkXmlWriter.Write(xml);
    }
}
