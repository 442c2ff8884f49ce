using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Whether the network starts with the host. 0 or -1.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virNetworkGetAutostart(NetworkHandle network, out int autostart);
    }
}
