using System;

namespace KimchiNet.Model;

/// <summary>
/// Where a network's dnsmasq sends the queries it cannot answer itself (libvirt's
/// <c>&lt;dns&gt;&lt;forwarder addr=.. domain=../&gt;</c>): to <see cref="Address"/> for every name, or
/// only for the names under <see cref="Domain"/>; a domain without an address is answered locally
/// and never forwarded. Nothing in it is trusted: <see cref="Validation.NetworkSpecValidator"/> judges it.
/// </summary>
public sealed record DnsForwarder
{
    /// <summary>The DNS server's IPv4 or IPv6 address, or null (the domain is answered locally).</summary>
    public string? Address { get; init; }

    /// <summary>The domain whose names go to <see cref="Address"/>, or null for every name.</summary>
    public string? Domain { get; init; }

    /// <summary>
    /// Reads 'ADDRESS', 'DOMAIN=ADDRESS' or 'DOMAIN=' (answered locally); never throws. PowerShell
    /// converts a string given to -DnsForwarder with this method.
    /// </summary>
    public static DnsForwarder Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return new DnsForwarder { Address = text.Trim() };
        }

        var address = text[(equals + 1)..].Trim();
        return new DnsForwarder { Domain = text[..equals].Trim(), Address = address.Length == 0 ? null : address };
    }

    /// <summary>The forwarder as 'ADDRESS', 'DOMAIN=ADDRESS' or 'DOMAIN=', the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => Domain is null ? Address ?? string.Empty : $"{Domain}={Address}";
}
