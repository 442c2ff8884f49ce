using System;
using System.IO;
using System.Threading;

namespace KimchiNet.Hosts;

/// <summary>
/// The demo host: a fake host (NICs, a bond, a bridge, a VLAN, networks of every type and a few VMs)
/// for libvirt's test driver, embedded in the assembly. Opening its URI needs no daemon, and every
/// connection to it starts from the file's state, which lives only in the calling process.
/// </summary>
public static class DemoHost
{
    /// <summary>The name of the embedded resource holding the host file.</summary>
    public const string ResourceName = "KimchiNet.Hosts.demo-host.xml";

    private static readonly Lazy<string> s_path = new(WriteFile, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The host file's text.</summary>
    public static string ReadXml()
    {
        using var stream = typeof(DemoHost).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The host file's path, written once per process into a private temporary folder.</summary>
    public static string FilePath => s_path.Value;

    /// <summary>The test-driver URI of the demo host, e.g. test:///tmp/kimchinet-abc123/demo-host.xml.</summary>
    public static string Uri => "test://" + FilePath;

    private static string WriteFile()
    {
        // A fresh folder of our own (mode 0700 on Unix), so no other user can swap the file under libvirt.
        var folder = Directory.CreateTempSubdirectory("kimchinet-");
        // libvirt reads the file again on every new connection, so it lives as long as the process;
        // then it goes (on a normal exit and on SIGTERM; a killed process leaves it behind).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteFolder(folder.FullName);
        var path = Path.Combine(folder.FullName, "demo-host.xml");
        File.WriteAllText(path, ReadXml());
        return path;
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing to report to at exit; the folder is private (0700) and holds only the demo file.
        }
    }
}
