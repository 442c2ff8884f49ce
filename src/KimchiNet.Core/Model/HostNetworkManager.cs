using System;
using System.Collections.Generic;

namespace KimchiNet.Model;

/// <summary>The program that configures a host interface, persistently, on a Linux host.</summary>
public enum HostNetworkManager
{
    /// <summary>No manager claims it: only what was set by hand (iproute2) or by libvirt, gone after a reboot.</summary>
    None,

    /// <summary>NetworkManager manages the device (nmcli shows it in a state other than unmanaged or connected externally).</summary>
    NetworkManager,

    /// <summary>systemd-networkd manages the link (a .network file matched it).</summary>
    Networkd,

    /// <summary>ifupdown: an iface stanza of /etc/network/interfaces (or a file it sources) names it.</summary>
    Ifupdown,

    /// <summary>Netplan: a netplan YAML file names it; it renders the configuration for networkd or NetworkManager.</summary>
    Netplan,
}

/// <summary>
/// Who configures a host interface: the manager, for netplan the backend it renders to, and where
/// the configuration lives (files, or NetworkManager's connection profile).
/// </summary>
public sealed record InterfaceOwner
{
    /// <summary>No manager claims the interface.</summary>
    public static InterfaceOwner Unmanaged { get; } = new() { Manager = HostNetworkManager.None };

    /// <summary>The manager that owns the interface.</summary>
    public required HostNetworkManager Manager { get; init; }

    /// <summary>For <see cref="HostNetworkManager.Netplan"/>: the backend netplan renders this interface for (Networkd or NetworkManager); else null.</summary>
    public HostNetworkManager? Renderer { get; init; }

    /// <summary>For <see cref="HostNetworkManager.NetworkManager"/>: the connection profile active on the device, or null when none is.</summary>
    public string? Profile { get; init; }

    /// <summary>The files that configure the interface (interfaces stanzas, netplan files, the .network file, the profile's keyfile); empty when none is known.</summary>
    public IReadOnlyList<string> Files { get; init; } = Array.Empty<string>();

    /// <summary>The manager as a person reads it: "Netplan (networkd)", "NetworkManager", "None".</summary>
    public override string ToString() => Manager switch
    {
        HostNetworkManager.Netplan when Renderer is { } renderer => $"Netplan ({(renderer == HostNetworkManager.Networkd ? "networkd" : renderer.ToString())})",
        HostNetworkManager.Networkd => "networkd",
        _ => Manager.ToString(),
    };
}
