using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace KimchiNet.Model;

/// <summary>
/// A port group of a network (libvirt's <c>&lt;portgroup name=.. default=..&gt;</c>): a named set of
/// settings a guest's NIC picks with <c>&lt;source network=.. portgroup=..&gt;</c>; the default one applies
/// to NICs that name none. KimchiNet models its name, whether it is the default and its VLAN id
/// (<c>&lt;vlan&gt;&lt;tag id=../&gt;&lt;/vlan&gt;</c>); anything else in it (virtualport, bandwidth) is kept as
/// libvirt has it. Nothing in it is trusted: <see cref="Validation.PortGroupValidator"/> judges it.
/// </summary>
public sealed record PortGroup
{
    /// <summary>The port group's name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Whether NICs that name no port group get this one.</summary>
    public bool Default { get; init; }

    /// <summary>The VLAN id (1-4094) the group's ports are tagged with, or null for none.</summary>
    public int? VlanId { get; init; }

    /// <summary>Options of the text form that are none of 'default' and 'vlan:ID' (kept for the validator to refuse).</summary>
    public IReadOnlyList<string> UnknownOptions { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Reads 'NAME[=OPTION[,OPTION...]]' where an OPTION is 'default' or 'vlan:ID' (as in 'web',
    /// 'web=default', 'office=vlan:10', 'office=default,vlan:10'); never throws: an option it does not
    /// know is kept in <see cref="UnknownOptions"/>, which the validator refuses. PowerShell converts a
    /// string given to -PortGroup with this method.
    /// </summary>
    public static PortGroup Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return new PortGroup { Name = text.Trim() };
        }

        var isDefault = false;
        int? vlan = null;
        var unknown = new List<string>();
        foreach (var option in text[(equals + 1)..].Split(',').Select(o => o.Trim()).Where(o => o.Length > 0))
        {
            if (string.Equals(option, "default", StringComparison.OrdinalIgnoreCase))
            {
                isDefault = true;
            }
            else if (option.StartsWith("vlan:", StringComparison.OrdinalIgnoreCase) && vlan is null
                && int.TryParse(option.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                vlan = id;
            }
            else
            {
                unknown.Add(option);
            }
        }

        return new PortGroup { Name = text[..equals].Trim(), Default = isDefault, VlanId = vlan, UnknownOptions = unknown };
    }

    /// <summary>The port group as 'NAME', 'NAME=default', 'NAME=vlan:ID' or 'NAME=default,vlan:ID', the form <see cref="Parse"/> reads.</summary>
    public override string ToString()
    {
        var options = new List<string>();
        if (Default)
        {
            options.Add("default");
        }

        if (VlanId is { } vlan)
        {
            options.Add(string.Create(CultureInfo.InvariantCulture, $"vlan:{vlan}"));
        }

        options.AddRange(UnknownOptions);
        return options.Count == 0 ? Name : $"{Name}={string.Join(",", options)}";
    }

    /// <summary>True when both have the same name (compared with case, as libvirt does), default flag, VLAN id and unknown options.</summary>
    public bool Equals(PortGroup? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Default == other.Default
        && VlanId == other.VlanId
        && UnknownOptions.SequenceEqual(other.UnknownOptions, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);
}
