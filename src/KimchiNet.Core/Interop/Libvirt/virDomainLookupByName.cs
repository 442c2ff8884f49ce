using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The domain of that name, or an invalid handle (the last error says why).</summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial DomainHandle virDomainLookupByName(ConnectHandle conn, string name);
    }
}
