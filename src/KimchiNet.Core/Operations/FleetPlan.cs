using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>What a fleet configuration asks of one network on one host.</summary>
public enum FleetAction
{
    /// <summary>The network is as configured.</summary>
    NoChange,

    /// <summary>The network is missing and is created.</summary>
    Create,

    /// <summary>The network is changed without stopping it while it runs: start, stop, autostart, or an update of a network that is not running.</summary>
    ChangeLive,

    /// <summary>The running network is stopped, changed (devices, subnet, VLAN id, IPv6, port groups: what DesiredState.Converge updates with the network stopped) and started again, or replaced by one of another connection type.</summary>
    ChangeWithRestart,

    /// <summary>The network must be absent and is removed (stopped first).</summary>
    Remove,
}

/// <summary>
/// One network on one host in Invoke-KimchiConfiguration's plan and result: what differs, what is done
/// about it, and whether it was done.
/// </summary>
public sealed record FleetNetworkChange
{
    /// <summary>The host's libvirt URI (any password shown as ***).</summary>
    public required string Uri { get; init; }

    /// <summary>The configuration group that gives the host this network.</summary>
    public required string Group { get; init; }

    /// <summary>The network's name.</summary>
    public required string Name { get; init; }

    /// <summary>What is done.</summary>
    public FleetAction Action { get; init; }

    /// <summary>How the host differed from the configuration before anything was done.</summary>
    public IReadOnlyList<DesiredStateDifference> Differences { get; init; } = [];

    /// <summary>True once the change was made; false for no change, under -WhatIf, when declined, or when it failed.</summary>
    public bool Done { get; init; }

    /// <summary>The steps carried out, in order (empty until done).</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>The failure's message when the change failed; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// The change in one line: what a created network will be ("nat, Subnet 10.0.5.0/24, State Active"),
    /// "remove it" for a removal, else each difference ("Subnet: 10.0.5.0/24 -> 10.0.6.0/24; State: Inactive -> Active").
    /// </summary>
    public string Description { get; init; } = string.Empty;
}

/// <summary>The outcome of Invoke-KimchiConfiguration or Test-KimchiConfiguration over the whole fleet, for runbooks and CI.</summary>
public sealed record FleetSummary
{
    /// <summary>The configuration file.</summary>
    public required string Path { get; init; }

    /// <summary>How many hosts the run covered.</summary>
    public int Hosts { get; init; }

    /// <summary>The hosts that could not be reached, or where a change failed or timed out.</summary>
    public IReadOnlyList<string> FailedHosts { get; init; } = [];

    /// <summary>The hosts that differed from the configuration (changed, to be changed under -WhatIf, or drifted).</summary>
    public IReadOnlyList<string> DifferingHosts { get; init; } = [];

    /// <summary>How many networks differed (over all hosts).</summary>
    public int Differences { get; init; }

    /// <summary>
    /// Invoke-KimchiConfiguration: true when no host failed (and, under -WhatIf, whatever the plan).
    /// Test-KimchiConfiguration: true when every host was reached and is as configured.
    /// </summary>
    public bool Succeeded { get; init; }
}

/// <summary>Plans one network of a fleet: which <see cref="FleetAction"/> its differences call for.</summary>
public static class FleetPlanner
{
    private static readonly string[] s_restartProperties =
    [
        nameof(DesiredState.Interfaces), nameof(DesiredState.Subnet), nameof(DesiredState.VlanId),
        nameof(DesiredState.Ipv6Subnet), nameof(DesiredState.Ipv6Dhcp), nameof(DesiredState.Ipv6Nat), nameof(DesiredState.PortGroups),
    ];

    /// <summary>
    /// What <see cref="DesiredState.Converge"/> would do to <paramref name="actual"/>, without doing it:
    /// no change, create, remove, a change of a running network's devices, subnet, VLAN id, IPv6 settings or port groups or of its
    /// connection type (stopped and restarted, or replaced), or a change that leaves it running.
    /// </summary>
    /// <param name="desired">The network as the configuration has it.</param>
    /// <param name="actual">The network as the host has it; null when there is none.</param>
    /// <param name="uri">The host's URI as shown (password redacted).</param>
    /// <param name="group">The configuration group that gives the host this network.</param>
    /// <exception cref="KimchiException">Those of <see cref="DesiredState.Compare"/>.</exception>
    public static FleetNetworkChange Plan(DesiredState desired, KimchiNetworkInfo? actual, string uri, string group)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var differences = DesiredState.Compare(desired, actual).Select(d => d with { Uri = uri }).ToArray();
        var differs = differences.Select(d => d.Property).ToHashSet(StringComparer.Ordinal);
        var action = differences.Length == 0 ? FleetAction.NoChange
            : desired.Ensure == Ensure.Absent ? FleetAction.Remove
            : actual is null ? FleetAction.Create
            : differs.Contains(nameof(DesiredState.Connection)) ? FleetAction.ChangeWithRestart
            : actual.State == NetworkState.Active && s_restartProperties.Any(differs.Contains) ? FleetAction.ChangeWithRestart
            : FleetAction.ChangeLive;
        return new FleetNetworkChange
        {
            Uri = uri,
            Group = group,
            Name = desired.Name,
            Action = action,
            Differences = differences,
            Description = action switch
            {
                FleetAction.NoChange => string.Empty,
                FleetAction.Create => Creation(desired),
                FleetAction.Remove => "remove it",
                _ => string.Join("; ", differences.Select(d => $"{d.Property}: {Show(d.Actual)} -> {Show(d.Desired)}")),
            },
        };
    }

    private static string Creation(DesiredState desired)
    {
        var parts = new List<string> { desired.Connection!.Value.ToKimchiName() };
        AddIf(parts, nameof(DesiredState.Interfaces), desired.Interfaces);
        AddIf(parts, nameof(DesiredState.Subnet), desired.Subnet);
        AddIf(parts, nameof(DesiredState.VlanId), desired.VlanId);
        AddIf(parts, nameof(DesiredState.State), desired.State);
        AddIf(parts, nameof(DesiredState.Autostart), desired.Autostart);
        AddIf(parts, nameof(DesiredState.DhcpReservations), desired.DhcpReservations is { } reservations ? (reservations.Count == 0 ? "none" : string.Join("; ", reservations)) : null);
        AddIf(parts, nameof(DesiredState.Ipv6Subnet), desired.Ipv6Subnet);
        AddIf(parts, nameof(DesiredState.Ipv6Dhcp), desired.Ipv6Dhcp);
        AddIf(parts, nameof(DesiredState.Ipv6Nat), desired.Ipv6Nat);
        AddIf(parts, nameof(DesiredState.PortGroups), desired.PortGroups is { } groups ? string.Join("; ", groups) : null);
        return string.Join(", ", parts);
    }

    private static void AddIf(List<string> parts, string property, object? value)
    {
        if (value is not null)
        {
            parts.Add($"{property} {Show(value)}");
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        IEnumerable<string> items => items.Any() ? string.Join(",", items) : "(none)",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
