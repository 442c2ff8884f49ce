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
        /// <remarks>
        /// Called through <see cref="NativeMemory.Free"/> (a thin wrapper over free() in the runtime's
        /// libSystem.Native), not through a LibraryImport of libc.so.6: that binds with dlsym on the
        /// libc handle, which returns glibc's own free even where the process's malloc is replaced
        /// (LD_PRELOAD of jemalloc or tcmalloc, heaptrack), while libvirt's malloc resolves to the
        /// replacement. A jemalloc block handed to glibc's free corrupts the heap or aborts, and under
        /// heaptrack every string libvirt returned showed as leaked. NativeMemory.Free's free() is
        /// resolved like libvirt's malloc, so the pair always matches.
        /// </remarks>
        internal static unsafe void free(IntPtr ptr) => NativeMemory.Free((void*)ptr);
    }
}
