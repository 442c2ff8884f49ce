using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>flock(2) on a descriptor: 0, or -1 with errno (EWOULDBLOCK with LOCK_NB while another holds it).</summary>
        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int flock(Microsoft.Win32.SafeHandles.SafeFileHandle fd, int operation);
    }
}
