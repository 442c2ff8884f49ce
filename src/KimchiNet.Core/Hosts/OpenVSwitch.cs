using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;

namespace KimchiNet.Hosts;

/// <summary>
/// The Open vSwitch bridges of this machine, as Kimchi finds them (netinfo.is_ovs_bridge): by asking
/// ovs-vsctl (Debian's openvswitch-switch). libvirt's udev interface backend shows an OVS bridge as a
/// plain device, so only OVS itself can tell. The one place KimchiNet starts ovs-vsctl: by the checked
/// absolute path of <see cref="HostPrograms.OvsVsctl"/>, with an argument list, never through a shell;
/// no ovs-vsctl, or no OVS database answering, means no OVS bridges (an unsafe one is refused, KCHNET0111E). OVS_RUNDIR in the environment (OVS's own variable)
/// points it at another database socket.
/// </summary>
public static class OpenVSwitch
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>The names of this machine's OVS bridges; empty when there is no OVS (or it does not answer).</summary>
    public static IReadOnlySet<string> Bridges(Action<string>? log = null)
    {
        var bridges = new HashSet<string>(StringComparer.Ordinal);
        string program;
        try
        {
            program = HostPrograms.OvsVsctl.Path;
        }
        catch (KimchiException e) when (e.Code == ErrorCodes.HostProgramMissing)
        {
            return bridges;
        }

        var start = new ProcessStartInfo(HostPrograms.OvsVsctl.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        start.Environment["LC_ALL"] = "C";
        foreach (var argument in new[] { "--timeout=5", "list-br" })
        {
            start.ArgumentList.Add(argument);
        }

        log?.Invoke($"{program} --timeout=5 list-br");
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return bridges;
            }

            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill();
                return bridges;
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                log?.Invoke($"ovs-vsctl list-br failed ({process.ExitCode}): {stderr.GetAwaiter().GetResult().Trim()}");
                return bridges;
            }

            foreach (var line in stdout.GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // A bridge name is a device name: anything else in the output is not trusted as one.
                if (Validation.NetworkSpecValidator.CheckInterfaceName(line) is null)
                {
                    bridges.Add(line);
                }
            }
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            log?.Invoke($"ovs-vsctl could not run: {e.Message}");
        }

        return bridges;
    }
}
