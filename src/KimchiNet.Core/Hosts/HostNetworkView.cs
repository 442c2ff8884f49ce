using System;
using System.Collections.Generic;
using KimchiNet.Model;

namespace KimchiNet.Hosts;

/// <summary>An IPv4 route of the host's main table that a new subnet must not overlap (not the default route).</summary>
/// <param name="Destination">The destination as address/prefix.</param>
/// <param name="Device">The device it goes out of, or null.</param>
/// <param name="Gateway">Its gateway, or null for a connected route.</param>
public sealed record HostRouteInfo(string Destination, string? Device, string? Gateway);

/// <summary>
/// What KimchiNet knows of a libvirt host's network stack: its interfaces with their addresses and
/// link state, its IPv4 routes, and whether its addresses could be read at all.
/// </summary>
public sealed record HostNetworkView
{
    /// <summary>The host interfaces, sorted by name.</summary>
    public required IReadOnlyList<HostInterfaceInfo> Interfaces { get; init; }

    /// <summary>The host's IPv4 routes other than the default route; empty when they are not known.</summary>
    public IReadOnlyList<HostRouteInfo> Routes { get; init; } = Array.Empty<HostRouteInfo>();

    /// <summary>
    /// True when the host's addresses are known: read from the kernel of a local host, given by
    /// libvirt (an interface backend that reports addresses, or the test driver). False when neither
    /// gives them: libvirt's udev backend reports no addresses, and the host is remote or this process
    /// is not on its network stack.
    /// </summary>
    public required bool AddressesKnown { get; init; }

    /// <summary>True when the interfaces were read from the kernel of this machine (this process's own network namespace or <see cref="NetworkNamespace"/>).</summary>
    public bool FromKernel { get; init; }

    /// <summary>The named network namespace of this machine (ip netns) that holds the libvirt host's devices, when it is not this process's own; else null.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>True when this process shares the libvirt host's network stack (host devices it makes are the host's).</summary>
    public bool SameNetworkStack => FromKernel && NetworkNamespace is null;

    /// <summary>Where the addresses came from, for messages: "the kernel", "the kernel (network namespace X)", "libvirt".</summary>
    public string Source => FromKernel
        ? (NetworkNamespace is null ? "the kernel" : $"the kernel (network namespace {NetworkNamespace})")
        : "libvirt";
}
