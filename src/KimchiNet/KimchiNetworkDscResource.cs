using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using KimchiNet.Commands;
using KimchiNet.Libvirt;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet;

/// <summary>
/// What the KimchiNetwork DSC resource (a PowerShell class in the KimchiNetDsc module) calls:
/// its Get, Test and Set in one line each over the core's <see cref="DesiredState"/>, on the same
/// connection pool, default URI and host-bridge rule as the cmdlets. Core errors come out as
/// <see cref="KimchiException"/>s; the class turns them with <see cref="ToErrorRecord"/> into the
/// ErrorRecords the cmdlets write (Kimchi's code as the ErrorId), without PowerShell's
/// "Exception calling ..." wrapper.
/// </summary>
public static class KimchiNetworkDscResource
{
    /// <summary>
    /// Builds the desired state from the resource's properties. An empty string, an empty array or
    /// a null means "don't care", except for <paramref name="dhcpReservation"/>: null is "don't care"
    /// and an empty array "no reservations"; <paramref name="connection"/> is parsed as the cmdlets parse it
    /// (KCHNET0012E), <paramref name="ensure"/> and <paramref name="state"/> in any letter case,
    /// <paramref name="dhcpLeaseTime"/> as a time span ('01:00:00'; KCHNET0149E when it is none),
    /// <paramref name="dnsHost"/> as 'ADDRESS=NAME,NAME' and <paramref name="dnsForwarder"/> as 'ADDRESS',
    /// 'DOMAIN=ADDRESS' or 'DOMAIN=', <paramref name="dhcpReservation"/> as 'MAC=IP' or 'MAC=IP,HOSTNAME',
    /// and <paramref name="portGroup"/> as 'NAME[=default][,vlan:ID]', as the cmdlets read them.
    /// </summary>
    public static DesiredState Desired(
        string? ensure,
        string name,
        string? connection,
        string[]? interfaces,
        string? subnet,
        int? vlanId,
        string? state,
        bool? autostart,
        int? mtu = null,
        string? dhcpRange = null,
        string? dhcpLeaseTime = null,
        bool? dhcp = null,
        string[]? dnsHost = null,
        string[]? dnsForwarder = null,
        string? domain = null,
        bool? domainLocalOnly = null,
        bool? dns = null,
        string? ipv6Subnet = null,
        bool? ipv6Dhcp = null,
        bool? ipv6Nat = null,
        string[]? dhcpReservation = null,
        string[]? portGroup = null) =>
        DesiredState.From(
            name,
            string.IsNullOrEmpty(ensure) ? Ensure.Present : Enum.Parse<Ensure>(ensure, ignoreCase: true),
            connection,
            interfaces,
            subnet,
            vlanId,
            string.IsNullOrEmpty(state) ? null : Enum.Parse<NetworkState>(state, ignoreCase: true),
            autostart,
            mtu,
            dhcpRange,
            ParseLeaseTime(dhcpLeaseTime),
            dhcp,
            ipv6Subnet,
            ipv6Dhcp,
            ipv6Nat)
        .WithDns(
            dnsHost?.Select(DnsHostRecord.Parse).ToArray(),
            dnsForwarder?.Select(DnsForwarder.Parse).ToArray(),
            domain,
            domainLocalOnly,
            dns)
        .WithDhcpReservations(dhcpReservation?.Select(DhcpReservation.Parse).ToArray())
        .WithPortGroups(portGroup?.Select(PortGroup.Parse).ToArray());

    private static TimeSpan? ParseLeaseTime(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var lease) ? lease
        : throw new KimchiException(
            ErrorCodes.InvalidDhcpLeaseTime,
            ErrorKind.InvalidInput,
            $"DhcpLeaseTime '{DisplayText.Printable(text)}' is not a time span: write it as hours:minutes:seconds, as in '01:00:00', or 0 for a lease that never ends.",
            text);

    /// <summary>The network as the host has it, or null when it does not exist.</summary>
    public static KimchiNetworkInfo? Get(string? uri, string name) => Operations(uri, null).TryGetOne(name);

    /// <summary>How the host differs from <paramref name="desired"/>; empty when it is as desired.</summary>
    public static IReadOnlyList<DesiredStateDifference> Test(string? uri, DesiredState desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return Operations(uri, null).Test(desired);
    }

    /// <summary>Brings the host to <paramref name="desired"/> (see <see cref="DesiredState.Converge"/>); host commands go to <paramref name="log"/>.</summary>
    public static DesiredStateResult Set(string? uri, DesiredState desired, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return DesiredState.Converge(Operations(uri, log), desired);
    }

    /// <summary>
    /// The ErrorRecord for an error caught in the DSC class: for a <see cref="KimchiException"/>
    /// (also inside PowerShell's MethodInvocationException) the cmdlets' record, whose ErrorId is the
    /// Kimchi code and whose message is KimchiNet's own; any other error unchanged.
    /// </summary>
    public static ErrorRecord ToErrorRecord(ErrorRecord caught)
    {
        ArgumentNullException.ThrowIfNull(caught);
        for (var e = caught.Exception; e is not null; e = e.InnerException)
        {
            if (e is KimchiException kimchi)
            {
                return KimchiCmdlet.ToErrorRecord(kimchi);
            }
        }

        return caught;
    }

    private static NetworkOperations Operations(string? uri, Action<string>? log)
    {
        var connection = LibvirtConnections.Get(string.IsNullOrEmpty(uri) ? SessionDefaults.DefaultUri : uri);
        SessionDefaults.Remember(connection.Uri);
        return NetworkOperations.For(connection, log);
    }
}
