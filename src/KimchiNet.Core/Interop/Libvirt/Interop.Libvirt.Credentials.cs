using System;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The credential the auth callback answers with, for the open call running on this thread only.</summary>
        [ThreadStatic]
        private static NetworkCredential? t_credential;

        /// <summary>Whether the password was already given during the open call running on this thread.</summary>
        [ThreadStatic]
        private static bool t_passwordGiven;

        private static readonly Lazy<IntPtr> s_auth = new(CreateAuth);

        /// <summary>
        /// virConnectOpenAuth with <paramref name="credential"/>: its user name answers libvirt's
        /// VIR_CRED_USERNAME and VIR_CRED_AUTHNAME questions, its password VIR_CRED_PASSPHRASE and
        /// VIR_CRED_NOECHOPROMPT (a password, or a key's passphrase). VIR_CRED_ECHOPROMPT is not
        /// offered, so libssh's question "accept this unknown host key?" is never answered: an unknown
        /// host key fails (host keys are verified by default, and never accepted on KimchiNet's behalf).
        /// </summary>
        /// <remarks>
        /// libvirt asks its questions during the open call and on its thread, so the credential is
        /// handed to the callback through a thread-static field that holds it for that call only. The
        /// native virConnectAuth is one block for the whole process (libvirt's libssh session keeps a
        /// pointer to it for as long as the connection lives); it holds no secret. An answer is copied
        /// into memory from malloc, which libvirt frees. The password is given once per open call: a
        /// second question for it means the server refused it, and it is not sent again (libvirt 9.0's
        /// libssh transport asks again after every refusal, and after the server gives up and
        /// disconnects it waits forever: seen in the lab with virsh as well).
        /// </remarks>
        internal static unsafe ConnectHandle OpenWithCredential(string? uri, NetworkCredential credential)
        {
            ArgumentNullException.ThrowIfNull(credential);
            t_credential = credential;
            t_passwordGiven = false;
            try
            {
                return virConnectOpenAuth(uri, (VirConnectAuth*)s_auth.Value, 0);
            }
            finally
            {
                t_credential = null;
                t_passwordGiven = false;
            }
        }

        private static unsafe IntPtr CreateAuth()
        {
            int[] types = [VIR_CRED_USERNAME, VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT];
            var typeArray = (int*)NativeMemory.Alloc((nuint)(types.Length * sizeof(int)));
            for (var i = 0; i < types.Length; i++)
            {
                typeArray[i] = types[i];
            }

            var auth = (VirConnectAuth*)NativeMemory.AllocZeroed((nuint)sizeof(VirConnectAuth));
            auth->CredentialTypes = typeArray;
            auth->CredentialTypeCount = (uint)types.Length;
            auth->Callback = &AnswerCredentials;
            return (IntPtr)auth;
        }

        /// <summary>libvirt's virConnectAuthCallbackPtr: 0 when every question was answered, -1 otherwise (libvirt then fails the open).</summary>
        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static unsafe int AnswerCredentials(VirConnectCredential* questions, uint count, IntPtr data)
        {
            var credential = t_credential;
            if (credential is null)
            {
                return -1; // asked outside an open call of this thread: nobody to answer
            }

            try
            {
                return Answer(questions, count, credential);
            }
            catch (Exception)
            {
                return -1; // nothing may cross back into libvirt's C frames
            }
        }

        private static unsafe int Answer(VirConnectCredential* questions, uint count, NetworkCredential credential)
        {
            for (var i = 0; i < count; i++)
            {
                string? answer = questions[i].Type switch
                {
                    VIR_CRED_USERNAME or VIR_CRED_AUTHNAME => credential.UserName,
                    VIR_CRED_PASSPHRASE or VIR_CRED_NOECHOPROMPT when !t_passwordGiven => credential.Password,
                    _ => null,
                };
                if (answer is null)
                {
                    return -1;
                }

                var bytes = Encoding.UTF8.GetBytes(answer);
                var result = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
                bytes.CopyTo(new Span<byte>(result, bytes.Length));
                result[bytes.Length] = 0;
                Array.Clear(bytes);
                t_passwordGiven |= questions[i].Type is VIR_CRED_PASSPHRASE or VIR_CRED_NOECHOPROMPT;
                questions[i].Result = (IntPtr)result;
                questions[i].ResultLength = (uint)bytes.Length;
            }

            return 0;
        }
    }
}
