using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>1 if persistent, 0 if transient, -1 on error.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virNetworkIsPersistent(NetworkHandle network);
    }
}
