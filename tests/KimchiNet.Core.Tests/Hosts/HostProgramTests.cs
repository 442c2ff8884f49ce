using System;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using KimchiNet.Hosts;

namespace KimchiNet.Tests.Hosts;

/// <summary>
/// Issue 12 item 1: every program KimchiNet starts is run by an absolute path from a fixed list of
/// system folders, and only when it is a root-owned file that group and others cannot write, in
/// such a folder. These tests resolve a program in folders the test makes (as root), with files of
/// every refused kind. That the bare name is never run from the current directory or PATH is shown
/// end to end by tests/KimchiNet.Tests/Lab/Security.Lab.Tests.ps1.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class HostProgramTests : IDisposable
{
    private const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kimchinet-hostprogram-");
    private readonly HostProgram _program = new("kn-test-prog", "kn-test-package");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Ip_OnThisMachine_ShouldResolveToARootOwnedFileInTheSystemFolders()
    {
        var path = HostPrograms.Ip.Path;

        Assert.Contains(Path.GetDirectoryName(path), HostPrograms.Directories);
        Assert.Equal("ip", Path.GetFileName(path));
        Assert.Equal(["/usr/sbin", "/usr/bin", "/sbin", "/bin"], HostPrograms.Directories);
        Assert.Contains(HostPrograms.Ip, HostPrograms.All);
    }

    [Fact]
    public void Resolve_WithASafeProgram_ShouldGiveItsPathInTheFirstFolderThatHasIt()
    {
        var empty = Folder("empty", Mode0755);
        var second = Folder("second", Mode0755);
        var path = Program(second, Mode0755);

        Assert.Equal(path, _program.Resolve([empty, second], requiredOwner: 0));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupWrite)]
    [InlineData(UnixFileMode.OtherWrite)]
    public void Resolve_WithAProgramWritableByGroupOrOthers_ShouldRefuseWithKCHNET0111E(UnixFileMode extra)
    {
        var folder = Folder("bin", Mode0755);
        var path = Program(folder, Mode0755 | extra);

        var error = Assert.Throws<KimchiException>(() => _program.Resolve([folder], requiredOwner: 0));

        Assert.Equal(ErrorCodes.HostProgramUnsafe, error.Code);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("kn-test-package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WithAProgramNotOwnedByRoot_ShouldRefuseWithKCHNET0111E()
    {
        var folder = Folder("bin", Mode0755);
        var path = Program(folder, Mode0755);
        File.SetUnixFileMode(path, Mode0755);
        Chown(path, 65534);

        var error = Assert.Throws<KimchiException>(() => _program.Resolve([folder], requiredOwner: 0));

        Assert.Equal(ErrorCodes.HostProgramUnsafe, error.Code);
        Assert.Contains("uid 65534", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_InAFolderOthersCanWrite_ShouldRefuseWithKCHNET0111E()
    {
        var folder = Folder("bin", Mode0755 | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite);
        Program(folder, Mode0755);

        var error = Assert.Throws<KimchiException>(() => _program.Resolve([folder], requiredOwner: 0));

        Assert.Equal(ErrorCodes.HostProgramUnsafe, error.Code);
        Assert.Contains("folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WithASymbolicLink_ShouldFollowASafeOneAndRefuseOneToAFileAnotherUserOwns()
    {
        var folder = Folder("bin", Mode0755);
        var elsewhere = Folder("home", Mode0755);
        var target = Path.Combine(elsewhere, "real");
        File.WriteAllText(target, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(target, Mode0755);
        var link = Path.Combine(folder, _program.Name);
        File.CreateSymbolicLink(link, target);

        Assert.Equal(link, _program.Resolve([folder], requiredOwner: 0));

        Chown(target, 65534);
        var error = Assert.Throws<KimchiException>(() => _program.Resolve([folder], requiredOwner: 0));
        Assert.Equal(ErrorCodes.HostProgramUnsafe, error.Code);
        Assert.Contains(target, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WithAMissingProgram_ShouldFailWithKCHNET0110ENamingItAndItsDebianPackage()
    {
        var folder = Folder("bin", Mode0755);

        var error = Assert.Throws<KimchiException>(() => _program.Resolve([folder], requiredOwner: 0));

        Assert.Equal(ErrorCodes.HostProgramMissing, error.Code);
        Assert.Contains("'kn-test-prog'", error.Message, StringComparison.Ordinal);
        Assert.Contains("kn-test-package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProductSources_WhereTheyStartAProcess_ShouldStartOnlyAHostProgram()
    {
        // Every process start in src/ names a HostProgram's checked Path, never a bare name or a path of its own.
        var src = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src"));
        var starters = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("ProcessStartInfo", StringComparison.Ordinal) || File.ReadAllText(f).Contains("Process.Start", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(src, f))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["KimchiNet.Core/Hosts/IpRoute2.cs", "KimchiNet.Core/Hosts/Managers/ManagedBridgeSteps.cs", "KimchiNet.Core/Hosts/Managers/NetworkManagerDevices.cs", "KimchiNet.Core/Hosts/OpenVSwitch.cs"], starters);
        foreach (var file in starters)
        {
            var starts = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(src, file)), @"new ProcessStartInfo\(([^)]*)\)");
            Assert.NotEmpty(starts);
            Assert.All(starts, start => Assert.EndsWith(".Path", start.Groups[1].Value, StringComparison.Ordinal));
        }
    }

    private string Folder(string name, UnixFileMode mode)
    {
        var path = Path.Combine(_folder.FullName, name);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private string Program(string folder, UnixFileMode mode)
    {
        var path = Path.Combine(folder, _program.Name);
        File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private static void Chown(string path, int uid)
    {
        var info = new System.Diagnostics.ProcessStartInfo("/bin/chown") { RedirectStandardError = true };
        info.ArgumentList.Add("-h");
        info.ArgumentList.Add(uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(info)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
