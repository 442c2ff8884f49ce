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
}
