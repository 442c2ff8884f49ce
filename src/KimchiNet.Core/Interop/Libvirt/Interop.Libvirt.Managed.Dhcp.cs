using System;
using System.Runtime.InteropServices;
using KimchiNet.Libvirt;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>
        /// virNetworkGetDHCPLeases with every lease copied into a record and libvirt's memory freed
        /// (each lease with virNetworkDHCPLeaseFree, then the array); the count, or -1 on failure
        /// (then the caller captures the last error at once).
        /// </summary>
        internal static unsafe int NetworkGetDhcpLeases(NetworkHandle network, out DhcpLeaseRecord[] leases)
        {
            leases = Array.Empty<DhcpLeaseRecord>();
            var count = virNetworkGetDHCPLeases(network, null, out var array, 0);
            if (count < 0)
            {
                return count;
            }

            var result = new DhcpLeaseRecord[count];
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var pointer = Marshal.ReadIntPtr(array, i * IntPtr.Size);
                    var lease = *(VirNetworkDhcpLease*)pointer;
                    result[i] = new DhcpLeaseRecord(
                        PeekString(lease.Iface),
                        lease.ExpiryTime,
                        lease.Type == 1,
                        PeekString(lease.Mac),
                        PeekString(lease.IpAddr),
                        lease.Prefix,
                        PeekString(lease.Hostname),
                        PeekString(lease.ClientId));
                }
            }
            finally
            {
                for (var i = 0; i < count; i++)
                {
                    virNetworkDHCPLeaseFree(Marshal.ReadIntPtr(array, i * IntPtr.Size));
                }

                Libc.free(array);
            }

            leases = result;
            return count;
        }
    }
}
