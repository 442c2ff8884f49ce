using System;
using System.Buffers;
using System.Globalization;
using System.Text;

namespace KimchiNet;

/// <summary>
/// Makes a user's value safe to quote inside an error message. A name can hold a bell, an
/// escape sequence or a right-to-left override (U+202E) that would ring the terminal, recolour it
/// or reverse the rest of the sentence; such characters are shown as C# escapes instead: a
/// backslash, 'u' and four hex digits (or 'U' and eight above U+FFFF). Huge values are cut to their
/// start and their length. Only the message is changed: <see cref="ValidationError.Value"/> keeps
/// the raw value.
/// </summary>
/// <remarks>
/// Backslashes are left as they are, so a value that literally spells such an escape reads the same
/// as one holding the character; the raw value tells them apart.
/// </remarks>
internal static class DisplayText
{
    /// <summary>Values longer than this many UTF-16 characters are shortened.</summary>
    internal const int MaxShownLength = 64;

    /// <summary>How many characters of a shortened value are kept.</summary>
    internal const int KeptLength = 60;

    /// <summary>The value with invisible characters escaped and, when huge, shortened; empty for null.</summary>
    internal static string Printable(string? value) => Escape(value, shorten: true, keepLineBreaks: false);

    /// <summary>
    /// A whole line (or, with <paramref name="keepLineBreaks"/>, lines such as XML or a diff) for a
    /// person to read outside an error message: What-if, -Confirm and -Verbose text. The same
    /// characters are escaped as in <see cref="Printable"/>, but nothing is shortened, and with
    /// <paramref name="keepLineBreaks"/> a plain line feed ("\n") stays a line break.
    /// </summary>
    internal static string Line(string? text, bool keepLineBreaks = false) => Escape(text, shorten: false, keepLineBreaks);

    private static string Escape(string? value, bool shorten, bool keepLineBreaks)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        shorten = shorten && value.Length > MaxShownLength;
        var end = shorten ? KeptLength : value.Length;
        if (shorten && char.IsHighSurrogate(value[end - 1]) && char.IsLowSurrogate(value[end]))
        {
            // Never cut a surrogate pair in two: half an emoji would itself be an unprintable character.
            end--;
        }

        var builder = new StringBuilder(end + 24);
        var i = 0;
        while (i < end)
        {
            var status = Rune.DecodeFromUtf16(value.AsSpan(i, end - i), out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                // A lone surrogate: it has no character to show, only its code unit.
                AppendEscape(builder, value[i]);
                i++;
                continue;
            }

            if (NeedsEscape(rune) && !(keepLineBreaks && rune.Value == '\n'))
            {
                AppendEscape(builder, rune.Value);
            }
            else
            {
                builder.Append(value, i, consumed);
            }

            i += consumed;
        }

        if (shorten)
        {
            builder.Append(CultureInfo.InvariantCulture, $"... ({value.Length} characters)");
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control => true,
        UnicodeCategory.Format => true,               // bidi controls, zero-width space/joiners, BOM, soft hyphen, tags
        UnicodeCategory.LineSeparator => true,
        UnicodeCategory.ParagraphSeparator => true,
        UnicodeCategory.SpaceSeparator => rune.Value != ' ', // no-break and other spaces look like ' ' but are not
        UnicodeCategory.PrivateUse => true,
        UnicodeCategory.OtherNotAssigned => true,     // includes the noncharacters U+FFFE and U+FFFF
        UnicodeCategory.Surrogate => true,
        _ => false,
    };

    private static void AppendEscape(StringBuilder builder, int codePoint)
    {
        if (codePoint <= 0xFFFF)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\\u{codePoint:X4}");
        }
        else
        {
            builder.Append(CultureInfo.InvariantCulture, $"\\U{codePoint:X8}");
        }
    }
}
