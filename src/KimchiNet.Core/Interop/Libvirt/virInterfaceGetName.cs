using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The interface's name, owned by the interface object: do NOT free it.</summary>
        [LibraryImport(LibraryName)]
        internal static partial IntPtr virInterfaceGetName(InterfaceHandle iface);
    }
}
