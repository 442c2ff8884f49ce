using System.Management.Automation;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>
/// Remove-KimchiNetwork: undefines networks and undoes what KimchiNet made on the host for them.
/// An active network is refused (KCHNET0005E) unless -Force, which stops it first; a network used by
/// virtual machines is refused (KCHNET0017E, naming them).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KimchiNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class RemoveKimchiNetworkCommand : NetworkNamesCmdlet
{
    /// <summary>Gets or sets whether to stop an active network before removing it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => ForEachNetwork((name, connection, networks) =>
    {
        // -PassThru writes the network as it was before the remove.
        var before = PassThru ? networks.GetOne(name) : null;
        var plan = networks.PlanRemove(name, Force);
        if (!ShouldChange($"network '{name}' on {connection.Uri}", plan.Description))
        {
            return null;
        }

        if (networks.Remove(plan) is { } warning)
        {
            WriteWarning(warning);
        }

        return before;
    });
}
