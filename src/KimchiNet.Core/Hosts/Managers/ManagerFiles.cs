using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace KimchiNet.Hosts.Managers;

/// <summary>
/// Reads the files of the host's network managers, as root, trusting only what no other user could
/// have written: a regular file owned by an allowed owner (root, or the manager's own user) and not
/// writable by group or others, in a folder that meets the same rule. What is refused is reported
/// (KCHNET0130E), never read. The file is examined through the descriptor that is read, so it
/// cannot be swapped between the check and the read.
/// </summary>
internal sealed class ManagerFiles
{
    /// <summary>The largest manager file read; anything bigger is not a configuration file.</summary>
    internal const int MaxBytes = 1 << 20;

    private readonly List<KimchiException> _problems = [];
    private readonly IReadOnlySet<uint> _owners;

    /// <summary>Creates a reader that accepts files owned by <paramref name="owners"/> (root when none is given).</summary>
    internal ManagerFiles(params uint[] owners) => _owners = owners.Length == 0 ? new HashSet<uint> { 0 } : owners.ToHashSet();

    /// <summary>What was refused or could not be read so far.</summary>
    internal IReadOnlyList<KimchiException> Problems => _problems;

    /// <summary>Records a problem found by a caller (a file that was read but could not be parsed).</summary>
    internal void Report(KimchiException problem) => _problems.Add(problem);

    /// <summary>The text of <paramref name="path"/>, or null when it does not exist, is refused or cannot be read (the last two reported).</summary>
    internal string? ReadText(string path)
    {
        if (!OperatingSystem.IsLinux() || Interop.Libc.Stat(path, followLinks: true, out _) is null)
        {
            return null;
        }

        var folder = Path.GetDirectoryName(path);
        if (folder is not null && !FolderTrusted(folder))
        {
            return null;
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _problems.Add(Unreadable(path, e.Message));
            return null;
        }

        using (handle)
        {
            if (Interop.Libc.Stat(handle, out var errno) is not { } facts)
            {
                _problems.Add(Unreadable(path, Interop.Libc.ErrorText(errno)));
                return null;
            }

            if (facts.Type != Interop.Libc.S_IFREG || !_owners.Contains(facts.Uid) || facts.GroupOrOtherWritable)
            {
                _problems.Add(Unsafe(path, $"is a {facts.TypeName} owned by uid {facts.Uid} with mode {facts.OctalPermissions}"));
                return null;
            }

            var buffer = new byte[MaxBytes + 1];
            int length;
            try
            {
                length = RandomAccess.Read(handle, buffer, 0);
            }
            catch (IOException e)
            {
                _problems.Add(Unreadable(path, e.Message));
                return null;
            }

            if (length > MaxBytes)
            {
                _problems.Add(Unreadable(path, $"it is larger than {MaxBytes} bytes"));
                return null;
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }

    /// <summary>The entries of <paramref name="folder"/> (full paths, sorted by name), or none when it does not exist or is refused (reported).</summary>
    internal IReadOnlyList<string> List(string folder)
    {
        if (!Directory.Exists(folder) || !FolderTrusted(folder))
        {
            return Array.Empty<string>();
        }

        try
        {
            return Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _problems.Add(Unreadable(folder, e.Message));
            return Array.Empty<string>();
        }
    }

    /// <summary>True when <paramref name="folder"/> is a directory with an allowed owner that group and others cannot write (else reported once).</summary>
    private bool FolderTrusted(string folder)
    {
        if (Interop.Libc.Stat(folder, followLinks: true, out var errno) is not { } facts)
        {
            _problems.Add(Unreadable(folder, Interop.Libc.ErrorText(errno)));
            return false;
        }

        if (facts.Type == Interop.Libc.S_IFDIR && _owners.Contains(facts.Uid) && !facts.GroupOrOtherWritable)
        {
            return true;
        }

        if (!_problems.Any(p => p.Code == ErrorCodes.ManagerFileUnsafe && Equals(p.Target, folder)))
        {
            _problems.Add(Unsafe(folder, $"is a {facts.TypeName} owned by uid {facts.Uid} with mode {facts.OctalPermissions}"));
        }

        return false;
    }

    private string Owners => string.Join(" or ", _owners.Order().Select(uid => uid == 0 ? "root" : $"uid {uid}"));

    private KimchiException Unsafe(string path, string facts) => new(
        ErrorCodes.ManagerFileUnsafe,
        ErrorKind.PermissionDenied,
        $"Not reading the network manager file '{path}': it {facts}; it must be owned by {Owners} and not writable by group or others. The interfaces it configures show no owner from it.",
        path);

    /// <summary>A file that is there but cannot be read or understood (KCHNET0131E).</summary>
    internal static KimchiException Unreadable(string path, string reason) => new(
        ErrorCodes.ManagerFileUnreadable,
        ErrorKind.InvalidState,
        $"The network manager file '{path}' cannot be read: {reason}. The interfaces it configures show no owner from it.",
        path);
}
