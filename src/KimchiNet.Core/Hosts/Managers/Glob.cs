using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace KimchiNet.Hosts.Managers;

/// <summary>
/// Shell wildcards as the managers use them (fnmatch(3) without flags): <c>*</c>, <c>?</c> and
/// <c>[...]</c> (with <c>!</c> or <c>^</c> to negate, and ranges). ifupdown's <c>source</c> lines
/// and netplan's <c>match: name:</c> take them.
/// </summary>
internal static class Glob
{
    /// <summary>True when <paramref name="name"/> matches <paramref name="pattern"/> as a whole.</summary>
    internal static bool IsMatch(string pattern, string name) => Match(pattern, 0, name, 0);

    /// <summary>True when <paramref name="pattern"/> has a wildcard character.</summary>
    internal static bool HasWildcard(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>
    /// The existing paths an absolute <paramref name="pattern"/> names, sorted (as wordexp(3) does);
    /// wildcards may stand in any component, and a leading dot must be matched by a dot.
    /// </summary>
    internal static IReadOnlyList<string> Expand(string pattern)
    {
        var parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> found = ["/"];
        foreach (var part in parts)
        {
            if (!HasWildcard(part))
            {
                found = found.Select(f => Path.Combine(f, part)).ToList();
                continue;
            }

            found = found.SelectMany(folder => Entries(folder)
                .Where(name => (part.StartsWith('.') || !name.StartsWith('.')) && IsMatch(part, name))
                .Order(StringComparer.Ordinal)
                .Select(name => Path.Combine(folder, name))).ToList();
        }

        return found.Where(f => File.Exists(f) || Directory.Exists(f)).ToList();
    }

    private static IEnumerable<string> Entries(string folder)
    {
        try
        {
            return Directory.Exists(folder)
                ? Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().ToList()
                : Enumerable.Empty<string>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Enumerable.Empty<string>();
        }
    }

    private static bool Match(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            switch (pattern[p])
            {
                case '*':
                    while (p < pattern.Length && pattern[p] == '*')
                    {
                        p++;
                    }

                    if (p == pattern.Length)
                    {
                        return true;
                    }

                    for (var i = n; i <= name.Length; i++)
                    {
                        if (Match(pattern, p, name, i))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (n == name.Length)
                    {
                        return false;
                    }

                    p++;
                    n++;
                    break;
                case '[' when ClassEnd(pattern, p) is var end and > 0:
                    if (n == name.Length || !InClass(pattern, p + 1, end, name[n]))
                    {
                        return false;
                    }

                    p = end + 1;
                    n++;
                    break;
                default:
                    if (n == name.Length || pattern[p] != name[n])
                    {
                        return false;
                    }

                    p++;
                    n++;
                    break;
            }
        }

        return n == name.Length;
    }

    /// <summary>The index of the <c>]</c> closing the class that opens at <paramref name="open"/>, or -1 (then the <c>[</c> is literal).</summary>
    private static int ClassEnd(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] is '!' or '^')
        {
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            i++; // a leading ] is a member
        }

        var end = pattern.IndexOf(']', i);
        return end;
    }

    private static bool InClass(string pattern, int start, int end, char c)
    {
        var negate = pattern[start] is '!' or '^';
        var i = negate ? start + 1 : start;
        var found = false;
        for (; i < end; i++)
        {
            if (i + 2 < end && pattern[i + 1] == '-')
            {
                found |= c >= pattern[i] && c <= pattern[i + 2];
                i += 2;
            }
            else
            {
                found |= c == pattern[i];
            }
        }

        return found != negate;
    }
}
