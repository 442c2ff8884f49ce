using System;

namespace KimchiNet;

/// <summary>
/// An operation of the core that cannot go on. <see cref="Code"/> is Kimchi's message code
/// (e.g. KCHNET0006E), <see cref="Kind"/> says what kind of failure it is, and
/// <see cref="Target"/> is the value or object the error is about.
/// </summary>
public class KimchiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KimchiException(string code, ErrorKind kind, string message, object? target = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Kind = kind;
        Target = target;
    }

    /// <summary>Kimchi's message code, e.g. KCHNET0006E.</summary>
    public string Code { get; }

    /// <summary>The kind of failure.</summary>
    public ErrorKind Kind { get; }

    /// <summary>The value or object the error is about.</summary>
    public object? Target { get; }
}
