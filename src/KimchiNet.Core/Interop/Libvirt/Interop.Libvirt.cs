using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace KimchiNet;

/// <summary>
/// The native binding, one file per C function (STYLE.md item 20, after PowerShell's engine/Interop).
/// The class lives in the root namespace KimchiNet on purpose: a namespace KimchiNet.Interop would
/// shadow this class for every caller under KimchiNet.* (C# finds the namespace first).
/// This file holds the few helpers that keep raw pointers inside Interop: string ownership, the
/// thread-local last error and the pointer arrays of the virConnectListAll* calls.
/// </summary>
internal static partial class Interop
{
    /// <summary>libvirt's C library, resolved by the dynamic loader.</summary>
    internal static partial class Libvirt
    {
        /// <summary>The soname of libvirt's client library (Debian package libvirt0).</summary>
        internal const string LibraryName = "libvirt.so.0";

        /// <summary>virNetworkGetXMLDesc flag: the persistent definition rather than the live one.</summary>
        internal const uint VIR_NETWORK_XML_INACTIVE = 1;

        /// <summary>virConnectListAllNetworks filter: only active networks.</summary>
        internal const uint VIR_CONNECT_LIST_NETWORKS_ACTIVE = 2;

        /// <summary>virConnectListAllNetworks filter: only persistent networks.</summary>
        internal const uint VIR_CONNECT_LIST_NETWORKS_PERSISTENT = 4;

        /// <summary>virConnectListAllNetworks filter: only networks that start with the host.</summary>
        internal const uint VIR_CONNECT_LIST_NETWORKS_AUTOSTART = 16;

        /// <summary>virConnectListAllDomains filter: only running domains.</summary>
        internal const uint VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1;

        private static int s_initialized;

        /// <summary>Installs the silent error handler once per process; call before the first libvirt call.</summary>
        internal static unsafe void EnsureInitialized()
        {
            if (Interlocked.Exchange(ref s_initialized, 1) == 0)
            {
                virSetErrorFunc(IntPtr.Zero, &IgnoreError);
            }
        }

        [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
        private static void IgnoreError(IntPtr userData, IntPtr error)
        {
            // Deliberately empty: errors are read with virGetLastError on the failing thread.
        }

        /// <summary>Copies a string libvirt handed over and frees it with free(); null stays null.</summary>
        internal static string? TakeString(IntPtr text)
        {
            if (text == IntPtr.Zero)
            {
                return null;
            }

            try
            {
                return Marshal.PtrToStringUTF8(text);
            }
            finally
            {
                Libc.free(text);
            }
        }

        /// <summary>Copies a string that libvirt keeps owning (the *GetName calls).</summary>
        internal static string? PeekString(IntPtr text) => text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);

        /// <summary>
        /// Reads the calling thread's last libvirt error and clears it; null when libvirt set none. Must
        /// run on the failing call's thread before any other libvirt call: every public libvirt function
        /// resets the error on entry. The Libvirt layer makes a <c>LibvirtError</c> of it.
        /// </summary>
        internal static unsafe LastError? TakeLastError()
        {
            var pointer = virGetLastError();
            if (pointer == IntPtr.Zero)
            {
                return null;
            }

            var error = *(VirError*)pointer;
            var result = new LastError(error.Code, error.Domain, PeekString(error.Message), PeekString(error.Str1), error.Int1);
            virResetLastError();
            return result;
        }

        /// <summary>The fields of a virError that KimchiNet reads, copied off libvirt's thread-local error.</summary>
        internal readonly record struct LastError(int Code, int Domain, string? Message, string? Str1, int Int1);

        /// <summary>Wraps every element of a libvirt pointer array in a handle, then frees the array itself.</summary>
        internal static T[] TakeArray<T>(IntPtr array, int count, Func<IntPtr, T> wrap)
            where T : SafeHandle
        {
            if (array == IntPtr.Zero || count <= 0)
            {
                Libc.free(array);
                return Array.Empty<T>();
            }

            var handles = new T[count];
            var wrapped = 0;
            try
            {
                for (; wrapped < count; wrapped++)
                {
                    handles[wrapped] = wrap(Marshal.ReadIntPtr(array, wrapped * IntPtr.Size));
                }

                return handles;
            }
            catch
            {
                // Release what was wrapped; the rest leak only if wrapping itself failed (out of memory).
                for (var i = 0; i < wrapped; i++)
                {
                    handles[i].Dispose();
                }

                throw;
            }
            finally
            {
                Libc.free(array);
            }
        }
    }
}
