using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The canonical URI of the connection; the caller frees the string with free().</summary>
        [LibraryImport(LibraryName)]
        internal static partial IntPtr virConnectGetURI(ConnectHandle conn);
    }
}
