using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace KimchiNet.Hosts.Managers;

/// <summary>An iface stanza of ifupdown: <c>iface NAME FAMILY METHOD</c> with its option lines.</summary>
/// <param name="Name">The logical interface name.</param>
/// <param name="Family">inet, inet6, ipx or can.</param>
/// <param name="Method">static, dhcp, manual, auto, loopback, …</param>
/// <param name="Options">The option lines under it, as written (trimmed), e.g. "address 192.0.2.10/24".</param>
/// <param name="File">The file that holds it.</param>
/// <param name="Line">Its line number in that file (1-based).</param>
public sealed record IfupdownStanza(string Name, string Family, string Method, IReadOnlyList<string> Options, string File, int Line)
{
    /// <summary>The interfaces it takes as ports or slaves (bridge_ports, bond-slaves), named one by one; "none", "all" and regex forms name none.</summary>
    public IReadOnlyList<string> Ports => Options
        .Select(option => option.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(words => words.Length > 1 && words[0] is "bridge_ports" or "bridge-ports" or "bond-slaves" or "bond_slaves" or "slaves")
        .SelectMany(words => words.Skip(1))
        .TakeWhile(word => word != "regex")
        .Where(word => word is not ("none" or "all"))
        .ToList();
}

/// <summary>
/// ifupdown's configuration (interfaces(5)): the iface stanzas of <c>/etc/network/interfaces</c> and of
/// every file it includes with <c>source</c> (shell wildcards) or <c>source-directory</c> (files named
/// <c>^[a-zA-Z0-9_-]+$</c>), relative paths taken from the including file's folder, each file read
/// once. Lines whose first non-blank character is <c>#</c> are comments; a line ending in a backslash
/// continues on the next.
/// </summary>
public static class IfupdownInterfaces
{
    /// <summary>ifupdown's main file.</summary>
    public const string DefaultPath = "/etc/network/interfaces";

    private const int MaxDepth = 16;

    /// <summary>
    /// The stanzas of the configuration that starts at <paramref name="path"/> (under
    /// <paramref name="root"/>, which also roots absolute include paths: tests use a fake tree), read
    /// through <paramref name="files"/>.
    /// </summary>
    internal static IReadOnlyList<IfupdownStanza> Read(ManagerFiles files, string path = DefaultPath, string root = "/")
    {
        ArgumentNullException.ThrowIfNull(files);
        var stanzas = new List<IfupdownStanza>();
        Read(files, Path.Combine(root, path.TrimStart('/')), root, stanzas, new HashSet<string>(StringComparer.Ordinal), 0);
        return stanzas;
    }

    private static void Read(ManagerFiles files, string path, string root, List<IfupdownStanza> stanzas, HashSet<string> seen, int depth)
    {
        if (depth > MaxDepth || !seen.Add(path) || files.ReadText(path) is not { } text)
        {
            return;
        }

        var folder = Path.GetDirectoryName(path) ?? "/";
        foreach (var entry in Parse(text, path))
        {
            switch (entry)
            {
                case IfupdownStanza stanza:
                    stanzas.Add(stanza);
                    break;
                case Include { Directory: false } include:
                    foreach (var file in Glob.Expand(Absolute(root, folder, include.Pattern)))
                    {
                        Read(files, file, root, stanzas, seen, depth + 1);
                    }

                    break;
                case Include include:
                    foreach (var directory in Glob.Expand(Absolute(root, folder, include.Pattern)))
                    {
                        foreach (var file in files.List(directory).Where(f => IsSourceable(Path.GetFileName(f))))
                        {
                            Read(files, file, root, stanzas, seen, depth + 1);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>An include line: <c>source PATTERN</c> or <c>source-directory PATTERN</c>.</summary>
    internal sealed record Include(string Pattern, bool Directory, int Line);

    /// <summary>The stanzas and include lines of one file's text, in order.</summary>
    internal static IReadOnlyList<object> Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<object>();
        string? name = null, family = null, method = null;
        var options = new List<string>();
        var stanzaLine = 0;

        void Close()
        {
            if (name is not null)
            {
                entries.Add(new IfupdownStanza(name, family!, method!, options.ToList(), file, stanzaLine));
            }

            name = null;
            options.Clear();
        }

        foreach (var (line, number) in LogicalLines(text))
        {
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0].StartsWith('#'))
            {
                continue;
            }

            switch (words[0])
            {
                case "iface" when words.Length >= 4:
                    Close();
                    (name, family, method, stanzaLine) = (words[1], words[2], words[3], number);
                    break;
                case "iface":
                case "mapping":
                case "auto":
                case "rename":
                case "no-auto-down":
                case "no-scripts":
                    Close();
                    break;
                case "source" when words.Length >= 2:
                    Close();
                    entries.Add(new Include(words[1], Directory: false, number));
                    break;
                case "source-directory" when words.Length >= 2:
                    Close();
                    entries.Add(new Include(words[1], Directory: true, number));
                    break;
                default:
                    if (words[0].StartsWith("allow-", StringComparison.Ordinal))
                    {
                        Close();
                    }
                    else if (name is not null)
                    {
                        options.Add(string.Join(' ', words));
                    }

                    break;
            }
        }

        Close();
        return entries;
    }

    /// <summary>The file names <c>source-directory</c> takes: ^[a-zA-Z0-9_-]+$.</summary>
    internal static bool IsSourceable(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>An include pattern as a path: relative to the including file's folder, absolute under <paramref name="root"/>.</summary>
    private static string Absolute(string root, string folder, string pattern) =>
        pattern.StartsWith('/') ? Path.Combine(root, pattern.TrimStart('/')) : Path.Combine(folder, pattern);

    /// <summary>The lines of <paramref name="text"/> with backslash continuations joined, each with the number of its first physical line.</summary>
    private static IEnumerable<(string Line, int Number)> LogicalLines(string text)
    {
        var physical = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < physical.Length; i++)
        {
            var number = i + 1;
            var line = physical[i];
            while (line.EndsWith('\\') && i + 1 < physical.Length)
            {
                line = line[..^1] + " " + physical[++i];
            }

            yield return (line, number);
        }
    }
}
