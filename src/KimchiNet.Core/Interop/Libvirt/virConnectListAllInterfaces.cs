using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Allocates an array of interface pointers; each element needs virInterfaceFree and the array free(). Returns the count or -1.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virConnectListAllInterfaces(ConnectHandle conn, out IntPtr ifaces, uint flags);
    }
}
