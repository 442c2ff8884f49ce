using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Drops a network reference; only NetworkHandle.ReleaseHandle calls it.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virNetworkFree(IntPtr network);
    }
}
