using System.Collections.Generic;

namespace KimchiNet.Libvirt;

/// <summary>Domains (virtual machines), read only: KimchiNet lists them to see which use a network.</summary>
public sealed partial class LibvirtConnection
{
    private static readonly DocumentKind<DomainHandle> s_domains = new("Domain", Interop.Libvirt.ListAllDomains, Interop.Libvirt.DomainGetName, Interop.Libvirt.DomainGetXmlDesc, LibvirtErrorNumbers.NoDomain);

    /// <summary>Every domain (running or not) with its XML; which are running comes from one more, filtered, list.</summary>
    public IReadOnlyList<DomainRecord> ListDomains() => Read(conn => ListDocuments<DomainHandle, DomainRecord>(conn, s_domains, () =>
    {
        var running = Names(conn, s_domains, Interop.Libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE);
        return (_, name, xml) => new DomainRecord(name, xml, running.Contains(name));
    }));
}
