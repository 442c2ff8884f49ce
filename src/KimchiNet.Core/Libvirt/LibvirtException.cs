using System;

namespace KimchiNet.Libvirt;

/// <summary>
/// A libvirt call failed. <see cref="Error"/> keeps libvirt's code, domain and message; the
/// KimchiNet <see cref="KimchiException.Code"/> and <see cref="KimchiException.Kind"/> come from
/// <see cref="Map"/>, and a caller that knows the operation can swap the code with <see cref="WithCode"/>.
/// </summary>
public sealed class LibvirtException : KimchiException
{
    /// <summary>Creates the exception with an explicit KimchiNet code and kind.</summary>
    public LibvirtException(string code, ErrorKind kind, LibvirtError error, object? target = null, Exception? innerException = null)
        : this(code, kind, error, target, innerException, FormatMessage(error))
    {
    }

    private LibvirtException(string code, ErrorKind kind, LibvirtError error, object? target, Exception? innerException, string message)
        : base(code, kind, message, target, innerException)
    {
        Error = error ?? throw new ArgumentNullException(nameof(error));
    }

    /// <summary>libvirt's own error.</summary>
    public LibvirtError Error { get; }

    /// <summary>True when the code is the generic <see cref="ErrorCodes.LibvirtError"/>, i.e. no specific mapping applied.</summary>
    public bool IsGeneric => Code == ErrorCodes.LibvirtError;

    /// <summary>True when the error means the connection is unusable (<see cref="ErrorCodes.ConnectionFailed"/>).</summary>
    public bool IsConnectionFailure => Code == ErrorCodes.ConnectionFailed;

    /// <summary>Maps a libvirt error to the exception, choosing the KimchiNet code and kind.</summary>
    /// <param name="error">libvirt's error.</param>
    /// <param name="connectionDead">Whether the connection was found dead right after the failure.</param>
    /// <param name="target">The object the call was about (e.g. a network name).</param>
    public static LibvirtException Map(LibvirtError error, bool connectionDead, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (code, kind) = Classify(error, connectionDead);
        return new LibvirtException(code, kind, error, target);
    }

    /// <summary>
    /// The same libvirt error under another KimchiNet code (e.g. <see cref="ErrorCodes.CreateFailed"/>),
    /// keeping this exception as the inner one. The kind stays unless <paramref name="kind"/> is given.
    /// Use: <c>catch (LibvirtException e) when (e.IsGeneric) { throw e.WithCode(ErrorCodes.CreateFailed); }</c>.
    /// </summary>
    public LibvirtException WithCode(string code, ErrorKind? kind = null, string? message = null) =>
        new(code, kind ?? Kind, Error, Target, this, message ?? FormatMessage(Error));

    internal static (string Code, ErrorKind Kind) Classify(LibvirtError error, bool connectionDead)
    {
        if (SshFailure.Classify(error) is { } ssh)
        {
            return ssh;
        }

        switch (error.Code)
        {
            case LibvirtErrorNumbers.NoNetwork:
                return (ErrorCodes.NetworkNotFound, ErrorKind.NotFound);
            case LibvirtErrorNumbers.NetworkExists:
                return (ErrorCodes.NetworkExists, ErrorKind.AlreadyExists);
            case LibvirtErrorNumbers.OperationFailed when error.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase):
                return (ErrorCodes.NetworkExists, ErrorKind.AlreadyExists);
            case LibvirtErrorNumbers.AuthFailed:
            case LibvirtErrorNumbers.AuthCancelled:
            case LibvirtErrorNumbers.AuthUnavailable:
            case LibvirtErrorNumbers.AccessDenied:
                return (ErrorCodes.PermissionDenied, ErrorKind.PermissionDenied);
            case LibvirtErrorNumbers.NoConnect:
                return (ErrorCodes.ConnectionFailed, ErrorKind.Unavailable);
            case LibvirtErrorNumbers.SystemError:
            case LibvirtErrorNumbers.Rpc:
            case LibvirtErrorNumbers.InternalError:
            case LibvirtErrorNumbers.InvalidConnection:
                return connectionDead
                    ? (ErrorCodes.ConnectionFailed, ErrorKind.Unavailable)
                    : (ErrorCodes.LibvirtError, ErrorKind.OperationFailed);
            default:
                return (ErrorCodes.LibvirtError, ErrorKind.OperationFailed);
        }
    }

    private static string FormatMessage(LibvirtError error) =>
        (SshFailure.Advice(error) is { } advice ? advice + " " : string.Empty)
        + $"libvirt: {error.Message} ({error.Function}, error {error.Code}, domain {error.Domain})";
}
