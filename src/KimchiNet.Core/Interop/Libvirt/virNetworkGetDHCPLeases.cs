using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>
        /// The network's current DHCP leases (from dnsmasq's lease file, read by libvirt); mac, when not
        /// null, keeps only that client's. Allocates an array of lease pointers: each element needs
        /// virNetworkDHCPLeaseFree and the array free(). Returns the count or -1.
        /// </summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int virNetworkGetDHCPLeases(NetworkHandle network, string? mac, out IntPtr leases, uint flags);
    }
}
