using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>1 if running, 0 if not, -1 on error.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virNetworkIsActive(NetworkHandle network);
    }
}
