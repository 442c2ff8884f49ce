using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Clears the calling thread's last error.</summary>
        [LibraryImport(LibraryName)]
        internal static partial void virResetLastError();
    }
}
