using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>virNetworkUpdateCommand: replace the matching element (matched by MAC, IP or name for DHCP hosts).</summary>
        internal const uint VIR_NETWORK_UPDATE_COMMAND_MODIFY = 1;

        /// <summary>virNetworkUpdateCommand: delete the element whose given attributes all match.</summary>
        internal const uint VIR_NETWORK_UPDATE_COMMAND_DELETE = 2;

        /// <summary>virNetworkUpdateCommand: append the element.</summary>
        internal const uint VIR_NETWORK_UPDATE_COMMAND_ADD_LAST = 3;

        /// <summary>virNetworkUpdateCommand: insert the element first.</summary>
        internal const uint VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST = 4;

        /// <summary>virNetworkUpdateSection: a &lt;host&gt; of &lt;ip&gt;/&lt;dhcp&gt;.</summary>
        internal const uint VIR_NETWORK_SECTION_IP_DHCP_HOST = 4;

        /// <summary>virNetworkUpdateSection: a &lt;range&gt; of &lt;ip&gt;/&lt;dhcp&gt;.</summary>
        internal const uint VIR_NETWORK_SECTION_IP_DHCP_RANGE = 5;

        /// <summary>virNetworkUpdateSection: an &lt;interface&gt; of &lt;forward&gt;.</summary>
        internal const uint VIR_NETWORK_SECTION_FORWARD_INTERFACE = 7;

        /// <summary>virNetworkUpdateSection: a &lt;portgroup&gt;.</summary>
        internal const uint VIR_NETWORK_SECTION_PORTGROUP = 9;

        /// <summary>virNetworkUpdateSection: a &lt;host&gt; of &lt;dns&gt;.</summary>
        internal const uint VIR_NETWORK_SECTION_DNS_HOST = 10;

        /// <summary>virNetworkUpdateFlags: change the running network (and its dnsmasq).</summary>
        internal const uint VIR_NETWORK_UPDATE_AFFECT_LIVE = 1;

        /// <summary>virNetworkUpdateFlags: change the persistent definition.</summary>
        internal const uint VIR_NETWORK_UPDATE_AFFECT_CONFIG = 2;

        /// <summary>
        /// Changes one section of a network's live state and/or persistent definition without a
        /// restart. 0 or -1. The order is the public API's: command, then section. From libvirt 0.10.2
        /// the library passed the two swapped to its drivers (and so over the wire); the fix lives in
        /// the library itself, which asks the daemon for VIR_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER
        /// and sends the order that daemon expects (Debian 12's libvirt 9.0 has it). A caller of the C
        /// function therefore never swaps them; the lab test proves it against a real libvirtd.
        /// parentIndex picks the &lt;ip&gt; element by its position among all &lt;ip&gt;s (-1: libvirt chooses).
        /// </summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int virNetworkUpdate(NetworkHandle network, uint command, uint section, int parentIndex, string xml, uint flags);
    }
}
