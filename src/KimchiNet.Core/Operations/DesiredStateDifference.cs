namespace KimchiNet.Operations;

/// <summary>One way a network differs from its desired state.</summary>
/// <param name="Name">The network's name.</param>
/// <param name="Property">The property that differs: Ensure, Connection, Interfaces, Subnet, VlanId, State or Autostart.</param>
/// <param name="Desired">The desired value, as given (a string array for Interfaces).</param>
/// <param name="Actual">The value on the host; null when the network does not have it. For Ensure, Present or Absent.</param>
public sealed record DesiredStateDifference(string Name, string Property, object? Desired, object? Actual)
{
    /// <summary>The libvirt URI of the host compared (with any password shown as ***); null when not known.</summary>
    public string? Uri { get; init; }
}
