using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The network's bridge device name (fails for networks without one); the caller frees the string with free().</summary>
        [LibraryImport(LibraryName)]
        internal static partial IntPtr virNetworkGetBridgeName(NetworkHandle network);
    }
}
