namespace KimchiNet;

/// <summary>
/// Every error code KimchiNet reports. KCHNET0001E..KCHNET0032E are Kimchi's own codes with Kimchi's
/// meaning; KCHNET0100E and up are KimchiNet's additions in the same family, for rules Kimchi lacks.
/// docs/en-US/about_KimchiNet.md lists them all with their fixes.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A network of that name exists already.</summary>
    public const string NetworkExists = "KCHNET0001E";

    /// <summary>No network of that name exists.</summary>
    public const string NetworkNotFound = "KCHNET0002E";

    /// <summary>The subnet is well-formed but unusable (prefix out of range, gateway in the DHCP range, overlap).</summary>
    public const string InvalidSubnet = "KCHNET0003E";

    /// <summary>A device-based network was asked for without interfaces.</summary>
    public const string InterfacesRequired = "KCHNET0004E";

    /// <summary>An active network cannot be removed or updated.</summary>
    public const string NetworkActive = "KCHNET0005E";

    /// <summary>The interface is already used by another network.</summary>
    public const string InterfaceInUse = "KCHNET0006E";

    /// <summary>A bridge network needs a bare NIC, a bond or a bridge.</summary>
    public const string BridgeInterfaceKind = "KCHNET0007E";

    /// <summary>libvirt refused to create the network.</summary>
    public const string CreateFailed = "KCHNET0008E";

    /// <summary>No free subnet is left for a nat or isolated network.</summary>
    public const string NoFreeSubnet = "KCHNET0009E";

    /// <summary>The name is not a valid network name.</summary>
    public const string InvalidName = "KCHNET0011E";

    /// <summary>The connection type is not one of the six.</summary>
    public const string InvalidConnection = "KCHNET0012E";

    /// <summary>The subnet is not an IPv4 address with a prefix or a netmask.</summary>
    public const string MalformedSubnet = "KCHNET0013E";

    /// <summary>The VLAN id is not between 1 and 4094.</summary>
    public const string InvalidVlanId = "KCHNET0015E";

    /// <summary>The network is used by virtual machines and cannot be removed.</summary>
    public const string RemoveInUse = "KCHNET0017E";

    /// <summary>The network is used by virtual machines and cannot be stopped.</summary>
    public const string StopInUse = "KCHNET0018E";

    /// <summary>A VLAN device cannot carry a VLAN bridge (no trunk on a trunk).</summary>
    public const string VlanOnVlan = "KCHNET0019E";

    /// <summary>libvirt refused to start the network.</summary>
    public const string StartFailed = "KCHNET0020E";

    /// <summary>libvirt refused to stop the network.</summary>
    public const string StopFailed = "KCHNET0021E";

    /// <summary>libvirt refused the updated definition (the original was restored).</summary>
    public const string UpdateFailed = "KCHNET0022E";

    /// <summary>Making the host bridge (or VLAN device) for a bridge network failed.</summary>
    public const string BridgeCreateFailed = "KCHNET0025E";

    /// <summary>The interface has the wrong kind for the connection, or a VLAN id was given for a macvtap, vepa or passthrough network.</summary>
    public const string InterfaceKind = "KCHNET0028E";

    /// <summary>The interfaces list is empty.</summary>
    public const string InterfacesEmpty = "KCHNET0029E";

    /// <summary>Bridge and macvtap networks take exactly one interface.</summary>
    public const string TooManyInterfaces = "KCHNET0030E";

    /// <summary>A subnet was given for a device-based network.</summary>
    public const string SubnetNotAllowed = "KCHNET0031E";

    /// <summary>Interfaces or a VLAN id were given for a nat or isolated network.</summary>
    public const string InterfacesNotAllowed = "KCHNET0032E";

    /// <summary>KimchiNet: the same interface is listed twice.</summary>
    public const string DuplicateInterface = "KCHNET0100E";

    /// <summary>KimchiNet: an interface name that Linux refuses (empty, over 15 bytes, '/', ':', whitespace, '.' or '..').</summary>
    public const string InvalidInterfaceName = "KCHNET0101E";

    /// <summary>KimchiNet: the named interface does not exist on the host.</summary>
    public const string InterfaceNotFound = "KCHNET0102E";

    /// <summary>KimchiNet: libvirt could not be reached, or the connection broke.</summary>
    public const string ConnectionFailed = "KCHNET0103E";

    /// <summary>KimchiNet: libvirt refused the credentials or the operation for lack of rights.</summary>
    public const string PermissionDenied = "KCHNET0104E";

    /// <summary>KimchiNet: the operation needs a local host (it changes host devices) but the URI is remote.</summary>
    public const string RemoteNotSupported = "KCHNET0105E";

    /// <summary>KimchiNet: libvirt failed in a way no other code covers; the message carries libvirt's own.</summary>
    public const string LibvirtError = "KCHNET0106E";

    /// <summary>KimchiNet: the network XML cannot be read.</summary>
    public const string MalformedXml = "KCHNET0107E";

    /// <summary>KimchiNet: the network is used by virtual machines, so it cannot be renamed or moved to other devices.</summary>
    public const string UpdateInUse = "KCHNET0108E";

    /// <summary>KimchiNet: a change needs a confirmation (-Confirm, $ConfirmPreference) that no user can answer in this session.</summary>
    public const string ConfirmationNeeded = "KCHNET0109E";

    /// <summary>KimchiNet: an external program KimchiNet needs (e.g. ip) is in none of /usr/sbin, /usr/bin, /sbin, /bin.</summary>
    public const string HostProgramMissing = "KCHNET0110E";

    /// <summary>KimchiNet: the external program found is not safe to run as root (not a regular root-owned file, or writable by group or others, or in such a folder).</summary>
    public const string HostProgramUnsafe = "KCHNET0111E";

    /// <summary>KimchiNet: the create lock's folder or file is not safe to use (wrong owner, writable by others, a symbolic link, not a regular file).</summary>
    public const string LockUnsafe = "KCHNET0112E";

    /// <summary>KimchiNet: a URI whose password shows as *** (as objects carry it) names no connection open in this process.</summary>
    public const string RedactedUriNotOpen = "KCHNET0115E";

    /// <summary>KimchiNet: a test:///PATH URI names a file that does not exist (refused before libvirt reads it).</summary>
    public const string TestHostFileNotFound = "KCHNET0116E";

    /// <summary>KimchiNet: a bridge network was moved to another device, but the host bridge KimchiNet had made for it (and the addresses it moved) could not be undone afterwards.</summary>
    public const string MovedHostBridgeLeft = "KCHNET0117E";

    /// <summary>KimchiNet: a bridge over a NIC that no network manager owns but that holds a DHCP lease is refused (the lease would be renewed on the port, not on the bridge).</summary>
    public const string UnmanagedLease = "KCHNET0118E";

    /// <summary>KimchiNet: a bridge over a NIC owned by a network manager KimchiNet cannot make bridges through is refused (it would fight that manager).</summary>
    public const string ManagerNotSupported = "KCHNET0119E";

    /// <summary>KimchiNet: the host's addresses could not be read (neither the kernel of a local host nor libvirt gives them), so no subnet can be planned that is sure not to collide with them.</summary>
    public const string HostAddressesUnknown = "KCHNET0120E";

    /// <summary>KimchiNet: a network needs a host device (its bridge, or a NIC it forwards to) that is missing, and only recreating the device (or the network) mends it.</summary>
    public const string NetworkUnhealthy = "KCHNET0121E";

    /// <summary>KimchiNet: a network manager's file or folder (ifupdown, netplan, systemd-networkd) is not owned by root (or the manager's own user) or is writable by group or others, so it is not read and the interfaces it names show no owner from it.</summary>
    public const string ManagerFileUnsafe = "KCHNET0130E";

    /// <summary>KimchiNet: a network manager's file could not be read or parsed (a netplan file that is not YAML, an include that cannot be followed), so the interfaces it names show no owner from it.</summary>
    public const string ManagerFileUnreadable = "KCHNET0131E";

    /// <summary>KimchiNet: NetworkManager runs but nmcli could not list its devices, so no device shows NetworkManager as its owner.</summary>
    public const string ManagerQueryFailed = "KCHNET0132E";

    /// <summary>KimchiNet: a bridge made through a network manager (systemd-networkd, netplan, ifupdown) did not take over the NIC's addresses, routes or gateway within the verification time, so the files and the live state were rolled back.</summary>
    public const string ManagedBridgeRolledBack = "KCHNET0133E";

    /// <summary>KimchiNet: a step of making a bridge through a network manager (systemd-networkd, netplan, ifupdown) failed (a file could not be read or written, networkctl, netplan generate, ifup or ifdown failed, or the NIC's netplan definition cannot be changed alone); what was done before was undone.</summary>
    public const string ManagedBridgeFailed = "KCHNET0134E";

    /// <summary>KimchiNet: removing a bridge made through a network manager (systemd-networkd, netplan, ifupdown) could not restore every file or link as it was (the message names what is left to do by hand).</summary>
    public const string ManagedBridgeRestoreFailed = "KCHNET0135E";

    /// <summary>KimchiNet: the ifupdown configuration of a NIC cannot be turned into a bridge's (no iface stanza of its own, stanzas in several files or outside /etc/network, a mapping names it, it is a port already, the bridge has a stanza already); nothing was changed.</summary>
    public const string IfupdownStanzaUnsupported = "KCHNET0136E";

    /// <summary>KimchiNet: a bridge made through NetworkManager did not take over the NIC's addresses, routes or gateway within the verification time, so the keyfiles and the live state were rolled back.</summary>
    public const string NetworkManagerBridgeRolledBack = "KCHNET0138E";

    /// <summary>KimchiNet: a bridge could not be made through NetworkManager (its profile is not a keyfile of /etc/NetworkManager/system-connections, a file could not be read or written, nmcli failed); what was done before was undone.</summary>
    public const string NetworkManagerBridgeFailed = "KCHNET0139E";

    /// <summary>KimchiNet: removing a bridge network made through NetworkManager could not restore every keyfile or the NIC's profile (the message names what is left to do by hand).</summary>
    public const string NetworkManagerBridgeRestoreFailed = "KCHNET0114E";

    /// <summary>KimchiNet: a host of a call to several hosts did not finish within the per-host time (-TimeoutSeconds); the other hosts went on.</summary>
    public const string HostTimedOut = "KCHNET0150E";

    /// <summary>KimchiNet: a host of a call to several hosts failed in a way KimchiNet has no code of its own for; the other hosts went on.</summary>
    public const string HostFailed = "KCHNET0151E";

    /// <summary>KimchiNet: a DHCP reservation's address is not an IPv4 address in the network's subnet.</summary>
    public const string DhcpAddressOutsideSubnet = "KCHNET0140E";

    /// <summary>KimchiNet: a DHCP reservation's address is the subnet's gateway (the host's own), network or broadcast address.</summary>
    public const string DhcpAddressReserved = "KCHNET0141E";

    /// <summary>KimchiNet: another DHCP reservation of the network has that MAC address.</summary>
    public const string DhcpMacInUse = "KCHNET0142E";

    /// <summary>KimchiNet: another DHCP reservation of the network has that IP address.</summary>
    public const string DhcpAddressInUse = "KCHNET0143E";

    /// <summary>KimchiNet: another DHCP reservation of the network has that host name.</summary>
    public const string DhcpHostNameInUse = "KCHNET0144E";

    /// <summary>KimchiNet: the MAC address is not six hexadecimal pairs of a unicast address.</summary>
    public const string InvalidMacAddress = "KCHNET0145E";

    /// <summary>KimchiNet: the network has no IPv4 DHCP service of its own (it is not nat, isolated or routed, has no IPv4 subnet, or DHCP is off).</summary>
    public const string DhcpNotAvailable = "KCHNET0146E";

    /// <summary>KimchiNet: no DHCP reservation of the network matches what was given.</summary>
    public const string DhcpReservationNotFound = "KCHNET0147E";

    /// <summary>KimchiNet: the host name of a DHCP reservation is not a DNS host name starting with a letter.</summary>
    public const string InvalidDhcpHostName = "KCHNET0148E";

    /// <summary>KimchiNet: the lease time is not zero (never ends) or whole seconds from 2 minutes up.</summary>
    public const string InvalidDhcpLeaseTime = "KCHNET0149E";

    /// <summary>KimchiNet: DHCP reservations were given for a new network without -Subnet (a reservation's address must lie in the subnet, so the subnet cannot be left to the planner).</summary>
    public const string DhcpReservationNeedsSubnet = "KCHNET0177E";

    /// <summary>KimchiNet: the SSH host key of a remote host is not known here (not in known_hosts), so no connection was made.</summary>
    public const string SshHostKeyUnknown = "KCHNET0152E";

    /// <summary>KimchiNet: the SSH host key of a remote host differs from the one known for it (a possible attack, or a reinstalled host), so no connection was made.</summary>
    public const string SshHostKeyChanged = "KCHNET0153E";

    /// <summary>KimchiNet: SSH could not log in without a user to answer (no key accepted, a key's passphrase or a password needed, and no terminal).</summary>
    public const string SshLoginFailed = "KCHNET0154E";

    /// <summary>KimchiNet: the SSH server refused the user name and password given with -Credential.</summary>
    public const string SshCredentialRejected = "KCHNET0155E";

    /// <summary>KimchiNet: -Credential was given for a transport that cannot take a password from KimchiNet (qemu+ssh runs the ssh program; ext its own).</summary>
    public const string CredentialNotUsable = "KCHNET0156E";

    /// <summary>KimchiNet: the MTU is not a whole number from 68 to 65535.</summary>
    public const string InvalidMtu = "KCHNET0160E";

    /// <summary>KimchiNet: an MTU or a DHCP setting was given for a network whose guests are not on a bridge that libvirt makes (macvtap, bridge, vepa, passthrough).</summary>
    public const string KnobNotAllowed = "KCHNET0161E";

    /// <summary>KimchiNet: the DHCP range is not two IPv4 addresses written START-END with START not after END.</summary>
    public const string MalformedDhcpRange = "KCHNET0162E";

    /// <summary>KimchiNet: the DHCP range leaves the subnet, or holds its network, gateway or broadcast address.</summary>
    public const string DhcpRangeOutsideSubnet = "KCHNET0163E";

    /// <summary>KimchiNet: a DHCP range was given without -Subnet, so it cannot be sure to lie inside the subnet that would be planned.</summary>
    public const string DhcpRangeNeedsSubnet = "KCHNET0164E";

    /// <summary>KimchiNet: a DHCP range or lease time was given together with -Dhcp $false.</summary>
    public const string DhcpSettingsWithoutDhcp = "KCHNET0165E";

    /// <summary>KimchiNet: DHCP cannot be turned off while the network has DHCP reservations.</summary>
    public const string DhcpReservationsWithoutDhcp = "KCHNET0166E";

    /// <summary>KimchiNet: a DNS host record is not valid: its address is no IPv4 or IPv6 address or lies outside the network's subnet, it has no name, or a name is no valid DNS name.</summary>
    public const string InvalidDnsHost = "KCHNET0122E";

    /// <summary>KimchiNet: two DNS host records of a network have the same address, or a name is given twice.</summary>
    public const string DuplicateDnsHost = "KCHNET0123E";

    /// <summary>KimchiNet: a DNS forwarder or the DNS domain is not valid (an address that is none, a domain that is no valid DNS name, a forwarder with neither, -DomainLocalOnly without -Domain).</summary>
    public const string InvalidDnsSetting = "KCHNET0124E";

    /// <summary>KimchiNet: a DNS setting was given for a network without a dnsmasq of libvirt's own (macvtap, bridge, vepa, passthrough).</summary>
    public const string DnsNotAllowed = "KCHNET0125E";

    /// <summary>KimchiNet: DNS host records, forwarders or a local-only domain were given together with -Dns $false.</summary>
    public const string DnsSettingsWithoutDns = "KCHNET0176E";

    /// <summary>KimchiNet: a port group is not valid: its name is empty, too long or has characters other than letters, digits, '.', '_' and '-', its VLAN id is not between 1 and 4094, or its text has an option other than 'default' and 'vlan:ID'.</summary>
    public const string InvalidPortGroup = "KCHNET0194E";

    /// <summary>KimchiNet: two port groups of a network have the same name.</summary>
    public const string DuplicatePortGroup = "KCHNET0195E";

    /// <summary>KimchiNet: more than one port group of a network is the default.</summary>
    public const string MultipleDefaultPortGroups = "KCHNET0196E";

    /// <summary>KimchiNet: a port group has a VLAN id on a network type libvirt tags no ports of (only passthrough networks and bridge networks on Open vSwitch take one).</summary>
    public const string PortGroupVlanNotAllowed = "KCHNET0197E";

    /// <summary>KimchiNet: a fleet configuration file cannot be read, or is not a PowerShell data file or JSON.</summary>
    public const string FleetFileUnreadable = "KCHNET0180E";

    /// <summary>KimchiNet: a fleet configuration has a key KimchiNet does not know.</summary>
    public const string FleetUnknownKey = "KCHNET0181E";

    /// <summary>KimchiNet: a fleet configuration lacks a key it needs (Groups, a group's Name, Uris or Networks, a network's Name, a present network's Connection).</summary>
    public const string FleetMissingKey = "KCHNET0182E";

    /// <summary>KimchiNet: a value in a fleet configuration is of the wrong kind (not text, not a list, not a whole number, not true or false, not one of the allowed words).</summary>
    public const string FleetInvalidValue = "KCHNET0183E";

    /// <summary>KimchiNet: a fleet configuration names a group twice, or one network twice for the same host.</summary>
    public const string FleetDuplicate = "KCHNET0184E";

    /// <summary>KimchiNet: Invoke-KimchiConfiguration could not bring every host to the configuration.</summary>
    public const string FleetNotApplied = "KCHNET0185E";

    /// <summary>KimchiNet: Test-KimchiConfiguration found hosts that differ from the configuration, or could not reach them.</summary>
    public const string FleetDrift = "KCHNET0186E";

    /// <summary>KimchiNet: -Uri names a host the fleet configuration does not have.</summary>
    public const string FleetHostNotConfigured = "KCHNET0187E";

    /// <summary>KimchiNet: a change to an active network needs a restart (new name, subnet, VLAN id, bridge...), which would cut its running guests off; -Restart does it and reconnects them.</summary>
    public const string UpdateNeedsRestart = "KCHNET0170E";

    /// <summary>KimchiNet: a change to an active network (a live edit, or a step of a restart: stop, redefine, start, reconnect a guest) failed; what was rolled back is in the message.</summary>
    public const string LiveUpdateFailed = "KCHNET0171E";

    /// <summary>KimchiNet: the IPv6 subnet is not an IPv6 /64 of unicast addresses (or 'auto').</summary>
    public const string InvalidIpv6Subnet = "KCHNET0126E";

    /// <summary>KimchiNet: an IPv6 setting was given for a network that cannot have it (bridge, macvtap, vepa, passthrough; -Ipv6Dhcp or -Ipv6Nat without -Ipv6Subnet; -Ipv6Nat on a network that is not nat).</summary>
    public const string Ipv6NotAllowed = "KCHNET0127E";

    /// <summary>KimchiNet: the IPv6 subnet overlaps another network's subnet, a host address or a host route.</summary>
    public const string Ipv6SubnetOverlap = "KCHNET0128E";

    /// <summary>KimchiNet: IPv6 NAT was asked for, and the host's libvirt is older than 6.5, which first supports &lt;nat ipv6='yes'/&gt;.</summary>
    public const string Ipv6NatUnsupported = "KCHNET0129E";

    /// <summary>KimchiNet: the DUID of an IPv6 DHCP reservation is not 2 to 130 hexadecimal pairs separated by colons.</summary>
    public const string InvalidDuid = "KCHNET0172E";

    /// <summary>KimchiNet: another IPv6 DHCP reservation of the network has that DUID.</summary>
    public const string DhcpDuidInUse = "KCHNET0173E";

    /// <summary>KimchiNet: the network has no DHCPv6 service of its own (no IPv6 subnet, or router advertisements only).</summary>
    public const string Dhcpv6NotAvailable = "KCHNET0174E";

    /// <summary>KimchiNet: an IPv6 DHCP reservation is made by DUID or host name, not by MAC address (libvirt refuses a MAC in an IPv6 host), or has neither; an IPv4 one takes no DUID.</summary>
    public const string DhcpReservationKeys = "KCHNET0175E";


    /// <summary>Kimchi's KCHNET0012E text, naming the refused value.</summary>
    public static string UnsupportedConnectionMessage(string? value) =>
        $"Connection type '{DisplayText.Printable(value)}' is not supported: use one of isolated, nat, macvtap, bridge, vepa, passthrough, routed or open.";
}
