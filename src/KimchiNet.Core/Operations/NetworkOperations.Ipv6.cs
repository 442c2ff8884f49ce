using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// Update of a network's IPv6 (<see cref="NetworkUpdate.ChangesIpv6"/>): its /64, DHCPv6 or router
/// advertisements only, and IPv6 NAT. None of it goes live: libvirt adds no &lt;ip&gt; to a running
/// network, so on an active network each needs -Restart.
/// </summary>
public sealed partial class NetworkOperations
{
    /// <summary>
    /// The edited XML with the update's IPv6 settings. The validator judges the values (KCHNET0126E,
    /// KCHNET0127E; -Ipv6Dhcp and -Ipv6Nat are judged with the network's own IPv6 subnet); a new /64
    /// is checked against the host (KCHNET0128E) and refused while the old one has reservations
    /// (KCHNET0166E); IPv6 NAT needs libvirt 6.5 (KCHNET0129E).
    /// </summary>
    private NetworkXml WithIpv6(NetworkXml edited, NetworkDescription description, NetworkUpdate update, HostFacts facts)
    {
        if (!update.ChangesIpv6)
        {
            return edited;
        }

        var name = DisplayText.Printable(description.Name);
        var connection = KnownConnection(description, "its IPv6 settings");

        var spec = new NetworkSpec
        {
            Name = description.Name,
            Connection = connection,
            Ipv6Subnet = update.Ipv6Subnet ?? description.Ipv6Subnet,
            Ipv6Dhcp = update.Ipv6Dhcp,
            Ipv6Nat = update.Ipv6Nat,
        };
        var errors = NetworkSpecValidator.Validate(spec).Where(e => e.ParameterName.StartsWith("Ipv6", StringComparison.Ordinal)).ToList();
        ValidationError.ThrowIfAny(errors);

        var ips = edited.Ips.ToList();
        var index = ips.FindIndex(ip => ip.Family == "ipv6");
        var old = index < 0 ? null : ips[index];
        if (update.Ipv6Subnet is not null)
        {
            var (subnet, globalId) = ResolveIpv6(spec, facts, planned: null, errors);
            if (subnet is { } six && old?.Dhcp?.Hosts.Count > 0 && !string.Equals(six.ToString(), description.Ipv6Subnet, StringComparison.Ordinal))
            {
                errors.Add(new(ErrorCodes.DhcpReservationsWithoutDhcp, "Ipv6Subnet", update.Ipv6Subnet,
                    $"The IPv6 subnet of network '{name}' cannot be changed: it has {old.Dhcp.Hosts.Count.ToString(CultureInfo.InvariantCulture)} IPv6 reservation(s). Remove them first (Remove-KimchiDhcpReservation).",
                    ErrorKind.InvalidState));
            }

            ValidationError.ThrowIfAny(errors);
            var built = NetworkXmlBuilder.Build(spec with { Subnet = null, Ipv6Dhcp = update.Ipv6Dhcp ?? description.Ipv6Dhcp }, new NetworkBuildOptions
            {
                Subnet = Ipv4Subnet.FromNetwork(0x0A000000, 24), // only the IPv6 <ip> of the result is taken
                Ipv6Subnet = subnet,
            }).Ips.Single(ip => ip.Family == "ipv6");
            var ip6 = old is null ? built : old with { Address = built.Address, Prefix = built.Prefix, Netmask = null, Dhcp = built.Dhcp };
            if (index < 0)
            {
                ips.Add(ip6);
            }
            else
            {
                ips[index] = ip6;
            }

            edited = edited with { Metadata = WithUlaGlobalId(edited.Metadata, globalId) };
            old = ip6;
            index = ips.IndexOf(ip6);
        }

        if (update.Ipv6Dhcp is { } dhcp6 && old is not null)
        {
            if (!dhcp6 && old.Dhcp?.Hosts.Count > 0)
            {
                throw new KimchiException(
                    ErrorCodes.DhcpReservationsWithoutDhcp,
                    ErrorKind.InvalidState,
                    $"DHCPv6 of network '{name}' cannot be turned off: it has {old.Dhcp.Hosts.Count.ToString(CultureInfo.InvariantCulture)} IPv6 reservation(s). Remove them first (Remove-KimchiDhcpReservation).",
                    description.Name);
            }

            Ipv6Subnet.TryParseAddress(old.Address, out var gateway);
            var subnet = Ipv6Subnet.FromAddress(gateway);
            ips[index] = old with
            {
                Dhcp = !dhcp6 ? null : old.Dhcp ?? new NetworkDhcpXml
                {
                    Ranges = [new NetworkDhcpRangeXml { Start = Ipv6Subnet.FormatAddress(subnet.DhcpStart), End = Ipv6Subnet.FormatAddress(subnet.DhcpEnd) }],
                },
            };
        }

        edited = edited with { Ips = ips };
        if (update.Ipv6Nat is { } nat6 && edited.Forward is { } forward)
        {
            if (nat6)
            {
                ValidationError.ThrowIfAny([.. Optional(CheckIpv6Nat())]);
            }

            var others = forward.OtherElements.Where(e => e.Name != "nat").ToList();
            var nat = forward.OtherElements.FirstOrDefault(e => e.Name == "nat") is { } existing ? new XElement(existing) : null;
            if (nat6)
            {
                nat ??= new XElement("nat");
                nat.SetAttributeValue("ipv6", "yes");
            }
            else
            {
                nat?.SetAttributeValue("ipv6", null);
                if (nat is { HasAttributes: false, HasElements: false })
                {
                    nat = null;
                }
            }

            edited = edited with { Forward = forward with { OtherElements = nat is null ? others : [nat, .. others] } };
        }

        return edited;
    }

    /// <summary>KCHNET0129E when the host's libvirt is older than 6.5, which first takes &lt;nat ipv6='yes'/&gt;; null otherwise.</summary>
    private ValidationError? CheckIpv6Nat() => LibraryVersion >= MinIpv6NatVersion
        ? null
        : new(ErrorCodes.Ipv6NatUnsupported, "Ipv6Nat", true,
            $"-Ipv6Nat needs libvirt {MinIpv6NatVersion} or later (<nat ipv6='yes'/>); host '{DisplayText.Printable(_connection.Uri)}' runs libvirt {LibraryVersion}. Leave -Ipv6Nat out: the network's IPv6 is then routed.",
            ErrorKind.NotSupported);

    /// <summary>The metadata with the unique-local global ID recorded (or its record dropped when <paramref name="globalId"/> is null).</summary>
    private static NetworkMetadataXml? WithUlaGlobalId(NetworkMetadataXml? metadata, ulong? globalId)
    {
        var text = globalId is { } id ? UlaPlanner.FormatGlobalId(id) : null;
        if (metadata?.KimchiNet is { } record)
        {
            return metadata with { KimchiNet = record with { UlaGlobalId = text } };
        }

        return text is null ? metadata : (metadata ?? new NetworkMetadataXml()) with { KimchiNet = new NetworkMetadataKimchiNetXml { UlaGlobalId = text } };
    }

    /// <summary>The update's IPv6 settings as a plan's description says them.</summary>
    private static IEnumerable<(string Property, string Text)> DescribeIpv6(NetworkUpdate update, NetworkXml edited)
    {
        if (update.Ipv6Subnet is not null)
        {
            yield return (nameof(NetworkUpdate.Ipv6Subnet), $"set IPv6 subnet {NetworkDescriptions.FromXml(edited).Ipv6Subnet}");
        }

        if (update.Ipv6Dhcp is { } dhcp)
        {
            yield return (nameof(NetworkUpdate.Ipv6Dhcp), dhcp ? "turn DHCPv6 on" : "serve IPv6 by router advertisements only (SLAAC)");
        }

        if (update.Ipv6Nat is { } nat)
        {
            yield return (nameof(NetworkUpdate.Ipv6Nat), nat ? "turn IPv6 NAT on" : "turn IPv6 NAT off (IPv6 routed)");
        }
    }
}
