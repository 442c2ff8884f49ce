using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace KimchiNet;

/// <summary>
/// The -Name filter of the Get cmdlets: wildcard patterns matched as PowerShell matches them, and the
/// plain names (no wildcard) that matched nothing, which the cmdlet reports as not found, the way
/// Get-Process does.
/// </summary>
internal sealed class NameFilter
{
    private readonly string[]? _names;
    private readonly WildcardPattern[]? _patterns;

    private NameFilter(string[]? names)
    {
        _names = names is { Length: > 0 } ? names : null;
        _patterns = _names?.Select(name => WildcardPattern.Get(name, WildcardOptions.None)).ToArray();
    }

    /// <summary>A filter for the given names; no names means everything.</summary>
    public static NameFilter From(string[]? names) => new(names);

    /// <summary>True when the name matches any pattern (names are case-sensitive, as in libvirt).</summary>
    public bool IsMatch(string name) => _patterns is null || _patterns.Any(pattern => pattern.IsMatch(name));

    /// <summary>The plain names that match none of the found objects.</summary>
    public IEnumerable<string> Unmatched<T>(IEnumerable<T> found, Func<T, string> nameOf)
    {
        if (_names is null)
        {
            return Array.Empty<string>();
        }

        var foundNames = new HashSet<string>(found.Select(nameOf), StringComparer.Ordinal);
        // A plain name may carry escaped wildcard characters (n`[1`]): it names the unescaped network.
        return _names
            .Where(name => !WildcardPattern.ContainsWildcardCharacters(name))
            .Select(WildcardPattern.Unescape)
            .Where(name => !foundNames.Contains(name));
    }
}
