using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// Update of a network's DNS (nat, isolated, routed, open): host records, forwarders, the domain and
/// its local-only flag, DNS on or off (<see cref="NetworkUpdate.ChangesDns"/>). On an active network
/// the host records change live (virNetworkUpdate section dns-host); the rest needs a restart.
/// </summary>
public sealed partial class NetworkOperations
{
    private static readonly string[] s_dnsParameters = ["DnsHost", "DnsForwarder", "Domain", "DomainLocalOnly", "Dns"];

    /// <summary>
    /// The edited XML with the update's DNS settings. The merged settings (the network's, overlaid by
    /// the update, with the network's subnet after the update) are judged by
    /// <see cref="DnsSettingsValidator"/> on the parameters the update gives, and KCHNET0176E whenever
    /// DNS off meets records, forwarders or a local-only domain. Records and forwarders replace the
    /// network's (an unchanged one keeps its element as it was); TXT, SRV and every other part of
    /// &lt;dns&gt; and &lt;domain&gt; stay. A network of a kind KimchiNet cannot edit: KCHNET0012E.
    /// </summary>
    private static NetworkXml WithDnsSettings(NetworkXml edited, NetworkDescription description, NetworkUpdate update)
    {
        if (!update.ChangesDns)
        {
            return edited;
        }

        var connection = KnownConnection(description, "its DNS settings");

        var now = NetworkDescriptions.FromXml(edited);
        var merged = new NetworkSpec
        {
            Name = description.Name,
            Connection = connection,
            Subnet = now.Subnet,
            DnsHosts = update.DnsHosts ?? (connection.HasSubnet() ? now.DnsHosts : null),
            DnsForwarders = update.DnsForwarders ?? (connection.HasSubnet() ? now.DnsForwarders : null),
            Domain = update.Domain ?? (connection.HasSubnet() ? now.Domain : null),
            DomainLocalOnly = update.DomainLocalOnly ?? (now.DomainLocalOnly == true && connection.HasSubnet() ? true : null),
            Dns = update.Dns ?? (now.Dns == false ? false : null),
        };
        var given = new HashSet<string>(StringComparer.Ordinal);
        AddIf(given, update.DnsHosts is not null, "DnsHost");
        AddIf(given, update.DnsForwarders is not null, "DnsForwarder");
        AddIf(given, update.Domain is not null, "Domain");
        AddIf(given, update.DomainLocalOnly is not null, "DomainLocalOnly");
        AddIf(given, update.Dns is not null, "Dns");
        ValidationError.ThrowIfAny(DnsSettingsValidator.Validate(merged)
            .Where(e => e.Code == ErrorCodes.DnsSettingsWithoutDns || (given.Contains(e.ParameterName) && s_dnsParameters.Contains(e.ParameterName)))
            .ToArray());

        var dns = edited.Dns ?? new NetworkDnsXml();
        if (update.DnsHosts is { } hosts)
        {
            dns = dns with
            {
                Hosts = hosts.Select(h => dns.Hosts.FirstOrDefault(x => ToRecord(x).Equals(h)) ?? NetworkXmlBuilder.ToXml(h)).ToArray(),
            };
        }

        if (update.DnsForwarders is { } forwarders)
        {
            dns = dns with
            {
                Forwarders = forwarders.Select(f => dns.Forwarders.FirstOrDefault(x => x.Addr == f.Address && x.Domain == f.Domain)
                    ?? new NetworkDnsForwarderXml { Addr = f.Address, Domain = f.Domain }).ToArray(),
            };
        }

        if (update.Dns is { } on)
        {
            dns = dns with { Enable = on ? null : "no" };
        }

        var domain = edited.Domain;
        if (update.Domain is { } name)
        {
            domain = (domain ?? new NetworkDomainXml()) with { Name = name };
        }

        if (update.DomainLocalOnly is { } localOnly && domain is not null)
        {
            domain = domain with { LocalOnly = localOnly ? "yes" : null };
        }

        var empty = dns is { Enable: null, Forwarders.Count: 0, Hosts.Count: 0, OtherAttributes.Count: 0, OtherElements.Count: 0 };
        return edited with { Dns = empty ? null : dns, Domain = domain };
    }

    /// <summary>
    /// The dns-host calls that turn the running network's DNS host records into the edited ones: the
    /// records that go (or change: libvirt 9.0 modifies none) are deleted first, then the new ones added,
    /// since libvirt refuses to add a record whose address or a name another record still has.
    /// </summary>
    private static IEnumerable<LiveNetworkEdit> DnsHostEdits(NetworkXml current, NetworkXml edited)
    {
        var before = current.Dns?.Hosts ?? [];
        var after = edited.Dns?.Hosts ?? [];
        var gone = before.Where(b => !after.Any(a => ToRecord(a).Equals(ToRecord(b))));
        var come = after.Where(a => !before.Any(b => ToRecord(a).Equals(ToRecord(b))));
        return gone.Select(h => new LiveNetworkEdit(NetworkUpdateCommand.Delete, NetworkUpdateSection.DnsHost, -1, NetworkXmlWriter.WriteDnsHost(h)))
            .Concat(come.Select(h => new LiveNetworkEdit(NetworkUpdateCommand.Add, NetworkUpdateSection.DnsHost, -1, NetworkXmlWriter.WriteDnsHost(h))))
            .ToArray();
    }

    /// <summary>The update's DNS settings as a plan's description says them; records as added and removed against the network's current ones.</summary>
    private static IEnumerable<(string Property, string Text)> DescribeDns(NetworkUpdate update, string oldXml)
    {
        if (!update.ChangesDns)
        {
            yield break;
        }

        var current = NetworkDescriptions.FromXml(NetworkXmlReader.Read(oldXml));
        if (update.DnsHosts is { } hosts)
        {
            var added = hosts.Where(h => !current.DnsHosts.Contains(h)).ToArray();
            var removed = current.DnsHosts.Where(h => !hosts.Contains(h)).ToArray();
            var parts = added.Select(h => $"add DNS host {DisplayText.Printable(h.ToString())}")
                .Concat(removed.Select(h => $"remove DNS host {DisplayText.Printable(h.ToString())}"))
                .ToArray();
            yield return (nameof(NetworkUpdate.DnsHosts), parts.Length == 0 ? "keep the DNS host records" : string.Join(", ", parts));
        }

        if (update.DnsForwarders is { } forwarders)
        {
            yield return (nameof(NetworkUpdate.DnsForwarders), forwarders.Count == 0
                ? "remove the DNS forwarders"
                : "set DNS forwarders " + string.Join(", ", forwarders.Select(f => DisplayText.Printable(f.ToString()))));
        }

        if (update.Domain is { } domain)
        {
            yield return (nameof(NetworkUpdate.Domain), $"set domain {DisplayText.Printable(domain)}");
        }

        if (update.DomainLocalOnly is { } localOnly)
        {
            yield return (nameof(NetworkUpdate.DomainLocalOnly), localOnly ? "answer the domain only locally" : "forward the domain's unknown names");
        }

        if (update.Dns is { } on)
        {
            yield return (nameof(NetworkUpdate.Dns), on ? "turn DNS on" : "turn DNS off");
        }
    }

    private static DnsHostRecord ToRecord(NetworkDnsHostXml host) => new() { Address = host.Ip ?? string.Empty, Names = host.Hostnames };

    private static void AddIf(HashSet<string> set, bool condition, string value)
    {
        if (condition)
        {
            set.Add(value);
        }
    }
}
