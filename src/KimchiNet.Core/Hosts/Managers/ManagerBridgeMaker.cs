using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KimchiNet.Model;

namespace KimchiNet.Hosts.Managers;

/// <summary>
/// What the bridge makers that work through a network manager's files share
/// (<see cref="NetworkdHostBridges"/>, <see cref="IfupdownHostBridges"/>, <see cref="NetworkManagerHostBridges"/>): one host change at a
/// time, the manager's folder and the folder of kept originals, the verification time, the record
/// check before any undo, and the record of what was made.
/// </summary>
public abstract class ManagerBridgeMaker
{
    /// <summary>The subfolder (of the manager's folder) where the originals are kept, one folder per bridge.</summary>
    public const string KeptFolderName = ".kimchinet";

    private static readonly object s_gate = new();

    private protected ManagerBridgeMaker(string manager, string folder, Action<string>? log, ManagedBridgeCodes? codes = null)
    {
        Steps = new ManagedBridgeSteps(manager, log, codes);
        Folder = folder;
    }

    /// <summary>The manager's folder: the files KimchiNet writes are in it.</summary>
    public string Folder { get; init; }

    /// <summary>How long the bridge may take to hold the NIC's addresses and routes and reach the gateway; 30 s by default.</summary>
    public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    private protected ManagedBridgeSteps Steps { get; }

    /// <summary>Makes the bridge over <paramref name="device"/>, whose configuration is in <paramref name="file"/>, and verifies it; rolls everything back on failure.</summary>
    /// <exception cref="KimchiException">KCHNET0133E (NetworkManager: KCHNET0138E) when the verification failed (rolled back); KCHNET0134E (NetworkManager: KCHNET0139E) when a step failed (rolled back); KCHNET0136E (ifupdown) when the file cannot be rewritten (nothing changed).</exception>
    public HostChanges CreateBridge(string device, string file)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(file);
        lock (s_gate)
        {
            var links = Steps.Ip.Links();
            var dev = links.FirstOrDefault(l => l.Name == device)
                ?? throw Steps.Failed(device, $"no device '{device}' exists on this machine", null);
            return Create(dev, HostBridgeNames.Bridge(device, null, n => links.Any(l => l.Name == n)), file);
        }
    }

    /// <summary>Restores the files <paramref name="changes"/> records byte for byte, takes the bridge down and brings its NIC up as before.</summary>
    /// <exception cref="KimchiException">KCHNET0135E (NetworkManager: KCHNET0114E) naming what could not be restored (the rest was), or refusing a record that is not trusted.</exception>
    public void Undo(HostChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (s_gate)
        {
            if (CheckRecord(changes) is { } refused)
            {
                throw Steps.RecordRefused(changes.CreatedBridge, refused);
            }

            UndoTrusted(changes);
        }
    }

    /// <summary>Why the record's files cannot be trusted (not the manager's files, a kept copy outside the bridge's own folder), or null.</summary>
    public abstract string? CheckRecord(HostChanges changes);

    /// <summary>Makes <paramref name="bridge"/> over <paramref name="device"/> (under the lock).</summary>
    private protected abstract HostChanges Create(IpLink device, string bridge, string file);

    /// <summary>Undoes a record <see cref="CheckRecord"/> trusts (under the lock).</summary>
    private protected abstract void UndoTrusted(HostChanges changes);

    /// <summary>
    /// The record check of a maker whose files are plain files of <see cref="Folder"/>: the record must name
    /// the bridge and at least one file (else "it names no bridge or no <paramref name="what"/>"), and every
    /// file must pass <paramref name="problemOf"/> (given the file and the bridge; null when it is one of the
    /// manager's) and have its kept original, if any, in the bridge's kept folder. The first problem, or null.
    /// </summary>
    private protected string? CheckFiles(HostChanges changes, string what, Func<ManagerFileChange, string, string?> problemOf)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.CreatedBridge is not { } bridge || changes.ManagerFiles.Count == 0)
        {
            return $"it names no bridge or no {what}";
        }

        return changes.ManagerFiles.Select(file => problemOf(file, bridge) ?? KeptProblem(file, bridge)).FirstOrDefault(p => p is not null);
    }

    /// <summary>Why <paramref name="file"/>'s kept original is not trusted (not a copy of the same name in <paramref name="bridge"/>'s kept folder), or null (also when it has none).</summary>
    private protected string? KeptProblem(ManagerFileChange file, string bridge) =>
        file.Kept is { } kept && (!ManagedBridgeSteps.IsDirectChild(kept, KeptFolder(bridge)) || Path.GetFileName(kept) != Path.GetFileName(file.Path))
            ? $"the kept original '{kept}' is not in {KeptFolder(bridge)}"
            : null;

    /// <summary>The ports of <paramref name="bridge"/> now, but guests' taps.</summary>
    private protected List<string> Ports(string bridge) =>
        Steps.Ip.Links().Where(l => l.Master == bridge && l.Kind is not ("tun" or "macvtap")).Select(l => l.Name).ToList();

    /// <summary>
    /// The undo of every file <paramref name="changes"/> records: a file with a kept original is restored
    /// from it byte for byte (and the copy deleted), a file KimchiNet created is deleted, then the bridge's
    /// kept folder goes; what fails is added to <paramref name="problems"/> and the rest goes on.
    /// </summary>
    private protected void RestoreFiles(HostChanges changes, List<string> problems)
    {
        foreach (var file in changes.ManagerFiles)
        {
            if (file.Kept is { } kept)
            {
                ManagedBridgeSteps.Try(problems, $"restore {file.Path} from {kept} by hand", () =>
                {
                    Steps.CopyExact(kept, file.Path);
                    Steps.Delete(kept);
                });
            }
            else
            {
                ManagedBridgeSteps.Try(problems, $"delete {file.Path} by hand", () => Steps.Delete(file.Path));
            }
        }

        if (problems.Count == 0)
        {
            var folder = KeptFolder(changes.CreatedBridge!);
            ManagedBridgeSteps.Try(problems, $"delete folder {folder}", () => Steps.DeleteKeptFolder(folder));
        }
    }

    /// <summary>The folder that keeps the originals of <paramref name="bridge"/>'s files.</summary>
    private protected string KeptFolder(string bridge) => Path.Combine(Folder, KeptFolderName, bridge);

    /// <summary>The record of a bridge made and verified: its identity now, the addresses it took over, the manager and its files.</summary>
    private protected HostChanges Made(string bridge, HostReach reach, HostNetworkManager manager, params ManagerFileChange[] files)
    {
        var made = Steps.Ip.Links().First(l => l.Name == bridge);
        return new HostChanges
        {
            CreatedBridge = bridge,
            BridgeMac = made.Mac,
            BridgeIfindex = made.Ifindex > 0 ? made.Ifindex : null,
            MovedAddresses = reach.Addresses,
            Manager = manager,
            ManagerFiles = files,
        };
    }
}
