using System;
using System.Collections.Generic;
using System.Text;

namespace KimchiNet.Operations;

/// <summary>
/// A line diff of two XML documents, for Set-KimchiNetwork -WhatIf: unchanged lines start with two
/// spaces, removed ones with "- ", added ones with "+ ". Longest-common-subsequence over lines, which
/// is plenty for network documents of a few dozen lines.
/// </summary>
public static class XmlDiff
{
    /// <summary>
    /// The diff of two network documents after both are read and written again by KimchiNet, so only
    /// real changes show, not libvirt's quoting or attribute layout.
    /// </summary>
    public static string Networks(string before, string after) =>
        Lines(Normalize(before), Normalize(after));

    private static string Normalize(string xml) => Xml.NetworkXmlWriter.Write(Xml.NetworkXmlReader.Read(xml)).TrimEnd('\n');

    /// <summary>The diff of <paramref name="before"/> and <paramref name="after"/>, one line per line, joined with "\n".</summary>
    public static string Lines(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = before.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var b = after.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        // lengths[i, j] = length of the longest common subsequence of a[i..] and b[j..].
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = string.Equals(a[i], b[j], StringComparison.Ordinal)
                    ? lengths[i + 1, j + 1] + 1
                    : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var lines = new List<string>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && string.Equals(a[x], b[y], StringComparison.Ordinal))
            {
                lines.Add("  " + a[x++]);
                y++;
            }
            else if (x < a.Length && (y == b.Length || lengths[x + 1, y] >= lengths[x, y + 1]))
            {
                lines.Add("- " + a[x++]);
            }
            else
            {
                lines.Add("+ " + b[y++]);
            }
        }

        return new StringBuilder().AppendJoin('\n', lines).ToString();
    }
}
