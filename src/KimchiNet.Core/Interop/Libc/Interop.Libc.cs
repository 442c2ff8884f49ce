using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    /// <summary>The C library (glibc, libc.so.6): the few calls .NET has no managed face for (owner checks, no-follow opens, flock).</summary>
    internal static partial class Libc
    {
        /// <summary>The soname of the C library.</summary>
        internal const string LibraryName = "libc.so.6";

        /// <summary>openat/statx: relative to the current directory.</summary>
        internal const int AT_FDCWD = -100;

        /// <summary>statx: do not follow a final symbolic link.</summary>
        internal const int AT_SYMLINK_NOFOLLOW = 0x100;

        /// <summary>statx: describe dirfd itself (empty path).</summary>
        internal const int AT_EMPTY_PATH = 0x1000;

        /// <summary>statx: type, mode, nlink, uid, gid, times, ino, size, blocks.</summary>
        internal const uint STATX_BASIC_STATS = 0x7ff;

        internal const int O_RDONLY = 0;
        internal const int O_CREAT = 0x40;      // 0100, the same on every Linux architecture .NET runs on
        internal const int O_NONBLOCK = 0x800;  // 04000
        internal const int O_CLOEXEC = 0x80000; // 02000000

        /// <summary>O_DIRECTORY: 0200000 on x86 and the generic ABI, 040000 on ARM.</summary>
        internal static int O_DIRECTORY => IsArm ? 0x4000 : 0x10000;

        /// <summary>O_NOFOLLOW: 0400000 on x86 and the generic ABI, 0100000 on ARM.</summary>
        internal static int O_NOFOLLOW => IsArm ? 0x8000 : 0x20000;

        internal const int LOCK_EX = 2;
        internal const int LOCK_NB = 4;

        internal const int EWOULDBLOCK = 11;
        internal const int EINTR = 4;

        /// <summary>File type bits of st_mode.</summary>
        internal const int S_IFMT = 0xF000;
        internal const int S_IFREG = 0x8000;
        internal const int S_IFDIR = 0x4000;
        internal const int S_IFLNK = 0xA000;
        internal const int S_IFIFO = 0x1000;

        private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64;

        /// <summary>struct statx (linux/stat.h): the same layout on every architecture, 256 bytes.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        internal struct StatxBuffer
        {
            [FieldOffset(0)] public uint Mask;
            [FieldOffset(16)] public uint Nlink;
            [FieldOffset(20)] public uint Uid;
            [FieldOffset(24)] public uint Gid;
            [FieldOffset(28)] public ushort Mode;
            [FieldOffset(32)] public ulong Ino;
            [FieldOffset(40)] public ulong Size;
        }
    }
}
