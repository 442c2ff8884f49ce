using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace KimchiNet.Libvirt;

/// <summary>
/// The one listing helper: networks, domains and interfaces are listed the same way, each kind described
/// by a <see cref="DocumentKind{THandle}"/> in its own partial file.
/// </summary>
public sealed partial class LibvirtConnection
{
    /// <summary>A virConnectListAll* call with every object wrapped (Interop.Libvirt.ListAllNetworks...); the count, or -1 on failure.</summary>
    private delegate int ListAllCall<THandle>(ConnectHandle conn, uint flags, out THandle[] handles);

    /// <summary>Builds one listed object's record from its handle, name and XML; null when the object vanished meanwhile.</summary>
    private delegate TRecord? RecordReader<in THandle, out TRecord>(THandle handle, string name, string xml)
        where TRecord : class;

    /// <summary>
    /// Every object of one kind with its XML, read in one pass: the full list, then
    /// <paramref name="beforeReading"/> (which takes what the records need from filtered lists, after the
    /// full list, and returns how to build a record), then each object's name and XML. An object whose XML
    /// read (or <paramref name="beforeReading"/>'s reader) fails with the kind's <see cref="DocumentKind{THandle}.Vanished"/>
    /// error was removed by another client since the list was taken and is left out; every other failure is reported.
    /// </summary>
    private IReadOnlyList<TRecord> ListDocuments<THandle, TRecord>(
        ConnectHandle conn,
        DocumentKind<THandle> kind,
        Func<RecordReader<THandle, TRecord>> beforeReading)
        where THandle : SafeHandle
        where TRecord : class
    {
        var handles = ListAll(conn, kind, 0);
        try
        {
            var read = beforeReading();
            var records = new List<TRecord>(handles.Length);
            foreach (var handle in handles)
            {
                var name = kind.GetName(handle) ?? throw Fail(conn, kind.NameFunction, null);
                Trace($"{kind.XmlFunction}('{name}', flags=0)");
                var xml = kind.GetXml(handle, 0);
                if (xml is null)
                {
                    var error = Fail(conn, kind.XmlFunction, name);
                    if (error.Error.Code == kind.Vanished)
                    {
                        continue; // removed by someone else since the list was taken
                    }

                    throw error;
                }

                if (read(handle, name, xml) is { } record)
                {
                    records.Add(record);
                }
            }

            return records;
        }
        finally
        {
            DisposeAll(handles);
        }
    }

    /// <summary>The names of the objects one filtered list returns (names are read from the handles, with no round trip).</summary>
    private HashSet<string> Names<THandle>(ConnectHandle conn, DocumentKind<THandle> kind, uint flags)
        where THandle : SafeHandle
    {
        var handles = ListAll(conn, kind, flags);
        try
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var handle in handles)
            {
                names.Add(kind.GetName(handle) ?? throw Fail(conn, kind.NameFunction, null));
            }

            return names;
        }
        finally
        {
            DisposeAll(handles);
        }
    }

    private THandle[] ListAll<THandle>(ConnectHandle conn, DocumentKind<THandle> kind, uint flags)
        where THandle : SafeHandle
    {
        Trace($"{kind.ListFunction}(flags={flags})");
        if (kind.ListAll(conn, flags, out var handles) < 0)
        {
            throw Fail(conn, kind.ListFunction, null);
        }

        return handles;
    }

    private static void DisposeAll<T>(T[] handles)
        where T : IDisposable
    {
        foreach (var handle in handles)
        {
            handle.Dispose();
        }
    }

    /// <summary>
    /// What listing needs to know of one kind of libvirt object: its list, name and XML calls. Their libvirt
    /// names (for the log and errors) follow from <paramref name="Noun"/>: virConnectListAll{Noun}s,
    /// vir{Noun}GetName, vir{Noun}GetXMLDesc.
    /// </summary>
    /// <param name="Noun">libvirt's name of the kind: Network, Domain, Interface.</param>
    /// <param name="ListAll">virConnectListAll* with every object wrapped.</param>
    /// <param name="GetName">the name call; null on failure.</param>
    /// <param name="GetXml">the XML call with its flags; null on failure.</param>
    /// <param name="Vanished">the libvirt error number of an object removed meanwhile; null when every failure is reported.</param>
    private sealed record DocumentKind<THandle>(
        string Noun,
        ListAllCall<THandle> ListAll,
        Func<THandle, string?> GetName,
        Func<THandle, uint, string?> GetXml,
        int? Vanished)
        where THandle : SafeHandle
    {
        public string ListFunction { get; } = $"virConnectListAll{Noun}s";

        public string NameFunction { get; } = $"vir{Noun}GetName";

        public string XmlFunction { get; } = $"vir{Noun}GetXMLDesc";
    }
}
