using System;
using System.Collections.Generic;
using System.Management.Automation;
using KimchiNet.Commands;

namespace KimchiNet;

/// <summary>
/// The -Network filter of the Get cmdlets that read something of each network (DHCP reservations,
/// leases): the core query sees a name filter; plain names that match no network are reported as
/// KCHNET0002E afterwards, as Get-KimchiNetwork reports them.
/// </summary>
internal static class NetworkQuery
{
    /// <summary>Runs <paramref name="query"/> with the networks' name filter and writes an error for each plain name no network had.</summary>
    public static IReadOnlyList<T> Run<T>(Cmdlet cmdlet, string[]? networks, string uri, Func<Func<string, bool>, IReadOnlyList<T>> query)
    {
        ArgumentNullException.ThrowIfNull(cmdlet);
        ArgumentNullException.ThrowIfNull(query);
        var filter = NameFilter.From(networks);
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
        foreach (var missing in filter.Unmatched(matched, name => name))
        {
            cmdlet.WriteError(KimchiCmdlet.ToErrorRecord(new KimchiException(
                ErrorCodes.NetworkNotFound, ErrorKind.NotFound, $"Network '{missing}' does not exist on {uri}.", missing)));
        }

        return found;
    }
}
