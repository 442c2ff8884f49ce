using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>1 if up, 0 if not, -1 on error.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virInterfaceIsActive(InterfaceHandle iface);
    }
}
