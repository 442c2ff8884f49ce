using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KimchiNet;

/// <summary>Owner, mode and type of a file, from statx(2).</summary>
/// <param name="Uid">The owner's user id.</param>
/// <param name="Mode">st_mode: type bits and permission bits.</param>
/// <param name="Links">The number of hard links.</param>
internal readonly record struct UnixFileFacts(uint Uid, int Mode, uint Links)
{
    /// <summary>The type bits (S_IFMT) of <see cref="Mode"/>.</summary>
    public int Type => Mode & Interop.Libc.S_IFMT;

    /// <summary>The permission bits (07777) of <see cref="Mode"/>.</summary>
    public int Permissions => Mode & 0xFFF;

    /// <summary>True when group or others may write (mode &amp; 022).</summary>
    public bool GroupOrOtherWritable => (Mode & 0x12) != 0;

    /// <summary>The type as a person reads it.</summary>
    public string TypeName => Type switch
    {
        Interop.Libc.S_IFREG => "regular file",
        Interop.Libc.S_IFDIR => "directory",
        Interop.Libc.S_IFLNK => "symbolic link",
        Interop.Libc.S_IFIFO => "FIFO",
        0xC000 => "socket",
        0x2000 => "character device",
        0x6000 => "block device",
        _ => "file of unknown type",
    };

    /// <summary>The permission bits in octal, e.g. 0755.</summary>
    public string OctalPermissions => "0" + System.Convert.ToString(Permissions, 8).PadLeft(3, '0');
}

internal static partial class Interop
{
    internal static partial class Libc
    {
        // Managed faces of statx and openat, so that callers never handle a raw descriptor.

        /// <summary>statx of a path (of a final symbolic link itself unless <paramref name="followLinks"/>); null with <paramref name="errno"/> on failure.</summary>
        internal static UnixFileFacts? Stat(string path, bool followLinks, out int errno)
        {
            if (statx(AT_FDCWD, path, followLinks ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, out var buffer) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }

            errno = 0;
            return new UnixFileFacts(buffer.Uid, buffer.Mode, buffer.Nlink);
        }

        /// <summary>statx of an open descriptor (what it really is, whatever its path now names).</summary>
        internal static UnixFileFacts? Stat(SafeFileHandle handle, out int errno)
        {
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (statx((int)handle.DangerousGetHandle(), string.Empty, AT_EMPTY_PATH, STATX_BASIC_STATS, out var buffer) != 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    return null;
                }

                errno = 0;
                return new UnixFileFacts(buffer.Uid, buffer.Mode, buffer.Nlink);
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        /// <summary>openat(2) relative to <paramref name="directory"/> (null: the current directory); an invalid handle with <paramref name="errno"/> on failure.</summary>
        internal static SafeFileHandle OpenAt(SafeFileHandle? directory, string path, int flags, uint mode, out int errno)
        {
            var added = false;
            try
            {
                directory?.DangerousAddRef(ref added);
                var fd = openat(directory is null ? AT_FDCWD : (int)directory.DangerousGetHandle(), path, flags | O_CLOEXEC, mode);
                errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
                return new SafeFileHandle(fd, ownsHandle: fd >= 0);
            }
            finally
            {
                if (added)
                {
                    directory!.DangerousRelease();
                }
            }
        }

        /// <summary>The text of an errno value (strerror), as .NET renders it.</summary>
        internal static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
    }
}
