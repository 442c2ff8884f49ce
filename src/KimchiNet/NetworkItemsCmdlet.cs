using System;
using System.Collections.Generic;
using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Validation;

namespace KimchiNet.Commands;

/// <summary>
/// The Get cmdlets that read something of each network (DHCP reservations, leases): -Network picks
/// the networks (wildcards allowed; none means all), -MacAddress the items of one MAC. Plain names
/// that match no network are reported as KCHNET0002E, as Get-KimchiNetwork reports them.
/// </summary>
public abstract class NetworkItemsCmdlet : KimchiHostCmdlet
{
    /// <summary>Gets or sets the networks to read; wildcards are allowed; none means every network.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Network { get; set; }

    /// <summary>Gets or sets a MAC address: only its items are written (case and separators ignored).</summary>
    [Parameter]
    public string? MacAddress { get; set; }

    /// <summary>True when <paramref name="mac"/> passes -MacAddress.</summary>
    protected bool MacMatches(string? mac) => MacAddress is null || DhcpReservationValidator.SameMac(mac, MacAddress);

    /// <summary>
    /// Runs <paramref name="query"/> with -Network's name filter and writes an error for each plain
    /// name no network of <paramref name="uri"/> had.
    /// </summary>
    protected IReadOnlyList<T> ForNetworks<T>(string uri, Func<Func<string, bool>, IReadOnlyList<T>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = NameFilter.From(Network);
        var matched = new HashSet<string>(StringComparer.Ordinal);
        var found = query(name =>
        {
            if (!filter.IsMatch(name))
            {
                return false;
            }

            matched.Add(name);
            return true;
        });
        WriteNetworksNotFound(filter.Unmatched(matched, name => name), uri);

        return found;
    }
}
