using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The host name of the hypervisor's host; the caller frees the string with free().</summary>
        [LibraryImport(LibraryName)]
        internal static partial IntPtr virConnectGetHostname(ConnectHandle conn);
    }
}
