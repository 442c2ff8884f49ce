using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>
/// Remove-KimchiNetwork: undefines networks and undoes what KimchiNet made on the host for them.
/// An active network is refused (KCHNET0005E) unless -Force, which stops it first; a network used by
/// virtual machines is refused (KCHNET0017E, naming them).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KimchiNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class RemoveKimchiNetworkCommand : KimchiHostCmdlet
{
    /// <summary>Gets or sets the names of the networks to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Gets or sets whether to stop an active network before removing it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Gets or sets whether to write the removed network (as it was) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            RunOnHost(connection =>
            {
                var networks = Operations(connection);
                var before = PassThru ? networks.GetOne(name) : null;
                var plan = networks.PlanRemove(name, Force);
                if (ShouldChange($"network '{name}' on {connection.Uri}", plan.Description))
                {
                    if (networks.Remove(plan) is { } warning)
                    {
                        WriteWarning(warning);
                    }

                    if (before is not null)
                    {
                        WriteObject(before);
                    }
                }
            });
        }
    }
}
