using System;

namespace KimchiNet.Model;

/// <summary>Facts about connection types that several parts of the core share.</summary>
public static class ConnectionTypes
{
    /// <summary>
    /// Stands for a type the user named that is none of the eight: a spec carrying it is refused with
    /// KCHNET0012E by <see cref="Validation.NetworkSpecValidator"/>, together with its other broken rules.
    /// </summary>
    public const ConnectionType Unknown = (ConnectionType)(-1);

    /// <summary>All eight types: Kimchi's six in Kimchi's order, then routed and open.</summary>
    public static ConnectionType[] All { get; } = Enum.GetValues<ConnectionType>();

    /// <summary>
    /// Parses a connection type name. Exactly one of the eight names is accepted, in any letter case;
    /// anything else (a number, a name that merely contains one, surrounding spaces) is refused.
    /// </summary>
    public static bool TryParse(string? text, out ConnectionType connection)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                connection = candidate;
                return true;
            }
        }

        connection = default;
        return false;
    }

    /// <summary>
    /// True for the types whose guests sit on a private bridge that libvirt makes and addresses (nat,
    /// isolated, routed, open): they have a subnet, a DHCP service, and a bridge whose MTU libvirt sets.
    /// </summary>
    public static bool HasSubnet(this ConnectionType connection) =>
        connection is ConnectionType.Nat or ConnectionType.Isolated or ConnectionType.Routed or ConnectionType.Open;

    /// <summary>True for the types that are built on host devices and so need interfaces.</summary>
    public static bool NeedsInterfaces(this ConnectionType connection) => !connection.HasSubnet();

    /// <summary>True for the types that take host devices: those that need them, and routed, which may be bound to one.</summary>
    public static bool TakesInterfaces(this ConnectionType connection) =>
        connection.NeedsInterfaces() || connection == ConnectionType.Routed;

    /// <summary>True for the types that take at most one host device (bridge, macvtap, routed).</summary>
    public static bool TakesSingleInterface(this ConnectionType connection) =>
        connection is ConnectionType.Bridge or ConnectionType.Macvtap or ConnectionType.Routed;

    /// <summary>libvirt's forward mode of a type with a subnet: none (isolated), nat, route or open.</summary>
    public static string? PrivateForwardMode(this ConnectionType connection) => connection switch
    {
        ConnectionType.Nat => "nat",
        ConnectionType.Routed => "route",
        ConnectionType.Open => "open",
        _ => null,
    };

    /// <summary>Kimchi's lower-case spelling of a type, as used in its REST API.</summary>
    public static string ToKimchiName(this ConnectionType connection) =>
        connection.ToString().ToLowerInvariant();

    /// <summary>Parses a name, or returns <see cref="Unknown"/> for the validator to refuse with the other broken rules.</summary>
    public static ConnectionType ParseOrUnknown(string? text) => TryParse(text, out var connection) ? connection : Unknown;

    /// <summary>Parses a name or throws <see cref="KimchiException"/> with KCHNET0012E.</summary>
    public static ConnectionType Parse(string? text) =>
        TryParse(text, out var connection)
            ? connection
            : throw new KimchiException(
                ErrorCodes.InvalidConnection,
                ErrorKind.InvalidInput,
                ErrorCodes.UnsupportedConnectionMessage(text),
                text);
}
