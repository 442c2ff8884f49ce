using System;
using System.Globalization;
using System.Management.Automation;
using KimchiNet.Validation;

namespace KimchiNet;

/// <summary>
/// Makes -VlanId bind every value, so KimchiNet, not PowerShell's binder, judges it. Left to the
/// binder, an [int] parameter rounds '1.5' to VLAN 2, turns $true into VLAN 1 and '0x10' into 16,
/// and a value it cannot convert ('abc', 9999999999) is refused with the binder's own error, or,
/// from pipeline input by property name (a CSV cell), silently left out, so a bridge network would
/// be made untagged. Here a whole number (an integral type, a floating value without a fraction, or a
/// string of ASCII digits with an optional sign) passes as an int; anything else becomes
/// <see cref="NetworkSpecValidator.NotAnIntegerVlanId"/>, which validation refuses with KCHNET0015E.
/// Blank strings are left for <see cref="EmptyAsNullTransformationAttribute"/> (or the binder).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class VlanIdTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>The VLAN id as an int, or the not-an-integer marker; null and blank strings unchanged.</summary>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) => Convert(inputData);

    /// <summary>The conversion itself, without an engine (for tests).</summary>
    internal static object? Convert(object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            null => null,
            string text when string.IsNullOrWhiteSpace(text) => inputData,
            string text => FromString(text.Trim()),
            int number => number,
            byte or sbyte or short or ushort or uint or long or ulong => FromInteger(System.Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
            float or double => FromDouble(System.Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            decimal number => FromInteger(number),
            _ => NetworkSpecValidator.NotAnIntegerVlanId,
        };
    }

    private static int FromString(string text)
    {
        var start = text.Length > 0 && text[0] is '+' or '-' ? 1 : 0;
        if (start == text.Length)
        {
            return NetworkSpecValidator.NotAnIntegerVlanId;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return NetworkSpecValidator.NotAnIntegerVlanId;
            }
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number != NetworkSpecValidator.NotAnIntegerVlanId
            ? number
            : NetworkSpecValidator.NotAnIntegerVlanId;
    }

    private static int FromDouble(double number) =>
        double.IsFinite(number) && Math.Floor(number) == number && number is > int.MinValue and <= int.MaxValue
            ? (int)number
            : NetworkSpecValidator.NotAnIntegerVlanId;

    private static int FromInteger(decimal number) =>
        decimal.Truncate(number) == number && number is > int.MinValue and <= int.MaxValue
            ? (int)number
            : NetworkSpecValidator.NotAnIntegerVlanId;
}
