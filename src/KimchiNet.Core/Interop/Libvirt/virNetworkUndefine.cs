using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Removes a network's persistent definition. 0 or -1.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virNetworkUndefine(NetworkHandle network);
    }
}
