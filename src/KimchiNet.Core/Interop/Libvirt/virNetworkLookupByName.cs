using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Finds a network by name; invalid handle (VIR_ERR_NO_NETWORK) when there is none.</summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial NetworkHandle virNetworkLookupByName(ConnectHandle conn, string name);
    }
}
