namespace KimchiNet.Model;

/// <summary>A VLAN device on the host: its name, the NIC or bond it sits on, and its 802.1Q id.</summary>
/// <param name="Name">The VLAN device's name (e.g. eth0.10).</param>
/// <param name="Parent">The NIC or bond the VLAN device sits on.</param>
/// <param name="Id">The VLAN id (1..4094).</param>
public sealed record HostVlanDevice(string Name, string Parent, int Id);
