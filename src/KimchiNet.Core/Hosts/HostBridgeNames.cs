using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KimchiNet.Hosts;

/// <summary>
/// The names KimchiNet gives the bridges and VLAN devices it creates. Linux device names hold at most
/// 15 bytes (IFNAMSIZ - 1), so:
/// <list type="bullet">
/// <item>bridge: <c>kb</c> + device (<c>kbeth1</c>), or <c>kb</c> + device + <c>.</c> + VLAN id
/// (<c>kbeth4.10</c>); when that is longer than 15 bytes or taken on the host, <c>kb</c> + the first
/// 8 hex digits of SHA-256 of "device" or "device.id" (<c>kb1f0c3a9e</c>), and when that is taken too,
/// of "device#1", "device#2"... (the first free one);</item>
/// <item>VLAN device: device + <c>.</c> + id (<c>eth4.10</c>), as vconfig and ifupdown name them; when
/// longer than 15 bytes or taken, <c>kv</c> + 8 hex digits of SHA-256 of the device + <c>.</c> + id
/// (at most 2 + 8 + 1 + 4 = 15 bytes), with the same "#n" rule when taken.</item>
/// </list>
/// The rule is deterministic: the same device, VLAN id and set of existing names give the same name.
/// </summary>
public static class HostBridgeNames
{
    /// <summary>The longest Linux device name, in bytes.</summary>
    public const int MaxNameBytes = 15;

    /// <summary>The prefix of every bridge KimchiNet names.</summary>
    public const string BridgePrefix = "kb";

    /// <summary>The prefix of hashed VLAN device names.</summary>
    public const string VlanPrefix = "kv";

    private const int MaxAttempts = 1000;

    /// <summary>The bridge name for <paramref name="device"/> (and <paramref name="vlanId"/>), skipping names <paramref name="isTaken"/> says exist.</summary>
    public static string Bridge(string device, int? vlanId, Func<string, bool>? isTaken = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        isTaken ??= _ => false;
        var key = vlanId is { } id ? device + "." + id.ToString(CultureInfo.InvariantCulture) : device;
        var preferred = BridgePrefix + key;
        if (Fits(preferred) && !isTaken(preferred))
        {
            return preferred;
        }

        return FirstFree(key, hash => BridgePrefix + hash, isTaken);
    }

    /// <summary>The VLAN device name for VLAN <paramref name="vlanId"/> on <paramref name="device"/>, skipping names <paramref name="isTaken"/> says exist.</summary>
    public static string Vlan(string device, int vlanId, Func<string, bool>? isTaken = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        isTaken ??= _ => false;
        var suffix = "." + vlanId.ToString(CultureInfo.InvariantCulture);
        var preferred = device + suffix;
        if (Fits(preferred) && !isTaken(preferred))
        {
            return preferred;
        }

        return FirstFree(device, hash => VlanPrefix + hash + suffix, isTaken);
    }

    /// <summary>
    /// True when <paramref name="name"/> is a bridge name this rule gives <paramref name="device"/>
    /// (and <paramref name="vlanId"/>): <c>kb</c> + device[.id], or <c>kb</c> + 8 lower-case hex digits.
    /// </summary>
    public static bool IsBridgeName(string name, string device, int? vlanId)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(device);
        var key = vlanId is { } id ? device + "." + id.ToString(CultureInfo.InvariantCulture) : device;
        return (name == BridgePrefix + key && Fits(name)) || IsHashed(name, BridgePrefix, string.Empty);
    }

    /// <summary>True when <paramref name="name"/> is a VLAN device name this rule gives VLAN <paramref name="vlanId"/> on <paramref name="device"/>.</summary>
    public static bool IsVlanName(string name, string device, int vlanId)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(device);
        var suffix = "." + vlanId.ToString(CultureInfo.InvariantCulture);
        return (name == device + suffix && Fits(name)) || IsHashed(name, VlanPrefix, suffix);
    }

    private static bool IsHashed(string name, string prefix, string suffix) =>
        name.Length == prefix.Length + 8 + suffix.Length
        && name.StartsWith(prefix, StringComparison.Ordinal)
        && name.EndsWith(suffix, StringComparison.Ordinal)
        && name.AsSpan(prefix.Length, 8).IndexOfAnyExcept("0123456789abcdef") < 0;

    private static string FirstFree(string key, Func<string, string> shape, Func<string, bool> isTaken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var name = shape(Hash8(attempt == 0 ? key : key + "#" + attempt.ToString(CultureInfo.InvariantCulture)));
            if (!isTaken(name))
            {
                return name;
            }
        }

        throw new KimchiException(ErrorCodes.BridgeCreateFailed, ErrorKind.Conflict, $"No free device name is left for '{key}'.", key);
    }

    private static bool Fits(string name) => Encoding.UTF8.GetByteCount(name) <= MaxNameBytes;

    private static string Hash8(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 4).ToLowerInvariant();
}
