using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>
/// Get-KimchiNetwork: Kimchi's network lookup for every network (or those whose names match), with
/// the virtual machines using each. One pass over networks and one over domains, whatever the count.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KimchiNetwork")]
[OutputType(typeof(KimchiNetworkInfo))]
public sealed class GetKimchiNetworkCommand : KimchiHostCmdlet
{
    /// <summary>Gets or sets the network names to get; wildcards are allowed.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => RunOnHost(connection =>
    {
        var filter = NameFilter.From(Name);
        var found = Operations(connection).Get(filter.IsMatch);
        WriteObject(found, enumerateCollection: true);
        WriteNetworksNotFound(filter.Unmatched(found, network => network.Name), connection.Uri);
    });
}
