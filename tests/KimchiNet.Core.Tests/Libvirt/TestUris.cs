using System;
using System.IO;

namespace KimchiNet.Tests.Libvirt;

/// <summary>URIs of libvirt's test driver used by the tests.</summary>
internal static class TestUris
{
    /// <summary>The process-wide default fake host: one network 'default', one interface 'eth1'.</summary>
    public const string Default = "test:///default";

    /// <summary>A host file under Fixtures/hosts as a test-driver URI.</summary>
    public static string Host(string file) => "test://" + Path.Combine(AppContext.BaseDirectory, "Fixtures", "hosts", file);

    /// <summary>A network name no other test uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];
}
