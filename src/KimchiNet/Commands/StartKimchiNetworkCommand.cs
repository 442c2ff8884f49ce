using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>Start-KimchiNetwork: starts networks; starting an active network is a quiet no-op.</summary>
[Cmdlet(VerbsLifecycle.Start, "KimchiNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class StartKimchiNetworkCommand : KimchiHostCmdlet
{
    /// <summary>Gets or sets the names of the networks to start.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Gets or sets whether to write the started network to the pipeline.</summary>
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
                var current = networks.GetOne(name);
                var action = current.State == NetworkState.Active ? "Start (it is already active: nothing to do)" : "Start";
                if (ShouldChange($"network '{name}' on {connection.Uri}", action))
                {
                    var network = networks.Start(name);
                    if (PassThru)
                    {
                        WriteObject(network);
                    }
                }
            });
        }
    }
}
