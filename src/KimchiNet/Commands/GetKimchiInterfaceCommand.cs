using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// Get-KimchiInterface: the host's network interfaces, as Kimchi's interfaces API lists them, with
/// the networks that use each and the connection types each can carry.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KimchiInterface")]
[OutputType(typeof(HostInterfaceInfo))]
public sealed class GetKimchiInterfaceCommand : KimchiHostCmdlet
{
    /// <summary>Gets or sets the interface names to list; wildcards are allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(HostInterfaceCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Gets or sets whether to list only interfaces a network uses ($true) or only unused ones ($false).</summary>
    [Parameter]
    public bool? InUse { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => RunOnHost(connection =>
    {
        var filter = NameFilter.From(Name);
        var found = InterfaceQuery.Get(connection, filter.IsMatch, InUse, findOwners: true, warning: problem => WriteWarning($"{problem.Code}: {problem.Message}"));
        WriteObject(found, enumerateCollection: true);
        foreach (var missing in filter.Unmatched(found, device => device.Name))
        {
            WriteError(ToErrorRecord(new KimchiException(
                ErrorCodes.InterfaceNotFound, ErrorKind.NotFound, $"Interface '{missing}' was not found on {connection.Uri}.", missing)));
        }
    });
}
