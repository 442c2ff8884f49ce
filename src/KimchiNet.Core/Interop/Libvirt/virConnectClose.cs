using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Drops one reference on a connection; only ConnectHandle.ReleaseHandle calls it.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virConnectClose(IntPtr conn);
    }
}
