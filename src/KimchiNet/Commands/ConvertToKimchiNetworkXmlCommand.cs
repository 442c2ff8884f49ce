using System.Management.Automation;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// ConvertTo-KimchiNetworkXml: turns a network specification into libvirt network XML without a
/// host. It validates exactly as New-KimchiNetwork does; offline, a Bridge network's device is taken
/// to be an existing Linux bridge and nat/isolated networks need -Subnet.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "KimchiNetworkXml")]
[OutputType(typeof(string))]
public sealed class ConvertToKimchiNetworkXmlCommand : NetworkSpecCmdlet
{
    /// <summary>Not a parameter of this cmdlet: the conversion needs no host.</summary>
    public override string? Uri { get => null; set => throw new System.NotSupportedException("ConvertTo-KimchiNetworkXml works without a host."); }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(() =>
    {
        WriteObject(OfflineConversion.ToXml(ToSpec()));
    });
}
