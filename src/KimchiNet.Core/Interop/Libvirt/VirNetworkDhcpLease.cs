using System;
using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>The layout of libvirt's struct _virNetworkDHCPLease (libvirt-network.h); read only, freed with virNetworkDHCPLeaseFree.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct VirNetworkDhcpLease
        {
            /// <summary>char*: the network's interface (its bridge).</summary>
            public IntPtr Iface;

            /// <summary>long long: when the lease ends, in seconds since the epoch (0: never).</summary>
            public long ExpiryTime;

            /// <summary>virIPAddrType: 0 IPv4, 1 IPv6.</summary>
            public int Type;

            /// <summary>char*: the client's MAC address (may be null for DHCPv6).</summary>
            public IntPtr Mac;

            /// <summary>char*: the IAID (DHCPv6), or null.</summary>
            public IntPtr Iaid;

            /// <summary>char*: the leased address.</summary>
            public IntPtr IpAddr;

            /// <summary>unsigned int: the prefix length of the address.</summary>
            public uint Prefix;

            /// <summary>char*: the host name the client sent, or null.</summary>
            public IntPtr Hostname;

            /// <summary>char*: the client id or DUID, or null.</summary>
            public IntPtr ClientId;
        }
    }
}
