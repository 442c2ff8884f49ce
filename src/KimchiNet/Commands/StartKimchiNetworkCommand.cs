using System.Management.Automation;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>Start-KimchiNetwork: starts networks; starting an active network is a quiet no-op.</summary>
[Cmdlet(VerbsLifecycle.Start, "KimchiNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class StartKimchiNetworkCommand : NetworkNamesCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord() => ForEachNetwork((name, connection, networks) =>
    {
        var current = networks.GetOne(name);
        var action = current.State == NetworkState.Active ? "Start (it is already active: nothing to do)" : "Start";
        return ShouldChange($"network '{name}' on {connection.Uri}", action) ? networks.Start(name) : null;
    });
}
