using System;
using System.Net;

namespace KimchiNet.Libvirt;

/// <summary>The pool's connections that log in with a user name and password (Connect-KimchiHost -Credential).</summary>
public static partial class LibvirtConnections
{
    /// <summary>
    /// The open connection for <paramref name="uri"/> that logs in with <paramref name="credential"/>
    /// (null: <see cref="Get(string?)"/>). The pool's key stays the URI: later calls with the URI alone
    /// reach this connection, and it reopens with the same credential. A pooled connection that logs in
    /// otherwise is replaced once the new one is open; when the new one cannot be opened, the pool is
    /// left as it was.
    /// </summary>
    /// <exception cref="KimchiException">KCHNET0156E for a transport that cannot take a password from KimchiNet (ssh, ext).</exception>
    /// <exception cref="LibvirtException">As <see cref="Get(string?)"/>; KCHNET0155E when the SSH server refuses the credential.</exception>
    public static LibvirtConnection GetWithCredential(string? uri, NetworkCredential? credential)
    {
        if (credential is null)
        {
            return Get(uri);
        }

        RefuseCredentialFor(uri);
        string key;
        lock (s_gate)
        {
            key = Resolve(uri ?? string.Empty);
            if (s_pool.TryGetValue(key, out var pooled) && pooled.LogsInWith(credential) && pooled.IsAlive)
            {
                return pooled;
            }
        }

        var fresh = new LibvirtConnection(WithUser(uri, credential.UserName), credential);
        try
        {
            fresh.EnsureOpen();
        }
        catch
        {
            fresh.Dispose();
            throw;
        }

        // Objects carry the URI libvirt reports (with the user name put in): it leads back here.
        var reported = fresh.Uri;
        LibvirtConnection? replaced;
        lock (s_gate)
        {
            s_pool.Remove(key, out replaced);
            s_pool.Add(key, fresh);
            if (!string.Equals(reported, key, StringComparison.Ordinal))
            {
                s_redacted[reported] = key;
            }
        }

        replaced?.Dispose();
        return fresh;
    }

    /// <summary>
    /// qemu+ssh:// runs the ssh program, which asks for a password on a terminal only and never
    /// through libvirt's auth callback (nor does an ext transport's program): a credential would be
    /// ignored there, so it is refused before anything connects.
    /// </summary>
    private static void RefuseCredentialFor(string? uri)
    {
        var schemeEnd = uri?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var scheme = schemeEnd > 0 ? uri![..schemeEnd] : string.Empty;
        var plus = scheme.IndexOf('+', StringComparison.Ordinal);
        var transport = plus < 0 ? string.Empty : scheme[(plus + 1)..].ToLowerInvariant();
        if (transport is "ssh" or "ext")
        {
            var shown = LibvirtUri.Redact(uri)!;
            throw new KimchiException(
                ErrorCodes.CredentialNotUsable,
                ErrorKind.InvalidInput,
                $"-Credential cannot be used with '{DisplayText.Printable(shown)}': the {transport} transport runs a program that asks for a password on a terminal only, never through KimchiNet. Use qemu+libssh://{DisplayText.Printable(AfterScheme(shown))} with -Credential (libvirt speaks SSH itself there and takes the password from it), or log in with a key (ssh-agent, or the URI's keyfile= parameter).",
                shown);
        }
    }

    /// <summary>
    /// <paramref name="uri"/> with <paramref name="userName"/> as its user when it names a host but no
    /// user (libvirt would log in as the local user otherwise, and ask the credential for a password only).
    /// </summary>
    internal static string? WithUser(string? uri, string? userName)
    {
        var start = uri?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (start < 0 || string.IsNullOrEmpty(userName))
        {
            return uri;
        }

        var hostStart = start + 3;
        var end = uri!.IndexOfAny(['/', '?', '#'], hostStart);
        var authority = end < 0 ? uri[hostStart..] : uri[hostStart..end];
        return authority.Length == 0 || authority.Contains('@', StringComparison.Ordinal)
            ? uri
            : string.Concat(uri.AsSpan(0, hostStart), System.Uri.EscapeDataString(userName), "@", uri.AsSpan(hostStart));
    }

    private static string AfterScheme(string uri)
    {
        var start = uri.IndexOf("://", StringComparison.Ordinal);
        return start < 0 ? uri : uri[(start + 3)..];
    }
}
