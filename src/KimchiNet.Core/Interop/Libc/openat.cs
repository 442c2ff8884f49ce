using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>open(2) through openat(2) with a directory descriptor (or <see cref="AT_FDCWD"/>): a new descriptor, or -1 with errno.</summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int openat(int dirfd, string pathname, int flags, uint mode);
    }
}
