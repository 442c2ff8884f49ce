using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// Set-KimchiNetwork: Kimchi's network update. Everything is validated before anything changes; the
/// UUID, MAC, bridge and every part of the XML KimchiNet does not manage are kept; if libvirt refuses
/// the new definition the original is restored exactly. On an active network what libvirt changes
/// live goes live; anything else is refused (KCHNET0170E) unless -Restart, which restarts the network
/// and reconnects its running guests' NICs. -WhatIf shows each change (live or needing a restart) and
/// a diff of the network's XML. -DhcpReservation replaces the IPv4 reservations as a set, after the
/// update, live (the convergence of a desired state's reservations).
/// </summary>
[Cmdlet(VerbsCommon.Set, "KimchiNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class SetKimchiNetworkCommand : KimchiHostCmdlet
{
    /// <summary>Gets or sets the name of the network to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the network's new name.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? NewName { get; set; }

    /// <summary>Gets or sets the new IPv4 subnet of a nat or isolated network.</summary>
    [Parameter]
    [EmptyAsNullTransformation]
    public string? Subnet { get; set; }

    /// <summary>Gets or sets the new host devices of the network.</summary>
    [Parameter]
    [Alias("Interface")]
    [AllowEmptyCollection]
    [InterfaceListTransformation]
    [ArgumentCompleter(typeof(HostInterfaceCompleter))]
    public string[]? Interfaces { get; set; }

    /// <summary>Gets or sets the new VLAN id of a bridge network.</summary>
    [Parameter]
    [EmptyAsNullTransformation]
    [VlanIdTransformation]
    public int? VlanId { get; set; }

    /// <summary>Gets or sets whether libvirt starts the network when the host boots.</summary>
    [Parameter]
    public bool? Autostart { get; set; }

    /// <summary>Gets or sets the new MTU of the bridge of a nat, isolated, routed or open network.</summary>
    [Parameter]
    public int? Mtu { get; set; }

    /// <summary>Gets or sets the new DHCP range as START-END, inside the subnet.</summary>
    [Parameter]
    [EmptyAsNullTransformation]
    public string? DhcpRange { get; set; }

    /// <summary>Gets or sets the new DHCP lease time (0: never ends).</summary>
    [Parameter]
    public System.TimeSpan? DhcpLeaseTime { get; set; }

    /// <summary>Gets or sets whether the network serves DHCP.</summary>
    [Parameter]
    public bool? Dhcp { get; set; }

    /// <summary>Gets or sets the DNS host records that replace the network's (an empty list removes them), each 'ADDRESS=NAME[,NAME...]' or a DnsHostRecord.</summary>
    [Parameter]
    [Alias("DnsHosts")]
    [AllowEmptyCollection]
    public DnsHostRecord[]? DnsHost { get; set; }

    /// <summary>Gets or sets the DNS forwarders that replace the network's (an empty list removes them), each 'ADDRESS', 'DOMAIN=ADDRESS' or 'DOMAIN=' (answered locally).</summary>
    [Parameter]
    [Alias("DnsForwarders")]
    [AllowEmptyCollection]
    public DnsForwarder[]? DnsForwarder { get; set; }

    /// <summary>Gets or sets the network's DNS domain.</summary>
    [Parameter]
    [EmptyAsNullTransformation]
    public string? Domain { get; set; }

    /// <summary>Gets or sets whether names under the domain are answered only by the network's dnsmasq, never forwarded.</summary>
    [Parameter]
    public bool? DomainLocalOnly { get; set; }

    /// <summary>Gets or sets whether the network's dnsmasq answers DNS ($false: no DNS service).</summary>
    [Parameter]
    public bool? Dns { get; set; }

    /// <summary>Gets or sets the new IPv6 /64 (or 'auto' for a planned unique-local one) of a nat, isolated, routed or open network.</summary>
    [Parameter]
    [EmptyAsNullTransformation]
    public string? Ipv6Subnet { get; set; }

    /// <summary>Gets or sets whether the IPv6 subnet serves DHCPv6 ($true) or only router advertisements ($false).</summary>
    [Parameter]
    public bool? Ipv6Dhcp { get; set; }

    /// <summary>Gets or sets whether a nat network masquerades IPv6 ($true) or routes it ($false).</summary>
    [Parameter]
    public bool? Ipv6Nat { get; set; }

    /// <summary>Gets or sets the port groups that replace the network's (an empty list removes them), each 'NAME[=default][,vlan:ID]' or a PortGroup.</summary>
    [Parameter]
    [Alias("PortGroups")]
    [AllowEmptyCollection]
    public PortGroup[]? PortGroup { get; set; }

    /// <summary>Gets or sets the DHCP reservations that replace the network's IPv4 ones (an empty list removes them), each 'MAC=IP[,HOSTNAME]' or an object with MacAddress, IPAddress, HostName and LeaseTime (as Get-KimchiDhcpReservation writes).</summary>
    [Parameter]
    [Alias("DhcpReservations")]
    [AllowEmptyCollection]
    public DhcpReservation[]? DhcpReservation { get; set; }

    /// <summary>Gets or sets whether an active network may be restarted for a change libvirt cannot make live (its running guests' NICs are reconnected).</summary>
    [Parameter]
    public SwitchParameter Restart { get; set; }

    /// <summary>Gets or sets how many seconds a host bridge made through the NIC's network manager may take to hold the NIC's addresses and reach its gateway before the change is rolled back (default 30).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int RollbackTimeoutSeconds { get; set; } = 30;

    /// <inheritdoc/>
    protected override System.TimeSpan? RollbackTimeout => System.TimeSpan.FromSeconds(RollbackTimeoutSeconds);

    /// <summary>Gets or sets whether to write the changed network to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => RunOnHost(connection =>
    {
        if (string.IsNullOrEmpty(Name) && Validation.NetworkSpecValidator.CheckName(Name) is { } noName)
        {
            // Kimchi's KCHNET0011E for a missing name, not the binder's error.
            throw noName.ToException();
        }

        var networks = Operations(connection);
        var update = new NetworkUpdate
        {
            NewName = NewName,
            Subnet = Subnet,
            Interfaces = Interfaces,
            VlanId = VlanId,
            Autostart = Autostart,
            Mtu = Mtu,
            DhcpRange = DhcpRange,
            DhcpLeaseTime = DhcpLeaseTime,
            Dhcp = Dhcp,
            DnsHosts = DnsHost,
            DnsForwarders = DnsForwarder,
            Domain = Domain,
            DomainLocalOnly = DomainLocalOnly,
            Dns = Dns,
            Ipv6Subnet = Ipv6Subnet,
            Ipv6Dhcp = Ipv6Dhcp,
            Ipv6Nat = Ipv6Nat,
            PortGroups = PortGroup,
        };
        var plan = networks.PlanUpdate(Name, update, Restart);
        foreach (var warning in plan.Warnings)
        {
            WriteWarning(warning);
        }

        // The reservations as a set, judged against the network as the update leaves it, replaced after it (live).
        var reservations = DhcpReservation is null ? null : DesiredState.PlanReservationSet(networks, Name, DhcpReservation, plan);
        var diff = XmlDiff.Networks(plan.OldXml, reservations?.Xml ?? plan.NewXml);
        WriteVerboseShown($"New network XML for {Name}:\n{plan.NewXml}");
        var guests = plan.Restart
            ? $"\nRestart: stop, redefine and start the network, then reconnect the NICs of its running guests ({(plan.RunningGuests.Count == 0 ? "none" : string.Join(", ", plan.RunningGuests))})."
            : string.Empty;
        if (ShouldChange($"network '{Name}' on {connection.Uri}", $"{Describe(plan, reservations)}{guests}\n{diff}"))
        {
            var network = networks.Update(plan);
            if (reservations is not null)
            {
                network = DesiredState.ReplaceReservations(networks, reservations);
            }

            if (PassThru)
            {
                WriteObject(network);
            }
        }
    });

    /// <summary>The update's description, then the reservations' (alone when the update changes nothing).</summary>
    private static string Describe(UpdatePlan plan, DhcpReservationSetPlan? reservations) =>
        reservations is null ? plan.Description
        : plan.ChangesNothing ? char.ToUpperInvariant(reservations.Description[0]) + reservations.Description[1..]
        : $"{plan.Description}, {reservations.Description}";
}
