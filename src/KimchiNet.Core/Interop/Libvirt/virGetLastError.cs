using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The calling thread's last error (thread-local, owned by libvirt: do not free), or null.</summary>
        [LibraryImport(LibraryName)]
        internal static partial IntPtr virGetLastError();
    }
}
