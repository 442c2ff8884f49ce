using System;
using System.Net;

namespace KimchiNet.Libvirt;

/// <summary>
/// Logging in with a user name and password (Connect-KimchiHost -Credential): the credential answers
/// libvirt's auth callback (virConnectOpenAuth) when the connection opens or reopens. It is kept in
/// this object only: never in the URI, the pool's key, a message or a -Verbose line.
/// </summary>
public sealed partial class LibvirtConnection
{
    private readonly NetworkCredential? _credential;

    internal LibvirtConnection(string? requestedUri, NetworkCredential? credential)
        : this(requestedUri) => _credential = credential;

    /// <summary>True when this connection logs in with <paramref name="credential"/>: the same user name and password (or neither).</summary>
    internal bool LogsInWith(NetworkCredential? credential) =>
        _credential is null
            ? credential is null
            : credential is not null
              && string.Equals(_credential.UserName, credential.UserName, StringComparison.Ordinal)
              && string.Equals(_credential.Password, credential.Password, StringComparison.Ordinal);

    /// <summary>
    /// The native open: virConnectOpen, which never prompts (no auth callback), or, with a credential,
    /// virConnectOpenAuth answering with it (<see cref="Interop.Libvirt.OpenWithCredential"/>).
    /// </summary>
    private ConnectHandle OpenNative() => _credential is null
        ? Interop.Libvirt.virConnectOpen(_requestedUri)
        : Interop.Libvirt.OpenWithCredential(_requestedUri, _credential);
}
