using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Allocates an array of network pointers; each element needs virNetworkFree and the array free(). Returns the count or -1.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virConnectListAllNetworks(ConnectHandle conn, out IntPtr nets, uint flags);
    }
}
