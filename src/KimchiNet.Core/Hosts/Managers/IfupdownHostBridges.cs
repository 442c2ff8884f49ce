using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using KimchiNet.Model;
using KimchiNet.Transactions;

namespace KimchiNet.Hosts.Managers;

/// <summary>
/// Makes the host bridge of a bridge network on a NIC that ifupdown configures, through ifupdown's
/// own file, so that it persists across reboots (issue 14, items 2-4). In the file that holds the
/// NIC's stanzas (/etc/network/interfaces or a file it sources):
/// <list type="bullet">
/// <item>every <c>iface NIC inet|inet6 METHOD</c> stanza becomes <c>iface BRIDGE … METHOD</c> with all its options (addresses, gateway, dns-*, up commands); the first also gets <c>bridge_ports NIC</c>, STP off, no forward delay, no wait for the port, and <c>hwaddress</c> with the NIC's MAC (so a DHCP server gives the same lease);</item>
/// <item>a new stanza <c>iface NIC inet manual</c> (the port);</item>
/// <item><c>auto NIC</c> (and other <c>allow-CLASS</c> lines) name the bridge; <c>allow-hotplug NIC</c> becomes <c>auto BRIDGE</c>: udev never announces a bridge, so only <c>ifup -a</c> at boot brings it up.</item>
/// </list>
/// The bridge itself is made by bridge-utils' ifupdown hook. The original file is kept byte for byte
/// in <c>/etc/network/.kimchinet/BRIDGE/</c> (a name <c>source-directory</c> never reads), and is
/// recorded in the network's metadata. The change is applied with <c>ifdown NIC</c> (on the old file)
/// and <c>ifup BRIDGE</c>; then the bridge must hold the NIC's IPv4 addresses and routes, and the
/// gateway must answer (when it answered before), within <see cref="ManagerBridgeMaker.VerifyTimeout"/>; otherwise
/// <c>ifdown BRIDGE</c>, the file is restored and <c>ifup NIC</c> runs (KCHNET0133E).
/// </summary>
public sealed class IfupdownHostBridges : ManagerBridgeMaker
{
    /// <summary>ifupdown's folder: the only one whose files KimchiNet edits.</summary>
    public const string DefaultFolder = "/etc/network";

    /// <summary>Creates the bridge maker.</summary>
    /// <param name="log">Receives every command line and file written before it happens (for -Verbose).</param>
    public IfupdownHostBridges(Action<string>? log = null)
        : base("ifupdown", DefaultFolder, log)
    {
    }

    /// <summary>Where the original of <paramref name="file"/> is kept for a bridge named <paramref name="bridge"/>.</summary>
    public string KeptPath(string bridge, string file) => Path.Combine(KeptFolder(bridge), Path.GetFileName(file));

    /// <summary>The file holding every stanza of <paramref name="device"/>, after checking that ifupdown's configuration can be rewritten for a bridge named <paramref name="bridge"/>.</summary>
    /// <exception cref="KimchiException">KCHNET0136E naming what stands in the way.</exception>
    public string FileFor(string device, string bridge, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var stanzas = IfupdownInterfaces.Read(new ManagerFiles(), Path.Combine(Folder, "interfaces"));
        var own = stanzas.Where(s => s.Name == device).ToList();
        string? why = null;
        if (own.Count == 0)
        {
            why = stanzas.FirstOrDefault(s => s.Ports.Contains(device)) is { } port
                ? $"it is a port of '{port.Name}' ({port.File}:{port.Line})"
                : $"no iface stanza of its own names it (only {string.Join(", ", files)})";
        }
        else if (own.Select(s => s.File).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            why = $"its stanzas are in several files ({string.Join(", ", own.Select(s => $"{s.File}:{s.Line}"))})";
        }
        else if (stanzas.FirstOrDefault(s => s.Ports.Contains(device)) is { } port)
        {
            why = $"it is also a port of '{port.Name}' ({port.File}:{port.Line})";
        }
        else if (stanzas.FirstOrDefault(s => s.Name == bridge) is { } taken)
        {
            why = $"a stanza for '{bridge}' exists already ({taken.File}:{taken.Line})";
        }
        else if (!IsUnder(own[0].File, Folder))
        {
            why = $"'{own[0].File}' is not in {Folder}";
        }

        if (why is not null)
        {
            throw Unsupported(device, why);
        }

        return own[0].File;
    }

    /// <inheritdoc/>
    private protected override HostChanges Create(IpLink dev, string bridge, string file)
    {
        var device = dev.Name;
        file = FileFor(device, bridge, [file]);
        var original = Steps.ReadTrusted(device, file);
        var rewritten = Rewrite(Encoding.UTF8.GetString(original), device, bridge, dev.Mac);
        if (rewritten.Problem is { } problem)
        {
            throw Unsupported(device, $"{problem} in {file}");
        }

        // How the host is reached through the NIC now: checked on the bridge after the change.
        var reach = Steps.Record(device);
        var keptFolder = KeptFolder(bridge);
        var kept = KeptPath(bridge, file);
        var transaction = new Transaction();
        try
        {
            ManagedBridgeSteps.Step(transaction, () => Steps.CreateKeptFolder(keptFolder), $"delete folder {keptFolder}", () => Steps.DeleteKeptFolder(keptFolder));
            ManagedBridgeSteps.Step(transaction, () => Steps.CopyExact(file, kept), $"delete {kept}", () => Steps.Delete(kept));

            // Undone after the file is restored: the NIC comes up from its own stanza again.
            ManagedBridgeSteps.Step(transaction, () => Ifupdown(HostPrograms.Ifdown, device), $"{HostPrograms.Ifup.Path} {device}", () => Ifupdown(HostPrograms.Ifup, device));
            ManagedBridgeSteps.Step(transaction, () => Steps.Overwrite(file, rewritten.Text!), $"restore {file} from {kept}", () => Steps.CopyExact(kept, file));

            // Undone first, while the bridge's stanza is still in the file.
            transaction.Push($"{HostPrograms.Ifdown.Path} {bridge}", () => TakeDown(bridge));
            Ifupdown(HostPrograms.Ifup, bridge);
        }
        catch (Exception e) when (e is KimchiException or IOException or UnauthorizedAccessException)
        {
            throw Steps.Failed(device, e.Message, transaction);
        }

        if (Steps.Verify(reach, bridge, VerifyTimeout) is { } missing)
        {
            throw Steps.RolledBack(reach, bridge, missing, transaction, VerifyTimeout);
        }

        transaction.Commit();
        return Made(bridge, reach, HostNetworkManager.Ifupdown, new ManagerFileChange(file, kept));
    }

    /// <summary>
    /// Takes the bridge down (<c>ifdown</c>, on the file that still has its stanza), restores the
    /// file the record names byte for byte, and brings the NIC up from its own stanza.
    /// </summary>
    private protected override void UndoTrusted(HostChanges changes)
    {
        var bridge = changes.CreatedBridge!;
        var problems = new List<string>();
        var ports = Ports(bridge);
        if (ports.Count == 0)
        {
            // the bridge is not up (ifupdown did not bring it up after a boot): its ports as the file names them
            ports = IfupdownInterfaces.Read(new ManagerFiles(), Path.Combine(Folder, "interfaces"))
                .Where(s => s.Name == bridge).SelectMany(s => s.Ports).Distinct(StringComparer.Ordinal).ToList();
        }

        ManagedBridgeSteps.Try(problems, $"take {bridge} down (ifdown {bridge}, or ip link del {bridge})", () => TakeDown(bridge));
        var file = changes.ManagerFiles[0];
        ManagedBridgeSteps.Try(problems, $"restore {file.Path} from {file.Kept} by hand", () =>
        {
            Steps.CopyExact(file.Kept!, file.Path);
            Steps.Delete(file.Kept!);
        });
        if (problems.Count == 0)
        {
            ManagedBridgeSteps.Try(problems, $"delete folder {KeptFolder(bridge)}", () => Steps.DeleteKeptFolder(KeptFolder(bridge)));
        }

        foreach (var port in ports)
        {
            ManagedBridgeSteps.Try(problems, $"run ifup {port}", () => Ifupdown(HostPrograms.Ifup, port));
        }

        if (problems.Count > 0)
        {
            throw Steps.RestoreFailed(bridge, problems);
        }
    }

    /// <inheritdoc/>
    public override string? CheckRecord(HostChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.CreatedBridge is not { } bridge || changes.ManagerFiles.Count != 1)
        {
            return "it names no bridge or not exactly one ifupdown file";
        }

        var file = changes.ManagerFiles[0];
        if (!IsUnder(file.Path, Folder) || file.Path.Contains("/" + KeptFolderName + "/", StringComparison.Ordinal))
        {
            return $"the file '{file.Path}' is not a file of {Folder}";
        }

        if (file.Kept is null || KeptProblem(file, bridge) is not null)
        {
            return $"the kept original '{file.Kept}' is not in {KeptFolder(bridge)}";
        }

        return null;
    }

    /// <summary>The outcome of <see cref="Rewrite"/>: the new text, or why the file cannot be rewritten.</summary>
    internal sealed record Rewritten(string? Text, string? Problem);

    /// <summary>
    /// The file's new text, every line not named below as it was: the NIC's stanzas renamed to the
    /// bridge (the first with the bridge's options), a port stanza for the NIC appended, and the
    /// NIC's auto/allow lines naming the bridge. A problem when the NIC has no iface stanza in the
    /// text, a mapping names it, or a line of its stanzas is continued with a backslash.
    /// </summary>
    internal static Rewritten Rewrite(string text, string device, string bridge, string? mac)
    {
        ArgumentNullException.ThrowIfNull(text);
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var endsWithNewline = lines.Count > 0 && lines[^1].Length == 0;
        if (endsWithNewline)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var output = new List<string>();
        var inOwn = false;
        var stanzas = 0;
        var hasHwaddress = false;
        var bridgeOptionsAt = -1;
        var firstIsInet = false;
        var indent = "    ";
        foreach (var line in lines)
        {
            var words = Words(line);
            var keyword = words.Count > 0 ? words[0] : null;
            var startsBlock = keyword is "iface" or "mapping" or "auto" or "source" or "source-directory" or "rename" or "no-auto-down" or "no-scripts"
                || keyword?.StartsWith("allow-", StringComparison.Ordinal) == true;
            if (startsBlock)
            {
                inOwn = false;
            }

            if (keyword == "mapping" && words.Skip(1).Any(w => Matches(w, device)))
            {
                return new Rewritten(null, $"a mapping stanza names '{device}'");
            }

            if (keyword == "iface" && words.Count >= 4 && words[1] == device)
            {
                if (words[2] is not ("inet" or "inet6") || words[3] == "loopback" || words.Count > 4)
                {
                    return new Rewritten(null, $"its stanza '{line.Trim()}' is not an inet or inet6 stanza KimchiNet can move to a bridge");
                }

                inOwn = true;
                stanzas++;
                output.Add(line[..(line.Length - line.TrimStart().Length)] + $"iface {bridge} {words[2]} {words[3]}");
                if (bridgeOptionsAt < 0 || (words[2] == "inet" && !firstIsInet))
                {
                    bridgeOptionsAt = output.Count;
                    firstIsInet = words[2] == "inet";
                }

                continue;
            }

            if (inOwn && line.TrimEnd().EndsWith('\\'))
            {
                return new Rewritten(null, $"a line of its stanza is continued with a backslash ('{line.Trim()}')");
            }

            if (inOwn && words.Count > 0 && !words[0].StartsWith('#'))
            {
                hasHwaddress |= words[0] == "hwaddress";
                indent = line[..(line.Length - line.TrimStart().Length)] is { Length: > 0 } own ? own : indent;
            }

            if (keyword is "auto" || keyword?.StartsWith("allow-", StringComparison.Ordinal) == true)
            {
                if (words.Skip(1).Contains(device))
                {
                    var others = words.Skip(1).Where(w => w != device).ToList();
                    if (keyword == "allow-hotplug")
                    {
                        if (others.Count > 0)
                        {
                            output.Add(string.Join(' ', [keyword, .. others]));
                        }

                        output.Add("auto " + bridge);
                    }
                    else
                    {
                        output.Add(string.Join(' ', words.Select(w => w == device ? bridge : w)));
                    }

                    continue;
                }
            }

            output.Add(line);
        }

        if (stanzas == 0)
        {
            return new Rewritten(null, $"no iface stanza names '{device}'");
        }

        var options = new List<string>
        {
            $"{indent}# made a bridge over {device} by KimchiNet; the original file is kept in {KeptFolderName}/{bridge}/ and restored by Remove-KimchiNetwork",
            $"{indent}bridge_ports {device}",
            $"{indent}bridge_stp off",
            $"{indent}bridge_fd 0",
            $"{indent}bridge_maxwait 0",
        };
        if (!hasHwaddress && mac is not null)
        {
            options.Add(string.Create(CultureInfo.InvariantCulture, $"{indent}hwaddress {mac}"));
        }

        output.InsertRange(bridgeOptionsAt, options);
        output.Add(string.Empty);
        output.Add($"# {device} is the port of {bridge} (KimchiNet)");
        output.Add($"iface {device} inet manual");
        return new Rewritten(string.Join(newline, output) + newline, null);
    }

    private static List<string> Words(string line) =>
        line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>Whether a mapping's pattern (a shell glob) may match <paramref name="device"/>.</summary>
    private static bool Matches(string pattern, string device) =>
        pattern == device || (Glob.HasWildcard(pattern) && Glob.IsMatch(pattern, device));

    /// <summary>
    /// ifdown on the bridge (bridge-utils' hook deletes it), then deletes it if it is still there:
    /// ifdown refuses a bridge ifupdown does not count as up (after a failed ifup), and deleting it is then all there is to do.
    /// </summary>
    private void TakeDown(string bridge)
    {
        try
        {
            Ifupdown(HostPrograms.Ifdown, bridge);
        }
        catch (KimchiException)
        {
            // ifdown did not take it down: it is deleted below, if it is there at all
        }

        Steps.DeleteBridge(bridge);
    }

    private void Ifupdown(HostProgram program, string name) => Steps.Run(program, name);

    /// <summary>Whether <paramref name="path"/> is a normalized absolute path inside <paramref name="folder"/>.</summary>
    private static bool IsUnder(string path, string folder) =>
        Path.IsPathFullyQualified(path)
        && string.Equals(Path.GetFullPath(path), path, StringComparison.Ordinal)
        && path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static KimchiException Unsupported(string device, string why) =>
        new(ErrorCodes.IfupdownStanzaUnsupported, ErrorKind.InvalidInput,
            $"Cannot make a bridge on '{device}' through ifupdown: {why}. Nothing was changed; turn its stanza into a bridge stanza by hand (docs/host-networking.md) or use another NIC.", device);
}
