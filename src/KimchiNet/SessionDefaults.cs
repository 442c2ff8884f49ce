using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using KimchiNet.Libvirt;

namespace KimchiNet;

/// <summary>
/// Per-runspace session state: the default URI set by Connect-KimchiHost, and the URIs used so far
/// (offered by tab completion). Keyed by runspace so parallel runspaces never share a default.
/// Every URI is stored with its password shown as *** (<see cref="LibvirtUri.Redact"/>):
/// <see cref="LibvirtConnections.Get"/> finds the open connection behind a redacted URI.
/// </summary>
internal static class SessionDefaults
{
    private static readonly ConcurrentDictionary<Guid, string?> s_defaults = new();
    private static readonly ConcurrentDictionary<string, byte> s_used = new(StringComparer.Ordinal);

    private static Guid Current => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

    /// <summary>The URI a cmdlet uses when none is given: this runspace's default, else null (libvirt's own default).</summary>
    public static string? DefaultUri => s_defaults.TryGetValue(Current, out var uri) ? uri : null;

    /// <summary>Sets this runspace's default URI.</summary>
    public static void SetDefault(string? uri)
    {
        s_defaults[Current] = LibvirtUri.Redact(uri);
        Remember(uri);
    }

    /// <summary>Clears this runspace's default URI when it is <paramref name="uri"/> (or any, when null).</summary>
    public static void ClearDefault(string? uri)
    {
        if (uri is null || string.Equals(DefaultUri, LibvirtUri.Redact(uri), StringComparison.Ordinal))
        {
            s_defaults.TryRemove(Current, out _);
        }
    }

    /// <summary>Notes a URI as used in this process, for completion.</summary>
    public static void Remember(string? uri)
    {
        if (!string.IsNullOrEmpty(uri))
        {
            s_used.TryAdd(LibvirtUri.Redact(uri)!, 0);
        }
    }

    /// <summary>The URIs used so far, sorted.</summary>
    public static IReadOnlyList<string> UsedUris => s_used.Keys.OrderBy(uri => uri, StringComparer.Ordinal).ToList();
}
