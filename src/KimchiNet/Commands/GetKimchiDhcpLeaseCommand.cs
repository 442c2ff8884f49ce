using System.Linq;
using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;
using KimchiNet.Operations;
using KimchiNet.Validation;

namespace KimchiNet.Commands;

/// <summary>
/// Get-KimchiDhcpLease: what the dnsmasq of each running network (or of those named) has leased now,
/// from libvirt's DHCP leases call, with the virtual machine whose NIC has each MAC.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KimchiDhcpLease")]
[OutputType(typeof(DhcpLeaseInfo))]
public sealed class GetKimchiDhcpLeaseCommand : KimchiHostCmdlet
{
    /// <summary>Gets or sets the networks to read; wildcards are allowed; none means every running network.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Network { get; set; }

    /// <summary>Gets or sets a MAC address: only its leases are written (case and separators ignored).</summary>
    [Parameter]
    public string? MacAddress { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => RunOnHost(connection =>
    {
        var leases = NetworkQuery.Run(this, Network, connection.Uri, new DhcpOperations(connection).GetLeases);
        WriteObject(leases.Where(l => MacAddress is null || DhcpReservationValidator.SameMac(l.MacAddress, MacAddress)), enumerateCollection: true);
    });
}
