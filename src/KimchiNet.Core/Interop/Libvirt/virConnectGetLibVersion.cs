using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The version of libvirt behind the connection (the daemon's, for a remote one) as major * 1,000,000 + minor * 1,000 + release; 0 on success, -1 on error.</summary>
        [LibraryImport(LibraryName)]
        internal static partial int virConnectGetLibVersion(ConnectHandle conn, out ulong libVer);
    }
}
