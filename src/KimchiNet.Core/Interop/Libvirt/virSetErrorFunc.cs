using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>
        /// Sets the process-wide handler libvirt calls for every error. Without one libvirt prints each
        /// error to stderr; KimchiNet reads errors with virGetLastError instead, so it installs a no-op.
        /// </summary>
        [LibraryImport(LibraryName)]
        internal static unsafe partial void virSetErrorFunc(IntPtr userData, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> handler);
    }
}
