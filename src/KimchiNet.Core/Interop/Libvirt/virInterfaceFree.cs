using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Drops an interface reference; only InterfaceHandle.ReleaseHandle calls it.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virInterfaceFree(IntPtr iface);
    }
}
