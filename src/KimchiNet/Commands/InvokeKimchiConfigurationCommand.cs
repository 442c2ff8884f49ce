using System.Collections.Generic;
using System.Management.Automation;
using KimchiNet.Libvirt;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// Invoke-KimchiConfiguration: brings every host of a fleet configuration to it, hosts in parallel.
/// Per network it writes a <see cref="FleetNetworkChange"/> (no change, create, change live, change
/// with restart, remove), asks ShouldProcess for each change (so -WhatIf prints the plan) and carries
/// it out with <see cref="DesiredState.Converge"/>. -Verbose shows each change as an XML diff.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KimchiConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FleetNetworkChange), typeof(FleetSummary))]
public sealed class InvokeKimchiConfigurationCommand : FleetCmdlet
{
    /// <inheritdoc/>
    protected override void OnHost(FleetHost host, string shownUri, LibvirtConnection connection)
    {
        var networks = Operations(connection);
        foreach (var (group, desired) in host.Networks)
        {
            FleetNetworkChange? change = null;
            try
            {
                var actual = networks.TryGetOne(desired.Name);
                change = FleetPlanner.Plan(desired, actual, shownUri, group);
                if (change.Action != FleetAction.NoChange)
                {
                    Differs(host.Uri);
                    WriteVerboseShown($"{change.Action} network '{desired.Name}' on {shownUri}, XML:\n{DesiredState.PreviewXml(networks, desired, actual)}");
                    if (ShouldChange($"network '{desired.Name}' on {shownUri}", $"{change.Action}: {change.Description}"))
                    {
                        var result = DesiredState.Converge(networks, desired);
                        foreach (var warning in result.Warnings)
                        {
                            WriteWarning(warning);
                        }

                        change = change with { Done = true, Steps = result.Steps };
                    }
                }

                WriteObject(change);
            }
            catch (KimchiException e)
            {
                Failed(host.Uri, new KimchiException(e.Code, e.Kind, $"{DisplayText.Line(shownUri)}: network '{DisplayText.Printable(desired.Name)}' (group '{DisplayText.Printable(group)}'): {e.Message}", e.Target, e));
                if (change is not null)
                {
                    WriteObject(change with { Error = e.Message });
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override bool Succeeded(int failed, int differing) => failed == 0;

    /// <inheritdoc/>
    protected override KimchiException Unsuccessful(string path, int hosts, IReadOnlyList<string> failed, IReadOnlyList<string> differing) => new(
        ErrorCodes.FleetNotApplied,
        ErrorKind.OperationFailed,
        $"Configuration {DisplayText.Line(path)} was not fully applied on {failed.Count} of {hosts} hosts: {DisplayText.Line(string.Join(", ", failed))}. The errors above say why; the other hosts were brought to it. Run it again once fixed: a rerun does only what is still missing.",
        path);
}
