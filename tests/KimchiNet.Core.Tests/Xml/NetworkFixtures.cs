using System;
using System.IO;

namespace KimchiNet.Tests.Xml;

/// <summary>
/// The network documents in Fixtures/network: written-NAME.xml, what the writer gives for the
/// <see cref="NetworkCases"/> entry NAME (each expectation stored once, there, and schema-checked by
/// <see cref="NetworkXmlGoldenTests"/>), and foreign-*.xml, documents libvirt can return.
/// </summary>
internal static class NetworkFixtures
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "network");

    public static string PathOf(string file) => Path.Combine(Folder, file);

    public static string Read(string file) => File.ReadAllText(PathOf(file));
}
