using System.Management.Automation;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>
/// New-KimchiNetwork: Kimchi's network create. Validates the specification and checks it against
/// the host before anything changes, then defines a persistent network (autostart on unless told
/// otherwise) and, with -Start, starts it.
/// </summary>
[Cmdlet(VerbsCommon.New, "KimchiNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class NewKimchiNetworkCommand : NetworkSpecCmdlet
{
    /// <summary>Gets or sets whether libvirt starts the network when the host boots (default: true).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool Autostart { get; set; } = true;

    /// <summary>Gets or sets whether to start the network once it is defined.</summary>
    [Parameter]
    public SwitchParameter Start { get; set; }

    /// <summary>Gets or sets how many seconds a host bridge made through the NIC's network manager may take to hold the NIC's addresses and reach its gateway before the change is rolled back (default 30).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int RollbackTimeoutSeconds { get; set; } = 30;

    /// <inheritdoc/>
    protected override System.TimeSpan? RollbackTimeout => System.TimeSpan.FromSeconds(RollbackTimeoutSeconds);

    /// <inheritdoc/>
    protected override void ProcessRecord() => RunOnHost(() => ToSpec() with { Autostart = Autostart }, (connection, spec) =>
    {
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
