using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using KimchiNet.Model;
using KimchiNet.Planning;

namespace KimchiNet.Validation;

/// <summary>
/// Kimchi's rules for a network specification, for everything that can be judged without a host.
/// Reports every broken rule, not just the first, so a user fixes a specification in one go.
/// </summary>
public static class NetworkSpecValidator
{
    /// <summary>
    /// Longest name in UTF-8 bytes. Linux file names stop at 255 bytes, and libvirt names files after the
    /// network: NAME.xml (written as NAME.xml.new first) for the definition, and for a network with DHCP
    /// dnsmasq's NAME.hostsfile and NAME.addnhosts, the longest suffix (10 bytes). 251 bytes, the old
    /// limit, failed on a real libvirtd (NAME.xml.new); 246 defined but failed to start (NAME.addnhosts).
    /// </summary>
    public const int MaxNameBytes = 245;

    /// <summary>Longest Linux interface name in bytes (IFNAMSIZ - 1).</summary>
    public const int MaxInterfaceNameBytes = 15;

    /// <summary>Smallest MTU Linux takes for an IPv4 device (RFC 791's 68 bytes).</summary>
    public const int MinMtu = 68;

    /// <summary>Largest MTU of a Linux bridge.</summary>
    public const int MaxMtu = 65535;

    /// <summary>Smallest VLAN id (802.1Q reserves 0).</summary>
    public const int MinVlanId = 1;

    /// <summary>Largest VLAN id (802.1Q reserves 4095).</summary>
    public const int MaxVlanId = 4094;

    /// <summary>
    /// The VLAN id the cmdlets bind when the user's value is not an integer ('abc', '1.5', $true, a
    /// number beyond Int32): it is refused as KCHNET0015E, with a message that says so, instead of
    /// PowerShell rounding it or silently dropping it from pipeline input.
    /// </summary>
    public const int NotAnIntegerVlanId = int.MinValue;

    /// <summary>Every rule the specification breaks, in parameter order; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationError> Validate(NetworkSpec spec) => Validate(spec, connectionText: null);

    /// <summary>
    /// Every rule the specification breaks, in parameter order; empty when it is valid.
    /// <paramref name="connectionText"/> is the connection type as the user wrote it (named in
    /// KCHNET0012E when <see cref="NetworkSpec.Connection"/> is none of the six, e.g.
    /// <see cref="ConnectionTypes.Unknown"/>); the rules that do not depend on the type are still
    /// judged then, so one refusal names every broken rule.
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(NetworkSpec spec, string? connectionText)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<ValidationError>();
        AddIfNotNull(errors, CheckName(spec.Name));

        if (!Enum.IsDefined(spec.Connection))
        {
            var value = connectionText ?? ((int)spec.Connection).ToString(CultureInfo.InvariantCulture);
            errors.Add(new(ErrorCodes.InvalidConnection, "Connection", value, ErrorCodes.UnsupportedConnectionMessage(value)));
            if (spec.Subnet is not null && !Ipv4Subnet.TryParse(spec.Subnet, out _, out var subnetError))
            {
                errors.Add(subnetError);
            }

            CheckInterfaceNames(spec.InterfacesOrEmpty, errors);
            CheckVlanRange(spec.VlanId, errors);
            return errors;
        }

        CheckSubnet(spec, errors);
        CheckInterfaces(spec, errors);
        CheckVlan(spec, errors);
        CheckBridgeSettings(spec, errors);
        errors.AddRange(DnsSettingsValidator.Validate(spec));
        errors.AddRange(PortGroupValidator.Validate(spec));
        CheckIpv6(spec, errors);
        errors.AddRange(DhcpReservationValidator.ValidateSet(spec.Name, spec.Connection, spec.Subnet, spec.Dhcp != false, spec.DhcpReservations ?? []));
        return errors;
    }

    /// <summary>Throws one <see cref="KimchiException"/> naming every rule the specification breaks (see <see cref="ValidationError.ThrowIfAny"/>).</summary>
    public static void ThrowIfInvalid(NetworkSpec spec) => ValidationError.ThrowIfAny(Validate(spec));

    /// <summary><see cref="ThrowIfInvalid(NetworkSpec)"/> for a spec whose connection type came as text (see <see cref="Validate(NetworkSpec, string)"/>).</summary>
    public static void ThrowIfInvalid(NetworkSpec spec, string? connectionText) => ValidationError.ThrowIfAny(Validate(spec, connectionText));

    /// <summary>Kimchi's name rule (KCHNET0011E), plus what XML and libvirt's file store cannot hold.</summary>
    public static ValidationError? CheckName(string? name)
    {
        string? reason = null;
        if (string.IsNullOrWhiteSpace(name))
        {
            reason = "it is empty or only white space";
        }
        else if (name.Contains('/', StringComparison.Ordinal))
        {
            reason = "it contains a slash (/)";
        }
        else if (name.Contains('"', StringComparison.Ordinal))
        {
            reason = "it contains a double quote (\")";
        }
        else if (name.Any(char.IsControl))
        {
            reason = "it contains a control character";
        }
        else if (!IsWellFormedText(name))
        {
            reason = "it contains a character that XML cannot hold";
        }
        else if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            reason = $"it is longer than {MaxNameBytes} bytes, the most libvirt's file names (NAME.addnhosts, NAME.xml.new) can hold";
        }

        return reason is null
            ? null
            : new(ErrorCodes.InvalidName, "Name", name, $"Network name '{Shorten(name)}' is not valid: {reason}. A name must be a non-empty string without slashes (/), quotes (\") or control characters.");
    }

    /// <summary>Whether Linux would take the name for a network device (dev_valid_name), and control characters refused too.</summary>
    public static ValidationError? CheckInterfaceName(string? name)
    {
        string? reason = null;
        if (string.IsNullOrEmpty(name))
        {
            reason = "it is empty";
        }
        else if (name is "." or "..")
        {
            reason = "'.' and '..' are not device names";
        }
        else if (name.Contains('/', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
        {
            reason = "it contains '/' or ':'";
        }
        else if (name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            reason = "it contains white space or a control character";
        }
        else if (!IsWellFormedText(name))
        {
            reason = "it contains a character that XML cannot hold";
        }
        else if (Encoding.UTF8.GetByteCount(name) > MaxInterfaceNameBytes)
        {
            reason = $"it is longer than {MaxInterfaceNameBytes} bytes";
        }
        else if (!name.All(IsDeviceNameChar))
        {
            // Linux would take more, but libvirt's schema (deviceName) takes only these.
            reason = "libvirt takes only ASCII letters, digits, '.', '_' and '-' in device names";
        }

        return reason is null
            ? null
            : new(ErrorCodes.InvalidInterfaceName, "Interfaces", name, $"Interface name '{Shorten(name)}' is not a valid Linux device name: {reason}.");
    }

    private static void CheckSubnet(NetworkSpec spec, List<ValidationError> errors)
    {
        if (spec.Subnet is null)
        {
            return;
        }

        if (!spec.Connection.HasSubnet())
        {
            errors.Add(new(ErrorCodes.SubnetNotAllowed, "Subnet", spec.Subnet, $"Subnet '{Shorten(spec.Subnet)}' is not a valid parameter for a {spec.Connection.ToKimchiName()} network: only nat, isolated, routed and open networks have one."));
        }
        else if (!Ipv4Subnet.TryParse(spec.Subnet, out _, out var error))
        {
            errors.Add(error);
        }
    }

    private static void CheckInterfaces(NetworkSpec spec, List<ValidationError> errors)
    {
        var interfaces = spec.Interfaces;
        var connection = spec.Connection.ToKimchiName();
        if (!spec.Connection.TakesInterfaces())
        {
            if (interfaces is { Count: > 0 })
            {
                errors.Add(new(ErrorCodes.InterfacesNotAllowed, "Interfaces", interfaces.ToArray(), $"Interfaces ({Join(interfaces)}) are not valid parameters for a {connection} network: its guests sit on a private bridge."));
            }

            return;
        }

        if (!spec.Connection.NeedsInterfaces() && interfaces is not { Count: > 0 })
        {
            // Routed: bound to one device when one is given, else routed out of any.
            return;
        }

        if (interfaces is null)
        {
            errors.Add(new(ErrorCodes.InterfacesRequired, "Interfaces", null, $"A {connection} network needs a host interface: specify one with -Interfaces."));
            return;
        }

        if (interfaces.Count == 0)
        {
            errors.Add(new(ErrorCodes.InterfacesEmpty, "Interfaces", Array.Empty<string>(), $"The interfaces of a {connection} network must contain at least one interface."));
            return;
        }

        if (spec.Connection.TakesSingleInterface() && interfaces.Count > 1)
        {
            errors.Add(new(ErrorCodes.TooManyInterfaces, "Interfaces", interfaces.ToArray(), $"Only one interface is allowed for bridge, macvtap and routed networks; got {interfaces.Count}: {Join(interfaces)}."));
        }

        CheckInterfaceNames(interfaces, errors);
    }

    private static void CheckInterfaceNames(IReadOnlyList<string> interfaces, List<ValidationError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in interfaces)
        {
            var nameError = CheckInterfaceName(name);
            if (nameError is not null)
            {
                errors.Add(nameError);
            }
            else if (!seen.Add(name))
            {
                errors.Add(new(ErrorCodes.DuplicateInterface, "Interfaces", name, $"Interface '{Shorten(name)}' is listed more than once."));
            }
        }
    }

    private static void CheckVlan(NetworkSpec spec, List<ValidationError> errors)
    {
        if (spec.VlanId is not { } vlan)
        {
            return;
        }

        // Two independent rules: a VLAN id of 0 on a vepa network breaks both, and both are reported.
        CheckVlanRange(vlan, errors);
        if (spec.Connection != ConnectionType.Bridge)
        {
            // Kimchi's codes: KCHNET0032E on a nat or isolated network (its update check), KCHNET0028E
            // on the device-based types (its macvtap, vepa and passthrough create checks).
            var shown = vlan == NotAnIntegerVlanId ? "A VLAN id" : $"VLAN id {vlan.ToString(CultureInfo.InvariantCulture)}";
            var code = spec.Connection.HasSubnet() ? ErrorCodes.InterfacesNotAllowed : ErrorCodes.InterfaceKind;
            errors.Add(new(code, "VlanId", vlan, $"{shown} is not valid for a {spec.Connection.ToKimchiName()} network: only bridge networks take a VLAN id."));
        }
    }

    /// <summary>
    /// The settings of the bridge libvirt makes for nat, isolated, routed and open networks: the MTU
    /// (KCHNET0160E), the DHCP range (KCHNET0162E to KCHNET0164E), the lease time (KCHNET0149E) and
    /// DHCP off (KCHNET0165E with a range or lease time); on the other types, each is KCHNET0161E.
    /// </summary>
    private static void CheckBridgeSettings(NetworkSpec spec, List<ValidationError> errors)
    {
        if (!spec.Connection.HasSubnet())
        {
            foreach (var (parameter, value) in GivenBridgeSettings(spec))
            {
                errors.Add(new(ErrorCodes.KnobNotAllowed, parameter, value, $"-{parameter} is not valid for a {spec.Connection.ToKimchiName()} network: only nat, isolated, routed and open networks have a bridge and DHCP service of libvirt's own."));
            }

            return;
        }

        if (spec.Mtu is { } mtu && mtu is < MinMtu or > MaxMtu)
        {
            errors.Add(new(ErrorCodes.InvalidMtu, "Mtu", mtu, $"MTU {mtu.ToString(CultureInfo.InvariantCulture)} is not valid: it must be a whole number from {MinMtu} to {MaxMtu}."));
        }

        if (spec.Dhcp == false && (spec.DhcpRange is not null || spec.DhcpLeaseTime is not null))
        {
            errors.Add(new(ErrorCodes.DhcpSettingsWithoutDhcp, "Dhcp", false, "-DhcpRange and -DhcpLeaseTime cannot be given with -Dhcp $false: a network without DHCP has no range or lease time."));
        }

        if (spec.DhcpRange is not null)
        {
            CheckDhcpRange(spec, errors);
        }

        if (DhcpReservationValidator.CheckLeaseTime(spec.DhcpLeaseTime) is { } lease)
        {
            errors.Add(lease with { ParameterName = "DhcpLeaseTime" });
        }
    }

    /// <summary>
    /// IPv6: a /64 or 'auto' (KCHNET0126E), only on nat, isolated, routed and open networks, and
    /// -Ipv6Dhcp and -Ipv6Nat only with it, -Ipv6Nat only on nat (KCHNET0127E).
    /// </summary>
    private static void CheckIpv6(NetworkSpec spec, List<ValidationError> errors)
    {
        var type = spec.Connection.ToKimchiName();
        if (spec.Ipv6Subnet is { } text)
        {
            if (!spec.Connection.HasSubnet())
            {
                errors.Add(new(ErrorCodes.Ipv6NotAllowed, "Ipv6Subnet", text, $"-Ipv6Subnet is not valid for a {type} network: only nat, isolated, routed and open networks have a subnet of libvirt's own; the guests of a {type} network take IPv6 from the network they are bridged to."));
            }
            else if (!spec.PlansIpv6Subnet && !Ipv6Subnet.TryParse(text, out _, out var error))
            {
                errors.Add(error);
            }
        }
        else
        {
            if (spec.Ipv6Dhcp is { } dhcp)
            {
                errors.Add(new(ErrorCodes.Ipv6NotAllowed, "Ipv6Dhcp", dhcp, "-Ipv6Dhcp needs -Ipv6Subnet: a network without an IPv6 subnet has no DHCPv6 or router advertisements."));
            }

            if (spec.Ipv6Nat == true)
            {
                errors.Add(new(ErrorCodes.Ipv6NotAllowed, "Ipv6Nat", true, "-Ipv6Nat needs -Ipv6Subnet: a network without an IPv6 subnet has no IPv6 to masquerade."));
            }
        }

        if (spec.Ipv6Nat == true && spec.Connection != ConnectionType.Nat && Enum.IsDefined(spec.Connection))
        {
            errors.Add(new(ErrorCodes.Ipv6NotAllowed, "Ipv6Nat", true, $"-Ipv6Nat is not valid for a {type} network: only a nat network masquerades."));
        }
    }

    private static IEnumerable<(string Parameter, object Value)> GivenBridgeSettings(NetworkSpec spec)
    {
        if (spec.Mtu is { } mtu)
        {
            yield return ("Mtu", mtu);
        }

        if (spec.DhcpRange is { } range)
        {
            yield return ("DhcpRange", range);
        }

        if (spec.DhcpLeaseTime is { } lease)
        {
            yield return ("DhcpLeaseTime", lease);
        }

        if (spec.Dhcp is { } dhcp)
        {
            yield return ("Dhcp", dhcp);
        }
    }

    private static void CheckDhcpRange(NetworkSpec spec, List<ValidationError> errors)
    {
        var text = spec.DhcpRange!;
        if (!Ipv4Subnet.TryParseAddressRange(text, out var start, out var end))
        {
            errors.Add(new(ErrorCodes.MalformedDhcpRange, "DhcpRange", text, $"DHCP range '{Shorten(text)}' is not valid: write two IPv4 addresses as START-END, START not after END, e.g. '10.1.1.100-10.1.1.200'."));
            return;
        }

        if (spec.Subnet is null)
        {
            errors.Add(new(ErrorCodes.DhcpRangeNeedsSubnet, "DhcpRange", text, $"DHCP range '{Shorten(text)}' needs -Subnet: without it the subnet is planned, and the range could not be sure to lie inside it."));
            return;
        }

        if (Ipv4Subnet.TryParse(spec.Subnet, out var subnet, out _) && CheckDhcpRange(text, start, end, subnet) is { } outside)
        {
            errors.Add(outside);
        }
    }

    /// <summary>KCHNET0163E unless the range START..END lies inside <paramref name="subnet"/> without its network, gateway or broadcast address.</summary>
    public static ValidationError? CheckDhcpRange(string text, uint start, uint end, Ipv4Subnet subnet)
    {
        string? reason = !subnet.Contains(start) || !subnet.Contains(end) ? $"it leaves subnet {subnet}"
            : start <= subnet.Network ? $"it holds the network address {Ipv4Subnet.FormatAddress(subnet.Network)}"
            : end >= subnet.Broadcast ? $"it holds the broadcast address {Ipv4Subnet.FormatAddress(subnet.Broadcast)}"
            : start <= subnet.Gateway && subnet.Gateway <= end ? $"it holds the gateway {Ipv4Subnet.FormatAddress(subnet.Gateway)}, the host's own address"
            : null;
        return reason is null
            ? null
            : new(ErrorCodes.DhcpRangeOutsideSubnet, "DhcpRange", text, $"DHCP range '{Shorten(text)}' cannot be used: {reason}.");
    }

    private static void CheckVlanRange(int? vlanId, List<ValidationError> errors)
    {
        if (vlanId is not { } vlan)
        {
            return;
        }

        if (vlan == NotAnIntegerVlanId)
        {
            errors.Add(new(ErrorCodes.InvalidVlanId, "VlanId", vlan, $"The VLAN id is not valid: it is not a whole number. It must be an integer between {MinVlanId} and {MaxVlanId}."));
        }
        else if (vlan is < MinVlanId or > MaxVlanId)
        {
            errors.Add(new(ErrorCodes.InvalidVlanId, "VlanId", vlan, $"VLAN id {vlan.ToString(CultureInfo.InvariantCulture)} is not valid: it must be an integer between {MinVlanId} and {MaxVlanId}."));
        }
    }

    private static bool IsDeviceNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static bool IsWellFormedText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                return false;
            }
        }

        return true;
    }

    private static void AddIfNotNull(List<ValidationError> errors, ValidationError? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }

    private static string Join(IEnumerable<string?> values) => string.Join(", ", values.Select(Shorten));

    /// <summary>
    /// A value as a message shows it: invisible and control characters escaped (U+0007 as a backslash, u, 0007), and a
    /// huge value (a 10 KB name) cut to its start and its length. See <see cref="DisplayText"/>.
    /// </summary>
    internal static string Shorten(string? value) => DisplayText.Printable(value);
}
