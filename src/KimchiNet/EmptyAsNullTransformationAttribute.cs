using System;
using System.Management.Automation;

namespace KimchiNet;

/// <summary>
/// Turns an empty or blank string into "not given", so a blank CSV cell for -Subnet, -VlanId or
/// -Interfaces means the same as leaving the column out. Any other value passes unchanged.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class EmptyAsNullTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>Returns null for a blank string, else the input.</summary>
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
    }
}
