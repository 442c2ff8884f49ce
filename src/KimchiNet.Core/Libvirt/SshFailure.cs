using System;

namespace KimchiNet.Libvirt;

/// <summary>
/// Recognises why opening a connection over SSH failed, from the text libvirt passes on: the ssh
/// program's own words for the qemu+ssh transport, libvirt's libssh and libssh2 words for
/// qemu+libssh and qemu+libssh2. Each case gets its own KimchiNet code and a message that says what
/// to do; KimchiNet never switches host key checking off itself (no no_verify, no auto-accept).
/// </summary>
internal static class SshFailure
{
    // The texts, as observed on Debian 12 (openssh-client 9.2, libvirt 9.0 with libssh 0.10); see SshFailureTests.
    private static readonly string[] s_keyChanged =
    [
        "REMOTE HOST IDENTIFICATION HAS CHANGED", // ssh
        "differs from stored identity",           // libvirt's libssh and libssh2 transports
    ];

    private static readonly string[] s_keyUnknown =
    [
        "Host key verification failed",                   // ssh, unknown key and no terminal to ask on
        "host key is known for",                          // ssh with StrictHostKeyChecking=yes
        "Can't verify the session host key",              // libssh, opened without an auth callback
        "no suitable callback for host key verification", // libssh, callback without ECHOPROMPT
        "failed to retrieve decision to accept host key", // libssh/libssh2, the callback refused
        "was not accepted",                               // libssh/libssh2, "SSH host key for ... was not accepted"
    ];

    private static readonly string[] s_credentialRejected =
    [
        "Authentication with password failed",  // libssh, password refused
        "authentication using password failed", // libssh2
        "Password request failed",              // libvirt: the callback gave no password again after one was refused
    ];

    private static readonly string[] s_loginNeedsUser =
    [
        "Permission denied (",                        // ssh: every method tried failed (no agent, a key's passphrase or a password with no terminal)
        "Authentication callback not provided",       // libssh: a password is needed, and no callback
        "Can't retrieve private key passphrase",      // libssh: a key's passphrase is needed, and no callback
        "wrong passphrase",                           // libssh: the key could not be opened
        "No authentication callback",                 // libssh2
        "Too many authentication failures",           // ssh: the server stopped after too many keys
        "no authentication methods available",
        "All provided authentication methods failed", // libssh/libssh2
    ];

    /// <summary>The KimchiNet code and kind for an SSH login or host key failure of virConnectOpen, or null for any other error.</summary>
    public static (string Code, ErrorKind Kind)? Classify(LibvirtError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!string.Equals(error.Function, "virConnectOpen", StringComparison.Ordinal))
        {
            return null;
        }

        var text = error.Message;
        return Contains(text, s_keyChanged) ? (ErrorCodes.SshHostKeyChanged, ErrorKind.PermissionDenied)
            : Contains(text, s_keyUnknown) ? (ErrorCodes.SshHostKeyUnknown, ErrorKind.PermissionDenied)
            : Contains(text, s_credentialRejected) ? (ErrorCodes.SshCredentialRejected, ErrorKind.PermissionDenied)
            : Contains(text, s_loginNeedsUser) ? (ErrorCodes.SshLoginFailed, ErrorKind.PermissionDenied)
            : null;
    }

    /// <summary>What to do about an SSH failure of <see cref="Classify"/>, or null for any other error.</summary>
    public static string? Advice(LibvirtError error) => Classify(error)?.Code switch
    {
        ErrorCodes.SshHostKeyUnknown =>
            "The host's SSH key is not known here, so KimchiNet did not connect (it verifies host keys and never turns that off by itself). " +
            "To trust the host: get the key's fingerprint from its administrator or its console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), " +
            "compare it with what 'ssh-keyscan HOST | ssh-keygen -lf -' prints here, and if they match add the key to known_hosts: " +
            "ssh-keyscan HOST >> ~/.ssh/known_hosts (for qemu+libssh://, to the file named by the URI's known_hosts= parameter).",
        ErrorCodes.SshHostKeyChanged =>
            "The host's SSH key differs from the one in known_hosts: someone may be between you and the host, or the host was reinstalled. KimchiNet did not connect. " +
            "Do not trust the new key until its administrator confirms its fingerprint (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host); " +
            "then remove the old key (ssh-keygen -R HOST, with -f FILE for the file of a known_hosts= parameter) and add the new one (ssh-keyscan HOST >> known_hosts).",
        ErrorCodes.SshLoginFailed =>
            "SSH could not log in without a user to answer, and KimchiNet does not wait for one: no key was accepted, or the key needs its passphrase, or the server wants a password, and there is no terminal to ask on. " +
            "Use a key the server accepts: load it into ssh-agent (SSH_AUTH_SOCK) or name an unprotected one with the URI's keyfile= parameter; " +
            "or, for a password, connect with qemu+libssh:// and Connect-KimchiHost -Credential.",
        ErrorCodes.SshCredentialRejected =>
            "The SSH server refused the user name and password of -Credential. Check both, and that the server allows password logins for that user (the URI's sshauth=password makes libssh try a password first).",
        _ => null,
    };

    private static bool Contains(string text, string[] fragments)
    {
        foreach (var fragment in fragments)
        {
            if (text.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
