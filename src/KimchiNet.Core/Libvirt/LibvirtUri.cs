using System;

namespace KimchiNet.Libvirt;

/// <summary>
/// The rules KimchiNet applies to a libvirt connection URI's text: whether it reaches this host, how its
/// password is hidden, and which host file a test-driver URI names. Nothing here opens a connection.
/// </summary>
public static class LibvirtUri
{
    /// <summary>What a redacted password reads as.</summary>
    public const string RedactedPassword = "***";

    /// <summary>
    /// True when <paramref name="uri"/> reaches libvirt on this host: the test driver, or a URI whose
    /// transport is none or unix and which names no host (qemu:///system, qemu+unix:///system?socket=…).
    /// ssh, tcp, tls and libssh transports, or any host part (even localhost), count as remote.
    /// </summary>
    public static bool IsLocal(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return true;
        }

        var schemeEnd = uri.IndexOf(':', StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return false;
        }

        var scheme = uri[..schemeEnd].ToLowerInvariant();
        var plus = scheme.IndexOf('+', StringComparison.Ordinal);
        var driver = plus < 0 ? scheme : scheme[..plus];
        var transport = plus < 0 ? null : scheme[(plus + 1)..];
        if (driver == "test")
        {
            return true;
        }

        if (transport is not (null or "unix"))
        {
            return false;
        }

        var rest = uri[(schemeEnd + 1)..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return true;
        }

        var authorityEnd = rest.IndexOfAny(new[] { '/', '?' }, 2);
        var authority = authorityEnd < 0 ? rest[2..] : rest[2..authorityEnd];
        return authority.Length == 0;
    }

    /// <summary>
    /// The URI with any password in its user part (scheme://user:password@host/...) shown as ***. Every
    /// URI KimchiNet stores or shows (objects' Uri, session defaults, completion, -Verbose, What-if,
    /// messages) passes through here; only virConnectOpen gets the URI as given.
    /// </summary>
    public static string? Redact(string? uri)
    {
        var (start, end) = PasswordSpan(uri);
        return start < 0 ? uri : string.Concat(uri.AsSpan(0, start), RedactedPassword, uri.AsSpan(end));
    }

    /// <summary>
    /// What PowerShell remoting over SSH needs to reach the host a remote URI names (its host, user, port
    /// and keyfile= parameter), and the URI of the same libvirtd as seen on that host
    /// (<c>qemu+ssh://root@h/system?socket=S</c> is <c>qemu+unix:///system?socket=S</c> there,
    /// <c>qemu+ssh://h/system</c> is <c>qemu:///system</c>). Null for a URI that names no host. A
    /// password in the URI is never part of the result.
    /// </summary>
    public static RemoteHostParts? RemoteHost(string? uri)
    {
        var redacted = Redact(uri);
        var schemeEnd = redacted?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (schemeEnd <= 0)
        {
            return null;
        }

        var scheme = redacted![..schemeEnd];
        var driver = scheme.Split('+')[0];
        var rest = redacted[(schemeEnd + 3)..];
        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var afterAuthority = authorityEnd < 0 ? string.Empty : rest[authorityEnd..];
        var at = authority.LastIndexOf('@');
        var user = at < 0 ? null : authority[..at].Split(':')[0];
        var hostPort = authority[(at + 1)..];
        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = hostPort[..(close + 1)];
            port = hostPort.Length > close + 2 && hostPort[close + 1] == ':' ? hostPort[(close + 2)..] : null;
        }
        else
        {
            var colon = hostPort.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? hostPort : hostPort[..colon];
            port = colon < 0 ? null : hostPort[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            return null;
        }

        var queryStart = afterAuthority.IndexOf('?', StringComparison.Ordinal);
        var fragment = afterAuthority.IndexOf('#', StringComparison.Ordinal);
        var pathEnd = queryStart >= 0 ? queryStart : fragment >= 0 ? fragment : afterAuthority.Length;
        var path = afterAuthority[..pathEnd];
        string? keyFile = null;
        string? socket = null;
        if (queryStart >= 0)
        {
            var query = afterAuthority[(queryStart + 1)..(fragment > queryStart ? fragment : afterAuthority.Length)];
            foreach (var pair in query.Split('&'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? pair : pair[..eq];
                var value = eq < 0 ? string.Empty : System.Uri.UnescapeDataString(pair[(eq + 1)..]);
                if (key.Equals("keyfile", StringComparison.OrdinalIgnoreCase))
                {
                    keyFile = value;
                }
                else if (key.Equals("socket", StringComparison.OrdinalIgnoreCase))
                {
                    socket = value;
                }
            }
        }

        var transport = scheme.Contains('+', StringComparison.Ordinal) ? scheme[(scheme.IndexOf('+', StringComparison.Ordinal) + 1)..].ToLowerInvariant() : "tls";
        var overSsh = transport is "ssh" or "libssh";
        return new RemoteHostParts(
            host,
            string.IsNullOrEmpty(user) ? null : user,
            overSsh && !string.IsNullOrEmpty(port) ? port : null,
            string.IsNullOrEmpty(keyFile) ? null : keyFile,
            $"{driver}{(socket is null ? string.Empty : "+unix")}://{(path.Length == 0 ? "/system" : path)}",
            string.IsNullOrEmpty(socket) ? null : socket);
    }

    /// <summary>The password written into <paramref name="uri"/>, or null when it has none.</summary>
    internal static string? Password(string? uri)
    {
        var (start, end) = PasswordSpan(uri);
        return start < 0 ? null : uri![start..end];
    }

    /// <summary>
    /// Where the password lies: after "scheme://", a user name (no ':', '@', '/', '?' or '#'), a ':', then
    /// everything up to the LAST '@' in the URI. The host follows that '@', so a password holding '/',
    /// '?', ':' or '@' (typed unencoded) is still found whole. A URI whose part after "://" starts with
    /// '/' names no host and has no user part (qemu:///system?socket=/run/a:b@c). When the query holds an
    /// '@' of its own the rule hides too much (host:22/system?keyfile=/a@b shows as host:***@b), never too little.
    /// </summary>
    private static (int Start, int End) PasswordSpan(string? uri)
    {
        var scheme = uri?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (scheme < 0)
        {
            return (-1, -1);
        }

        var userStart = scheme + 3;
        var userEnd = uri!.IndexOfAny([':', '@', '/', '?', '#'], userStart);
        if (userEnd < 0 || uri[userEnd] != ':')
        {
            return (-1, -1);
        }

        var at = uri.LastIndexOf('@');
        return at > userEnd + 1 ? (userEnd + 1, at) : (-1, -1);
    }

    /// <summary>
    /// libvirt's test driver (test:///PATH, run inside this process) loads PATH with libxml2, which
    /// prints an "I/O warning" on stderr for a missing file. Such a URI is refused before libvirt sees
    /// it: the file must exist and be a regular file. (What libvirt says about a file that is not a
    /// host file never quotes its content: see <see cref="LibvirtError.WithoutQuotedSource"/>.)
    /// </summary>
    /// <exception cref="KimchiException"><see cref="ErrorCodes.TestHostFileNotFound"/> for a missing file or a folder.</exception>
    internal static void RefuseMissingTestDriverFile(string? uri)
    {
        var path = TestDriverFile(uri);
        if (path is null || path == "/default")
        {
            return;
        }

        if (!System.IO.File.Exists(path) || System.IO.Directory.Exists(path))
        {
            throw new KimchiException(
                ErrorCodes.TestHostFileNotFound,
                ErrorKind.NotFound,
                $"The test driver's host file '{DisplayText.Printable(path)}' does not exist or is not a file.",
                Redact(uri));
        }
    }

    /// <summary>The path of an in-process test-driver URI (test://[user@]/PATH[?query]), else null.</summary>
    private static string? TestDriverFile(string? uri)
    {
        const string scheme = "test://";
        if (uri is null || !uri.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = uri[scheme.Length..];
        var query = rest.IndexOfAny(['?', '#']);
        var pathStart = rest.IndexOf('/', StringComparison.Ordinal);
        var at = rest.LastIndexOf('@');
        if (at >= 0 && (query < 0 || at < query))
        {
            pathStart = rest.IndexOf('/', at);
        }

        if (pathStart < 0 || (query >= 0 && pathStart > query))
        {
            return null;
        }

        var path = query < 0 ? rest[pathStart..] : rest[pathStart..query];
        return System.Uri.UnescapeDataString(path);
    }
}


/// <summary>The parts of a remote libvirt URI that <see cref="LibvirtUri.RemoteHost"/> reads.</summary>
/// <param name="Host">The host name or address ([v6] in brackets).</param>
/// <param name="User">The user name, or null (never a password).</param>
/// <param name="Port">The SSH port of a qemu+ssh or qemu+libssh URI, or null (none given, or another transport).</param>
/// <param name="KeyFile">The keyfile= parameter, or null.</param>
/// <param name="HostSideBase">The URI of the same libvirtd on the host itself, without its socket= parameter (qemu:///system, qemu+unix:///system).</param>
/// <param name="Socket">The socket= parameter, or null.</param>
public sealed record RemoteHostParts(string Host, string? User, string? Port, string? KeyFile, string HostSideBase, string? Socket)
{
    /// <summary>The URI of the same libvirtd on the host itself: <see cref="HostSideBase"/> with ?socket= when the URI gave one.</summary>
    public string HostSideUri => Socket is null ? HostSideBase : $"{HostSideBase}?socket={Socket}";
}
