using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>geteuid(2): the effective user id of the process (0 for root).</summary>
        [LibraryImport(LibraryName)]
        internal static partial uint geteuid();
    }
}
