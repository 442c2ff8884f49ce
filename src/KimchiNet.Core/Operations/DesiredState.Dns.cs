using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Validation;

namespace KimchiNet.Operations;

/// <summary>A desired state's DNS: host records, forwarders, the domain and its local-only flag, DNS on or off.</summary>
public sealed partial record DesiredState
{
    /// <summary>The DNS host records the network should have (compared as a set), or null for any.</summary>
    public IReadOnlyList<DnsHostRecord>? DnsHosts { get; init; }

    /// <summary>The DNS forwarders the network should have (compared as a set), or null for any.</summary>
    public IReadOnlyList<DnsForwarder>? DnsForwarders { get; init; }

    /// <summary>The DNS domain the network should have, or null for any.</summary>
    public string? Domain { get; init; }

    /// <summary>Whether names under the domain should be answered only locally, or null for either.</summary>
    public bool? DomainLocalOnly { get; init; }

    /// <summary>Whether the network should answer DNS, or null for either.</summary>
    public bool? Dns { get; init; }

    /// <summary>The state with its DNS settings; an empty list or text means "any" (null), as elsewhere in a desired state.</summary>
    public DesiredState WithDns(IReadOnlyList<DnsHostRecord>? hosts, IReadOnlyList<DnsForwarder>? forwarders, string? domain, bool? domainLocalOnly, bool? dns) => this with
    {
        DnsHosts = hosts is { Count: > 0 } ? hosts : null,
        DnsForwarders = forwarders is { Count: > 0 } ? forwarders : null,
        Domain = string.IsNullOrEmpty(domain) ? null : domain,
        DomainLocalOnly = domainLocalOnly,
        Dns = dns,
    };

    /// <summary>True when any DNS setting is desired.</summary>
    private bool GivesDns => DnsHosts is not null || DnsForwarders is not null || Domain is not null || DomainLocalOnly is not null || Dns is not null;

    /// <summary>The DNS rules (KCHNET0122E-0125E, 0176E) over the DNS settings desired, judged as a <paramref name="connection"/> network in the desired subnet, else the network's.</summary>
    private static IEnumerable<ValidationError> JudgeDns(DesiredState desired, ConnectionType connection, KimchiNetworkInfo? actual) =>
        !desired.GivesDns
            ? []
            : DnsSettingsValidator.Validate(new NetworkSpec
            {
                Name = desired.Name,
                Connection = connection,
                Subnet = desired.Subnet ?? actual?.Subnet,
                DnsHosts = desired.DnsHosts,
                DnsForwarders = desired.DnsForwarders,
                Domain = desired.Domain,
                DomainLocalOnly = desired.DomainLocalOnly,
                Dns = desired.Dns,
            });

    /// <summary>Each desired DNS setting that differs: records and forwarders as sets (shown as 'ADDRESS=NAME,NAME' and 'DOMAIN=ADDRESS' texts), the domain without case.</summary>
    private static IEnumerable<DesiredStateDifference> CompareDns(DesiredState desired, KimchiNetworkInfo actual)
    {
        var name = desired.Name;
        if (desired.DnsHosts is { } hosts && !(hosts.Count == actual.DnsHosts.Count && hosts.All(actual.DnsHosts.Contains)))
        {
            yield return new(name, nameof(DnsHosts), Texts(hosts), Texts(actual.DnsHosts));
        }

        if (desired.DnsForwarders is { } forwarders
            && !new HashSet<string>(forwarders.Select(f => f.ToString()), StringComparer.OrdinalIgnoreCase).SetEquals(actual.DnsForwarders.Select(f => f.ToString())))
        {
            yield return new(name, nameof(DnsForwarders), Texts(forwarders), Texts(actual.DnsForwarders));
        }

        if (desired.Domain is { } domain && !string.Equals(domain, actual.Domain, StringComparison.OrdinalIgnoreCase))
        {
            yield return new(name, nameof(Domain), domain, actual.Domain);
        }

        if (desired.DomainLocalOnly is { } localOnly && localOnly != (actual.DomainLocalOnly ?? false))
        {
            yield return new(name, nameof(DomainLocalOnly), localOnly, actual.DomainLocalOnly ?? false);
        }

        if (desired.Dns is { } dns && dns != (actual.Dns ?? false))
        {
            yield return new(name, nameof(Dns), dns, actual.Dns ?? false);
        }
    }

    private static string[] Texts<T>(IEnumerable<T> items) => items.Select(i => i?.ToString() ?? string.Empty).ToArray();
}
