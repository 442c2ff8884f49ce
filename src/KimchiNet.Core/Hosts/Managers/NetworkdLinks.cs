using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace KimchiNet.Hosts.Managers;

/// <summary>What systemd-networkd says of one link in its state file.</summary>
/// <param name="AdminState">ADMIN_STATE: pending, initialized, configuring, configured, unmanaged, failed, linger.</param>
/// <param name="NetworkFile">NETWORK_FILE: the .network file that matched the link, or null.</param>
public sealed record NetworkdLinkState(string? AdminState, string? NetworkFile)
{
    /// <summary>True when networkd manages the link: a .network file matched it and networkd has not let it go (unmanaged, linger).</summary>
    public bool Managed => NetworkFile is not null && AdminState is not (null or "unmanaged" or "linger");
}

/// <summary>
/// systemd-networkd's view of the links, from the state files it keeps for the running daemon
/// (<c>/run/systemd/netif/links/IFINDEX</c>, KEY=VALUE lines, as networkctl reads them). They belong
/// to the systemd-network user, so files of root or that user (looked up in /etc/passwd) are read,
/// and only when group and others cannot write them.
/// </summary>
public static class NetworkdLinks
{
    /// <summary>Where networkd keeps one state file per link.</summary>
    public const string DefaultFolder = "/run/systemd/netif/links";

    /// <summary>The user networkd runs as.</summary>
    internal const string User = "systemd-network";

    /// <summary>The state of the link with <paramref name="ifindex"/>, or null when networkd has no file for it.</summary>
    internal static NetworkdLinkState? Read(ManagerFiles files, int ifindex, string folder = DefaultFolder)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (ifindex <= 0)
        {
            return null;
        }

        var text = files.ReadText(Path.Combine(folder, ifindex.ToString(CultureInfo.InvariantCulture)));
        return text is null ? null : Parse(text);
    }

    /// <summary>The state in one file's text.</summary>
    internal static NetworkdLinkState Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals <= 0)
            {
                continue;
            }

            values[line[..equals]] = line[(equals + 1)..];
        }

        return new NetworkdLinkState(
            values.GetValueOrDefault("ADMIN_STATE") is { Length: > 0 } admin ? admin : null,
            values.GetValueOrDefault("NETWORK_FILE") is { Length: > 0 } file ? file : null);
    }

    /// <summary>The uid of <paramref name="user"/> in a passwd file's text, or null.</summary>
    internal static uint? UidOf(string passwd, string user = User)
    {
        foreach (var line in passwd.Split('\n'))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == user && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                return uid;
            }
        }

        return null;
    }

    /// <summary>The owners allowed for networkd's state files: root, and the systemd-network user when /etc/passwd (root's) names it.</summary>
    internal static uint[] Owners(ManagerFiles rootFiles, string passwd = "/etc/passwd") =>
        rootFiles.ReadText(passwd) is { } text && UidOf(text) is { } uid ? [0, uid] : [0];
}
