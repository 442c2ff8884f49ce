using System.Collections.Generic;

namespace KimchiNet.Libvirt;

/// <summary>
/// The process-wide pool of libvirt connections, one per URI string, shared by every thread and
/// runspace. A null URI means libvirt's default (LIBVIRT_DEFAULT_URI, then libvirt's own choice).
/// </summary>
public static class LibvirtConnections
{
    private static readonly object s_gate = new();
    private static readonly Dictionary<string, LibvirtConnection> s_pool = new(System.StringComparer.Ordinal);

    /// <summary>The open connection for <paramref name="uri"/>, opening it on first use.</summary>
    /// <exception cref="LibvirtException">KCHNET0103E (or KCHNET0104E) when libvirt cannot be reached.</exception>
    public static LibvirtConnection Get(string? uri = null)
    {
        var key = uri ?? string.Empty;
        LibvirtConnection connection;
        lock (s_gate)
        {
            if (!s_pool.TryGetValue(key, out connection!))
            {
                connection = new LibvirtConnection(uri);
                s_pool.Add(key, connection);
            }
        }

        try
        {
            connection.EnsureOpen();
        }
        catch (LibvirtException)
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

        return connection;
    }

    /// <summary>The URIs (null shown as the empty string) that have a pooled connection.</summary>
    public static IReadOnlyList<string> PooledUris
    {
        get
        {
            lock (s_gate)
            {
                return new List<string>(s_pool.Keys);
            }
        }
    }

    /// <summary>Closes and forgets the connection for <paramref name="uri"/>; true if there was one.</summary>
    public static bool Close(string? uri)
    {
        LibvirtConnection? connection;
        lock (s_gate)
        {
            if (!s_pool.Remove(uri ?? string.Empty, out connection))
            {
                return false;
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
        }

        foreach (var connection in connections)
        {
            connection.Dispose();
        }
    }
}
