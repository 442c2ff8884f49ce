using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using KimchiNet.Model;
using KimchiNet.Planning;

namespace KimchiNet.Validation;

/// <summary>
/// The rules of a network's DNS settings (host records, forwarders, domain, DNS on or off), judged
/// without a host: KCHNET0122E a bad host record, KCHNET0123E an address or name twice, KCHNET0124E a
/// bad forwarder or domain, KCHNET0125E DNS on a type without libvirt's own dnsmasq, KCHNET0176E
/// records, forwarders or a local-only domain with DNS off.
/// </summary>
public static class DnsSettingsValidator
{
    /// <summary>The longest DNS name (RFC 1035), without a trailing dot.</summary>
    public const int MaxNameLength = 253;

    /// <summary>The longest DNS label (RFC 1035).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// Every rule the spec's DNS settings break. A host record's IPv4 address must lie inside the
    /// spec's subnet when the spec has one that parses; an IPv6 address must be a valid one.
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<ValidationError>();
        if (!spec.Connection.HasSubnet())
        {
            foreach (var (parameter, value) in Given(spec))
            {
                errors.Add(new(ErrorCodes.DnsNotAllowed, parameter, value, $"-{parameter} is not valid for a {spec.Connection.ToKimchiName()} network: only nat, isolated, routed and open networks have a DNS service (dnsmasq) of libvirt's own."));
            }

            return errors;
        }

        if (spec.Dns == false)
        {
            foreach (var (parameter, value) in Given(spec).Where(g => g.Parameter is "DnsHost" or "DnsForwarder" || (g.Parameter == "DomainLocalOnly" && spec.DomainLocalOnly == true)))
            {
                errors.Add(new(ErrorCodes.DnsSettingsWithoutDns, parameter, value, $"-{parameter} cannot be given with -Dns $false: a network without DNS has no host records, forwarders or local-only domain."));
            }
        }

        Ipv4Subnet? subnet = spec.Subnet is not null && Ipv4Subnet.TryParse(spec.Subnet, out var parsed, out _) ? parsed : null;
        CheckHosts(spec.DnsHosts ?? [], subnet, errors);
        CheckForwarders(spec.DnsForwarders ?? [], errors);
        if (spec.Domain is { } domain && !IsDnsName(domain))
        {
            errors.Add(new(ErrorCodes.InvalidDnsSetting, "Domain", domain, $"Domain '{DisplayText.Printable(domain)}' is not a DNS name: {NameRule}, as in lab.example."));
        }

        if (spec.DomainLocalOnly == true && spec.Domain is null)
        {
            errors.Add(new(ErrorCodes.InvalidDnsSetting, "DomainLocalOnly", true, "-DomainLocalOnly needs -Domain: it says that the names under that domain are answered only by the network's dnsmasq."));
        }

        return errors;
    }

    /// <summary>KCHNET0122E and KCHNET0123E for the records (each address once, each name once, a valid address, at least one valid name).</summary>
    public static void CheckHosts(IReadOnlyList<DnsHostRecord> hosts, Ipv4Subnet? subnet, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(errors);
        var addresses = new HashSet<IPAddress>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var host in hosts)
        {
            var shown = DisplayText.Printable(host?.ToString());
            if (host is null)
            {
                errors.Add(new(ErrorCodes.InvalidDnsHost, "DnsHost", null, "A DNS host record is empty: write it as 'ADDRESS=NAME[,NAME...]', as in '10.1.1.5=web,www'."));
                continue;
            }

            if (!IPAddress.TryParse(host.Address, out var address) || !IsPlainAddress(host.Address, address))
            {
                errors.Add(new(ErrorCodes.InvalidDnsHost, "DnsHost", host.ToString(), $"DNS host record '{shown}' is not valid: '{DisplayText.Printable(host.Address)}' is no IPv4 or IPv6 address. Write it as 'ADDRESS=NAME[,NAME...]', as in '10.1.1.5=web,www'."));
            }
            else if (subnet is { } s && address.AddressFamily == AddressFamily.InterNetwork
                && Ipv4Subnet.TryParseAddress(host.Address, out var v4) && !s.Contains(v4))
            {
                errors.Add(new(ErrorCodes.InvalidDnsHost, "DnsHost", host.ToString(), $"DNS host record '{shown}' is not valid: address {DisplayText.Printable(host.Address)} is outside the network's subnet {s}."));
            }
            else if (!addresses.Add(address))
            {
                errors.Add(new(ErrorCodes.DuplicateDnsHost, "DnsHost", host.ToString(), $"DNS host record '{shown}' has the address {address} of another record: give all of an address's names in one record."));
            }

            if (host.Names.Count == 0)
            {
                errors.Add(new(ErrorCodes.InvalidDnsHost, "DnsHost", host.ToString(), $"DNS host record '{shown}' has no name: write it as 'ADDRESS=NAME[,NAME...]', as in '10.1.1.5=web,www'."));
            }

            foreach (var name in host.Names)
            {
                if (!IsDnsName(name))
                {
                    errors.Add(new(ErrorCodes.InvalidDnsHost, "DnsHost", host.ToString(), $"DNS host record '{shown}' is not valid: '{DisplayText.Printable(name)}' is not a DNS name: {NameRule}."));
                }
                else if (!names.Add(name))
                {
                    errors.Add(new(ErrorCodes.DuplicateDnsHost, "DnsHost", host.ToString(), $"DNS host record '{shown}': the name '{DisplayText.Printable(name)}' is given more than once (names are compared without case, as DNS does)."));
                }
            }
        }
    }

    /// <summary>A name of DNS labels joined by dots: letters, digits and hyphens, no label empty, longer than 63 or starting or ending with a hyphen, at most 253 in all.</summary>
    public static bool IsDnsName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private const string NameRule = "use letters, digits and hyphens in labels of 1 to 63 characters joined by dots, no label starting or ending with a hyphen, at most 253 characters in all";

    private static void CheckForwarders(IReadOnlyList<DnsForwarder> forwarders, List<ValidationError> errors)
    {
        foreach (var forwarder in forwarders)
        {
            var shown = DisplayText.Printable(forwarder?.ToString());
            string? reason = forwarder is null || (forwarder.Address is null && forwarder.Domain is null) ? "it names neither a server address nor a domain"
                : forwarder.Address is { } a && (!IPAddress.TryParse(a, out var parsed) || !IsPlainAddress(a, parsed)) ? $"'{DisplayText.Printable(a)}' is no IPv4 or IPv6 address"
                : forwarder.Domain is { } d && !IsDnsName(d) ? $"'{DisplayText.Printable(d)}' is not a DNS name"
                : null;
            if (reason is not null)
            {
                errors.Add(new(ErrorCodes.InvalidDnsSetting, "DnsForwarder", forwarder?.ToString(), $"DNS forwarder '{shown}' is not valid: {reason}. Write 'ADDRESS' (every name), 'DOMAIN=ADDRESS' (the names under DOMAIN) or 'DOMAIN=' (answered locally), as in '192.0.2.53' or 'corp.example=10.0.0.53'."));
            }
        }
    }

    /// <summary>
    /// True for an address written the usual way: IPAddress.TryParse also takes '10' or '10.1' (old
    /// inet_aton forms) and an IPv6 scope, which libvirt and dnsmasq do not; an IPv4 address must be four
    /// dotted numbers.
    /// </summary>
    private static bool IsPlainAddress(string text, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork
            ? Ipv4Subnet.TryParseAddress(text, out _)
            : address.AddressFamily == AddressFamily.InterNetworkV6 && !text.Contains('%', StringComparison.Ordinal);

    /// <summary>The DNS parameters the spec gives, with their values, in parameter order.</summary>
    private static IEnumerable<(string Parameter, object? Value)> Given(NetworkSpec spec)
    {
        if (spec.DnsHosts is { Count: > 0 } hosts)
        {
            yield return ("DnsHost", string.Join("; ", hosts));
        }

        if (spec.DnsForwarders is { Count: > 0 } forwarders)
        {
            yield return ("DnsForwarder", string.Join("; ", forwarders));
        }

        if (spec.Domain is { } domain)
        {
            yield return ("Domain", domain);
        }

        if (spec.DomainLocalOnly is { } localOnly)
        {
            yield return ("DomainLocalOnly", localOnly);
        }

        if (spec.Dns is { } dns)
        {
            yield return ("Dns", dns);
        }
    }
}
