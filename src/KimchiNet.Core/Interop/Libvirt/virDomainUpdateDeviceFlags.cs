using System.Runtime.InteropServices;

namespace KimchiNet;

internal static partial class Interop
{
    internal static partial class Libvirt
    {
        /// <summary>virDomainModificationImpact: change the running domain only.</summary>
        internal const uint VIR_DOMAIN_AFFECT_LIVE = 1;

        /// <summary>
        /// Changes one device of a domain in place from its XML (0 or -1). For a NIC, qemu's driver
        /// moves the NIC's tap to another bridge when the new XML names one (a change of the
        /// interface type between 'network' and 'bridge', or another bridge name); the same XML
        /// again changes nothing, even when the tap fell off a bridge that was deleted and made
        /// again (libvirt 9.0, checked in a lab host).
        /// </summary>
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int virDomainUpdateDeviceFlags(DomainHandle domain, string xml, uint flags);
    }
}
