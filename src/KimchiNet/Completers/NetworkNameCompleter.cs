using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using KimchiNet.Operations;

namespace KimchiNet.Completers;

/// <summary>Completes network names live from the host in use (-Uri, else the session's default).</summary>
public sealed class NetworkNameCompleter : IArgumentCompleter
{
    /// <summary>The names of the host's networks that start with what was typed; nothing when the host cannot be reached.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = Completion.Pattern(wordToComplete);
        return Completion.FromHost(fakeBoundParameters, host => NetworkOperations.For(host)
            .Get(pattern.IsMatch)
            .Select(network => new CompletionResult(
                Completion.Quote(network.Name), network.Name, CompletionResultType.ParameterValue, $"{network.Name} ({network.Connection}, {network.State})")));
    }
}
