using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Allocates an array of domain pointers; each element needs virDomainFree and the array free(). Returns the count or -1.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virConnectListAllDomains(ConnectHandle conn, out IntPtr domains, uint flags);
    }
}
