using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    /// <summary>The C library, for releasing memory libvirt hands over to the caller.</summary>
    internal static partial class Libc
    {
        /// <summary>
        /// C's free(). libvirt allocates returned strings and arrays with the C allocator and documents
        /// that the caller releases them with free(); its own virFree is not exported.
        /// </summary>
        [LibraryImport("libc.so.6")]
        internal static partial void free(IntPtr ptr);
    }
}
