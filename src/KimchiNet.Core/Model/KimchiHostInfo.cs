namespace KimchiNet.Model;

/// <summary>A libvirt host KimchiNet is connected to (Connect-KimchiHost's output; made by LibvirtConnection.DescribeHost).</summary>
public sealed record KimchiHostInfo
{
    /// <summary>The URI libvirt reports for the connection.</summary>
    public required string Uri { get; init; }

    /// <summary>The host's name, as libvirt reports it.</summary>
    public required string Hostname { get; init; }

    /// <summary>True when the host is this machine, so KimchiNet may change its devices (bridges for bridge networks).</summary>
    public bool IsLocal { get; init; }

    /// <summary>True for libvirt's test driver (the demo host, or a test:/// file): nothing real changes.</summary>
    public bool IsTestDriver { get; init; }
}
