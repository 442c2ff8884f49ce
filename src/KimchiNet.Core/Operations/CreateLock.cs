using System;
using System.Collections.Concurrent;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace KimchiNet.Operations;

/// <summary>
/// Serializes "read the host, choose a subnet and bridge, define" of nat and isolated networks per
/// libvirt URI, so two creators cannot choose the same subnet or bridge: a monitor per URI for
/// every thread and runspace of this process, then an exclusive <c>flock</c> on a lock file per
/// URI for every process on this machine. See docs/concurrency.md.
/// </summary>
/// <remarks>
/// The lock file is <c>DIR/create-HASH.lock</c>, HASH the first 16 hex digits of the SHA-256 of
/// the URI (UTF-8) as libvirt reports it, DIR the first of <c>$KIMCHINET_LOCK_DIR</c>,
/// <c>/run/lock/kimchinet</c>, <c>$TMPDIR/kimchinet-locks</c> that can be created and opened.
/// Lock files are never deleted (deleting a flock file while another process waits on it would let
/// two processes hold "the" lock). The test driver's state lives in the calling process, so its
/// URIs (<c>test:</c>) take only the in-process lock, as every URI does on Windows.
/// </remarks>
internal sealed class CreateLock : IDisposable
{
    /// <summary>The environment variable that chooses the lock file folder.</summary>
    internal const string DirectoryVariable = "KIMCHINET_LOCK_DIR";

    private const UnixFileMode SharedFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit;

    private static readonly ConcurrentDictionary<string, object> s_monitors = new(StringComparer.Ordinal);
    private static readonly TimeSpan s_fileWait = TimeSpan.FromMinutes(2);

    private readonly object _monitor;
    private readonly FileStream? _file;

    private CreateLock(object monitor, FileStream? file)
    {
        _monitor = monitor;
        _file = file;
    }

    /// <summary>The lock file held, or null when only the in-process lock is taken (test driver, Windows).</summary>
    public string? FilePath => _file?.Name;

    /// <summary>Waits for the create lock of <paramref name="uri"/> in this process, then on this machine.</summary>
    /// <exception cref="KimchiException">KCHNET0008E when the lock file cannot be opened or stays locked for two minutes.</exception>
    public static CreateLock Acquire(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var monitor = s_monitors.GetOrAdd(uri, _ => new object());
        Monitor.Enter(monitor);
        try
        {
            var file = uri.StartsWith("test:", StringComparison.OrdinalIgnoreCase) || OperatingSystem.IsWindows() ? null : LockFile(uri);
            return new CreateLock(monitor, file);
        }
        catch
        {
            Monitor.Exit(monitor);
            throw;
        }
    }

    /// <summary>The lock file of <paramref name="uri"/> in <paramref name="directory"/>.</summary>
    internal static string LockFilePath(string directory, string uri)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(uri));
        return Path.Combine(directory, "create-" + Convert.ToHexString(hash, 0, 8).ToLowerInvariant() + ".lock");
    }

    /// <summary>Releases the file lock, then the in-process lock.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        Monitor.Exit(_monitor);
    }

    [UnsupportedOSPlatform("windows")]
    private static FileStream LockFile(string uri)
    {
        var problems = new StringBuilder();
        foreach (var directory in Directories())
        {
            try
            {
                if (!Directory.Exists(directory))
                {
                    // Shared like /tmp (1777, set after mkdir so the umask cannot narrow it): every user's
                    // creators must find the same lock files here rather than fall back to a folder of their own.
                    Directory.CreateDirectory(directory);
                    try
                    {
                        File.SetUnixFileMode(directory, SharedFolderMode);
                    }
                    catch (UnauthorizedAccessException)
                    {
                        // Another user made it at the same moment; its mode is that user's to set.
                    }
                }

                return Wait(LockFilePath(directory, uri));
            }
            catch (TimeoutLockException e)
            {
                throw new KimchiException(ErrorCodes.CreateFailed, ErrorKind.OperationFailed, e.Message, uri, e);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException or NotSupportedException
                || e is IOException)
            {
                problems.Append(Environment.NewLine).Append(directory).Append(": ").Append(e.Message);
            }
        }

        throw new KimchiException(
            ErrorCodes.CreateFailed,
            ErrorKind.OperationFailed,
            $"No lock file for creating networks on '{uri}' could be opened:{problems} Set {DirectoryVariable} to a writable folder.",
            uri);
    }

    private static string[] Directories()
    {
        var chosen = Environment.GetEnvironmentVariable(DirectoryVariable);
        return string.IsNullOrEmpty(chosen)
            ? ["/run/lock/kimchinet", Path.Combine(Path.GetTempPath(), "kimchinet-locks")]
            : [chosen];
    }

    /// <summary>
    /// Opens <paramref name="path"/> with FileShare.None, which .NET turns into flock(LOCK_EX|LOCK_NB)
    /// on Unix; while another process holds it, tries again after a short, growing pause.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private static FileStream Wait(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Read, // flock needs no write access, so any user who can read the file can lock it
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = 1;
        while (true)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException e) when (IsLocked(e, path))
            {
                if (waited.Elapsed > s_fileWait)
                {
                    throw new TimeoutLockException(
                        $"The lock file '{path}' for creating networks stayed locked by another process for {s_fileWait.TotalSeconds:0} s.", e);
                }

                Thread.Sleep(pause);
                pause = Math.Min(pause * 2, 50);
            }
        }
    }

    /// <summary>
    /// True when opening failed only because another process holds the lock: .NET reports the
    /// flock conflict as a plain IOException (a missing folder or a denied permission is another type).
    /// </summary>
    private static bool IsLocked(IOException e, string path) => e.GetType() == typeof(IOException) && File.Exists(path);

    /// <summary>The lock stayed taken too long; not a reason to try the next folder.</summary>
    private sealed class TimeoutLockException(string message, Exception inner) : IOException(message, inner);
}
