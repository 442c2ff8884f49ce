using System.Collections.Generic;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Validation;

namespace KimchiNet.Operations;

/// <summary>A desired state's port groups.</summary>
public sealed partial record DesiredState
{
    /// <summary>The port groups the network should have (compared as a set), or null for any.</summary>
    public IReadOnlyList<PortGroup>? PortGroups { get; init; }

    /// <summary>The state with its port groups; an empty list means "any" (null), as elsewhere in a desired state.</summary>
    public DesiredState WithPortGroups(IReadOnlyList<PortGroup>? portGroups) => this with
    {
        PortGroups = portGroups is { Count: > 0 } ? portGroups : null,
    };

    /// <summary>The port group rules (KCHNET0194E-0197E) over the port groups desired, judged as a <paramref name="connection"/> network.</summary>
    private static IEnumerable<ValidationError> JudgePortGroups(DesiredState desired, ConnectionType connection) =>
        desired.PortGroups is { } groups ? PortGroupValidator.Validate(groups, connection) : [];

    /// <summary>The port groups, when desired and different as sets (shown as 'NAME=default,vlan:ID' texts).</summary>
    private static IEnumerable<DesiredStateDifference> ComparePortGroups(DesiredState desired, KimchiNetworkInfo actual)
    {
        if (desired.PortGroups is { } groups && !(groups.Count == actual.PortGroups.Count && groups.All(actual.PortGroups.Contains)))
        {
            yield return new(desired.Name, nameof(PortGroups), Texts(groups), Texts(actual.PortGroups));
        }
    }
}
