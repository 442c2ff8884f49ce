namespace KimchiNet.Model;

/// <summary>How a virtual network connects guests to the host, as in Kimchi's networks API.</summary>
public enum ConnectionType
{
    /// <summary>A private bridge with DHCP and no route out of the host.</summary>
    Isolated,

    /// <summary>A private bridge with DHCP whose traffic the host masquerades outward.</summary>
    Nat,

    /// <summary>Guests get a macvtap in bridge mode on one host NIC or bond.</summary>
    Macvtap,

    /// <summary>Guests get a tap on a host bridge (an existing one, or one made over a NIC or bond).</summary>
    Bridge,

    /// <summary>Guests get a macvtap in VEPA mode on one of several NICs or bonds; the switch reflects traffic.</summary>
    Vepa,

    /// <summary>Each guest takes one host NIC or bond for itself through a macvtap in passthrough mode.</summary>
    Passthrough,

    /// <summary>A private bridge with DHCP whose subnet the host routes outward without NAT (forward mode route), optionally only through one host device.</summary>
    Routed,

    /// <summary>A private bridge with DHCP for which libvirt adds no firewall rules at all (forward mode open); routing is up to the host.</summary>
    Open,
}
