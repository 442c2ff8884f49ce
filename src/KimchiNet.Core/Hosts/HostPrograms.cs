using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace KimchiNet.Hosts;

/// <summary>
/// Every external program KimchiNet starts, in one place, each with the Debian package that provides
/// it. A program is started only by the absolute path <see cref="HostProgram.Path"/> finds, never by
/// a bare name (.NET on Linux would look in the current directory before PATH).
/// </summary>
public static class HostPrograms
{
    /// <summary>The only folders searched, in this order; PATH and the current directory never are.</summary>
    public static readonly IReadOnlyList<string> Directories = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>iproute2's ip: makes and deletes the host bridges of bridge networks.</summary>
    public static readonly HostProgram Ip = new HostProgram("ip", "iproute2");

    /// <summary>Open vSwitch's ovs-vsctl, to tell OVS bridges (Kimchi's is_ovs_bridge); optional: no OVS, no OVS bridges.</summary>
    public static readonly HostProgram OvsVsctl = new HostProgram("ovs-vsctl", "openvswitch-switch");

    /// <summary>NetworkManager's nmcli, to tell the devices NetworkManager manages; optional: no nmcli, or NetworkManager not running, means none.</summary>
    public static readonly HostProgram Nmcli = new HostProgram("nmcli", "network-manager");

    /// <summary>systemd's networkctl, to reload and reconfigure systemd-networkd after its files change for a bridge network.</summary>
    public static readonly HostProgram Networkctl = new HostProgram("networkctl", "systemd");

    /// <summary>ifupdown's ifup, to bring up a bridge made through ifupdown's file (and the NIC again when it is undone).</summary>
    public static readonly HostProgram Ifup = new HostProgram("ifup", "ifupdown");

    /// <summary>ifupdown's ifdown, to take the NIC down before its stanza becomes the bridge's (and the bridge when it is undone).</summary>
    public static readonly HostProgram Ifdown = new HostProgram("ifdown", "ifupdown");

    /// <summary>netplan, to render its files for systemd-networkd after a bridge network's bridge was written into them (netplan generate).</summary>
    public static readonly HostProgram Netplan = new HostProgram("netplan", "netplan.io");

    /// <summary>Every program KimchiNet starts.</summary>
    public static IReadOnlyList<HostProgram> All { get; } = [Ip, OvsVsctl, Nmcli, Networkctl, Ifup, Ifdown, Netplan];
}

/// <summary>
/// An external program KimchiNet starts, found once in <see cref="HostPrograms.Directories"/> and
/// trusted only when it (after its symbolic links) is a regular file owned by root and not writable
/// by group or others, in a folder that is owned by root and not writable by group or others.
/// </summary>
/// <param name="name">The program's file name, e.g. ip.</param>
/// <param name="package">The Debian package that provides it, e.g. iproute2.</param>
public sealed class HostProgram(string name, string package)
{
    private readonly object _gate = new();
    private string? _path;

    /// <summary>The program's file name.</summary>
    public string Name { get; } = name;

    /// <summary>The Debian package that provides it.</summary>
    public string Package { get; } = package;

    /// <summary>
    /// The absolute path to start, resolved on first use and then kept (a failure is not kept, so
    /// installing the package later helps without restarting).
    /// </summary>
    /// <exception cref="KimchiException">KCHNET0110E when it is in none of the folders; KCHNET0111E when the file found is not safe to run as root.</exception>
    public string Path
    {
        get
        {
            lock (_gate)
            {
                return _path ??= Resolve(HostPrograms.Directories, requiredOwner: 0);
            }
        }
    }

    /// <summary>The first <c>DIR/name</c> of <paramref name="directories"/> that exists, checked; for tests also with other folders and owner.</summary>
    internal string Resolve(IReadOnlyList<string> directories, uint requiredOwner)
    {
        foreach (var directory in directories)
        {
            var candidate = System.IO.Path.Combine(directory, Name);
            if (Interop.Libc.Stat(candidate, followLinks: false, out _) is null)
            {
                continue;
            }

            var target = candidate;
            try
            {
                if (File.ResolveLinkTarget(candidate, returnFinalTarget: true) is { } link)
                {
                    target = link.FullName;
                }
            }
            catch (IOException e)
            {
                throw Unsafe(candidate, $"its symbolic links cannot be followed ({e.Message})");
            }

            Check(candidate, target, requiredOwner);
            return candidate;
        }

        throw new KimchiException(
            ErrorCodes.HostProgramMissing,
            ErrorKind.Unavailable,
            $"The program '{Name}' was not found in {string.Join(", ", directories)}: install the Debian package {Package} (apt-get install {Package}).",
            Name);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private void Check(string candidate, string target, uint requiredOwner)
    {
        var shown = target == candidate ? $"'{candidate}'" : $"'{candidate}' (which is '{target}')";
        if (Interop.Libc.Stat(target, followLinks: false, out var errno) is not { } file)
        {
            throw Unsafe(candidate, $"{shown} cannot be examined: {Interop.Libc.ErrorText(errno)}");
        }

        if (file.Type != Interop.Libc.S_IFREG)
        {
            throw Unsafe(candidate, $"{shown} is a {file.TypeName}, not a regular file");
        }

        if (file.Uid != requiredOwner || file.GroupOrOtherWritable)
        {
            throw Unsafe(candidate, $"{shown} is owned by uid {file.Uid} with mode {file.OctalPermissions}; it must be owned by root and not writable by group or others");
        }

        if ((file.Permissions & 0x49) == 0)
        {
            throw Unsafe(candidate, $"{shown} is not executable (mode {file.OctalPermissions})");
        }

        foreach (var folder in new[] { System.IO.Path.GetDirectoryName(candidate)!, System.IO.Path.GetDirectoryName(target)! }.Distinct(StringComparer.Ordinal))
        {
            if (Interop.Libc.Stat(folder, followLinks: true, out errno) is not { } dir)
            {
                throw Unsafe(candidate, $"its folder '{folder}' cannot be examined: {Interop.Libc.ErrorText(errno)}");
            }

            if (dir.Uid != requiredOwner || dir.GroupOrOtherWritable)
            {
                throw Unsafe(candidate, $"its folder '{folder}' is owned by uid {dir.Uid} with mode {dir.OctalPermissions}; it must be owned by root and not writable by group or others");
            }
        }
    }

    private KimchiException Unsafe(string candidate, string reason) => new(
        ErrorCodes.HostProgramUnsafe,
        ErrorKind.PermissionDenied,
        $"Refusing to run '{candidate}' as the program '{Name}' (Debian package {Package}): {reason}. Reinstall {Package} or fix the file's owner and mode.",
        candidate);
}
