using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KimchiNet.Completers;

/// <summary>Completes -Uri with the URIs already used in this session.</summary>
public sealed class UriCompleter : IArgumentCompleter
{
    /// <summary>The used URIs that start with what was typed.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return SessionDefaults.UsedUris
            .Where(uri => uri.StartsWith(typed, System.StringComparison.OrdinalIgnoreCase))
            .Select(uri => new CompletionResult(Completion.Quote(uri), uri, CompletionResultType.ParameterValue, uri));
    }
}
