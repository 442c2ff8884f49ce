namespace KimchiNet.Hosts;

/// <summary>What identifies a host device now: its kind, MAC and interface index (the index is new for every device made, until reboot).</summary>
/// <param name="Name">The device name.</param>
/// <param name="Kind">linkinfo's kind (bridge, vlan, veth...), or null for a plain NIC.</param>
/// <param name="Mac">Its MAC address (lower case), or null.</param>
/// <param name="Ifindex">Its interface index.</param>
public sealed record HostLinkIdentity(string Name, string? Kind, string? Mac, int Ifindex);
