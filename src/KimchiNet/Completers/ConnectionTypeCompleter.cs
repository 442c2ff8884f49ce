using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using KimchiNet.Model;

namespace KimchiNet.Completers;

/// <summary>
/// Completes -Connection with the connection types (ConnectionTypes.All). The parameter is a string rather than the
/// enum so that a wrong value reaches the core and is refused with Kimchi's KCHNET0012E.
/// </summary>
public sealed class ConnectionTypeCompleter : IArgumentCompleter
{
    /// <summary>The types whose names start with what was typed, ignoring case.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = Completion.Pattern(wordToComplete);
        return ConnectionTypes.All
            .Select(type => type.ToString())
            .Where(pattern.IsMatch)
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
    }
}
