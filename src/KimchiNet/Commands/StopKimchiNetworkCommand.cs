using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>
/// Stop-KimchiNetwork: stops networks. A network used by virtual machines is refused (KCHNET0018E,
/// naming them) unless -Force, which stops it without another question (as PowerShell's -Force does;
/// -Confirm asks, naming the machines cut off). Stopping an inactive network is a quiet no-op.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "KimchiNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class StopKimchiNetworkCommand : KimchiHostCmdlet
{
    /// <summary>Gets or sets the names of the networks to stop.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Gets or sets whether to stop a network even though virtual machines use it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Gets or sets whether to write the stopped network to the pipeline.</summary>
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
                var plan = networks.PlanStop(name, Force);
                var action = plan.VMs.Count > 0 ? $"Stop, cutting off {string.Join(", ", plan.VMs)}" : "Stop";
                if (ShouldChange($"network '{name}' on {connection.Uri}", action))
                {
                    var network = networks.Stop(plan);
                    if (PassThru)
                    {
                        WriteObject(network);
                    }
                }
            });
        }
    }
}
