using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KimchiNet.Model;

namespace KimchiNet.Validation;

/// <summary>
/// The rules of a network's port groups, judged without a host: KCHNET0194E a bad port group (name,
/// VLAN id, an unknown option), KCHNET0195E a name twice, KCHNET0196E more than one default,
/// KCHNET0197E a VLAN id on a type whose ports libvirt does not tag. libvirt 9.0 takes port groups on
/// every type (measured on a lab host), and a port group's &lt;vlan&gt; only on passthrough (and
/// hostdev) networks and on bridge networks with &lt;virtualport type='openvswitch'/&gt;: it refuses
/// the network's definition otherwise ("&lt;vlan&gt; element specified for network .., whose type
/// doesn't support vlan configuration"), while its live update takes one unchecked.
/// </summary>
public static class PortGroupValidator
{
    /// <summary>The longest port group name KimchiNet takes.</summary>
    public const int MaxNameLength = 64;

    private const string NameRule = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>Every rule the spec's port groups break (none when it has none).</summary>
    public static IReadOnlyList<ValidationError> Validate(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Validate(spec.PortGroups ?? [], spec.Connection);
    }

    /// <summary>Every rule the port groups of a <paramref name="connection"/> network break.</summary>
    public static IReadOnlyList<ValidationError> Validate(IReadOnlyList<PortGroup> portGroups, ConnectionType connection)
    {
        ArgumentNullException.ThrowIfNull(portGroups);
        var errors = new List<ValidationError>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var defaults = 0;
        foreach (var group in portGroups)
        {
            if (group is null)
            {
                errors.Add(new(ErrorCodes.InvalidPortGroup, "PortGroup", null, "A port group is empty: write it as 'NAME[=default][,vlan:ID]', as in 'office=default,vlan:10'."));
                continue;
            }

            var shown = DisplayText.Printable(group.ToString());
            if (!IsName(group.Name))
            {
                errors.Add(new(ErrorCodes.InvalidPortGroup, "PortGroup", group.ToString(), $"Port group '{shown}' has no valid name: a name is {NameRule}."));
            }
            else if (!names.Add(group.Name))
            {
                errors.Add(new(ErrorCodes.DuplicatePortGroup, "PortGroup", group.ToString(), $"Port group '{DisplayText.Printable(group.Name)}' is given twice: each port group of a network needs its own name."));
            }

            foreach (var option in group.UnknownOptions)
            {
                errors.Add(new(ErrorCodes.InvalidPortGroup, "PortGroup", group.ToString(), $"Port group '{shown}' has the option '{DisplayText.Printable(option)}', which is none of 'default' and 'vlan:ID' (one VLAN id, a whole number)."));
            }

            if (group.VlanId is { } vlan)
            {
                if (vlan is < NetworkSpecValidator.MinVlanId or > NetworkSpecValidator.MaxVlanId)
                {
                    errors.Add(new(ErrorCodes.InvalidPortGroup, "PortGroup", group.ToString(), $"Port group '{shown}' has VLAN id {vlan.ToString(CultureInfo.InvariantCulture)}: a VLAN id is between {NetworkSpecValidator.MinVlanId} and {NetworkSpecValidator.MaxVlanId}."));
                }
                else if (!TakesVlan(connection))
                {
                    errors.Add(new(ErrorCodes.PortGroupVlanNotAllowed, "PortGroup", group.ToString(), $"Port group '{shown}' has a VLAN id, which a {connection.ToKimchiName()} network cannot have: libvirt tags the ports of a port group only on passthrough networks and on bridge networks on Open vSwitch."));
                }
            }

            if (group.Default && ++defaults == 2)
            {
                errors.Add(new(ErrorCodes.MultipleDefaultPortGroups, "PortGroup", group.ToString(), $"Port group '{shown}' is a second default: at most one port group of a network is the default, the one a guest NIC that names none gets."));
            }
        }

        return errors;
    }

    /// <summary>Whether a port group of a <paramref name="connection"/> network may have a VLAN id (a bridge network only on Open vSwitch, which the host decides).</summary>
    public static bool TakesVlan(ConnectionType connection) => connection is ConnectionType.Passthrough or ConnectionType.Bridge;

    private static bool IsName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxNameLength
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
