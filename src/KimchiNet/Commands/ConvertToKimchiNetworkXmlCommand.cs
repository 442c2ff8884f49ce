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
    // The conversion needs no host: the host parameters of the base are not parameters here (an
    // override without [Parameter] hides them, as PowerShell reads the most derived declaration).

    /// <summary>Not a parameter of this cmdlet.</summary>
    public override string[]? Uri { get => null; set => throw new System.NotSupportedException(NoHost); }

    /// <summary>Not a parameter of this cmdlet.</summary>
    public override int ThrottleLimit { get => 1; set => throw new System.NotSupportedException(NoHost); }

    /// <summary>Not a parameter of this cmdlet.</summary>
    public override int TimeoutSeconds { get => 0; set => throw new System.NotSupportedException(NoHost); }

    private const string NoHost = "ConvertTo-KimchiNetworkXml works without a host.";

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(() =>
    {
        WriteObject(OfflineConversion.ToXml(ToSpec()));
    });
}
