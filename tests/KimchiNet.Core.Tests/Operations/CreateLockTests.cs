using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using KimchiNet.Operations;
using KimchiNet.Tests.Libvirt;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// Issue 12 item 2: the create lock's folder and file cannot be turned against root. Each test
/// points $KIMCHINET_LOCK_DIR at a folder it prepares (run as root, as the module runs on a
/// hypervisor); the class runs alone because that variable is process-wide.
/// </summary>
[Collection(ProcessWideCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class CreateLockTests : IDisposable
{
    private const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const int Nobody = 65534;

    private readonly string _root;
    private readonly string? _saved = Environment.GetEnvironmentVariable(CreateLock.DirectoryVariable);
    private readonly string _uri = "qemu+unix:///system?socket=/nonexistent/xunit-lock-" + Guid.NewGuid().ToString("N");

    public CreateLockTests()
    {
        // A folder every user can traverse (0755 up from /tmp), so that only the lock's own checks stop "nobody".
        _root = Path.Combine("/tmp", "kimchinet-locktest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        File.SetUnixFileMode(_root, Mode0755);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(CreateLock.DirectoryVariable, _saved);
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Acquire_WithAMissingFolder_ShouldMakeIt0755AndTheLockFile0600()
    {
        var folder = UseFolder("new", create: false);

        using (var held = CreateLock.Acquire(_uri))
        {
            Assert.Equal(CreateLock.LockFilePath(folder, _uri), held.FilePath);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(held.FilePath!));
        }

        Assert.Equal(Mode0755, File.GetUnixFileMode(folder));
    }

    [Fact]
    public void Acquire_InAFolderAnotherUserOwnsWithTheLockFileSymlinked_ShouldRefuseAndNotCreateTheTarget()
    {
        var folder = UseFolder("user-made", create: true);
        var target = "/root/kimchinet-pwned-" + Guid.NewGuid().ToString("N")[..8];
        File.CreateSymbolicLink(CreateLock.LockFilePath(folder, _uri), target);
        Run("/bin/chown", "-R", "-h", Nobody.ToString(CultureInfo.InvariantCulture), folder);

        var error = Assert.Throws<KimchiException>(() => CreateLock.Acquire(_uri).Dispose());

        Assert.Equal(ErrorCodes.LockUnsafe, error.Code);
        Assert.Contains("uid 65534", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target), target + " was created by following the lock file's symbolic link");
    }

    [Fact]
    public void Acquire_InAFolderOthersCanWrite_ShouldRefuse()
    {
        var folder = UseFolder("shared", create: true);
        File.SetUnixFileMode(folder, Mode0755 | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit);

        var error = Assert.Throws<KimchiException>(() => CreateLock.Acquire(_uri).Dispose());

        Assert.Equal(ErrorCodes.LockUnsafe, error.Code);
        Assert.Contains("01777", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquire_WithTheLockFileASymbolicLinkInRootsOwnFolder_ShouldRefuseAndNotCreateTheTarget()
    {
        var folder = UseFolder("root-made", create: true);
        var target = Path.Combine(_root, "target-" + Guid.NewGuid().ToString("N")[..8]);
        File.CreateSymbolicLink(CreateLock.LockFilePath(folder, _uri), target);

        var error = Assert.Throws<KimchiException>(() => CreateLock.Acquire(_uri).Dispose());

        Assert.Equal(ErrorCodes.LockUnsafe, error.Code);
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Acquire_WithTheLockFileAFifo_ShouldRefuseAtOnceNotHang()
    {
        var folder = UseFolder("fifo", create: true);
        var path = CreateLock.LockFilePath(folder, _uri);
        Run("/usr/bin/mkfifo", "-m", "0600", path);

        var attempt = Task.Run(() => CreateLock.Acquire(_uri).Dispose());
        var finished = await Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(15))) == attempt;
        if (!finished)
        {
            // Unblock the hung open() (a writer appears), so the test process can end.
            using var writer = new FileStream(path, FileMode.Open, FileAccess.Write);
        }

        Assert.True(finished, "acquiring the lock hung on a FIFO for 15 s");
        var error = await Assert.ThrowsAsync<KimchiException>(() => attempt);
        Assert.Equal(ErrorCodes.LockUnsafe, error.Code);
        Assert.Contains("FIFO", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acquire_ByAnotherUser_ShouldFailAsTheLockFileIs0600()
    {
        var folder = UseFolder("held", create: true);
        string path;
        using (var first = CreateLock.Acquire(_uri))
        {
            path = first.FilePath!;
        }

        // "nobody" tries to take the lock and keep it for 30 s, as `flock -x FILE sleep 30` would.
        var info = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/flock", "-x", path, "/bin/sleep", "30" })
        {
            info.ArgumentList.Add(a);
        }

        using var holder = Process.Start(info)!;
        try
        {
            var stderr = holder.StandardError.ReadToEndAsync();
            await Task.WhenAny(holder.WaitForExitAsync(), Task.Delay(3000));
            var attempt = Task.Run(() => CreateLock.Acquire(_uri).Dispose());
            Assert.True(await Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(15))) == attempt, "root waited for a lock that user nobody holds");
            await attempt;
            Assert.True(holder.HasExited, "nobody's flock is still running: it holds the lock");
            Assert.NotEqual(0, holder.ExitCode);
            Assert.Contains("Permission denied", await stderr, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill();
            }
        }

        Assert.Equal(folder, Path.GetDirectoryName(path));
    }

    [Fact]
    public void DefaultDirectory_WithoutTheLockDirVariable_ShouldBeRunLockKimchinetForRootAndOneOfTheirOwnForOthers()
    {
        Assert.Equal("/run/lock/kimchinet", CreateLock.DefaultDirectory(0));
        Assert.Equal("/run/lock/kimchinet-1000", CreateLock.DefaultDirectory(1000));
    }

    private string UseFolder(string name, bool create)
    {
        var folder = Path.Combine(_root, name);
        if (create)
        {
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, Mode0755);
        }

        Environment.SetEnvironmentVariable(CreateLock.DirectoryVariable, folder);
        return folder;
    }

    private static void Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
    }
}
