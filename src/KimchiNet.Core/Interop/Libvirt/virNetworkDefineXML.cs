using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>Defines (or redefines) a persistent network from XML; invalid handle on failure.</summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial NetworkHandle virNetworkDefineXML(ConnectHandle conn, string xml);
    }
}
