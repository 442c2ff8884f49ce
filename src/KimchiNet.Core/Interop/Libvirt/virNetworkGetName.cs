using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The network's name, owned by the network object: do NOT free it.</summary>
        [LibraryImport(LibraryName)]
        internal static partial IntPtr virNetworkGetName(NetworkHandle network);
    }
}
