using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// ConvertTo-KimchiNetworkXml: turns a network specification into libvirt network XML without a
/// host. It validates exactly as New-KimchiNetwork does; offline, a Bridge network's device is taken
/// to be an existing Linux bridge and nat/isolated networks need -Subnet.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "KimchiNetworkXml")]
[OutputType(typeof(string))]
public sealed class ConvertToKimchiNetworkXmlCommand : KimchiCmdlet
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
    public string[]? Interfaces { get; set; }

    /// <summary>Gets or sets the VLAN id of a bridge network.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    [VlanIdTransformation]
    public int? VlanId { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(() =>
    {
        var spec = new NetworkSpec
        {
            Name = Name,
            Connection = ConnectionTypes.ParseOrUnknown(Connection),
            Subnet = Subnet,
            Interfaces = Interfaces,
            VlanId = VlanId,
        };
        Validation.NetworkSpecValidator.ThrowIfInvalid(spec, Connection);
        WriteObject(OfflineConversion.ToXml(spec));
    });
}
