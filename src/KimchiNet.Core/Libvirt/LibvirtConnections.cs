using System.Collections.Generic;

namespace KimchiNet.Libvirt;

/// <summary>
/// The process-wide pool of libvirt connections, one per URI string, shared by every thread and
/// runspace. A null URI means libvirt's default (LIBVIRT_DEFAULT_URI, then libvirt's own choice).
/// </summary>
/// <remarks>
/// A URI with a password (test://alice:pw@/default) is pooled under the URI as given, which stays
/// here, in memory, and goes nowhere but virConnectOpen. Everything else sees the connection's
/// redacted URI (test://alice:***@/default): objects, session defaults, completion. The pool also
/// knows each open connection by that redacted URI, so an object piped back to a cmdlet reaches the
/// same host; once the connection is closed, the redacted URI opens nothing (KCHNET0115E).
/// </remarks>
public static partial class LibvirtConnections
{
    private static readonly object s_gate = new();
    private static readonly Dictionary<string, LibvirtConnection> s_pool = new(System.StringComparer.Ordinal);
    private static readonly Dictionary<string, string> s_redacted = new(System.StringComparer.Ordinal);

    /// <summary>The open connection for <paramref name="uri"/> (as given, or as redacted by <see cref="LibvirtUri.Redact"/>), opening it on first use.</summary>
    /// <exception cref="LibvirtException">KCHNET0103E (or KCHNET0104E) when libvirt cannot be reached.</exception>
    /// <exception cref="KimchiException">KCHNET0115E for a redacted URI with no open connection behind it.</exception>
    public static LibvirtConnection Get(string? uri = null)
    {
        var key = uri ?? string.Empty;
        LibvirtConnection connection;
        lock (s_gate)
        {
            key = Resolve(key);
            if (!s_pool.TryGetValue(key, out connection!))
            {
                if (LibvirtUri.Password(key) == LibvirtUri.RedactedPassword)
                {
                    throw new KimchiException(
                        ErrorCodes.RedactedUriNotOpen,
                        ErrorKind.InvalidState,
                        $"'{DisplayText.Printable(key)}' is a URI whose password KimchiNet hid, and no connection to it is open (it was closed, or opened in another process). Connect again with the URI as written, password included, or better with ssh keys, SASL or a libvirt auth file.",
                        key);
                }

                connection = new LibvirtConnection(uri);
                s_pool.Add(key, connection);
            }
        }

        try
        {
            connection.EnsureOpen();
        }
        catch (KimchiException)
        {
            // A URI that cannot be opened does not stay in the pool.
            lock (s_gate)
            {
                if (s_pool.TryGetValue(key, out var current) && ReferenceEquals(current, connection) && current.OpenCount == 0)
                {
                    s_pool.Remove(key);
                    current.Dispose();
                }
            }

            throw;
        }

        // The redacted URIs this connection is known by, where one hides a password: the one asked
        // for, and the one libvirt reports (a password may also come from LIBVIRT_DEFAULT_URI).
        var reported = connection.Uri;
        if (LibvirtUri.Password(key) is not null || LibvirtUri.Password(reported) is not null)
        {
            lock (s_gate)
            {
                if (s_pool.TryGetValue(key, out var current) && ReferenceEquals(current, connection))
                {
                    foreach (var alias in new[] { LibvirtUri.Redact(key)!, reported })
                    {
                        if (!string.Equals(alias, key, System.StringComparison.Ordinal))
                        {
                            s_redacted[alias] = key;
                        }
                    }
                }
            }
        }

        return connection;
    }

    /// <summary>The URIs (null shown as the empty string) that have a pooled connection, with passwords shown as ***.</summary>
    public static IReadOnlyList<string> PooledUris
    {
        get
        {
            lock (s_gate)
            {
                var uris = new List<string>(s_pool.Count);
                foreach (var key in s_pool.Keys)
                {
                    uris.Add(LibvirtUri.Redact(key)!);
                }

                return uris;
            }
        }
    }

    /// <summary>Closes and forgets the connection for <paramref name="uri"/> (as given or redacted); true if there was one.</summary>
    public static bool Close(string? uri)
    {
        LibvirtConnection? connection;
        lock (s_gate)
        {
            var key = Resolve(uri ?? string.Empty);
            if (!s_pool.Remove(key, out connection))
            {
                return false;
            }

            foreach (var alias in new List<string>(s_redacted.Keys))
            {
                if (s_redacted[alias] == key)
                {
                    s_redacted.Remove(alias);
                }
            }
        }

        connection.Dispose();
        return true;
    }

    /// <summary>Closes and forgets every pooled connection.</summary>
    public static void CloseAll()
    {
        List<LibvirtConnection> connections;
        lock (s_gate)
        {
            connections = new List<LibvirtConnection>(s_pool.Values);
            s_pool.Clear();
            s_redacted.Clear();
        }

        foreach (var connection in connections)
        {
            connection.Dispose();
        }
    }

    /// <summary>The pool key for <paramref name="uri"/>: itself, or the URI as given behind a redacted one. Call under <see cref="s_gate"/>.</summary>
    private static string Resolve(string uri) =>
        !s_pool.ContainsKey(uri) && s_redacted.TryGetValue(uri, out var key) ? key : uri;
}
