using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// Update of the settings of the bridge libvirt makes (nat, isolated, routed, open): the MTU, the DHCP
/// range, the lease time and DHCP on or off (<see cref="NetworkUpdate.ChangesBridgeSettings"/>).
/// </summary>
public sealed partial class NetworkOperations
{
    private static readonly string[] s_bridgeSettings = ["Mtu", "DhcpRange", "DhcpLeaseTime", "Dhcp"];

    /// <summary>
    /// The edited XML with the update's bridge settings, after the rest of the update (a new subnet
    /// included, whose range the new one replaces). The validator's rules judge the values
    /// (KCHNET0160E, KCHNET0161E, KCHNET0162E, KCHNET0165E, KCHNET0149E); a range must lie inside the
    /// network's IPv4 subnet (KCHNET0163E); DHCP can only be turned off while the network has no
    /// reservation (KCHNET0166E); a range or lease time turns DHCP on. A network without an IPv4
    /// subnet has no DHCP to set (KCHNET0146E); a network of a kind KimchiNet cannot edit, none of these (KCHNET0012E).
    /// </summary>
    private static NetworkXml WithBridgeSettings(NetworkXml edited, NetworkDescription description, NetworkUpdate update)
    {
        if (!update.ChangesBridgeSettings)
        {
            return edited;
        }

        var name = DisplayText.Printable(description.Name);
        var connection = KnownConnection(description, "its MTU and DHCP settings");

        // Judged without a subnet: the range is checked below against the network's own IPv4 subnet.
        var spec = new NetworkSpec
        {
            Name = description.Name,
            Connection = connection,
            Mtu = update.Mtu,
            DhcpRange = update.DhcpRange,
            DhcpLeaseTime = update.DhcpLeaseTime,
            Dhcp = update.Dhcp,
        };
        var errors = NetworkSpecValidator.Validate(spec)
            .Where(e => s_bridgeSettings.Contains(e.ParameterName) && e.Code != ErrorCodes.DhcpRangeNeedsSubnet)
            .ToList();
        ValidationError.ThrowIfAny(errors);

        var result = update.Mtu is { } mtu
            ? edited with { Mtu = (uint)mtu, OtherElements = edited.OtherElements.Where(e => e.Name != "mtu").ToArray() }
            : edited;
        if (update.DhcpRange is null && update.DhcpLeaseTime is null && update.Dhcp is null)
        {
            return result;
        }

        var ips = result.Ips.ToList();
        var index = ips.FindIndex(IsIpv4WithAddress);
        if (index < 0 || !TrySubnetOf(ips[index], out var subnet))
        {
            throw new KimchiException(
                ErrorCodes.DhcpNotAvailable,
                ErrorKind.InvalidState,
                $"Network '{name}' has no IPv4 subnet with a prefix from /15 to /29, so KimchiNet sets no DHCP service on it.",
                description.Name);
        }

        ips[index] = WithDhcp(ips[index], subnet, update, description);
        return result with { Ips = ips };
    }

    /// <summary>The network's connection type; KCHNET0012E (<see cref="NotKimchiKind"/>) when it is none of KimchiNet's, naming <paramref name="what"/> (e.g. "its IPv6 settings").</summary>
    private static ConnectionType KnownConnection(NetworkDescription description, string what) =>
        description.Connection ?? throw NotKimchiKind(description, what);

    private static NetworkIpXml WithDhcp(NetworkIpXml ip, Ipv4Subnet subnet, NetworkUpdate update, NetworkDescription description)
    {
        if (update.Dhcp == false)
        {
            if (ip.Dhcp?.Hosts.Count > 0)
            {
                throw new KimchiException(
                    ErrorCodes.DhcpReservationsWithoutDhcp,
                    ErrorKind.InvalidState,
                    $"DHCP of network '{DisplayText.Printable(description.Name)}' cannot be turned off: it has {ip.Dhcp.Hosts.Count.ToString(CultureInfo.InvariantCulture)} reservation(s). Remove them first (Remove-KimchiDhcpReservation).",
                    description.Name);
            }

            return ip with { Dhcp = null };
        }

        var dhcp = ip.Dhcp ?? new NetworkDhcpXml();
        var range = dhcp.Ranges.FirstOrDefault() ?? new NetworkDhcpRangeXml
        {
            Start = Ipv4Subnet.FormatAddress(subnet.DhcpStart),
            End = Ipv4Subnet.FormatAddress(subnet.DhcpEnd),
        };
        if (update.DhcpRange is { } text && Ipv4Subnet.TryParseAddressRange(text, out var start, out var end))
        {
            ValidationError.ThrowIfAny([.. Optional(NetworkSpecValidator.CheckDhcpRange(text, start, end, subnet))]);
            range = range with { Start = Ipv4Subnet.FormatAddress(start), End = Ipv4Subnet.FormatAddress(end) };
        }

        if (update.DhcpLeaseTime is { } lease)
        {
            range = range with { Lease = NetworkDhcpLeaseXml.FromLeaseTime(lease) };
        }

        return ip with { Dhcp = dhcp with { Ranges = [range, .. dhcp.Ranges.Skip(1)] } };
    }

    /// <summary>KCHNET0012E: a network of a kind KimchiNet cannot edit, whose <paramref name="what"/> cannot be changed.</summary>
    private static KimchiException NotKimchiKind(NetworkDescription description, string what) => new(
        ErrorCodes.InvalidConnection,
        ErrorKind.InvalidState,
        $"Network '{DisplayText.Printable(description.Name)}' has forward mode '{DisplayText.Printable(description.ForwardMode)}', which is none of KimchiNet's connection types: {what} cannot be changed.",
        description.Name);

    /// <summary>The IPv4 subnet of an &lt;ip&gt; element with its own address as gateway; false when its prefix is not one KimchiNet plans.</summary>
    private static bool TrySubnetOf(NetworkIpXml ip, out Ipv4Subnet subnet)
    {
        var prefix = ip.Prefix is { } given ? (int)given
            : ip.Netmask is not null && Ipv4Subnet.TryParseAddress(ip.Netmask, out var mask) ? Ipv4Subnet.MaskToPrefix(mask)
            : -1;
        return Ipv4Subnet.TryParse(string.Create(CultureInfo.InvariantCulture, $"{ip.Address}/{prefix}"), out subnet, out _);
    }

    /// <summary>The update's bridge settings as a plan's description says them.</summary>
    private static IEnumerable<(string Property, string Text)> DescribeBridgeSettings(NetworkUpdate update)
    {
        if (update.Mtu is { } mtu)
        {
            yield return (nameof(NetworkUpdate.Mtu), $"set MTU {mtu.ToString(CultureInfo.InvariantCulture)}");
        }

        if (update.Dhcp == false)
        {
            yield return (nameof(NetworkUpdate.Dhcp), "turn DHCP off");
        }
        else if (update.Dhcp == true && update.DhcpRange is null)
        {
            yield return (nameof(NetworkUpdate.Dhcp), "turn DHCP on");
        }

        if (update.DhcpRange is { } range)
        {
            yield return (nameof(NetworkUpdate.DhcpRange), $"set DHCP range {DisplayText.Printable(range)}");
        }

        if (update.DhcpLeaseTime is { } lease)
        {
            yield return (nameof(NetworkUpdate.DhcpLeaseTime), $"set DHCP lease time {lease.ToString("c", CultureInfo.InvariantCulture)}");
        }
    }
}
