using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace KimchiNet.Completers;

/// <summary>What the completers share.</summary>
internal static class Completion
{
    /// <summary>Quotes a completion text when PowerShell would otherwise split or misread it.</summary>
    public static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/')
            ? text
            : "'" + text.Replace("'", "''", System.StringComparison.Ordinal) + "'";

    /// <summary>What a completer matches against: the word typed so far, without its quotes, followed by anything, in any letter case.</summary>
    public static WildcardPattern Pattern(string? wordToComplete) =>
        WildcardPattern.Get((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);

    /// <summary>
    /// The host a completer asks: the first -Uri typed so far (one URI or several), else the
    /// session's default.
    /// </summary>
    public static string? HostUri(System.Collections.IDictionary fakeBoundParameters) => fakeBoundParameters["Uri"] switch
    {
        string uri => uri,
        System.Collections.IEnumerable uris => uris.OfType<string>().FirstOrDefault() ?? SessionDefaults.DefaultUri,
        _ => SessionDefaults.DefaultUri,
    };

    /// <summary>
    /// Completions read live from the host in use (<see cref="HostUri"/>): what <paramref name="read"/>
    /// makes of its connection, or nothing when the host cannot be reached (a completer never fails).
    /// </summary>
    public static IEnumerable<CompletionResult> FromHost(System.Collections.IDictionary fakeBoundParameters, Func<KimchiNet.Libvirt.LibvirtConnection, IEnumerable<CompletionResult>> read)
    {
        ArgumentNullException.ThrowIfNull(fakeBoundParameters);
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read(KimchiNet.Libvirt.LibvirtConnections.Get(HostUri(fakeBoundParameters))).ToList();
        }
        catch (KimchiException)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
