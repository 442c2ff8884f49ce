using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>virConnectCredentialType: the user name to log in as.</summary>
        internal const int VIR_CRED_USERNAME = 1;

        /// <summary>virConnectCredentialType: the name to authorize as (SASL, libssh).</summary>
        internal const int VIR_CRED_AUTHNAME = 2;

        /// <summary>virConnectCredentialType: a password or a key's passphrase, not echoed.</summary>
        internal const int VIR_CRED_PASSPHRASE = 5;

        /// <summary>virConnectCredentialType: a question whose answer is shown as typed (libssh asks it to accept an unknown host key).</summary>
        internal const int VIR_CRED_ECHOPROMPT = 6;

        /// <summary>virConnectCredentialType: a question whose answer is not shown.</summary>
        internal const int VIR_CRED_NOECHOPROMPT = 7;

        /// <summary>
        /// Opens a connection as <see cref="virConnectOpen"/> does, with <paramref name="auth"/> answering
        /// the questions of the transport (user name, password) through its callback. Returns an invalid
        /// handle on failure.
        /// </summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial ConnectHandle virConnectOpenAuth(string? name, VirConnectAuth* auth, uint flags);

        /// <summary>virConnectAuth: the credential types the caller answers and the callback that answers them.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct VirConnectAuth
        {
            public int* CredentialTypes;
            public uint CredentialTypeCount;
            public delegate* unmanaged[Cdecl]<VirConnectCredential*, uint, IntPtr, int> Callback;
            public IntPtr CallbackData;
        }

        /// <summary>virConnectCredential: one question of the transport; the answer goes in Result (malloc'd, freed by libvirt).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct VirConnectCredential
        {
            public int Type;
            public IntPtr Prompt;
            public IntPtr Challenge;
            public IntPtr DefaultResult;
            public IntPtr Result;
            public uint ResultLength;
        }
    }
}
