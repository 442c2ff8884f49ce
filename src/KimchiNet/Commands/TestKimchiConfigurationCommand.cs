using System.Collections.Generic;
using System.Management.Automation;
using KimchiNet.Libvirt;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// Test-KimchiConfiguration: how each host of a fleet configuration differs from it (drift), hosts in
/// parallel. Writes one <see cref="DesiredStateDifference"/> per difference (host, network, property,
/// desired, actual) and nothing for a host as configured; changes nothing.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KimchiConfiguration")]
[OutputType(typeof(DesiredStateDifference), typeof(FleetSummary))]
public sealed class TestKimchiConfigurationCommand : FleetCmdlet
{
    /// <inheritdoc/>
    protected override void OnHost(FleetHost host, string shownUri, LibvirtConnection connection)
    {
        var networks = Operations(connection);
        foreach (var (_, desired) in host.Networks)
        {
            var differences = networks.Test(desired);
            if (differences.Count > 0)
            {
                Differs(host.Uri);
            }

            foreach (var difference in differences)
            {
                WriteObject(difference with { Uri = shownUri });
            }
        }
    }

    /// <inheritdoc/>
    protected override bool Succeeded(int failed, int differing) => failed == 0 && differing == 0;

    /// <inheritdoc/>
    protected override KimchiException Unsuccessful(string path, int hosts, IReadOnlyList<string> failed, IReadOnlyList<string> differing) => new(
        ErrorCodes.FleetDrift,
        ErrorKind.InvalidState,
        $"{differing.Count} of {hosts} hosts differ from {DisplayText.Line(path)}{(differing.Count > 0 ? ": " + DisplayText.Line(string.Join(", ", differing)) : string.Empty)}"
            + (failed.Count > 0 ? $"; {failed.Count} could not be checked: {DisplayText.Line(string.Join(", ", failed))}" : string.Empty)
            + ". Invoke-KimchiConfiguration brings them to it.",
        path);
}
