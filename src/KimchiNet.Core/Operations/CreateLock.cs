using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace KimchiNet.Operations;

/// <summary>
/// Serializes "read the host, choose a subnet and bridge, define" of nat and isolated networks per
/// libvirt URI, so two creators cannot choose the same subnet or bridge: a monitor per URI for
/// every thread and runspace of this process, then an exclusive <c>flock</c> on a lock file per
/// URI for every process of the same user on this machine. See docs/concurrency.md.
/// </summary>
/// <remarks>
/// The lock file is <c>DIR/create-HASH.lock</c>, HASH the first 16 hex digits of the SHA-256 of
/// the URI (UTF-8) as libvirt reports it, DIR <c>$KIMCHINET_LOCK_DIR</c> when set, else
/// <c>/run/lock/kimchinet</c> for root and <c>/run/lock/kimchinet-UID</c> for any other user; there
/// is no fallback. DIR is made with mode 0755 when missing, and used only when it is a real folder
/// (not a symbolic link) owned by the caller and not writable by group or others: otherwise
/// KCHNET0112E. The file is opened relative to that folder with O_NOFOLLOW|O_NONBLOCK (a symbolic
/// link is refused, a FIFO cannot block), created 0600, and used only when it is a regular file
/// owned by the caller (else KCHNET0112E); so no other user can open it, let alone hold it. Lock
/// files are never deleted (deleting a flock file while another process waits on it would let two
/// processes hold "the" lock). The test driver's state lives in the calling process, so it takes
/// only the in-process lock, as every URI does on Windows.
/// </remarks>
internal sealed class CreateLock : IDisposable
{
    /// <summary>The environment variable that chooses the lock file folder.</summary>
    internal const string DirectoryVariable = "KIMCHINET_LOCK_DIR";

    /// <summary>root's lock folder; other users get <c>/run/lock/kimchinet-UID</c>.</summary>
    internal const string RootDirectory = "/run/lock/kimchinet";

    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const uint FileMode = 0x180; // 0600

    private static readonly ConcurrentDictionary<string, object> s_monitors = new(StringComparer.Ordinal);
    private static readonly TimeSpan s_fileWait = TimeSpan.FromMinutes(2);

    private readonly object _monitor;
    private readonly SafeFileHandle? _file;

    private CreateLock(object monitor, SafeFileHandle? file, string? path)
    {
        _monitor = monitor;
        _file = file;
        FilePath = path;
    }

    /// <summary>The lock file held, or null when only the in-process lock is taken (test driver, Windows).</summary>
    public string? FilePath { get; }

    /// <summary>Waits for the create lock of <paramref name="uri"/> in this process, then (when <paramref name="fileLock"/>) on this machine.</summary>
    /// <param name="uri">The libvirt URI whose creators are serialized.</param>
    /// <param name="fileLock">False for the test driver, whose state lives in this process: only the in-process lock is taken.</param>
    /// <exception cref="KimchiException">KCHNET0112E when the lock folder or file is not safe to use; KCHNET0008E when it cannot be opened or stays locked for two minutes.</exception>
    public static CreateLock Acquire(string uri, bool fileLock = true) => Acquire(uri, fileLock, s_fileWait);

    /// <summary>As <see cref="Acquire(string, bool)"/>, waiting at most <paramref name="wait"/> for the file lock (tests use a short one).</summary>
    internal static CreateLock Acquire(string uri, bool fileLock, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var monitor = s_monitors.GetOrAdd(uri, _ => new object());
        Monitor.Enter(monitor);
        try
        {
            if (!fileLock || OperatingSystem.IsWindows())
            {
                return new CreateLock(monitor, null, null);
            }

            var directory = LockDirectory();
            var path = LockFilePath(directory, uri);
            return new CreateLock(monitor, LockFile(directory, path, uri, wait), path);
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

    /// <summary>The lock folder when <c>$KIMCHINET_LOCK_DIR</c> is not set: root's, or a folder per other user.</summary>
    internal static string DefaultDirectory(uint uid) =>
        uid == 0 ? RootDirectory : RootDirectory + "-" + uid.ToString(CultureInfo.InvariantCulture);

    /// <summary>Releases the file lock, then the in-process lock.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        Monitor.Exit(_monitor);
    }

    [UnsupportedOSPlatform("windows")]
    private static string LockDirectory()
    {
        var chosen = Environment.GetEnvironmentVariable(DirectoryVariable);
        return string.IsNullOrEmpty(chosen) ? DefaultDirectory(Interop.Libc.geteuid()) : chosen;
    }

    [UnsupportedOSPlatform("windows")]
    private static SafeFileHandle LockFile(string directory, string path, string uri, TimeSpan wait)
    {
        using var folder = OpenFolder(directory, uri);
        var name = Path.GetFileName(path);
        var file = Interop.Libc.OpenAt(folder, name, Interop.Libc.O_RDONLY | Interop.Libc.O_CREAT | Interop.Libc.O_NOFOLLOW | Interop.Libc.O_NONBLOCK, FileMode, out var errno);
        if (file.IsInvalid)
        {
            file.Dispose();
            throw errno == Eloop
                ? Unsafe(uri, $"The lock file '{path}' is a symbolic link")
                : Unsafe(uri, $"The lock file '{path}' cannot be opened: {Interop.Libc.ErrorText(errno)}");
        }

        try
        {
            var uid = Interop.Libc.geteuid();
            if (Interop.Libc.Stat(file, out errno) is not { } facts)
            {
                throw Unsafe(uri, $"The lock file '{path}' cannot be examined: {Interop.Libc.ErrorText(errno)}");
            }

            if (facts.Type != Interop.Libc.S_IFREG || facts.Uid != uid)
            {
                throw Unsafe(uri, $"The lock file '{path}' is a {facts.TypeName} owned by uid {facts.Uid}; only a regular file owned by uid {uid} is used");
            }

            if ((facts.Permissions & 0x3F) != 0)
            {
                // Left by an older KimchiNet (0644): no other user may open, and so hold, the lock.
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            Wait(file, path, uri, wait);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Makes the folder (0755) when missing, then opens it without following a symbolic link and checks its owner and mode.</summary>
    [UnsupportedOSPlatform("windows")]
    private static SafeFileHandle OpenFolder(string directory, string uri)
    {
        if (Interop.Libc.Stat(directory, followLinks: false, out _) is null)
        {
            try
            {
                Directory.CreateDirectory(directory, FolderMode);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KimchiException(ErrorCodes.CreateFailed, ErrorKind.OperationFailed,
                    $"The lock folder '{directory}' for creating networks on '{uri}' cannot be made: {e.Message} Set {DirectoryVariable} to a folder you own that others cannot write to.", uri, e);
            }
        }

        var folder = Interop.Libc.OpenAt(null, directory, Interop.Libc.O_RDONLY | Interop.Libc.O_DIRECTORY | Interop.Libc.O_NOFOLLOW, 0, out var errno);
        if (folder.IsInvalid)
        {
            folder.Dispose();
            throw Unsafe(uri, errno is Eloop or Enotdir
                ? $"The lock folder '{directory}' is a symbolic link or not a folder"
                : $"The lock folder '{directory}' cannot be opened: {Interop.Libc.ErrorText(errno)}");
        }

        var uid = Interop.Libc.geteuid();
        var facts = Interop.Libc.Stat(folder, out errno);
        if (facts is not { } f || f.Uid != uid || f.GroupOrOtherWritable)
        {
            folder.Dispose();
            var what = facts is { } g ? $"is owned by uid {g.Uid} with mode {g.OctalPermissions}" : $"cannot be examined ({Interop.Libc.ErrorText(errno)})";
            throw Unsafe(uri, $"The lock folder '{directory}' {what}; KimchiNet uses only a folder owned by uid {uid} that group and others cannot write to (0755). Delete it so that KimchiNet makes it again, or set {DirectoryVariable} to such a folder");
        }

        return folder;
    }

    /// <summary>flock(LOCK_EX|LOCK_NB); while another process holds it, tries again after a short, growing pause, at most <paramref name="wait"/>.</summary>
    private static void Wait(SafeFileHandle file, string path, string uri, TimeSpan wait)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = 1;
        while (Interop.Libc.flock(file, Interop.Libc.LOCK_EX | Interop.Libc.LOCK_NB) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == Interop.Libc.EINTR)
            {
                continue;
            }

            if (errno != Interop.Libc.EWOULDBLOCK)
            {
                throw new KimchiException(ErrorCodes.CreateFailed, ErrorKind.OperationFailed,
                    $"The lock file '{path}' for creating networks on '{uri}' cannot be locked: {Interop.Libc.ErrorText(errno)}", uri);
            }

            if (waited.Elapsed > wait)
            {
                throw new KimchiException(ErrorCodes.CreateFailed, ErrorKind.OperationFailed,
                    $"The lock file '{path}' for creating networks stayed locked by another process for {wait.TotalSeconds:0} s.", uri);
            }

            Thread.Sleep(pause);
            pause = Math.Min(pause * 2, 50);
        }
    }

    private const int Eloop = 40;
    private const int Enotdir = 20;

    private static KimchiException Unsafe(string uri, string reason) =>
        new(ErrorCodes.LockUnsafe, ErrorKind.PermissionDenied, $"Refusing the lock for creating networks on '{uri}': {reason}.", uri);
}
