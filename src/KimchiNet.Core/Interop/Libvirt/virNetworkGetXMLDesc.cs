using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The network's XML (flags: VIR_NETWORK_XML_INACTIVE); the caller frees the string with free().</summary>
        [LibraryImport(LibraryName)]
        internal static partial IntPtr virNetworkGetXMLDesc(NetworkHandle network, uint flags);
    }
}
