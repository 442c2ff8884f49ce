using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Linux statx(2): owner, mode and type of a path (AT_SYMLINK_NOFOLLOW: of a link itself) or of an open descriptor (AT_EMPTY_PATH). 0, or -1 with errno.</summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int statx(int dirfd, string pathname, int flags, uint mask, out StatxBuffer statxbuf);
    }
}
