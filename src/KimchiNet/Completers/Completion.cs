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
}
