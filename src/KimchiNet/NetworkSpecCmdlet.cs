using System;
using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;
using KimchiNet.Validation;

namespace KimchiNet.Commands;

/// <summary>
/// The cmdlets that take a network specification (New-KimchiNetwork, ConvertTo-KimchiNetworkXml,
/// Test-KimchiNetwork): its parameters are declared here once, and <see cref="ToSpec"/> turns them
/// into the core's <see cref="NetworkSpec"/> once. A parameter added here reaches every one of them;
/// its help goes on each cmdlet's page. A cmdlet whose parameter means something else (Test's Name
/// names an existing network, and its Connection may be left out) overrides the property with its
/// own attributes: PowerShell takes a parameter's attributes from the most derived declaration.
/// </summary>
public abstract class NetworkSpecCmdlet : KimchiHostCmdlet
{
    /// <summary>Gets or sets the network's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public virtual string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the connection type: Isolated, Nat, Macvtap, Bridge, Vepa, Passthrough, Routed or Open.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(ConnectionTypeCompleter))]
    public virtual string? Connection { get; set; } = string.Empty;

    /// <summary>Gets or sets the IPv4 subnet of a nat or isolated network.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    public string? Subnet { get; set; }

    /// <summary>Gets or sets the host devices the network is built on.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Interface")]
    [AllowEmptyCollection]
    [EmptyAsNullTransformation]
    [InterfaceListTransformation]
    [ArgumentCompleter(typeof(HostInterfaceCompleter))]
    public string[]? Interfaces { get; set; }

    /// <summary>Gets or sets the VLAN id of a bridge network on a NIC or bond.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    [VlanIdTransformation]
    public int? VlanId { get; set; }

    /// <summary>Gets or sets the MTU of the bridge of a nat, isolated, routed or open network.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? Mtu { get; set; }

    /// <summary>Gets or sets the DHCP range as START-END, inside the subnet.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    public string? DhcpRange { get; set; }

    /// <summary>Gets or sets how long a DHCP lease lasts (0: never ends).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public TimeSpan? DhcpLeaseTime { get; set; }

    /// <summary>Gets or sets whether the network serves DHCP ($false: no DHCP service).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool? Dhcp { get; set; }

    /// <summary>Gets or sets the DHCP reservations, each 'MAC=IP[,HOSTNAME]' or an object with MacAddress, IPAddress, HostName and LeaseTime (as Get-KimchiDhcpReservation writes).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DhcpReservations")]
    [AllowEmptyCollection]
    public DhcpReservation[]? DhcpReservation { get; set; }

    /// <summary>Gets or sets the DNS host records, each 'ADDRESS=NAME[,NAME...]' or a DnsHostRecord.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DnsHosts")]
    [AllowEmptyCollection]
    public DnsHostRecord[]? DnsHost { get; set; }

    /// <summary>Gets or sets the DNS forwarders, each 'ADDRESS', 'DOMAIN=ADDRESS' or 'DOMAIN=' (answered locally).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DnsForwarders")]
    [AllowEmptyCollection]
    public DnsForwarder[]? DnsForwarder { get; set; }

    /// <summary>Gets or sets the network's DNS domain.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    public string? Domain { get; set; }

    /// <summary>Gets or sets whether names under the domain are answered only by the network's dnsmasq, never forwarded.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool? DomainLocalOnly { get; set; }

    /// <summary>Gets or sets whether the network's dnsmasq answers DNS ($false: no DNS service).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool? Dns { get; set; }

    /// <summary>Gets or sets the IPv6 /64 of a nat, isolated, routed or open network, or 'auto' for a planned unique-local one.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    public string? Ipv6Subnet { get; set; }

    /// <summary>Gets or sets whether the IPv6 subnet serves DHCPv6 ($true, the default) or only router advertisements for SLAAC ($false).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool? Ipv6Dhcp { get; set; }

    /// <summary>Gets or sets whether a nat network masquerades its IPv6 subnet too (libvirt 6.5 or later); without it the IPv6 subnet is routed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool? Ipv6Nat { get; set; }

    /// <summary>Gets or sets the port groups, each 'NAME[=default][,vlan:ID]' or a PortGroup.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PortGroups")]
    [AllowEmptyCollection]
    public PortGroup[]? PortGroup { get; set; }

    /// <summary>
    /// The specification the parameters give, checked against every rule that needs no host
    /// (Kimchi's codes: the first broken rule is thrown).
    /// </summary>
    /// <exception cref="KimchiException">The code of the first rule the specification breaks.</exception>
    protected NetworkSpec ToSpec()
    {
        var spec = new NetworkSpec
        {
            Name = Name,
            Connection = ConnectionTypes.ParseOrUnknown(Connection),
            Subnet = Subnet,
            Interfaces = Interfaces,
            VlanId = VlanId,
            Mtu = Mtu,
            DhcpRange = DhcpRange,
            DhcpLeaseTime = DhcpLeaseTime,
            Dhcp = Dhcp,
            DhcpReservations = DhcpReservation,
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
        NetworkSpecValidator.ThrowIfInvalid(spec, Connection);
        return spec;
    }
}
