using System.Management.Automation;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>
/// Stop-KimchiNetwork: stops networks. A network used by virtual machines is refused (KCHNET0018E,
/// naming them) unless -Force, which stops it without another question (as PowerShell's -Force does;
/// -Confirm asks, naming the machines cut off). Stopping an inactive network is a quiet no-op.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "KimchiNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class StopKimchiNetworkCommand : NetworkNamesCmdlet
{
    /// <summary>Gets or sets whether to stop a network even though virtual machines use it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => ForEachNetwork((name, connection, networks) =>
    {
        var plan = networks.PlanStop(name, Force);
        var action = plan.VMs.Count > 0 ? $"Stop, cutting off {string.Join(", ", plan.VMs)}" : "Stop";
        return ShouldChange($"network '{name}' on {connection.Uri}", action) ? networks.Stop(plan) : null;
    });
}
