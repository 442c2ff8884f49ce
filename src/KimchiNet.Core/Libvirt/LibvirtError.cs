namespace KimchiNet.Libvirt;

/// <summary>One libvirt error (virError), copied off the failing thread's last error.</summary>
/// <param name="Function">The libvirt C function that failed, e.g. virNetworkDefineXML.</param>
/// <param name="Code">libvirt's virErrorNumber (e.g. 43 VIR_ERR_NO_NETWORK); 0 when libvirt set none.</param>
/// <param name="Domain">libvirt's virErrorDomain: the part of libvirt that raised it.</param>
/// <param name="Message">libvirt's own message.</param>
/// <param name="Detail">libvirt's str1 extra information, where set.</param>
/// <param name="Number">libvirt's int1 extra information (often an errno).</param>
public sealed record LibvirtError(string Function, int Code, int Domain, string Message, string? Detail, int Number);
