namespace KimchiNet.Model;

/// <summary>Whether a network is running, as libvirt reports it.</summary>
public enum NetworkState
{
    /// <summary>Defined but not running.</summary>
    Inactive,

    /// <summary>Running.</summary>
    Active,
}
