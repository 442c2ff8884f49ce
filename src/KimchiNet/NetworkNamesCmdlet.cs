using System;
using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Libvirt;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// The cmdlets that act on existing networks by name (Start, Stop and Remove-KimchiNetwork): -Name
/// takes several names, from the pipeline too, and each network is a step of its own, so one that
/// fails is one error and the others still go ahead; -PassThru writes what the step returns.
/// </summary>
public abstract class NetworkNamesCmdlet : KimchiHostCmdlet
{
    /// <summary>Gets or sets the names of the networks to act on.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Gets or sets whether to write each network to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// Runs <paramref name="step"/> for each name, on the host's connection and its operations; what
    /// the step returns (null when it changed nothing) is written with -PassThru.
    /// </summary>
    protected void ForEachNetwork(Func<string, LibvirtConnection, NetworkOperations, object?> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        foreach (var name in Name)
        {
            RunOnHost(connection =>
            {
                if (step(name, connection, Operations(connection)) is { } result && PassThru)
                {
                    WriteObject(result);
                }
            });
        }
    }
}
