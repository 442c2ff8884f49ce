using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Completers;

/// <summary>
/// Completes host interface names live from the host in use, offering for -Interfaces only the
/// devices that the chosen -Connection can be built on (bare NICs and bonds for vepa, macvtap and
/// passthrough; also bridges for bridge).
/// </summary>
public sealed class HostInterfaceCompleter : IArgumentCompleter
{
    /// <summary>The matching interface names; nothing when the host cannot be reached.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        ArgumentNullException.ThrowIfNull(fakeBoundParameters);
        ConnectionType? connection = ConnectionTypes.TryParse(fakeBoundParameters["Connection"] as string, out var parsed) ? parsed : null;
        var pattern = Completion.Pattern(wordToComplete);
        return Completion.FromHost(fakeBoundParameters, host => InterfaceQuery.Get(host)
            .Where(device => pattern.IsMatch(device.Name))
            .Where(device => connection is not { } type || device.SuitableFor.Contains(type))
            .Select(device => new CompletionResult(
                Completion.Quote(device.Name), device.Name, CompletionResultType.ParameterValue, $"{device.TypeName} {device.Name} ({string.Join(",", device.SuitableFor)})")));
    }
}
