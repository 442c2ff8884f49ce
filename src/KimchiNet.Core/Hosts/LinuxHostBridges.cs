using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KimchiNet.Model;
using KimchiNet.Transactions;
using KimchiNet.Validation;

namespace KimchiNet.Hosts;

/// <summary>
/// Makes host bridges with iproute2 in the network namespace of this process (or a named one), as
/// Kimchi does for a bridge network on a NIC or bond: a Linux bridge carrying the device, or with a
/// VLAN id a VLAN device on it carried by a bridge.
/// </summary>
/// <remarks>
/// Keeping the host reachable: without a VLAN, the device's IPv4 addresses (primaries first, with
/// broadcast, scope and alias labels) are added to the bridge before they are deleted from the device,
/// the bridge takes the device's MAC (DHCP leases and switch tables stay valid), has STP off and no
/// forward delay (it forwards as soon as it is up), and every non-kernel IPv4 route of the main table
/// through the device (the default route, static routes) is put on the bridge: the kernel flushes a
/// device's routes when it loses its last IPv4 address, while the connected (kernel) routes follow the
/// addresses by themselves. With a VLAN id the device keeps its addresses and routes: they belong to
/// the untagged network, which the device still carries, and would be unreachable on the tagged bridge.
/// Every step that succeeded is undone in reverse order when a later one fails.
/// </remarks>
public sealed class LinuxHostBridges : IHostBridges
{
    private static readonly object s_gate = new();
    private readonly IpRoute2 _ip;

    /// <summary>Creates the host bridge maker.</summary>
    /// <param name="networkNamespace">A named network namespace (<c>ip netns</c>) to act in; null (the module's use on a real host) for the process's own.</param>
    /// <param name="log">Receives every ip command line before it runs (for -Verbose).</param>
    public LinuxHostBridges(string? networkNamespace = null, Action<string>? log = null)
        : this(new IpRoute2(networkNamespace, log))
    {
    }

    /// <summary>Testing hook: the <paramref name="failAtChange"/>th changing ip command (1-based) fails without running.</summary>
    internal LinuxHostBridges(string? networkNamespace, Action<string>? log, int failAtChange)
        : this(new IpRoute2(networkNamespace, log) { FailAtChange = failAtChange })
    {
    }

    private LinuxHostBridges(IpRoute2 ip) => _ip = ip;

    /// <summary>The network namespace it acts in; null for the process's own.</summary>
    public string? NetworkNamespace => _ip.Namespace;

    /// <summary>How many changing ip commands it ran (or attempted) so far; tests use it to inject a failure at each step.</summary>
    internal int ChangeCount => _ip.ChangeCount;

    /// <inheritdoc/>
    public HostChanges CreateBridge(string device, int? vlanId)
    {
        lock (s_gate)
        {
            return Create(device, vlanId);
        }
    }

    /// <inheritdoc/>
    public void CheckDevice(string device, int? vlanId)
    {
        var links = _ip.Links();
        CheckDevice(device, vlanId, links, links.ToDictionary(l => l.Name, StringComparer.Ordinal));
    }

    /// <summary>The device's IPv4 addresses that a DHCP client set (a finite lifetime), as "address/prefix (valid N s)".</summary>
    internal IReadOnlyList<string> LeasedAddresses(string device) =>
        _ip.Addresses(device).Where(a => a.Dynamic).Select(a => a.ValidSeconds is { } seconds ? $"{a.Cidr} (valid {seconds.ToString(CultureInfo.InvariantCulture)} s)" : a.Cidr).ToList();

    /// <inheritdoc/>
    public void Undo(HostChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (s_gate)
        {
            UndoLocked(changes);
        }
    }

    /// <summary>Plan (check the device, choose the names, read what moves), act step by step, and undo every act on failure.</summary>
    private HostChanges Create(string device, int? vlanId)
    {
        var plan = PlanBridge(device, vlanId);
        var transaction = new Transaction();
        try
        {
            AddBridge(plan, transaction);
            MoveAddressesAndRoutes(plan, transaction);
            transaction.Commit();
        }
        catch (Exception e) when (e is KimchiException or InvalidOperationException or System.IO.IOException)
        {
            var failures = transaction.RollBack();
            var outcome = failures.Count == 0
                ? $"Everything done before was undone: '{device}' is as it was."
                : "These steps could not be undone: " + string.Join("; ", failures.Select(f => f.Summary));
            throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed,
                $"Cannot create bridge '{plan.Bridge}' on '{device}'{Where()}: {e.Message} {outcome}", device, e);
        }

        // Its identity now, recorded so that Remove deletes this bridge and no other of that name.
        var made = _ip.Links().FirstOrDefault(l => l.Name == plan.Bridge);
        return new HostChanges
        {
            CreatedBridge = plan.Bridge,
            BridgeMac = made?.Mac,
            BridgeIfindex = made is { Ifindex: > 0 } ? made.Ifindex : null,
            CreatedVlan = plan.Vlan,
            MovedAddresses = plan.Addresses.Select(a => a.Cidr).ToList(),
        };
    }

    /// <summary>Checks the arguments and the device, and chooses the names; changes nothing.</summary>
    private BridgePlan PlanBridge(string device, int? vlanId)
    {
        if (NetworkSpecValidator.CheckInterfaceName(device) is { } invalid)
        {
            throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.InvalidInput, $"Cannot create a bridge: {invalid.Message}", device);
        }

        if (vlanId is < NetworkSpecValidator.MinVlanId or > NetworkSpecValidator.MaxVlanId)
        {
            throw new KimchiException(ErrorCodes.InvalidVlanId, ErrorKind.InvalidInput,
                $"VLAN id {vlanId.Value.ToString(CultureInfo.InvariantCulture)} is not valid: it must be an integer between {NetworkSpecValidator.MinVlanId} and {NetworkSpecValidator.MaxVlanId}.", vlanId);
        }

        var links = _ip.Links();
        var byName = links.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var dev = CheckDevice(device, vlanId, links, byName);
        var bridge = HostBridgeNames.Bridge(device, vlanId, byName.ContainsKey);
        var vlan = vlanId is { } id
            ? new HostVlanDevice(HostBridgeNames.Vlan(device, id, n => byName.ContainsKey(n) || n == bridge), device, id)
            : null;
        return new BridgePlan(
            dev,
            bridge,
            vlan,
            vlan is null ? _ip.Addresses(device) : Array.Empty<IpAddress>(),
            vlan is null ? MovableRoutes(device) : Array.Empty<IpRoute>());
    }

    /// <summary>The bridge (with the device's MAC), the VLAN device if any, both up, the port enslaved.</summary>
    private void AddBridge(BridgePlan plan, Transaction transaction)
    {
        var (device, bridge, vlan) = (plan.Device.Name, plan.Bridge, plan.Vlan);
        Change(transaction, ["link", "add", "name", bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0"], ["link", "del", "dev", bridge]);
        if (plan.Device.Mac is { } mac)
        {
            Change(transaction, ["link", "set", "dev", bridge, "address", mac]);
        }

        if (vlan is not null)
        {
            Change(transaction, ["link", "add", "link", device, "name", vlan.Name, "type", "vlan", "id", vlan.Id.ToString(CultureInfo.InvariantCulture)],
                ["link", "del", "dev", vlan.Name]);
        }

        if (!plan.Device.IsUp)
        {
            Change(transaction, ["link", "set", "dev", device, "up"], ["link", "set", "dev", device, "down"]);
        }

        if (vlan is not null)
        {
            Change(transaction, ["link", "set", "dev", vlan.Name, "up"]);
        }

        // The bridge is up before the device joins it: once the device is a port its own
        // addresses stop answering, so the time until the bridge has them is kept short.
        Change(transaction, ["link", "set", "dev", bridge, "up"]);
        Change(transaction, ["link", "set", "dev", plan.Port, "master", bridge], ["link", "set", "dev", plan.Port, "nomaster"]);
    }

    /// <summary>The device's addresses onto the bridge, then off the device, then its routes onto the bridge (nothing without addresses).</summary>
    private void MoveAddressesAndRoutes(BridgePlan plan, Transaction transaction)
    {
        var (device, bridge) = (plan.Device.Name, plan.Bridge);
        foreach (var address in plan.Addresses)
        {
            Change(transaction, AddAddress(address, bridge, MapLabel(address.Label, device, bridge)), ["addr", "del", address.Cidr, "dev", bridge]);
        }

        // Runs on rollback after the addresses are back on the device (it is pushed before their
        // deletion): the kernel flushed the device's routes with its last address.
        foreach (var route in plan.Routes)
        {
            transaction.Push(UndoCommand(RouteCommand(route, device)));
        }

        // Secondaries last in ip's list, so deleted first: deleting a primary deletes its secondaries.
        foreach (var address in plan.Addresses.Reverse())
        {
            Change(transaction, ["addr", "del", address.Cidr, "dev", device], AddAddress(address, device, address.Label == device ? null : address.Label));
        }

        foreach (var route in plan.Routes)
        {
            Change(transaction, RouteCommand(route, bridge));
        }
    }

    /// <summary>Runs a changing ip command; once it succeeded, <paramref name="reverse"/> (if any) is its undo.</summary>
    private void Change(Transaction transaction, string[] command, string[]? reverse = null)
    {
        if (reverse is null)
        {
            _ip.Change(command);
        }
        else
        {
            transaction.Do(() => _ip.Change(command), UndoCommand(reverse));
        }
    }

    /// <summary>An undo that runs <paramref name="command"/> (not counted as a change, so an injected failure never hits a rollback), named by its command line.</summary>
    private UndoStep UndoCommand(string[] command) => new(_ip.CommandLine(command), () => _ip.Run(command));

    /// <inheritdoc/>
    public HostLinkIdentity? FindLink(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _ip.Links().FirstOrDefault(l => l.Name == name) is { } link
            ? new HostLinkIdentity(link.Name, link.Kind, link.Mac, link.Ifindex)
            : null;
    }

    private IpLink CheckDevice(string device, int? vlanId, IReadOnlyList<IpLink> links, Dictionary<string, IpLink> byName)
    {
        string Refuse(string reason) => $"Cannot create a bridge on '{device}'{Where()}: {reason}.";
        if (!byName.TryGetValue(device, out var dev))
        {
            throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.NotFound, Refuse("no device of that name exists on this machine (where KimchiNet runs)"), device);
        }

        if (dev.LinkType == "loopback")
        {
            throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.InvalidInput, Refuse("it is the loopback device"), device);
        }

        if (dev.Kind == "bridge")
        {
            throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.InvalidInput, Refuse("it is a bridge itself (a bridge network uses an existing bridge directly)"), device);
        }

        if (dev.Master is { } master)
        {
            throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.Conflict, Refuse($"it is already enslaved to '{master}'"), device);
        }

        if (vlanId is { } id)
        {
            if (dev.Kind == "vlan")
            {
                throw new KimchiException(ErrorCodes.VlanOnVlan, ErrorKind.InvalidInput, Refuse("it is a VLAN device itself, and a VLAN bridge needs a NIC or bond"), device);
            }

            if (links.FirstOrDefault(l => l.Kind == "vlan" && l.Lower == device && l.VlanId == id) is { } existing)
            {
                throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.Conflict,
                    Refuse($"VLAN {id.ToString(CultureInfo.InvariantCulture)} exists on it already as '{existing.Name}'"), device);
            }
        }

        return dev;
    }

    private void UndoLocked(HostChanges changes)
    {
        var problems = new List<string>();
        void Try(string[] command)
        {
            try
            {
                _ip.Change(command);
            }
            catch (KimchiException e)
            {
                problems.Add(e.Message);
            }
        }

        var links = _ip.Links();
        var byName = links.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var bridge = changes.CreatedBridge;
        IpLink? bridgeLink = null;
        if (bridge is not null && byName.TryGetValue(bridge, out var found))
        {
            if (found.Kind == "bridge")
            {
                bridgeLink = found;
            }
            else
            {
                problems.Add($"'{bridge}' is not a bridge any more, so it was left alone");
            }
        }

        var vlan = changes.CreatedVlan;
        var home = vlan?.Parent ?? AddressHome(bridge, bridgeLink, links);
        if (changes.MovedAddresses.Count > 0)
        {
            if (home is null || !byName.ContainsKey(home))
            {
                problems.Add($"the addresses {string.Join(", ", changes.MovedAddresses)} could not be moved back: the device they came from ({home ?? "unknown"}) is gone");
            }
            else
            {
                MoveBack(changes.MovedAddresses, bridgeLink is null ? null : bridge, home, problems, Try);
            }
        }

        var port = vlan?.Name ?? home;
        if (bridgeLink is not null && port is not null && byName.TryGetValue(port, out var portLink) && portLink.Master == bridge)
        {
            Try(new[] { "link", "set", "dev", port, "nomaster" });
        }

        if (bridgeLink is not null)
        {
            Try(new[] { "link", "del", "dev", bridge! });
        }

        if (vlan is not null && byName.TryGetValue(vlan.Name, out var vlanLink))
        {
            if (vlanLink.Kind == "vlan" && vlanLink.Lower == vlan.Parent && vlanLink.VlanId == vlan.Id)
            {
                Try(new[] { "link", "del", "dev", vlan.Name });
            }
            else
            {
                problems.Add($"'{vlan.Name}' is no longer VLAN {vlan.Id.ToString(CultureInfo.InvariantCulture)} on '{vlan.Parent}', so it was left alone");
            }
        }

        if (problems.Count > 0)
        {
            throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.OperationFailed,
                $"Could not undo everything KimchiNet changed for bridge '{bridge ?? "(none)"}'{Where()}; the rest was undone. Not undone: {string.Join("; ", problems)}.", bridge);
        }
    }

    private void MoveBack(IReadOnlyList<string> moved, string? bridge, string home, List<string> problems, Action<string[]> change)
    {
        var onBridge = bridge is null ? Array.Empty<IpAddress>() : _ip.Addresses(bridge);
        var routes = bridge is null ? Array.Empty<IpRoute>() : MovableRoutes(bridge);
        var onHome = _ip.Addresses(home).Select(a => a.Cidr).ToHashSet(StringComparer.Ordinal);
        var valid = new List<string>();
        foreach (var cidr in moved)
        {
            if (!IsIpv4Cidr(cidr))
            {
                problems.Add($"'{cidr}' is not an IPv4 address/prefix, so it was not moved");
            }
            else
            {
                valid.Add(cidr);
            }
        }

        foreach (var cidr in valid.Where(c => !onHome.Contains(c)))
        {
            var known = onBridge.FirstOrDefault(a => a.Cidr == cidr);
            var address = known is null
                ? new IpAddress(cidr[..cidr.IndexOf('/', StringComparison.Ordinal)], int.Parse(cidr[(cidr.IndexOf('/', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture), null, null, null, false)
                : known;
            change(AddAddress(address, home, bridge is null ? null : MapLabel(address.Label, bridge, home)));
        }

        foreach (var cidr in Enumerable.Reverse(valid).Where(c => onBridge.Any(a => a.Cidr == c)))
        {
            change(new[] { "addr", "del", cidr, "dev", bridge! });
        }

        foreach (var route in routes)
        {
            change(RouteCommand(route, home));
        }
    }

    /// <summary>The device a non-VLAN bridge was made for: its port with the bridge's MAC, else its only port that is no guest tap, else the name rule.</summary>
    private static string? AddressHome(string? bridge, IpLink? bridgeLink, IReadOnlyList<IpLink> links)
    {
        if (bridge is null)
        {
            return null;
        }

        if (bridgeLink is not null)
        {
            var ports = links.Where(l => l.Master == bridge).ToList();
            if (ports.FirstOrDefault(p => p.Mac == bridgeLink.Mac && p.Kind != "tun") is { } same)
            {
                return same.Name;
            }

            var nics = ports.Where(p => p.Kind is not ("tun" or "macvtap")).ToList();
            if (nics.Count == 1)
            {
                return nics[0].Name;
            }
        }

        return bridge.StartsWith(HostBridgeNames.BridgePrefix, StringComparison.Ordinal) && bridge.Length > HostBridgeNames.BridgePrefix.Length
            ? bridge[HostBridgeNames.BridgePrefix.Length..]
            : null;
    }

    private IReadOnlyList<IpRoute> MovableRoutes(string device) =>
        _ip.Routes(device).Where(r => r.Protocol != "kernel" && r.Type is null or "unicast").ToList();

    private static string[] AddAddress(IpAddress address, string device, string? label)
    {
        var command = new List<string> { "addr", "add", address.Cidr };
        if (address.Broadcast is { } broadcast)
        {
            command.AddRange(new[] { "broadcast", broadcast });
        }

        if (address.Scope is { } scope && scope != "global")
        {
            command.AddRange(new[] { "scope", scope });
        }

        if (label is not null)
        {
            command.AddRange(new[] { "label", label });
        }

        command.AddRange(new[] { "dev", device });
        return command.ToArray();
    }

    /// <summary>An alias label (eth1:web) follows its address to the other device (kbeth1:web) when the result fits.</summary>
    private static string? MapLabel(string? label, string from, string to)
    {
        if (label is null || label == from || !label.StartsWith(from, StringComparison.Ordinal))
        {
            return null;
        }

        var mapped = to + label[from.Length..];
        return Encoding.UTF8.GetByteCount(mapped) <= HostBridgeNames.MaxNameBytes ? mapped : null;
    }

    /// <summary><c>ip route replace</c>: keyed by destination, TOS and metric (not device), so it moves a route or restores it alike.</summary>
    private static string[] RouteCommand(IpRoute route, string device)
    {
        var command = new List<string> { "route", "replace", route.Destination };
        if (route.Gateway is { } gateway)
        {
            command.AddRange(new[] { "via", gateway });
        }

        command.AddRange(new[] { "dev", device });
        if (route.Metric is { } metric)
        {
            command.AddRange(new[] { "metric", metric.ToString(CultureInfo.InvariantCulture) });
        }

        if (route.Protocol is { } protocol)
        {
            command.AddRange(new[] { "proto", protocol });
        }

        if (route.Scope is { } scope)
        {
            command.AddRange(new[] { "scope", scope });
        }

        if (route.PreferredSource is { } source)
        {
            command.AddRange(new[] { "src", source });
        }

        if (route.OnLink)
        {
            command.Add("onlink");
        }

        return command.ToArray();
    }

    private static bool IsIpv4Cidr(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && IPAddress.TryParse(text.AsSpan(0, slash), out var ip) && ip.AddressFamily == AddressFamily.InterNetwork
            && ip.ToString() == text[..slash]
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix is >= 0 and <= 32;
    }

    private string Where() => _ip.Namespace is null ? string.Empty : $" (network namespace {_ip.Namespace})";

    /// <summary>What <see cref="Create"/> will make: the bridge over the device (or over a VLAN device on it), and the addresses and routes it moves.</summary>
    private sealed record BridgePlan(IpLink Device, string Bridge, HostVlanDevice? Vlan, IReadOnlyList<IpAddress> Addresses, IReadOnlyList<IpRoute> Routes)
    {
        /// <summary>The link that becomes the bridge's port: the VLAN device, else the device itself.</summary>
        public string Port => Vlan?.Name ?? Device.Name;
    }
}
