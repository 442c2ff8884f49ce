namespace KimchiNet.Operations;

/// <summary>Whether a network should exist, in the words desired state configuration uses.</summary>
public enum Ensure
{
    /// <summary>The network should exist (the default).</summary>
    Present,

    /// <summary>The network should not exist.</summary>
    Absent,
}
