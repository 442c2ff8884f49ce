using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Starts a defined network. 0 or -1.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virNetworkCreate(NetworkHandle network);
    }
}
