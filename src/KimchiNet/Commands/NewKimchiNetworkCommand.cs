using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>
/// New-KimchiNetwork: Kimchi's network create. Validates the specification and checks it against
/// the host before anything changes, then defines a persistent network (autostart on unless told
/// otherwise) and, with -Start, starts it.
/// </summary>
[Cmdlet(VerbsCommon.New, "KimchiNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class NewKimchiNetworkCommand : KimchiHostCmdlet
{
    /// <summary>Gets or sets the network's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the connection type: Isolated, Nat, Macvtap, Bridge, Vepa or Passthrough.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(ConnectionTypeCompleter))]
    public string Connection { get; set; } = string.Empty;

    /// <summary>Gets or sets the IPv4 subnet of a nat or isolated network; a free /24 is planned when omitted.</summary>
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

    /// <summary>Gets or sets whether libvirt starts the network when the host boots (default: true).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool Autostart { get; set; } = true;

    /// <summary>Gets or sets whether to start the network once it is defined.</summary>
    [Parameter]
    public SwitchParameter Start { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => RunOnHost(connection =>
    {
        var spec = new NetworkSpec
        {
            Name = Name,
            Connection = ConnectionTypes.ParseOrUnknown(Connection),
            Subnet = Subnet,
            Interfaces = Interfaces,
            VlanId = VlanId,
            Autostart = Autostart,
        };
        Validation.NetworkSpecValidator.ThrowIfInvalid(spec, Connection);
        var networks = Operations(connection);
        var plan = networks.PlanCreate(spec);
        WriteVerboseShown($"Network XML for {spec.Name}:\n{plan.Xml}");
        foreach (var warning in plan.Warnings)
        {
            WriteWarning(warning);
        }

        if (ShouldChange($"network '{spec.Name}' on {connection.Uri}", plan.Description + (Start ? ", then start it" : string.Empty)))
        {
            WriteObject(networks.Create(plan, Start));
        }
    });
}
