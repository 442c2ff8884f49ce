using System.Linq;
using System.Management.Automation;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// Get-KimchiDhcpLease: what the dnsmasq of each running network (or of those named) has leased now,
/// from libvirt's DHCP leases call, with the virtual machine whose NIC has each MAC.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KimchiDhcpLease")]
[OutputType(typeof(DhcpLeaseInfo))]
public sealed class GetKimchiDhcpLeaseCommand : NetworkItemsCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord() => RunOnHost(connection =>
    {
        var leases = ForNetworks(connection.Uri, new DhcpOperations(connection).GetLeases);
        WriteObject(leases.Where(l => MacMatches(l.MacAddress)), enumerateCollection: true);
    });
}
