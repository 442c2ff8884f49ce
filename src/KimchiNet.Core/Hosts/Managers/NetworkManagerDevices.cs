using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Linq;
using System.Text;

namespace KimchiNet.Hosts.Managers;

/// <summary>A device as NetworkManager lists it.</summary>
/// <param name="Device">The interface name.</param>
/// <param name="State">nmcli's state text: connected, disconnected, unavailable, unmanaged, connected (externally), …</param>
/// <param name="Connection">The active connection profile, or null.</param>
/// <param name="File">The file of the active profile (a keyfile), or null.</param>
public sealed record NetworkManagerDevice(string Device, string State, string? Connection, string? File)
{
    /// <summary>
    /// True when NetworkManager manages the device: any state but unmanaged, and not a device it
    /// only watches while someone else configured it ("connected (externally)").
    /// </summary>
    public bool Managed => State is not ("unmanaged" or "connected (externally)");
}

/// <summary>
/// The devices of the running NetworkManager, asked through its own client, nmcli (Debian's
/// network-manager), by the checked absolute path and an argument list: two terse listings,
/// <c>nmcli -t -f DEVICE,STATE,CONNECTION device status</c> and
/// <c>nmcli -t -f DEVICE,FILENAME connection show --active</c>. nmcli is simpler and as safe as
/// speaking NetworkManager's D-Bus API here: it reads the same API, and Debian installs no D-Bus
/// activation file for NetworkManager, so asking can never start it. No nmcli, or NetworkManager
/// not running (exit 8), means no device is NetworkManager's.
/// </summary>
public static class NetworkManagerDevices
{
    private const int NotRunning = 8;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>The devices by name; empty when NetworkManager is not there. A failure is added to <paramref name="problems"/> (KCHNET0132E).</summary>
    internal static IReadOnlyDictionary<string, NetworkManagerDevice> Read(ICollection<KimchiException> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        try
        {
            _ = HostPrograms.Nmcli.Path;
        }
        catch (KimchiException e) when (e.Code == ErrorCodes.HostProgramMissing)
        {
            return new Dictionary<string, NetworkManagerDevice>();
        }

        var devices = Run(["-t", "-f", "DEVICE,STATE,CONNECTION", "device", "status"], problems);
        var files = devices is null ? null : Run(["-t", "-f", "DEVICE,FILENAME", "connection", "show", "--active"], problems);
        return devices is null ? new Dictionary<string, NetworkManagerDevice>() : Parse(devices, files ?? string.Empty);
    }

    /// <summary>The devices in nmcli's terse device listing, with the profile files of the terse active-connection listing.</summary>
    internal static IReadOnlyDictionary<string, NetworkManagerDevice> Parse(string deviceStatus, string activeConnections)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var fields in Lines(activeConnections).Where(f => f.Count >= 2 && f[0].Length > 0 && f[1].Length > 0))
        {
            files[fields[0]] = fields[1];
        }

        var devices = new Dictionary<string, NetworkManagerDevice>(StringComparer.Ordinal);
        foreach (var fields in Lines(deviceStatus).Where(f => f.Count >= 3 && f[0].Length > 0))
        {
            devices[fields[0]] = new NetworkManagerDevice(
                fields[0],
                fields[1],
                fields[2].Length > 0 ? fields[2] : null,
                files.GetValueOrDefault(fields[0]));
        }

        return devices;
    }

    /// <summary>The fields of each line of terse output: split at ':' not escaped by '\', with '\:' and '\\' unescaped.</summary>
    internal static IEnumerable<IReadOnlyList<string>> Lines(string terse)
    {
        foreach (var line in terse.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    field.Append(line[++i]);
                }
                else if (line[i] == ':')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(line[i]);
                }
            }

            fields.Add(field.ToString());
            yield return fields;
        }
    }

    /// <summary>nmcli's standard output, or null when NetworkManager does not run or nmcli failed (then reported).</summary>
    private static string? Run(string[] arguments, ICollection<KimchiException> problems)
    {
        var start = new ProcessStartInfo(HostPrograms.Nmcli.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.Environment["LC_ALL"] = "C";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var line = HostPrograms.Nmcli.Path + " " + string.Join(' ', arguments);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill();
                problems.Add(Failed(line, $"no answer within {s_timeout.TotalSeconds} s"));
                return null;
            }

            process.WaitForExit();
            if (process.ExitCode == NotRunning)
            {
                return null;
            }

            if (process.ExitCode != 0)
            {
                problems.Add(Failed(line, $"exit code {process.ExitCode}: {stderr.GetAwaiter().GetResult().Trim()}"));
                return null;
            }

            return stdout.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            problems.Add(Failed(line, e.Message));
            return null;
        }
    }

    private static KimchiException Failed(string line, string reason) => new(
        ErrorCodes.ManagerQueryFailed,
        ErrorKind.Unavailable,
        $"NetworkManager's devices could not be listed ('{line}': {reason}); no device shows NetworkManager as its owner.",
        line);
}
