using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// Remove-KimchiDhcpReservation: removes a network's DHCP reservation, found by MAC address, IPv4
/// address or host name, or piped from Get-KimchiDhcpReservation. On a running network it is removed
/// live and from the persistent definition, without a restart. Nothing matching is KCHNET0147E.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KimchiDhcpReservation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByMacAddress)]
[OutputType(typeof(DhcpReservationInfo))]
public sealed class RemoveKimchiDhcpReservationCommand : KimchiHostCmdlet
{
    private const string ByMacAddress = "ByMacAddress";
    private const string ByIPAddress = "ByIPAddress";
    private const string ByHostName = "ByHostName";
    private const string ByDuid = "ByDuid";
    private const string ByInputObject = "ByInputObject";

    /// <summary>Gets or sets the network's name (Name from Get-KimchiNetwork objects binds to it).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByMacAddress)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIPAddress)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByHostName)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByDuid)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string Network { get; set; } = string.Empty;

    /// <summary>Gets or sets the MAC address of the reservation to remove.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByMacAddress)]
    public string? MacAddress { get; set; }

    /// <summary>Gets or sets the DUID of the IPv6 reservation to remove.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByDuid)]
    public string? Duid { get; set; }

    /// <summary>Gets or sets the IPv4 or IPv6 address of the reservation to remove.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByIPAddress)]
    public string? IPAddress { get; set; }

    /// <summary>Gets or sets the host name of the reservation to remove.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByHostName)]
    public string? HostName { get; set; }

    /// <summary>Gets or sets reservations from Get-KimchiDhcpReservation; each is removed from its network (its MAC, address and name must all match).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObject)]
    public DhcpReservationInfo[] InputObject { get; set; } = [];

    /// <summary>Gets or sets whether to write the removed reservations to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName != ByInputObject)
        {
            RunOnHost(connection => Remove(connection, new DhcpReservationSpec
            {
                Network = Network,
                MacAddress = MacAddress,
                Duid = Duid,
                IPAddress = IPAddress,
                HostName = HostName,
            }));
            return;
        }

        foreach (var reservation in InputObject)
        {
            // An object read from another host goes back to that host, unless -Uri says otherwise.
            var uri = Uri;
            Uri = uri is { Length: > 0 } ? uri : [reservation.Uri];
            try
            {
                RunOnHost(connection => Remove(connection, new DhcpReservationSpec
                {
                    Network = reservation.Network,
                    MacAddress = reservation.MacAddress,
                    Duid = reservation.Duid,
                    IPAddress = reservation.IPAddress,
                    HostName = reservation.HostName,
                }));
            }
            finally
            {
                Uri = uri;
            }
        }
    }

    private void Remove(Libvirt.LibvirtConnection connection, DhcpReservationSpec keys)
    {
        var dhcp = new DhcpOperations(connection);
        var plan = dhcp.PlanRemove(keys);
        if (ShouldChange($"network '{plan.Network}' on {connection.Uri}", plan.Description))
        {
            dhcp.Remove(plan);
            if (PassThru)
            {
                WriteObject(plan.Reservations, enumerateCollection: true);
            }
        }
    }
}
