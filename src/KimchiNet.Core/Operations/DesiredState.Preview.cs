using System;
using System.Linq;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>Showing what <see cref="Converge"/> would do to a network's XML.</summary>
public sealed partial record DesiredState
{
    /// <summary>
    /// The change <see cref="Converge"/> would make to the network's XML, as a line diff ("- " removed,
    /// "+ " added, see <see cref="XmlDiff"/>): the whole document added for a create, removed for a
    /// removal, the old against the new for an update or a replacement; empty when nothing differs,
    /// and a sentence when only the state or autostart changes (neither is in the XML). Plans as
    /// Converge does, so every refusal it would meet (an overlapping subnet, an unknown device) is
    /// thrown here. Changes nothing.
    /// </summary>
    /// <exception cref="KimchiException">Those of <see cref="Compare"/> and of the create and update planned.</exception>
    public static string PreviewXml(NetworkOperations operations, DesiredState desired, KimchiNetworkInfo? actual)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(desired);
        var differences = Compare(desired, actual);
        if (differences.Count == 0)
        {
            return string.Empty;
        }

        if (desired.Ensure == Ensure.Absent)
        {
            return Prefixed(actual!.Xml, "- ");
        }

        if (actual is null)
        {
            var connection = desired.Connection ?? throw new KimchiException(
                ErrorCodes.InvalidConnection,
                ErrorKind.InvalidInput,
                $"Network '{DisplayText.Printable(desired.Name)}' does not exist, and no connection type was given to create it with.",
                desired.Name);
            return Prefixed(operations.PlanCreate(Creation(desired, connection)).Xml, "+ ");
        }

        if (desired.Connection is { } type && type != actual.Connection)
        {
            return XmlDiff.Networks(actual.Xml, operations.PlanCreateCore(Replacement(desired, type, actual), replacing: true).Xml);
        }

        var differs = differences.Select(d => d.Property).ToHashSet(StringComparer.Ordinal);
        var reservations = differs.Contains(nameof(DhcpReservations)) ? desired.DhcpReservations : null;
        if (differs.Contains(nameof(Interfaces)) || differs.Contains(nameof(Subnet)) || differs.Contains(nameof(VlanId)))
        {
            var plan = operations.PlanUpdateCore(desired.Name, UpdateOf(desired, differs), whileActive: true);
            return XmlDiff.Networks(plan.OldXml, reservations is null ? plan.NewXml : WithReservations(plan.NewXml, reservations));
        }

        if (reservations is not null)
        {
            return XmlDiff.Networks(actual.Xml, WithReservations(actual.Xml, reservations));
        }

        return "(the XML does not change: only the state or autostart)";
    }

    private static string Prefixed(string xml, string prefix) =>
        string.Join('\n', xml.TrimEnd('\n').Split('\n').Select(line => prefix + line));
}
