using System;

namespace KimchiNet.Libvirt;

/// <summary>Domains' devices changed in place (virDomainUpdateDeviceFlags).</summary>
public sealed partial class LibvirtConnection
{
    /// <summary>
    /// Changes one device of a running domain from its XML, live only (VIR_DOMAIN_AFFECT_LIVE): the
    /// domain's persistent definition stays. For a NIC this moves its tap to the bridge the XML
    /// names, as <c>virsh update-device --live</c> does.
    /// </summary>
    /// <exception cref="LibvirtException">KCHNET0106E when there is no such domain or libvirt refuses the change.</exception>
    public void UpdateDomainDeviceLive(string domain, string deviceXml)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(deviceXml);
        Write(conn =>
        {
            if (domain.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("A domain name cannot hold a NUL character.", nameof(domain));
            }

            Trace($"virDomainLookupByName('{domain}')");
            using var handle = Interop.Libvirt.virDomainLookupByName(conn, domain);
            if (handle.IsInvalid)
            {
                throw Fail(conn, "virDomainLookupByName", domain);
            }

            Trace($"virDomainUpdateDeviceFlags('{domain}', {deviceXml}, flags={Interop.Libvirt.VIR_DOMAIN_AFFECT_LIVE})", keepLineBreaks: true);
            if (Interop.Libvirt.virDomainUpdateDeviceFlags(handle, deviceXml, Interop.Libvirt.VIR_DOMAIN_AFFECT_LIVE) < 0)
            {
                throw Fail(conn, "virDomainUpdateDeviceFlags", domain);
            }

            return true;
        });
    }
}
