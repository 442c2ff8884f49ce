using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace KimchiNet.Tests;

/// <summary>
/// Finds the external programs the tests start. A missing program fails the test with its name
/// and the Debian package that provides it (from tests/tools/Dependencies.psd1), so that a missing
/// install step is never reported as a fault of the product.
/// </summary>
internal static partial class ExternalPrograms
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> s_packages = new(ReadPackages);

    /// <summary>The absolute path of a program on PATH (or <paramref name="searchPath"/>); fails the test when there is none.</summary>
    public static string Find(string name, string? searchPath = null)
    {
        var path = (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathRooted)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        return path ?? throw new XunitException(NotFoundMessage(name));
    }

    /// <summary>"nc not found (Debian package netcat-openbsd)".</summary>
    public static string NotFoundMessage(string name) =>
        s_packages.Value.TryGetValue(name, out var package)
            ? $"{name} not found (Debian package {package}); build.ps1 Bootstrap installs it."
            : $"{name} not found, and tests/tools/Dependencies.psd1 does not list it: add it with its Debian package.";

    private static IReadOnlyDictionary<string, string> ReadPackages()
    {
        var file = FindDependencyFile();
        var packages = new Dictionary<string, string>(StringComparer.Ordinal);
        if (file is null)
        {
            return packages;
        }

        var text = File.ReadAllText(file);
        var programs = text.IndexOf("Programs", StringComparison.Ordinal);
        foreach (Match entry in ProgramLine().Matches(programs < 0 ? string.Empty : text[programs..]))
        {
            packages[entry.Groups["name"].Value] = entry.Groups["package"].Value;
        }

        return packages;
    }

    private static string? FindDependencyFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "tools", "Dependencies.psd1");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\s*'?(?<name>[A-Za-z0-9_.+-]+)'?\s*=\s*'(?<package>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex ProgramLine();
}
