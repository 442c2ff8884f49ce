using System.Collections.Generic;
using System.Linq;

namespace KimchiNet;

/// <summary>One broken rule found by validation, as data.</summary>
/// <param name="Code">Kimchi's message code, e.g. KCHNET0030E.</param>
/// <param name="ParameterName">The parameter the rule is about (Name, Connection, Subnet, Interfaces, VlanId).</param>
/// <param name="Value">The offending value.</param>
/// <param name="Message">A sentence for a person, naming the offending value.</param>
/// <param name="Kind">The kind of failure; bad input unless the rule needs the host's state.</param>
public sealed record ValidationError(string Code, string ParameterName, object? Value, string Message, ErrorKind Kind = ErrorKind.InvalidInput)
{
    /// <summary>The same error as an exception, for callers that stop at the first one.</summary>
    public KimchiException ToException() => new(Code, Kind, Message, Value);

    /// <summary>
    /// Throws one <see cref="KimchiException"/> when there is any error: its code, kind and target are
    /// the first error's, and its message names every error, so a user sees one error per bad input
    /// and still learns all that is wrong with it.
    /// </summary>
    public static void ThrowIfAny(IReadOnlyList<ValidationError> errors)
    {
        if (errors is null || errors.Count == 0)
        {
            return;
        }

        var first = errors[0];
        var message = errors.Count == 1
            ? first.Message
            : first.Message + " Also: " + string.Join(" ", errors.Skip(1).Select(e => $"[{e.Code}] {e.Message}"));
        throw new KimchiException(first.Code, first.Kind, message, first.Value);
    }
}
