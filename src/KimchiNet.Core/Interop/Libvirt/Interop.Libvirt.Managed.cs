using System;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        // Managed faces of the calls that return strings or pointer arrays, so that nothing outside
        // Interop/ handles an IntPtr. A null string or a negative count means the call failed: the
        // caller must then capture the last error at once (these wrappers make no other libvirt call).

        /// <summary>virConnectGetURI as a string; null on failure.</summary>
        internal static string? ConnectGetUri(ConnectHandle conn) => TakeString(virConnectGetURI(conn));

        /// <summary>virConnectGetHostname as a string; null on failure.</summary>
        internal static string? ConnectGetHostname(ConnectHandle conn) => TakeString(virConnectGetHostname(conn));

        /// <summary>virConnectGetType (a string libvirt keeps owning); null on failure.</summary>
        internal static string? ConnectGetType(ConnectHandle conn) => PeekString(virConnectGetType(conn));

        /// <summary>virConnectListAllNetworks with every network wrapped; the count, or -1 on failure.</summary>
        internal static int ListAllNetworks(ConnectHandle conn, uint flags, out NetworkHandle[] networks)
        {
            var count = virConnectListAllNetworks(conn, out var array, flags);
            networks = count < 0 ? Array.Empty<NetworkHandle>() : TakeArray(array, count, static p => new NetworkHandle(p));
            return count;
        }

        /// <summary>virConnectListAllDomains with every domain wrapped; the count, or -1 on failure.</summary>
        internal static int ListAllDomains(ConnectHandle conn, uint flags, out DomainHandle[] domains)
        {
            var count = virConnectListAllDomains(conn, out var array, flags);
            domains = count < 0 ? Array.Empty<DomainHandle>() : TakeArray(array, count, static p => new DomainHandle(p));
            return count;
        }

        /// <summary>virConnectListAllInterfaces with every interface wrapped; the count, or -1 on failure.</summary>
        internal static int ListAllInterfaces(ConnectHandle conn, uint flags, out InterfaceHandle[] interfaces)
        {
            var count = virConnectListAllInterfaces(conn, out var array, flags);
            interfaces = count < 0 ? Array.Empty<InterfaceHandle>() : TakeArray(array, count, static p => new InterfaceHandle(p));
            return count;
        }

        /// <summary>virNetworkGetName; null on failure.</summary>
        internal static string? NetworkGetName(NetworkHandle network) => PeekString(virNetworkGetName(network));

        /// <summary>virNetworkGetXMLDesc; null on failure.</summary>
        internal static string? NetworkGetXmlDesc(NetworkHandle network, uint flags) => TakeString(virNetworkGetXMLDesc(network, flags));


        /// <summary>virDomainGetName; null on failure.</summary>
        internal static string? DomainGetName(DomainHandle domain) => PeekString(virDomainGetName(domain));

        /// <summary>virDomainGetXMLDesc; null on failure.</summary>
        internal static string? DomainGetXmlDesc(DomainHandle domain, uint flags) => TakeString(virDomainGetXMLDesc(domain, flags));

        /// <summary>virInterfaceGetName; null on failure.</summary>
        internal static string? InterfaceGetName(InterfaceHandle iface) => PeekString(virInterfaceGetName(iface));

        /// <summary>virInterfaceGetXMLDesc; null on failure.</summary>
        internal static string? InterfaceGetXmlDesc(InterfaceHandle iface, uint flags) => TakeString(virInterfaceGetXMLDesc(iface, flags));
    }
}
