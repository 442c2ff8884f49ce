using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Frees one lease of virNetworkGetDHCPLeases' array (null is ignored).</summary>
        [LibraryImport(LibraryName)]
        internal static partial void virNetworkDHCPLeaseFree(IntPtr lease);
    }
}
