using System;
using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// Add-KimchiDhcpReservation: reserves an IPv4 address for a MAC address, or an IPv6 address for a
/// DUID or host name (KCHNET0172E-0175E), on a nat, isolated or routed network. On a running network
/// it goes live and into the persistent definition in one libvirt network update, without a restart;
/// every rule is checked first (KCHNET0140E-0149E).
/// </summary>
[Cmdlet(VerbsCommon.Add, "KimchiDhcpReservation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DhcpReservationInfo))]
public sealed class AddKimchiDhcpReservationCommand : KimchiHostCmdlet
{
    /// <summary>Gets or sets the network's name (Name from Get-KimchiNetwork objects binds to it).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string Network { get; set; } = string.Empty;

    /// <summary>Gets or sets the client's MAC address (needed for an IPv4 reservation; KCHNET0145E without it).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    public string? MacAddress { get; set; }

    /// <summary>Gets or sets the DHCPv6 client's DUID (an IPv6 reservation).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Duid { get; set; }

    /// <summary>Gets or sets the address to reserve: IPv4 (by MAC address), or IPv6 (by DUID or host name).</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    public string IPAddress { get; set; } = string.Empty;

    /// <summary>Gets or sets the host name dnsmasq gives the client; alone, it finds a DHCPv6 client by the name it sends.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? HostName { get; set; }

    /// <summary>Gets or sets the client's own lease time; zero means a lease that never ends.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public TimeSpan? LeaseTime { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => RunOnHost(connection =>
    {
        var dhcp = new DhcpOperations(connection);
        var plan = dhcp.PlanAdd(new DhcpReservationSpec
        {
            Network = Network,
            MacAddress = MacAddress,
            Duid = Duid,
            IPAddress = IPAddress,
            HostName = HostName,
            LeaseTime = LeaseTime,
        });
        if (ShouldChange($"network '{plan.Network}' on {connection.Uri}", plan.Description))
        {
            WriteObject(dhcp.Add(plan));
        }
    });
}
