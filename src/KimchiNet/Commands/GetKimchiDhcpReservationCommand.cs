using System;
using System.Linq;
using System.Management.Automation;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// Get-KimchiDhcpReservation: the IPv4 DHCP reservations (static hosts) of every network, or of the
/// networks named (wildcards allowed), optionally only those with a given MAC, address or host name.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KimchiDhcpReservation")]
[OutputType(typeof(DhcpReservationInfo))]
public sealed class GetKimchiDhcpReservationCommand : NetworkItemsCmdlet
{
    /// <summary>Gets or sets a DUID: only its IPv6 reservations are written (case ignored).</summary>
    [Parameter]
    public string? Duid { get; set; }

    /// <summary>Gets or sets an IPv4 or IPv6 address: only its reservations are written.</summary>
    [Parameter]
    public string? IPAddress { get; set; }

    /// <summary>Gets or sets a host name: only its reservations are written (case ignored).</summary>
    [Parameter]
    public string? HostName { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => RunOnHost(connection =>
    {
        var found = ForNetworks(connection.Uri, new DhcpOperations(connection).GetReservations);
        WriteObject(
            found.Where(r => MacMatches(r.MacAddress)
                && (Duid is null || Validation.DhcpReservationValidator.SameDuid(r.Duid, Duid))
                && (IPAddress is null || r.IPAddress == IPAddress)
                && (HostName is null || string.Equals(r.HostName, HostName, StringComparison.OrdinalIgnoreCase))),
            enumerateCollection: true);
    });
}
