using System;

namespace KimchiNet.Model;

/// <summary>
/// A DHCP reservation as a property of a network (libvirt's <c>&lt;dhcp&gt;&lt;host mac=.. ip=.. name=..&gt;</c>
/// in the IPv4 &lt;ip&gt;): the client's MAC address, its IPv4 address, and optionally a host name and a
/// lease time. Nothing in it is trusted: <see cref="Validation.DhcpReservationValidator"/> judges it.
/// PowerShell makes one from text ('MAC=IP' or 'MAC=IP,HOSTNAME', with <see cref="Parse"/>), from a
/// hashtable or object with MacAddress, IPAddress, HostName and LeaseTime, and from what
/// Get-KimchiDhcpReservation writes.
/// </summary>
public sealed record DhcpReservation
{
    /// <summary>Makes an empty reservation (for PowerShell's conversion of a hashtable).</summary>
    public DhcpReservation()
    {
    }

    /// <summary>Reads 'MAC=IP' or 'MAC=IP,HOSTNAME' (see <see cref="Parse"/>); PowerShell converts a string with this constructor.</summary>
    public DhcpReservation(string text)
    {
        var parsed = Parse(text);
        MacAddress = parsed.MacAddress;
        IPAddress = parsed.IPAddress;
        HostName = parsed.HostName;
    }

    /// <summary>Takes a reservation as Get-KimchiDhcpReservation writes it (its network and URI aside).</summary>
    public DhcpReservation(DhcpReservationInfo reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        MacAddress = reservation.MacAddress;
        IPAddress = reservation.IPAddress;
        HostName = reservation.HostName;
        LeaseTime = reservation.LeaseTime;
    }

    /// <summary>The client's MAC address (colons or hyphens, any case).</summary>
    public string? MacAddress { get; init; }

    /// <summary>The IPv4 address reserved for it.</summary>
    public string? IPAddress { get; init; }

    /// <summary>The host name dnsmasq gives the client (and resolves), or null.</summary>
    public string? HostName { get; init; }

    /// <summary>The lease time of this client, or null for the network's; <see cref="TimeSpan.Zero"/> means a lease that never ends.</summary>
    public TimeSpan? LeaseTime { get; init; }

    /// <summary>
    /// Reads 'MAC=IP' or 'MAC=IP,HOSTNAME' (as in '52:54:00:12:34:56=10.1.1.20,web'); never throws:
    /// text without '=' is taken as a MAC address without an address, which the validator refuses.
    /// </summary>
    public static DhcpReservation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return new DhcpReservation { MacAddress = text.Trim() };
        }

        var rest = text[(equals + 1)..];
        var comma = rest.IndexOf(',', StringComparison.Ordinal);
        var name = comma < 0 ? null : rest[(comma + 1)..].Trim();
        return new DhcpReservation
        {
            MacAddress = text[..equals].Trim(),
            IPAddress = (comma < 0 ? rest : rest[..comma]).Trim(),
            HostName = string.IsNullOrEmpty(name) ? null : name,
        };
    }

    /// <summary>
    /// The MAC address in libvirt's spelling (lower case, colons) when <paramref name="text"/> is six
    /// pairs of hex digits separated all by colons or all by hyphens; else null.
    /// </summary>
    public static string? NormalizeMac(string? text)
    {
        if (text is not { Length: 17 })
        {
            return null;
        }

        var separator = text[2];
        if (separator is not (':' or '-'))
        {
            return null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var ok = i % 3 == 2 ? text[i] == separator : char.IsAsciiHexDigit(text[i]);
            if (!ok)
            {
                return null;
            }
        }

        return text.Replace('-', ':').ToLowerInvariant();
    }

    /// <summary>The reservation as 'MAC=IP[,HOSTNAME]', the form <see cref="Parse"/> reads (a lease time of its own is not part of the text).</summary>
    public override string ToString() => HostName is null ? $"{MacAddress}={IPAddress}" : $"{MacAddress}={IPAddress},{HostName}";
}
