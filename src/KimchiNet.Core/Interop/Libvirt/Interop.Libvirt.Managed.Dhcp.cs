using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>
        /// virNetworkGetDHCPLeases with every lease copied out and libvirt's memory freed
        /// (each lease with virNetworkDHCPLeaseFree, then the array); the count, or -1 on failure
        /// (then the caller captures the last error at once).
        /// </summary>
        internal static unsafe int NetworkGetDhcpLeases(NetworkHandle network, out LeaseCopy[] leases)
        {
            leases = Array.Empty<LeaseCopy>();
            var count = virNetworkGetDHCPLeases(network, null, out var array, 0);
            if (count < 0)
            {
                return count;
            }

            var result = new LeaseCopy[count];
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var pointer = Marshal.ReadIntPtr(array, i * IntPtr.Size);
                    var lease = *(VirNetworkDhcpLease*)pointer;
                    result[i] = new LeaseCopy(
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

        /// <summary>The fields of a virNetworkDHCPLease, copied out of libvirt's memory.</summary>
        internal readonly record struct LeaseCopy(
            string? Iface, long ExpiryTime, bool IsIPv6, string? Mac, string? IpAddr, uint Prefix, string? Hostname, string? ClientId);
    }
}
