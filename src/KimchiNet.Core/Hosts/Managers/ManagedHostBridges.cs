using System;
using System.Linq;
using KimchiNet.Model;

namespace KimchiNet.Hosts.Managers;

/// <summary>
/// Makes a host bridge through the network manager that owns the device (issue 14, item 2): through
/// systemd-networkd (<see cref="NetworkdHostBridges"/>) when networkd manages it, through netplan
/// (<see cref="NetplanHostBridges"/>) when a netplan file configures it (for networkd or NetworkManager), through ifupdown
/// (<see cref="IfupdownHostBridges"/>) when an iface stanza configures it, through NetworkManager
/// (<see cref="NetworkManagerHostBridges"/>) when it manages it, else with iproute2 alone
/// (<see cref="LinuxHostBridges"/>), but never beside a manager it cannot work through, and never
/// over a DHCP lease no manager renews (<see cref="CheckDevice"/>). Undo follows the manager the record names.
/// </summary>
/// <remarks>
/// A VLAN bridge is made with iproute2 even on a managed NIC: the device keeps its own addresses
/// then, so the manager's files need no change, and the VLAN device is not persistent (not done yet).
/// </remarks>
public sealed class ManagedHostBridges : IHostBridges
{
    private readonly LinuxHostBridges _linux;
    private readonly NetworkdHostBridges _networkd;
    private readonly IfupdownHostBridges _ifupdown;
    private readonly NetworkManagerHostBridges _networkManager;
    private readonly NetplanHostBridges _netplan;
    private readonly NetplanHostBridges _netplanNetworkManager;
    private readonly HostManagerDetector _detector;

    /// <summary>Creates the bridge maker for this machine.</summary>
    /// <param name="log">Receives every command line before it runs (for -Verbose).</param>
    /// <param name="detector">Finds the device's owner; <see cref="HostManagerDetector.Local"/> by default.</param>
    public ManagedHostBridges(Action<string>? log = null, HostManagerDetector? detector = null)
        : this(new LinuxHostBridges(log: log), log, detector)
    {
    }

    /// <summary>Testing hook: devices are looked up and checked through <paramref name="linux"/> (e.g. one in a lab namespace); the managers' makers still act on this machine.</summary>
    internal ManagedHostBridges(LinuxHostBridges linux, Action<string>? log, HostManagerDetector? detector)
    {
        _linux = linux;
        _networkd = new NetworkdHostBridges(log);
        _ifupdown = new IfupdownHostBridges(log);
        _networkManager = new NetworkManagerHostBridges(log);
        _netplan = new NetplanHostBridges(log);
        _netplanNetworkManager = new NetplanHostBridges(log, HostNetworkManager.NetworkManager);
        _detector = detector ?? HostManagerDetector.Local;
    }

    /// <summary>The managers KimchiNet makes host bridges through, as messages name them.</summary>
    public const string SupportedManagers = "systemd-networkd, netplan, ifupdown or NetworkManager";

    /// <summary>The default of <see cref="VerifyTimeout"/>: 30 s.</summary>
    public static readonly TimeSpan DefaultVerifyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a bridge made through a manager may take to hold the device's addresses and reach its gateway before it is rolled back.</summary>
    public TimeSpan VerifyTimeout
    {
        get => _networkd.VerifyTimeout;
        init => _networkd.VerifyTimeout = _ifupdown.VerifyTimeout = _networkManager.VerifyTimeout = _netplan.VerifyTimeout = _netplanNetworkManager.VerifyTimeout = value;
    }

    /// <inheritdoc/>
    public HostChanges CreateBridge(string device, int? vlanId)
    {
        var owner = FindOwner(device, vlanId);
        switch (owner)
        {
            case { Manager: HostNetworkManager.Networkd, Files.Count: > 0 }:
                _linux.CheckDevice(device, vlanId);
                return _networkd.CreateBridge(device, owner.Files[0]);
            case { Manager: HostNetworkManager.Ifupdown, Files.Count: > 0 }:
                _linux.CheckDevice(device, vlanId);
                return _ifupdown.CreateBridge(device, owner.Files[0]);
            case { Manager: HostNetworkManager.NetworkManager, Files.Count: > 0 }:
                _linux.CheckDevice(device, vlanId);
                return _networkManager.CreateBridge(device, owner.Files[0]);
            case { Manager: HostNetworkManager.Netplan, Files.Count: > 0 } when Netplan(owner.Renderer) is { } netplan:
                _linux.CheckDevice(device, vlanId);
                return netplan.CreateBridge(device, owner.Files);
            default:
                if (vlanId is null)
                {
                    CheckOwner(device, owner);
                }

                return _linux.CreateBridge(device, vlanId);
        }
    }

    /// <summary>
    /// For a plan's description (-WhatIf): the manager a bridge named <paramref name="bridge"/> on
    /// <paramref name="device"/> would be made through and the files it would write, e.g. "through
    /// systemd-networkd (writing A, B, C; originals kept)"; null when it would be made with iproute2 alone.
    /// <paramref name="found"/> is the owner <see cref="CheckDeviceOwner"/> returned (null for a VLAN bridge or
    /// a device no manager owns), so that a plan detects it once.
    /// </summary>
    public string? DescribeManager(string device, string bridge, InterfaceOwner? found)
    {
        switch (found)
        {
            case { Manager: HostNetworkManager.Networkd, Files.Count: > 0 } owner:
                var files = _networkd.FilesFor(bridge, owner.Files[0]);
                return $"through systemd-networkd, which manages it ({owner.Files[0]}): writing {string.Join(", ", files)}, the original kept in {_networkd.Folder}/{ManagerBridgeMaker.KeptFolderName}/{bridge}/";
            case { Manager: HostNetworkManager.Ifupdown, Files.Count: > 0 } owner:
                var file = _ifupdown.FileFor(device, bridge, owner.Files);
                return $"through ifupdown, which configures it ({string.Join(", ", owner.Files)}): rewriting {file} (iface {bridge} with bridge_ports {device}, {device} inet manual), the original kept in {_ifupdown.KeptPath(bridge, file)}; then ifdown {device}, ifup {bridge}";
            case { Manager: HostNetworkManager.NetworkManager, Files.Count: > 0 } owner:
                var keyfiles = _networkManager.FilesFor(bridge, owner.Files[0]);
                return $"through NetworkManager, which manages it (profile '{owner.Profile}', {owner.Files[0]}): writing {string.Join(", ", keyfiles)}, the original kept in {_networkManager.Folder}/{ManagerBridgeMaker.KeptFolderName}/{bridge}/";
            case { Manager: HostNetworkManager.Netplan, Files.Count: > 0 } owner when Netplan(owner.Renderer) is { } netplan:
                var yaml = netplan.FilesFor(bridge, owner.Files[0]);
                var renderer = netplan.Renderer == HostNetworkManager.Networkd ? "systemd-networkd" : "NetworkManager";
                return $"through netplan, which configures it for {renderer} ({string.Join(", ", owner.Files)}): writing {string.Join(", ", yaml)} ({bridge} takes {device}'s addressing), the original kept in {netplan.Folder}/{ManagerBridgeMaker.KeptFolderName}/{bridge}/{(netplan.Renderer == HostNetworkManager.Networkd ? $" (and, when networkd runs a DHCP client on {device}, {NetplanHostBridges.DropInFile(bridge)} with its IAID)" : string.Empty)}; then {netplan.ApplyText}";
            default:
                return null;
        }
    }

    /// <summary>Why a record of host changes made through a manager cannot be trusted (its files are not the manager's), or null; null for a record of no manager.</summary>
    public static string? CheckRecord(HostChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return changes.Manager switch
        {
            HostNetworkManager.Networkd => new NetworkdHostBridges().CheckRecord(changes),
            HostNetworkManager.Ifupdown => new IfupdownHostBridges().CheckRecord(changes),
            HostNetworkManager.NetworkManager => new NetworkManagerHostBridges().CheckRecord(changes),
            HostNetworkManager.Netplan => new NetplanHostBridges().CheckRecord(changes),
            _ => null,
        };
    }

    /// <inheritdoc/>
    public HostLinkIdentity? FindLink(string name) => _linux.FindLink(name);

    /// <inheritdoc/>
    public void CheckDevice(string device, int? vlanId) => _ = CheckDeviceOwner(device, vlanId);

    /// <summary>
    /// <see cref="CheckDevice(string, int?)"/>, returning the owner it found: null for a VLAN bridge (its
    /// NIC keeps its addresses, so no manager is asked) or a device no manager owns. A plan hands it to
    /// <see cref="DescribeManager(string, string, InterfaceOwner?)"/> rather than detecting it again.
    /// </summary>
    public InterfaceOwner? CheckDeviceOwner(string device, int? vlanId)
    {
        _linux.CheckDevice(device, vlanId);
        var owner = FindOwner(device, vlanId);
        if (vlanId is null)
        {
            CheckOwner(device, owner);
        }

        return owner;
    }

    /// <summary>The owner a bridge over <paramref name="device"/> would be made through: null for a VLAN bridge, a device this machine lacks or one no manager owns.</summary>
    private InterfaceOwner? FindOwner(string device, int? vlanId) => vlanId is null ? OwnerOf(device) : null;

    /// <summary>
    /// Never fights the host: a bridge over a whole NIC that a manager KimchiNet cannot work through
    /// owns is refused (KCHNET0119E), and so is one over a NIC that no manager owns but that holds a
    /// DHCP lease (KCHNET0118E): its DHCP client would go on renewing the lease on the NIC, a port of
    /// the bridge, while the copy on the bridge never renews. (A VLAN bridge leaves the NIC's addresses alone.)
    /// </summary>
    private void CheckOwner(string device, InterfaceOwner? owner)
    {
        var shown = DisplayText.Printable(device);
        if (MakesThrough(owner))
        {
            return;
        }

        if (owner is { } managed)
        {
            throw new KimchiException(
                ErrorCodes.ManagerNotSupported,
                ErrorKind.NotSupported,
                $"'{shown}' is managed by {managed}{(managed.Files.Count > 0 ? $" ({string.Join(", ", managed.Files.Select(f => DisplayText.Printable(f)))})" : string.Empty)}, and KimchiNet cannot make a bridge through it yet: a bridge made with iproute2 beside it would be undone or fought by it. Make the bridge in {managed} yourself and give that bridge to -Interfaces.",
                device);
        }

        var leased = _linux.LeasedAddresses(device);
        if (leased.Count > 0)
        {
            throw new KimchiException(
                ErrorCodes.UnmanagedLease,
                ErrorKind.InvalidState,
                $"'{shown}' holds {string.Join(", ", leased)} from a DHCP client that no network manager KimchiNet knows runs, so a bridge over it would strand that address: the client would renew it on '{shown}', a port of the bridge, while the copy on the bridge expires. Configure '{shown}' with {SupportedManagers} (KimchiNet then makes the bridge through it), or give it a static address.",
                device);
        }
    }

    /// <inheritdoc/>
    public void Undo(HostChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        switch (changes.Manager)
        {
            case HostNetworkManager.Networkd:
                _networkd.Undo(changes);
                break;
            case HostNetworkManager.Ifupdown:
                _ifupdown.Undo(changes);
                break;
            case HostNetworkManager.NetworkManager:
                _networkManager.Undo(changes);
                break;
            case HostNetworkManager.Netplan:
                (Netplan(changes.Renderer) ?? _netplan).Undo(changes);
                break;
            default:
                _linux.Undo(changes);
                break;
        }
    }

    /// <summary>True for an owner KimchiNet makes bridges through (<see cref="SupportedManagers"/>): networkd, netplan for networkd, ifupdown or NetworkManager, with the file that configures the device.</summary>
    private static bool MakesThrough(InterfaceOwner? owner) =>
        owner is { Manager: HostNetworkManager.Networkd or HostNetworkManager.Ifupdown or HostNetworkManager.NetworkManager, Files.Count: > 0 }
            or { Manager: HostNetworkManager.Netplan, Renderer: HostNetworkManager.Networkd or HostNetworkManager.NetworkManager, Files.Count: > 0 };

    /// <summary>The netplan bridge maker of <paramref name="renderer"/>, or null for a renderer KimchiNet does not know.</summary>
    private NetplanHostBridges? Netplan(HostNetworkManager? renderer) => renderer switch
    {
        HostNetworkManager.Networkd => _netplan,
        HostNetworkManager.NetworkManager => _netplanNetworkManager,
        _ => null,
    };

    private InterfaceOwner? OwnerOf(string device)
    {
        var link = _linux.FindLink(device);
        if (link is null)
        {
            return null;
        }

        var scan = _detector.Detect([new ManagedInterface(device, link.Ifindex, link.Mac)]);
        return scan.Owners.TryGetValue(device, out var owner) && owner.Manager != HostNetworkManager.None ? owner : null;
    }
}
