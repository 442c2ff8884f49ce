using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The name of the hypervisor driver behind the connection ("TEST", "QEMU"...), asked of the daemon for a remote connection; libvirt keeps owning the string.</summary>
        [LibraryImport(LibraryName)]
        internal static partial IntPtr virConnectGetType(ConnectHandle conn);
    }
}
