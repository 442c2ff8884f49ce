using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Stops a running network. 0 or -1.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virNetworkDestroy(NetworkHandle network);
    }
}
