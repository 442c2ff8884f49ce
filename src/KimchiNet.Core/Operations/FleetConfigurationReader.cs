using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using KimchiNet.Model;

namespace KimchiNet.Operations;

/// <summary>
/// Reads and checks a fleet configuration. JSON is read here (System.Text.Json); a PowerShell data
/// file is read by the cmdlets with PowerShell's data-file rules and handed over as a dictionary. Both
/// end in <see cref="FromData"/>, so one set of rules judges them:
/// <code>
/// Groups = list of { Name = text; Uris = text or list of text; Networks = list of network }
/// network = { Name = text; Ensure = Present|Absent; Connection; Interfaces; Subnet; VlanId; State = Active|Inactive; Autostart = true|false;
///             DhcpReservations = list of 'MAC=IP[,NAME]'; Ipv6Subnet = text; Ipv6Dhcp = true|false; Ipv6Nat = true|false; PortGroups = list of 'NAME[=default][,vlan:ID]' }
/// </code>
/// Keys are case-insensitive; a key KimchiNet does not know is an error (a typo must not be ignored).
/// A present network needs Connection (it is created where missing); an absent one takes only Name and
/// Ensure. Every network is then judged by Kimchi's own rules (<see cref="DesiredState.Compare"/>).
/// Every error names the file, group, network and property.
/// </summary>
public static class FleetConfigurationReader
{
    private static readonly string[] s_topKeys = ["Groups"];
    private static readonly string[] s_groupKeys = ["Name", "Uris", "Networks"];
    private static readonly string[] s_networkKeys =
    [
        "Name", nameof(DesiredState.Ensure), nameof(DesiredState.Connection), nameof(DesiredState.Interfaces),
        nameof(DesiredState.Subnet), nameof(DesiredState.VlanId), nameof(DesiredState.State), nameof(DesiredState.Autostart),
        nameof(DesiredState.DhcpReservations), nameof(DesiredState.Ipv6Subnet), nameof(DesiredState.Ipv6Dhcp), nameof(DesiredState.Ipv6Nat),
        nameof(DesiredState.PortGroups),
    ];

    /// <summary>Reads a JSON fleet configuration from a file.</summary>
    /// <exception cref="KimchiException">KCHNET0180E when the file cannot be read or is not JSON; those of <see cref="FromData"/>.</exception>
    public static FleetConfiguration ReadJsonFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, e.Message, e);
        }

        return ParseJson(text, path);
    }

    /// <summary>Reads a JSON fleet configuration; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="KimchiException">KCHNET0180E when it is not JSON; KCHNET0184E for a key given twice; those of <see cref="FromData"/>.</exception>
    public static FleetConfiguration ParseJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw CannotRead(source, $"it is not JSON (line {(e.LineNumber ?? 0) + 1}: {e.Message})", e);
        }

        using (document)
        {
            if (ToData(document.RootElement, source, "the file") is not IDictionary data)
            {
                throw CannotRead(source, "it is not a JSON object ({ \"Groups\": [...] })", null);
            }

            return FromData(data, source);
        }
    }

    /// <summary>
    /// Checks a fleet configuration given as dictionaries (a PowerShell data file's hashtables, or
    /// JSON's objects), lists and plain values, and makes it the model.
    /// </summary>
    /// <exception cref="KimchiException">
    /// KCHNET0181E an unknown key; KCHNET0182E a missing one; KCHNET0183E a value of the wrong kind;
    /// KCHNET0184E a group named twice or a network named twice for one host; Kimchi's own codes
    /// (KCHNET0011E, 0012E, 0013E, 0003E, 0015E, ...) for a network its rules refuse. Each message starts with where.
    /// </exception>
    public static FleetConfiguration FromData(IDictionary data, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(source);
        var top = new Place(source, null, null);
        var keys = Keys(data, s_topKeys, top);
        var groups = new List<FleetGroup>();
        var groupItems = Items(Required(keys, "Groups", top), top.With("Groups"));
        for (var i = 0; i < groupItems.Count; i++)
        {
            var place = new Place(source, $"#{i + 1}", null);
            if (groupItems[i] is not IDictionary group)
            {
                throw Invalid(place, "must be a table of Name, Uris and Networks");
            }

            groups.Add(ReadGroup(group, place));
        }

        var configuration = new FleetConfiguration(source, groups);
        CheckDuplicates(configuration, top);
        return configuration;
    }

    private static FleetGroup ReadGroup(IDictionary group, Place place)
    {
        place = place with { Group = NameIn(group) ?? place.Group };
        var keys = Keys(group, s_groupKeys, place);
        var name = Text(Required(keys, "Name", place), place.With("Name"));
        if (name.Length == 0)
        {
            throw Invalid(place.With("Name"), "must not be empty");
        }

        place = place with { Group = name };
        var uris = Items(Required(keys, "Uris", place), place.With("Uris"))
            .Select(uri => Text(uri, place.With("Uris")))
            .ToArray();
        if (uris.Length == 0 || uris.Any(string.IsNullOrWhiteSpace))
        {
            throw Invalid(place.With("Uris"), "must be one or more libvirt URIs, none empty");
        }

        var networks = new List<DesiredState>();
        var items = Items(Required(keys, "Networks", place), place.With("Networks"));
        for (var i = 0; i < items.Count; i++)
        {
            var at = place with { Network = $"#{i + 1}" };
            if (items[i] is not IDictionary network)
            {
                throw Invalid(at, "must be a table of network properties (Name, Connection, ...)");
            }

            networks.Add(ReadNetwork(network, at));
        }

        return new FleetGroup(name, uris.Distinct(StringComparer.Ordinal).ToArray(), networks);
    }

    private static DesiredState ReadNetwork(IDictionary network, Place place)
    {
        place = place with { Network = NameIn(network) ?? place.Network };
        var keys = Keys(network, s_networkKeys, place);
        var name = Text(Required(keys, "Name", place), place.With("Name"));
        place = place with { Network = name };
        var ensure = Word(keys, nameof(DesiredState.Ensure), place, Ensure.Present);
        if (ensure == Ensure.Absent)
        {
            var others = keys.Keys.Where(k => k is not ("Name" or nameof(DesiredState.Ensure)) && keys[k] is not null).ToArray();
            if (others.Length > 0)
            {
                throw Invalid(place.With(others[0]), "is not allowed on a network that must be absent (Ensure = Absent takes only Name)");
            }
        }

        DesiredState desired;
        try
        {
            var connection = ensure == Ensure.Present
                ? Text(Required(keys, nameof(DesiredState.Connection), place), place.With(nameof(DesiredState.Connection)))
                : null;
            desired = new DesiredState
            {
                Name = name,
                Ensure = ensure,
                Connection = connection is null ? null : ConnectionTypes.Parse(connection),
                Interfaces = Optional(keys, nameof(DesiredState.Interfaces)) is { } interfaces
                    ? Items(interfaces, place.With(nameof(DesiredState.Interfaces))).Select(i => Text(i, place.With(nameof(DesiredState.Interfaces)))).ToArray()
                    : null,
                Subnet = Optional(keys, nameof(DesiredState.Subnet)) is { } subnet ? Text(subnet, place.With(nameof(DesiredState.Subnet))) : null,
                VlanId = Optional(keys, nameof(DesiredState.VlanId)) is { } vlan ? Number(vlan, place.With(nameof(DesiredState.VlanId))) : null,
                State = Optional(keys, nameof(DesiredState.State)) is null ? null : Word<NetworkState>(keys, nameof(DesiredState.State), place, default),
                Autostart = Optional(keys, nameof(DesiredState.Autostart)) is { } autostart ? Boolean(autostart, place.With(nameof(DesiredState.Autostart))) : null,
                Ipv6Subnet = Optional(keys, nameof(DesiredState.Ipv6Subnet)) is { } ipv6 ? Text(ipv6, place.With(nameof(DesiredState.Ipv6Subnet))) : null,
                Ipv6Dhcp = Optional(keys, nameof(DesiredState.Ipv6Dhcp)) is { } ipv6Dhcp ? Boolean(ipv6Dhcp, place.With(nameof(DesiredState.Ipv6Dhcp))) : null,
                Ipv6Nat = Optional(keys, nameof(DesiredState.Ipv6Nat)) is { } ipv6Nat ? Boolean(ipv6Nat, place.With(nameof(DesiredState.Ipv6Nat))) : null,
            }.WithDhcpReservations(List(keys, nameof(DesiredState.DhcpReservations), place, DhcpReservation.Parse))
            .WithPortGroups(List(keys, nameof(DesiredState.PortGroups), place, PortGroup.Parse));

            // Kimchi's rules for each property given (judged against the connection type); a network
            // that does not exist yet differs only in Ensure, so nothing else is read. Reservations
            // without a Subnet are judged against each host's network when the plan is made (a host
            // that lacks the network refuses them there with KCHNET0177E).
            DesiredState.Compare(desired.Subnet is null ? desired with { DhcpReservations = null } : desired, actual: null);
        }
        catch (KimchiException e) when (!e.Code.StartsWith("KCHNET018", StringComparison.Ordinal))
        {
            throw new KimchiException(e.Code, e.Kind, $"{place}: {e.Message}", place.ToString(), e);
        }

        return desired;
    }

    /// <summary>Refuses a group name given twice, and a network that two groups (or one group twice) give the same host.</summary>
    private static void CheckDuplicates(FleetConfiguration configuration, Place top)
    {
        var groupNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in configuration.Groups)
        {
            if (!groupNames.Add(group.Name))
            {
                throw new KimchiException(ErrorCodes.FleetDuplicate, ErrorKind.InvalidInput, $"{top with { Group = group.Name }}: the group name is given twice; give each group its own name.", group.Name);
            }
        }

        foreach (var host in configuration.Hosts())
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var network in host.Networks)
            {
                if (seen.TryGetValue(network.Desired.Name, out var first))
                {
                    var where = first == network.Group ? $"group '{DisplayText.Printable(first)}' twice" : $"groups '{DisplayText.Printable(first)}' and '{DisplayText.Printable(network.Group)}'";
                    throw new KimchiException(
                        ErrorCodes.FleetDuplicate,
                        ErrorKind.InvalidInput,
                        $"{top with { Group = network.Group, Network = network.Desired.Name }}: host {DisplayText.Line(Libvirt.LibvirtUri.Redact(host.Uri))} is given this network by {where}; a network must be described once per host.",
                        network.Desired.Name);
                }

                seen[network.Desired.Name] = network.Group;
            }
        }
    }

    /// <summary>The keys of a table by their canonical spelling; an unknown key is KCHNET0181E, a key twice (in any case) KCHNET0184E.</summary>
    private static Dictionary<string, object?> Keys(IDictionary table, string[] known, Place place)
    {
        var keys = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            var canonical = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new KimchiException(
                    ErrorCodes.FleetUnknownKey,
                    ErrorKind.InvalidInput,
                    $"{place.With(key)}: KimchiNet does not know this key. Use {string.Join(", ", known)}.",
                    key);
            if (!keys.TryAdd(canonical, entry.Value))
            {
                throw new KimchiException(ErrorCodes.FleetDuplicate, ErrorKind.InvalidInput, $"{place.With(key)}: the key is given twice.", key);
            }
        }

        return keys;
    }

    /// <summary>The table's Name when it is text, so that messages about its other keys can name it.</summary>
    private static string? NameIn(IDictionary table) =>
        table.Keys.Cast<object>().FirstOrDefault(k => string.Equals(Convert.ToString(k, CultureInfo.InvariantCulture), "Name", StringComparison.OrdinalIgnoreCase)) is { } key
            && table[key] is string { Length: > 0 } name ? name : null;

    private static object Required(Dictionary<string, object?> keys, string key, Place place) =>
        Optional(keys, key) ?? throw new KimchiException(
            ErrorCodes.FleetMissingKey,
            ErrorKind.InvalidInput,
            $"{place.With(key)}: this key is required{(key == nameof(DesiredState.Connection) ? " for a network that must be present (it is created where missing)" : string.Empty)}.",
            key);

    private static object? Optional(Dictionary<string, object?> keys, string key) => keys.GetValueOrDefault(key);

    /// <summary>A list of texts under <paramref name="key"/>, each parsed (as the cmdlets parse it), or null when the key is not given.</summary>
    private static T[]? List<T>(Dictionary<string, object?> keys, string key, Place place, Func<string, T> parse) =>
        Optional(keys, key) is { } value ? Items(value, place.With(key)).Select(item => parse(Text(item, place.With(key)))).ToArray() : null;

    private static string Text(object? value, Place place) =>
        value as string ?? throw Invalid(place, $"must be text, not {Shown(value)}");

    /// <summary>A list's items; a single value (text or a table) is a list of one.</summary>
    private static List<object?> Items(object value, Place place) => value switch
    {
        string or IDictionary => [value],
        IEnumerable items => items.Cast<object?>().ToList(),
        _ => throw Invalid(place, $"must be a list, not {Shown(value)}"),
    };

    private static int Number(object value, Place place) => value switch
    {
        int number => number,
        long number when number is >= int.MinValue and <= int.MaxValue => (int)number,
        _ => throw Invalid(place, $"must be a whole number, not {Shown(value)}"),
    };

    private static bool Boolean(object value, Place place) =>
        value as bool? ?? throw Invalid(place, $"must be true or false ($true or $false in a .psd1), not {Shown(value)}");

    private static T Word<T>(Dictionary<string, object?> keys, string key, Place place, T absent)
        where T : struct, Enum
    {
        if (Optional(keys, key) is not { } value)
        {
            return absent;
        }

        var names = Enum.GetNames<T>();
        var text = value as string;
        var name = names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase))
            ?? throw Invalid(place.With(key), $"must be {string.Join(" or ", names)}, not {Shown(value)}");
        return Enum.Parse<T>(name);
    }

    private static string Shown(object? value) => value switch
    {
        null => "nothing",
        string text => $"'{DisplayText.Printable(text)}'",
        IDictionary => "a table",
        IEnumerable => "a list",
        bool flag => flag ? "true" : "false",
        _ => $"'{DisplayText.Printable(Convert.ToString(value, CultureInfo.InvariantCulture))}'",
    };

    private static KimchiException Invalid(Place place, string problem) =>
        new(ErrorCodes.FleetInvalidValue, ErrorKind.InvalidInput, $"{place}: {problem}.", place.ToString());

    /// <summary>KCHNET0180E: the fleet configuration <paramref name="source"/> cannot be read, for the reason <paramref name="why"/>.</summary>
    public static KimchiException CannotRead(string source, string why, Exception? inner = null) =>
        new(ErrorCodes.FleetFileUnreadable, ErrorKind.InvalidInput, $"Fleet configuration {DisplayText.Line(source)} cannot be read: {DisplayText.Printable(why)}.", source, inner);

    /// <summary>A JSON value as the tables, lists and values a data file gives: objects with case-insensitive keys, whole numbers as long.</summary>
    private static object? ToData(JsonElement element, string source, string path) => element.ValueKind switch
    {
        JsonValueKind.Object => ToTable(element, source, path),
        JsonValueKind.Array => element.EnumerateArray().Select(item => ToData(item, source, path)).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static Hashtable ToTable(JsonElement element, string source, string path)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            if (table.ContainsKey(property.Name))
            {
                throw new KimchiException(
                    ErrorCodes.FleetDuplicate,
                    ErrorKind.InvalidInput,
                    $"{DisplayText.Line(source)}: key '{DisplayText.Printable(property.Name)}' is given twice in one object (in {path}).",
                    property.Name);
            }

            table[property.Name] = ToData(property.Value, source, property.Name);
        }

        return table;
    }

    /// <summary>Where in a file a value is, as messages show it: "fleet.psd1: group 'web', network 'lab', property 'VlanId'".</summary>
    private sealed record Place(string Source, string? Group, string? Network, string? Property = null)
    {
        public Place With(string property) => this with { Property = property };

        public override string ToString()
        {
            var parts = new List<string>();
            if (Group is not null)
            {
                parts.Add($"group '{DisplayText.Printable(Group)}'");
            }

            if (Network is not null)
            {
                parts.Add($"network '{DisplayText.Printable(Network)}'");
            }

            if (Property is not null)
            {
                parts.Add($"property '{DisplayText.Printable(Property)}'");
            }

            return DisplayText.Line(Source) + (parts.Count > 0 ? ": " + string.Join(", ", parts) : string.Empty);
        }
    }
}
