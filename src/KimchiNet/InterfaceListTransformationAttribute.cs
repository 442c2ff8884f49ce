using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace KimchiNet;

/// <summary>
/// Lets -Interfaces take a comma-separated string, as a CSV cell "eth1,eth2" arrives, as well as
/// an array. Each string that holds a comma is split there and the pieces trimmed; a string without
/// a comma is kept exactly as given, so a bad name still reaches validation unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class InterfaceListTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>Splits comma-separated strings; leaves anything else for the binder.</summary>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case string text:
                return Split(text);
            case IEnumerable items:
                var result = new List<string>();
                foreach (var item in items)
                {
                    var element = item is PSObject inner ? inner.BaseObject : item;
                    if (element is not string name)
                    {
                        return inputData;
                    }

                    result.AddRange(Split(name));
                }

                return result.ToArray();
            default:
                return inputData;
        }
    }

    private static string[] Split(string text) =>
        text.Contains(',', StringComparison.Ordinal)
            ? Array.ConvertAll(text.Split(','), piece => piece.Trim())
            : [text];
}
