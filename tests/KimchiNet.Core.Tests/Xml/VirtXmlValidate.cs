using System;
using System.Diagnostics;
using System.IO;
using Xunit.Sdk;

namespace KimchiNet.Tests.Xml;

/// <summary>
/// Runs libvirt's own <c>virt-xml-validate FILE network</c> (RelaxNG against network.rng). The
/// tool must be installed (package libvirt-clients): a missing tool fails the test, never skips it.
/// </summary>
internal static class VirtXmlValidate
{
    private const string Tool = "virt-xml-validate";

    /// <summary>Fails the test unless libvirt's schema accepts the XML text.</summary>
    public static void AssertValid(string xml, string label)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kimchinet-{Guid.NewGuid():N}.xml");
        File.WriteAllText(file, xml);
        try
        {
            var (exitCode, output) = Run(file);
            if (exitCode != 0)
            {
                throw new XunitException($"libvirt's schema refuses {label} (exit {exitCode}):\n{output}\n--- xml ---\n{xml}");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Fails the test unless libvirt's schema accepts the file.</summary>
    public static void AssertValidFile(string file)
    {
        var (exitCode, output) = Run(file);
        if (exitCode != 0)
        {
            throw new XunitException($"libvirt's schema refuses {Path.GetFileName(file)} (exit {exitCode}):\n{output}");
        }
    }

    private static (int ExitCode, string Output) Run(string file)
    {
        var start = new ProcessStartInfo(ExternalPrograms.Find("virt-xml-validate"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(file);
        start.ArgumentList.Add("network");
        using var process = Process.Start(start) ?? throw new XunitException($"{Tool} did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
