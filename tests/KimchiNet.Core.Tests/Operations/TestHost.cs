using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;
using KimchiNet.Operations;

namespace KimchiNet.Tests.Operations;

/// <summary>
/// A private copy of the demo host (optionally edited) on its own test-driver URI, so a test sees
/// only its own changes; disposing closes the pooled connection and deletes the file.
/// </summary>
internal sealed class TestHost : IDisposable
{
    private readonly DirectoryInfo _folder;

    public TestHost(Func<string, string>? edit = null)
    {
        _folder = Directory.CreateTempSubdirectory("kimchinet-ops-");
        var path = Path.Combine(_folder.FullName, "host.xml");
        var xml = DemoHost.ReadXml();
        File.WriteAllText(path, edit is null ? xml : edit(xml));
        Uri = "test://" + path;
        Connection = LibvirtConnections.Get(Uri);
        Ops = new NetworkOperations(Connection);
    }

    public string Uri { get; }

    public LibvirtConnection Connection { get; }

    public NetworkOperations Ops { get; }

    /// <summary>Operations that use <paramref name="bridges"/> even on the test driver.</summary>
    public NetworkOperations WithBridges(IHostBridges bridges) => new(Connection, bridges, hostBridgesOnTestDriver: true);

    /// <summary>Every network's name, persistent XML, state and autostart: what a refused operation must leave alone.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() => Connection.ListNetworks()
        .OrderBy(n => n.Name, StringComparer.Ordinal)
        .ToDictionary(
            n => n.Name,
            n => $"{Connection.GetNetworkXml(n.Name, inactive: true)}|active={n.IsActive}|persistent={n.IsPersistent}|autostart={n.Autostart}",
            StringComparer.Ordinal);

    /// <summary>Runs <paramref name="action"/>, expects a <see cref="KimchiException"/> and asserts that no network changed.</summary>
    public KimchiException Refused(Action action)
    {
        var before = Snapshot();
        var error = Assert.ThrowsAny<KimchiException>(action);
        Assert.Equal(before, Snapshot());
        return error;
    }

    /// <summary>Removes the demo element <c>&lt;network&gt;</c> whose name is <paramref name="name"/> from host XML.</summary>
    public static string WithoutNetwork(string xml, string name)
    {
        var marker = $"<name>{name}</name>";
        var at = xml.IndexOf(marker, StringComparison.Ordinal);
        var start = xml.LastIndexOf("<network>", at, StringComparison.Ordinal);
        var end = xml.IndexOf("</network>", at, StringComparison.Ordinal) + "</network>".Length;
        return xml[..start] + xml[end..];
    }

    public void Dispose()
    {
        LibvirtConnections.Close(Uri);
        _folder.Delete(recursive: true);
    }
}
