namespace KimchiNet.Model;

/// <summary>Whether the host devices a network needs are there.</summary>
public enum NetworkHealth
{
    /// <summary>The host's devices could not be listed (a remote libvirt without an interface driver), so it was not checked.</summary>
    Unknown,

    /// <summary>Every host device the network needs exists.</summary>
    Healthy,

    /// <summary>A host device the network needs is missing (see the network's Problems): guests cannot attach to it.</summary>
    Unhealthy,
}
