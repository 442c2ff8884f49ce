using System;
using System.Collections.Generic;
using System.Linq;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Planning;
using KimchiNet.Validation;
using KimchiNet.Xml;

namespace KimchiNet.Operations;

/// <summary>
/// DHCP reservations (static hosts of a network's IPv4 DHCP service) and leases on one libvirt
/// connection. Reservations change through libvirt's network update call, so a running network keeps
/// running (its dnsmasq rereads its host file) and its guests are untouched. As in
/// <see cref="NetworkOperations"/>, each change is a Plan method that checks everything without
/// changing anything (so -WhatIf sees every refusal), then the method that carries the plan out.
/// </summary>
public sealed class DhcpOperations
{
    private readonly LibvirtConnection _connection;

    /// <summary>Creates the operations for a connection.</summary>
    public DhcpOperations(LibvirtConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    /// <summary>
    /// The reservations of every network whose name passes <paramref name="networkFilter"/>, by
    /// network name, then in the order of the network's XML (the live one for a running network):
    /// the IPv4 ones, then the IPv6 ones (by DUID or name).
    /// </summary>
    public IReadOnlyList<DhcpReservationInfo> GetReservations(Func<string, bool>? networkFilter = null)
    {
        var uri = _connection.Uri;
        return _connection.ListNetworks()
            .Where(n => networkFilter is null || networkFilter(n.Name))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .SelectMany(n => Reservations(n.Name, NetworkXmlReader.Read(n.Xml), uri))
            .ToArray();
    }

    /// <summary>
    /// Plans adding a reservation: every rule is checked against the network's live XML and, for a
    /// running persistent network, its persistent definition too (<see cref="DhcpReservationValidator.ValidateAdd"/>).
    /// </summary>
    /// <exception cref="KimchiException">KCHNET0002E when there is no such network; KCHNET0140E-0146E, 0148E, 0149E for a reservation that breaks a rule.</exception>
    public DhcpReservationPlan PlanAdd(DhcpReservationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var record = Find(spec.Network);
        var live = NetworkXmlReader.Read(record.Xml);
        var persistent = record.IsActive && record.IsPersistent ? NetworkXmlReader.Read(_connection.GetNetworkXml(record.Name, inactive: true)) : null;
        int parentIndex;
        NetworkDhcpHostXml host;
        if (spec.IsIpv6)
        {
            // <host id=DUID name=.. ip=../> in the DHCPv6 <ip>'s <dhcp>.
            ValidationError.ThrowIfAny(DhcpReservationValidator.ValidateAddIpv6(spec, live, persistent));
            parentIndex = DhcpReservationValidator.FindDhcpv6Subnet(live, out _)!.ParentIndex;
            Ipv6Subnet.TryParseAddress(spec.IPAddress, out var address6);
            host = new NetworkDhcpHostXml { Id = DhcpReservationValidator.NormalizeDuid(spec.Duid), Ip = Ipv6Subnet.FormatAddress(address6) };
        }
        else
        {
            ValidationError.ThrowIfAny(DhcpReservationValidator.ValidateAdd(spec, live, persistent));
            parentIndex = DhcpReservationValidator.FindDhcpSubnet(live, out _)!.ParentIndex;
            Ipv4Subnet.TryParseAddress(spec.IPAddress, out var address);
            host = new NetworkDhcpHostXml { Mac = DhcpReservationValidator.NormalizeMac(spec.MacAddress), Ip = Ipv4Subnet.FormatAddress(address) };
        }

        host = host with
        {
            Name = spec.HostName,
            Lease = spec.LeaseTime is { } lease ? NetworkDhcpLeaseXml.FromLeaseTime(lease) : null,
        };
        var reservation = ToInfo(record.Name, host, _connection.Uri);
        return new DhcpReservationPlan
        {
            Network = record.Name,
            ParentIndex = parentIndex,
            Hosts = [host],
            Reservations = [reservation],
            Description = $"Add {(spec.IsIpv6 ? "IPv6 " : string.Empty)}DHCP reservation {Describe(reservation)}: {Where(record)}",
        };
    }

    /// <summary>Adds the reservation as planned (virNetworkUpdate, add-last) and returns it.</summary>
    /// <exception cref="KimchiException">KCHNET0002E when the network vanished; libvirt's refusal otherwise (e.g. a clashing reservation added meanwhile).</exception>
    public DhcpReservationInfo Add(DhcpReservationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _connection.UpdateNetwork(plan.Network, NetworkUpdateCommand.Add, NetworkUpdateSection.IpDhcpHost, plan.ParentIndex, NetworkXmlWriter.WriteDhcpHost(plan.Hosts.Single()));
        return plan.Reservations.Single();
    }

    /// <summary>
    /// Plans removing the reservations that match every key given (MAC, IP address, host name) on the
    /// network's IPv4 DHCP service; at least one key is needed.
    /// </summary>
    /// <exception cref="KimchiException">KCHNET0002E when there is no such network; KCHNET0145E for a malformed MAC; KCHNET0146E for a network without IPv4 DHCP; KCHNET0147E when no reservation matches.</exception>
    public DhcpReservationPlan PlanRemove(DhcpReservationSpec keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.MacAddress is null && keys.IPAddress is null && keys.HostName is null && keys.Duid is null)
        {
            throw new ArgumentException("A MAC address, a DUID, an IP address or a host name is needed to find the reservation.", nameof(keys));
        }

        if (DhcpReservationValidator.CheckDuid(keys.Duid) is { } badDuid)
        {
            throw badDuid.ToException();
        }

        if (keys.MacAddress is not null && DhcpReservationValidator.CheckMac(keys.MacAddress) is { } badMac)
        {
            throw badMac.ToException();
        }

        var record = Find(keys.Network);
        var network = NetworkXmlReader.Read(record.Xml);
        int parentIndex;
        IReadOnlyList<NetworkDhcpHostXml> matches;
        if (keys.IsIpv6)
        {
            var target6 = DhcpReservationValidator.FindDhcpv6Subnet(network, out var unavailable6)
                ?? throw unavailable6!.ToException();
            (parentIndex, matches) = (target6.ParentIndex, DhcpReservationValidator.Matching(target6, keys));
        }
        else if (keys.MacAddress is null && keys.IPAddress is null
            && DhcpReservationValidator.FindDhcpv6Subnet(network, out _) is { } byName6
            && DhcpReservationValidator.Matching(byName6, keys) is { Count: > 0 } named6
            && (DhcpReservationValidator.FindDhcpSubnet(network, out _) is not { } byName4 || DhcpReservationValidator.Matching(byName4, keys).Count == 0))
        {
            // A host name only, reserved on the DHCPv6 service and not on the IPv4 one.
            (parentIndex, matches) = (byName6.ParentIndex, named6);
        }
        else
        {
            var target = DhcpReservationValidator.FindDhcpSubnet(network, out var unavailable)
                ?? throw unavailable!.ToException();
            (parentIndex, matches) = (target.ParentIndex, DhcpReservationValidator.Matching(target, keys));
        }

        if (matches.Count == 0)
        {
            var given = string.Join(
                ", ",
                new[] { ("MAC", keys.MacAddress), ("DUID", keys.Duid), ("address", keys.IPAddress), ("name", keys.HostName) }
                    .Where(k => k.Item2 is not null)
                    .Select(k => $"{k.Item1} {DisplayText.Printable(k.Item2)}"));
            throw new KimchiException(
                ErrorCodes.DhcpReservationNotFound,
                ErrorKind.NotFound,
                $"Network '{DisplayText.Printable(record.Name)}' has no DHCP reservation with {given}. List them with Get-KimchiDhcpReservation -Network {DisplayText.Printable(record.Name)}.",
                keys.MacAddress ?? keys.Duid ?? keys.IPAddress ?? keys.HostName);
        }

        var uri = _connection.Uri;
        var reservations = matches.Select(h => ToInfo(record.Name, h, uri)).ToArray();
        return new DhcpReservationPlan
        {
            Network = record.Name,
            ParentIndex = parentIndex,

            // libvirt deletes the first entry whose given attributes all match: give it exactly the keys it compares.
            Hosts = matches.Select(h => new NetworkDhcpHostXml { Mac = h.Mac, Id = h.Id, Name = h.Name, Ip = h.Ip }).ToArray(),
            Reservations = reservations,
            Description = $"Remove DHCP reservation {string.Join("; ", reservations.Select(Describe))}: {Where(record)}",
        };
    }

    /// <summary>Removes the reservations as planned (virNetworkUpdate, delete), one call each.</summary>
    /// <exception cref="KimchiException">KCHNET0002E when the network vanished; libvirt's refusal otherwise (e.g. the reservation was removed meanwhile).</exception>
    public void Remove(DhcpReservationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var host in plan.Hosts)
        {
            _connection.UpdateNetwork(plan.Network, NetworkUpdateCommand.Delete, NetworkUpdateSection.IpDhcpHost, plan.ParentIndex, NetworkXmlWriter.WriteDhcpHost(host));
        }
    }

    /// <summary>
    /// What the dnsmasq of every running network whose name passes <paramref name="networkFilter"/>
    /// has leased now (libvirt's DHCP leases call), with the virtual machine whose NIC has each MAC:
    /// a domain with that MAC on this network first, then a running one, then by name. One list of
    /// domains serves every network. Inactive networks have no leases and are skipped.
    /// </summary>
    /// <exception cref="KimchiException">KCHNET0106E (NotSupported) on a driver without the leases call, such as the test driver.</exception>
    public IReadOnlyList<DhcpLeaseInfo> GetLeases(Func<string, bool>? networkFilter = null)
    {
        var networks = _connection.ListNetworks()
            .Where(n => networkFilter is null || networkFilter(n.Name))
            .Where(n => n.IsActive)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToArray();
        if (networks.Length == 0)
        {
            return Array.Empty<DhcpLeaseInfo>();
        }

        var nicsByMac = NicsByMac(_connection.ListDomains());
        var uri = _connection.Uri;
        var result = new List<DhcpLeaseInfo>();
        foreach (var network in networks)
        {
            var bridge = NetworkXmlReader.Read(network.Xml).Bridge?.Name;
            foreach (var lease in LeasesOf(network.Name).OrderBy(l => l.IpAddress, StringComparer.Ordinal))
            {
                var mac = DhcpReservationValidator.NormalizeMac(lease.Mac);
                result.Add(new DhcpLeaseInfo
                {
                    Network = network.Name,
                    MacAddress = lease.Mac,
                    IPAddress = lease.IpAddress ?? string.Empty,
                    Prefix = (int)Math.Min(lease.Prefix, 128u),
                    HostName = lease.HostName,
                    ExpiryTime = lease.ExpiryTime == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(lease.ExpiryTime),
                    VM = mac is not null && nicsByMac.TryGetValue(mac, out var owners) ? Owner(owners, network.Name, bridge) : null,
                    ClientId = lease.ClientId,
                    Interface = lease.Interface,
                    Uri = uri,
                });
            }
        }

        return result;
    }

    private IReadOnlyList<DhcpLeaseRecord> LeasesOf(string network)
    {
        try
        {
            return _connection.GetDhcpLeases(network);
        }
        catch (LibvirtException e) when (e.Error.Code == LibvirtErrorNumbers.NoSupport)
        {
            throw e.WithCode(
                ErrorCodes.LibvirtError,
                ErrorKind.NotSupported,
                $"The host at {DisplayText.Printable(_connection.Uri)} does not report DHCP leases (libvirt: {e.Error.Message}). libvirt's test driver has no leases call; a real libvirtd does.");
        }
        catch (LibvirtException e) when (e.Error.Code == LibvirtErrorNumbers.NoNetwork)
        {
            return Array.Empty<DhcpLeaseRecord>(); // undefined by another client since the list was taken
        }
    }

    private static Dictionary<string, List<(string Domain, bool Running, DomainNic Nic)>> NicsByMac(IEnumerable<DomainRecord> domains)
    {
        var map = new Dictionary<string, List<(string, bool, DomainNic)>>(StringComparer.Ordinal);
        foreach (var domain in domains)
        {
            foreach (var nic in DomainXml.ReadNics(domain.Xml, domain.Name))
            {
                if (DhcpReservationValidator.NormalizeMac(nic.Mac) is not { } mac)
                {
                    continue;
                }

                if (!map.TryGetValue(mac, out var list))
                {
                    map[mac] = list = [];
                }

                list.Add((domain.Name, domain.IsActive, nic));
            }
        }

        return map;
    }

    private static string Owner(List<(string Domain, bool Running, DomainNic Nic)> owners, string network, string? bridge) =>
        owners
            .OrderBy(o => (o.Nic.Kind == NicKind.Network && o.Nic.Source == network) || (o.Nic.Kind == NicKind.Bridge && bridge is not null && o.Nic.Source == bridge) ? 0 : 1)
            .ThenBy(o => o.Running ? 0 : 1)
            .ThenBy(o => o.Domain, StringComparer.Ordinal)
            .First().Domain;

    private static IEnumerable<DhcpReservationInfo> Reservations(string name, NetworkXml network, string uri) =>
        network.Ips
            .Where(ip => ip.Family is null or "ipv4")
            .Concat(network.Ips.Where(ip => ip.Family == "ipv6"))
            .SelectMany(ip => ip.Dhcp?.Hosts ?? [])
            .Select(h => ToInfo(name, h, uri));

    private static DhcpReservationInfo ToInfo(string network, NetworkDhcpHostXml host, string uri) => new()
    {
        Network = network,
        MacAddress = host.Mac,
        Duid = host.Id,
        IPAddress = host.Ip,
        HostName = host.Name,
        LeaseTime = host.Lease?.ToLeaseTime(),
        Uri = uri,
    };

    private static string Describe(DhcpReservationInfo r)
    {
        var text = $"{r.MacAddress ?? (r.Duid is { } duid ? "DUID " + duid : "(no MAC)")} -> {r.IPAddress}";
        if (r.HostName is not null)
        {
            text += $" (name {r.HostName})";
        }

        if (r.LeaseTime is { } lease)
        {
            text += lease == TimeSpan.Zero ? ", lease never ends" : $", lease {lease:c}";
        }

        return text;
    }

    private static string Where(NetworkRecord record) => record.IsActive
        ? record.IsPersistent ? "live and in the persistent definition, without a restart" : "live (the network is transient), without a restart"
        : "in the definition (the network is not running)";

    private NetworkRecord Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _connection.GetNetwork(name)
            ?? throw new KimchiException(ErrorCodes.NetworkNotFound, ErrorKind.NotFound, $"Network '{DisplayText.Printable(name)}' does not exist.", name);
    }
}
