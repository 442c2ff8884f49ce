namespace KimchiNet.Libvirt;

/// <summary>A network as libvirt reports it, read in one pass: its XML and its run-time facts.</summary>
/// <param name="Name">The network's name.</param>
/// <param name="Xml">The network's XML as libvirt returns it (the live definition for a running network).</param>
/// <param name="IsActive">Whether the network runs.</param>
/// <param name="IsPersistent">Whether it is defined (persistent) rather than transient.</param>
/// <param name="Autostart">Whether it starts with the host.</param>
public sealed record NetworkRecord(string Name, string Xml, bool IsActive, bool IsPersistent, bool Autostart);

/// <summary>A virtual machine as libvirt reports it.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="Xml">The domain's XML.</param>
/// <param name="IsActive">Whether the domain runs.</param>
public sealed record DomainRecord(string Name, string Xml, bool IsActive);

/// <summary>A host interface as libvirt's interface driver reports it.</summary>
/// <param name="Name">The interface's name.</param>
/// <param name="Xml">The interface's XML.</param>
/// <param name="IsActive">Whether the interface is up.</param>
public sealed record InterfaceRecord(string Name, string Xml, bool IsActive);
