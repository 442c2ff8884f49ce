using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace KimchiNet.Libvirt;

/// <summary>
/// One libvirt connection for one URI, shared by every caller that asks <see cref="LibvirtConnections"/>
/// for that URI. libvirt connections take concurrent calls from many threads; this class only guards
/// opening, closing and reopening with a lock. A connection found dead (virConnectIsAlive is false, or a
/// call fails with a connection error, e.g. after libvirtd restarted) is reopened on the next call.
/// Read-only operations retry once on a fresh connection; state-changing ones report the failure.
/// Every libvirt call can be logged through <see cref="CallLogged"/> or <see cref="BeginLogScope"/>.
/// </summary>
public sealed partial class LibvirtConnection : IDisposable
{
    private static readonly AsyncLocal<Action<string>?> s_scopeSink = new();

    private readonly object _gate = new();
    private readonly string? _requestedUri;
    private ConnectHandle? _handle;
    private string? _uri;
    private string? _driverType;
    private bool _disposed;
    private int _opens;

    internal LibvirtConnection(string? requestedUri)
    {
        _requestedUri = requestedUri;
        Interop.Libvirt.EnsureInitialized();
    }

    /// <summary>Raised before every libvirt call on this connection with a one-line description (all callers, all threads).</summary>
    public event Action<string>? CallLogged;

    /// <summary>
    /// The URI asked for, with any password shown as *** (<see cref="RedactUri"/>); null means libvirt's
    /// default (LIBVIRT_DEFAULT_URI, then libvirt's own choice). The URI as given is kept privately and
    /// goes only to virConnectOpen.
    /// </summary>
    public string? RequestedUri => RedactUri(_requestedUri);

    /// <summary>
    /// The URI libvirt reports for the open connection (virConnectGetURI), with any password shown as
    /// *** (<see cref="RedactUri"/>): this is the URI objects carry, so it is never a secret.
    /// <see cref="LibvirtConnections.Get"/> takes it back and finds this connection. Opens the connection if needed.
    /// </summary>
    public string Uri
    {
        get
        {
            Acquire();
            lock (_gate)
            {
                return RedactUri(_uri ?? _requestedUri) ?? string.Empty;
            }
        }
    }

    /// <summary>True when the connection's URI names this host (see <see cref="IsLocalUri"/>).</summary>
    public bool IsLocal => IsLocalUri(Uri);

    /// <summary>
    /// The hypervisor driver behind the connection as libvirt names it ("TEST", "QEMU"...), asked of
    /// libvirt once (virConnectGetType; through a daemon, the daemon's driver); opens the connection if needed.
    /// </summary>
    public string DriverType
    {
        get
        {
            var known = Volatile.Read(ref _driverType);
            if (known is not null)
            {
                return known;
            }

            var type = Read(conn =>
            {
                Trace("virConnectGetType()");
                return Interop.Libvirt.ConnectGetType(conn) ?? throw Fail(conn, "virConnectGetType", null);
            });
            Volatile.Write(ref _driverType, type);
            return type;
        }
    }

    /// <summary>
    /// True when the connection reaches libvirt's test driver, whatever the URI looks like
    /// (test:///default, test:///FILE, or test+unix:///default through a daemon): the one place that
    /// decides it, from <see cref="DriverType"/> (TEST, compared ignoring case). Nothing on this machine belongs to such a host.
    /// </summary>
    public bool IsTestDriver => string.Equals(DriverType, "Test", StringComparison.OrdinalIgnoreCase);

    /// <summary>How many times a native connection was opened (1 unless it was found dead and reopened).</summary>
    public int OpenCount => Volatile.Read(ref _opens);

    /// <summary>The current native handle, or null; for tests that break the connection on purpose.</summary>
    internal ConnectHandle? Handle
    {
        get
        {
            lock (_gate)
            {
                return _handle;
            }
        }
    }

    /// <summary>Whether the native connection is open and libvirt says it is alive. Never opens one.</summary>
    public bool IsAlive
    {
        get
        {
            lock (_gate)
            {
                return _handle is { IsClosed: false } handle && Interop.Libvirt.virConnectIsAlive(handle) == 1;
            }
        }
    }

    /// <summary>
    /// Sends the descriptions of the libvirt calls made by the current thread or async flow to
    /// <paramref name="sink"/> until the returned scope is disposed; other callers sharing the
    /// connection are not logged there (so one runspace's -Verbose does not show another's calls).
    /// </summary>
    public static IDisposable BeginLogScope(Action<string> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var previous = s_scopeSink.Value;
        s_scopeSink.Value = sink;
        return new LogScope(previous);
    }

    /// <summary>
    /// True when <paramref name="uri"/> reaches libvirt on this host: the test driver, or a URI whose
    /// transport is none or unix and which names no host (qemu:///system, qemu+unix:///system?socket=…).
    /// ssh, tcp, tls and libssh transports, or any host part (even localhost), count as remote.
    /// </summary>
    public static bool IsLocalUri(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return true;
        }

        var schemeEnd = uri.IndexOf(':', StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return false;
        }

        var scheme = uri[..schemeEnd].ToLowerInvariant();
        var plus = scheme.IndexOf('+', StringComparison.Ordinal);
        var driver = plus < 0 ? scheme : scheme[..plus];
        var transport = plus < 0 ? null : scheme[(plus + 1)..];
        if (driver == "test")
        {
            return true;
        }

        if (transport is not (null or "unix"))
        {
            return false;
        }

        var rest = uri[(schemeEnd + 1)..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return true;
        }

        var authorityEnd = rest.IndexOfAny(new[] { '/', '?' }, 2);
        var authority = authorityEnd < 0 ? rest[2..] : rest[2..authorityEnd];
        return authority.Length == 0;
    }

    /// <summary>Opens the native connection now if it is not open (or reopens a dead one).</summary>
    public void EnsureOpen() => Acquire();

    /// <summary>The host name of the hypervisor's host (virConnectGetHostname).</summary>
    public string GetHostname() => Read(conn =>
    {
        Trace("virConnectGetHostname()");
        return Interop.Libvirt.ConnectGetHostname(conn) ?? throw Fail(conn, "virConnectGetHostname", null);
    });

    /// <summary>
    /// Every network (active and inactive) with its XML and state. The state comes from three more
    /// filtered lists (active, persistent, autostart) rather than three calls per network, and the
    /// bridge name is left to the XML: one round trip per network instead of five.
    /// </summary>
    public IReadOnlyList<NetworkRecord> ListNetworks() => Read(conn =>
    {
        var networks = ListAllNetworks(conn, 0);
        try
        {
            var active = NetworkNames(conn, Interop.Libvirt.VIR_CONNECT_LIST_NETWORKS_ACTIVE);
            var persistent = NetworkNames(conn, Interop.Libvirt.VIR_CONNECT_LIST_NETWORKS_PERSISTENT);
            var autostart = NetworkNames(conn, Interop.Libvirt.VIR_CONNECT_LIST_NETWORKS_AUTOSTART);
            var records = new List<NetworkRecord>(networks.Length);
            foreach (var network in networks)
            {
                var name = Interop.Libvirt.NetworkGetName(network) ?? throw Fail(conn, "virNetworkGetName", null);
                Trace($"virNetworkGetXMLDesc('{name}', flags=0)");
                var xml = Interop.Libvirt.NetworkGetXmlDesc(network, 0);
                if (xml is null)
                {
                    var error = Fail(conn, "virNetworkGetXMLDesc", name);
                    if (error.Error.Code == LibvirtErrorNumbers.NoNetwork)
                    {
                        continue; // undefined by someone else since the list was taken
                    }

                    throw error;
                }

                records.Add(new NetworkRecord(name, xml, active.Contains(name), persistent.Contains(name), autostart.Contains(name)));
            }

            return (IReadOnlyList<NetworkRecord>)records;
        }
        finally
        {
            DisposeAll(networks);
        }
    });

    private NetworkHandle[] ListAllNetworks(ConnectHandle conn, uint flags)
    {
        Trace($"virConnectListAllNetworks(flags={flags})");
        if (Interop.Libvirt.ListAllNetworks(conn, flags, out var networks) < 0)
        {
            throw Fail(conn, "virConnectListAllNetworks", null);
        }

        return networks;
    }

    /// <summary>The names of the networks one filtered list returns (names are read from the handles, with no round trip).</summary>
    private HashSet<string> NetworkNames(ConnectHandle conn, uint flags)
    {
        var networks = ListAllNetworks(conn, flags);
        try
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var network in networks)
            {
                names.Add(Interop.Libvirt.NetworkGetName(network) ?? throw Fail(conn, "virNetworkGetName", null));
            }

            return names;
        }
        finally
        {
            DisposeAll(networks);
        }
    }

    /// <summary>The named network, or null when there is none.</summary>
    public NetworkRecord? GetNetwork(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Read(conn =>
        {
            using var network = TryLookupNetwork(conn, name);
            return network is null ? null : TryReadNetwork(conn, network, name);
        });
    }

    /// <summary>The named network's XML; with <paramref name="inactive"/> its persistent definition (VIR_NETWORK_XML_INACTIVE).</summary>
    /// <exception cref="LibvirtException">KCHNET0002E when there is no such network.</exception>
    public string GetNetworkXml(string name, bool inactive = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Read(conn =>
        {
            using var network = LookupNetwork(conn, name);
            var flags = inactive ? Interop.Libvirt.VIR_NETWORK_XML_INACTIVE : 0u;
            Trace($"virNetworkGetXMLDesc('{name}', flags={flags})");
            var xml = Interop.Libvirt.NetworkGetXmlDesc(network, flags);
            if (xml is not null)
            {
                return xml;
            }

            var error = Fail(conn, "virNetworkGetXMLDesc", name);
            if (!inactive || error.Error.Code != LibvirtErrorNumbers.InvalidArgument)
            {
                throw error;
            }

            // Drivers without separate live and persistent definitions (the test driver) refuse the
            // INACTIVE flag as unsupported; their only definition is the answer.
            Trace($"virNetworkGetXMLDesc('{name}', flags=0)");
            return Interop.Libvirt.NetworkGetXmlDesc(network, 0) ?? throw Fail(conn, "virNetworkGetXMLDesc", name);
        });
    }

    /// <summary>Every domain (running or not) with its XML; which are running comes from one more, filtered, list.</summary>
    public IReadOnlyList<DomainRecord> ListDomains() => Read(conn =>
    {
        var domains = ListAllDomains(conn, 0);
        try
        {
            var running = DomainNames(conn, Interop.Libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE);
            var records = new List<DomainRecord>(domains.Length);
            foreach (var domain in domains)
            {
                var name = Interop.Libvirt.DomainGetName(domain) ?? throw Fail(conn, "virDomainGetName", null);
                Trace($"virDomainGetXMLDesc('{name}', flags=0)");
                var xml = Interop.Libvirt.DomainGetXmlDesc(domain, 0);
                if (xml is null)
                {
                    var error = Fail(conn, "virDomainGetXMLDesc", name);
                    if (error.Error.Code == LibvirtErrorNumbers.NoDomain)
                    {
                        continue; // undefined by someone else since the list was taken
                    }

                    throw error;
                }

                records.Add(new DomainRecord(name, xml, running.Contains(name)));
            }

            return (IReadOnlyList<DomainRecord>)records;
        }
        finally
        {
            DisposeAll(domains);
        }
    });

    private DomainHandle[] ListAllDomains(ConnectHandle conn, uint flags)
    {
        Trace($"virConnectListAllDomains(flags={flags})");
        if (Interop.Libvirt.ListAllDomains(conn, flags, out var domains) < 0)
        {
            throw Fail(conn, "virConnectListAllDomains", null);
        }

        return domains;
    }

    private HashSet<string> DomainNames(ConnectHandle conn, uint flags)
    {
        var domains = ListAllDomains(conn, flags);
        try
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var domain in domains)
            {
                names.Add(Interop.Libvirt.DomainGetName(domain) ?? throw Fail(conn, "virDomainGetName", null));
            }

            return names;
        }
        finally
        {
            DisposeAll(domains);
        }
    }

    /// <summary>Every host interface libvirt's interface driver lists (active and inactive), with its XML.</summary>
    public IReadOnlyList<InterfaceRecord> ListInterfaces() => Read(conn =>
    {
        Trace("virConnectListAllInterfaces(flags=0)");
        if (Interop.Libvirt.ListAllInterfaces(conn, 0, out var interfaces) < 0)
        {
            throw Fail(conn, "virConnectListAllInterfaces", null);
        }

        try
        {
            var records = new List<InterfaceRecord>(interfaces.Length);
            foreach (var iface in interfaces)
            {
                var name = Interop.Libvirt.InterfaceGetName(iface) ?? throw Fail(conn, "virInterfaceGetName", null);
                Trace($"virInterfaceGetXMLDesc('{name}', flags=0)");
                var xml = Interop.Libvirt.InterfaceGetXmlDesc(iface, 0) ?? throw Fail(conn, "virInterfaceGetXMLDesc", name);
                var active = Interop.Libvirt.virInterfaceIsActive(iface);
                if (active < 0)
                {
                    throw Fail(conn, "virInterfaceIsActive", name);
                }

                records.Add(new InterfaceRecord(name, xml, active == 1));
            }

            return (IReadOnlyList<InterfaceRecord>)records;
        }
        finally
        {
            DisposeAll(interfaces);
        }
    });

    /// <summary>Defines (or redefines) a persistent network from XML and returns it as libvirt now has it.</summary>
    /// <exception cref="LibvirtException">KCHNET0001E when the name is taken; KCHNET0106E for XML libvirt refuses.</exception>
    public NetworkRecord DefineNetwork(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return Write(conn =>
        {
            Trace($"virNetworkDefineXML({xml})", keepLineBreaks: true);
            using var network = Interop.Libvirt.virNetworkDefineXML(conn, xml);
            if (network.IsInvalid)
            {
                throw Fail(conn, "virNetworkDefineXML", null);
            }

            return TryReadNetwork(conn, network, null) ?? throw Fail(conn, "virNetworkGetXMLDesc", null);
        });
    }

    /// <summary>Removes a network's persistent definition (a running network keeps running, as transient).</summary>
    public void UndefineNetwork(string name) => Act(name, "virNetworkUndefine", Interop.Libvirt.virNetworkUndefine);

    /// <summary>Starts a defined network.</summary>
    public void StartNetwork(string name) => Act(name, "virNetworkCreate", Interop.Libvirt.virNetworkCreate);

    /// <summary>Stops a running network.</summary>
    public void StopNetwork(string name) => Act(name, "virNetworkDestroy", Interop.Libvirt.virNetworkDestroy);

    /// <summary>Sets whether a network starts with the host.</summary>
    public void SetAutostart(string name, bool autostart) =>
        Act(name, $"virNetworkSetAutostart", network => Interop.Libvirt.virNetworkSetAutostart(network, autostart ? 1 : 0), autostart ? "1" : "0");

    /// <summary>Closes the native connection; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _handle?.Dispose();
            _handle = null;
        }
    }

    private void Act(string name, string function, Func<NetworkHandle, int> call, string? argument = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        Write(conn =>
        {
            using var network = LookupNetwork(conn, name);
            Trace(argument is null ? $"{function}('{name}')" : $"{function}('{name}', {argument})");
            if (call(network) < 0)
            {
                throw Fail(conn, function, name);
            }

            return true;
        });
    }

    private NetworkHandle LookupNetwork(ConnectHandle conn, string name) =>
        TryLookupNetwork(conn, name) ?? throw new LibvirtException(
            ErrorCodes.NetworkNotFound,
            ErrorKind.NotFound,
            new LibvirtError("virNetworkLookupByName", LibvirtErrorNumbers.NoNetwork, 0, $"Network '{DisplayText.Printable(name)}' does not exist.", name, 0),
            name);

    private NetworkHandle? TryLookupNetwork(ConnectHandle conn, string name)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            // libvirt takes C strings: "inat\0evil" would reach it as "inat" and name another network.
            // No libvirt network can have a NUL in its name, so there is none by this name.
            return null;
        }

        Trace($"virNetworkLookupByName('{name}')");
        var network = Interop.Libvirt.virNetworkLookupByName(conn, name);
        if (!network.IsInvalid)
        {
            return network;
        }

        var error = Fail(conn, "virNetworkLookupByName", name);
        network.Dispose();
        if (error.Error.Code == LibvirtErrorNumbers.NoNetwork)
        {
            return null;
        }

        throw error;
    }

    /// <summary>Reads one network's facts; null when it vanished meanwhile (undefined by another client).</summary>
    private NetworkRecord? TryReadNetwork(ConnectHandle conn, NetworkHandle network, string? knownName)
    {
        var name = Interop.Libvirt.NetworkGetName(network) ?? knownName ?? throw Fail(conn, "virNetworkGetName", null);
        Trace($"virNetworkGetXMLDesc('{name}', flags=0)");
        var xml = Interop.Libvirt.NetworkGetXmlDesc(network, 0);
        if (xml is null)
        {
            return VanishedOrThrow(Fail(conn, "virNetworkGetXMLDesc", name));
        }

        var active = Interop.Libvirt.virNetworkIsActive(network);
        if (active < 0)
        {
            return VanishedOrThrow(Fail(conn, "virNetworkIsActive", name));
        }

        var persistent = Interop.Libvirt.virNetworkIsPersistent(network);
        if (persistent < 0)
        {
            return VanishedOrThrow(Fail(conn, "virNetworkIsPersistent", name));
        }

        if (Interop.Libvirt.virNetworkGetAutostart(network, out var autostart) < 0)
        {
            return VanishedOrThrow(Fail(conn, "virNetworkGetAutostart", name));
        }

        // The bridge name, where there is one, is in the XML: libvirt writes the one it chose there.
        return new NetworkRecord(name, xml, active == 1, persistent == 1, autostart == 1);
    }

    private static NetworkRecord? VanishedOrThrow(LibvirtException error) =>
        error.Error.Code == LibvirtErrorNumbers.NoNetwork ? null : throw error;

    /// <summary>
    /// Captures the failing call's error (same thread, before any other libvirt call), then checks
    /// whether the connection died, and maps both to a <see cref="LibvirtException"/>.
    /// </summary>
    private LibvirtException Fail(ConnectHandle conn, string function, object? target)
    {
        var error = Interop.Libvirt.CaptureLastError(function);
        var dead = Interop.Libvirt.virConnectIsAlive(conn) != 1;
        Interop.Libvirt.virResetLastError();
        var exception = LibvirtException.Map(error, dead, target);
        Trace($"{function} failed: {error.Message} (error {error.Code.ToString(CultureInfo.InvariantCulture)})");
        return exception;
    }

    private T Read<T>(Func<ConnectHandle, T> operation) => ClosedAsError(() => ReadOnce(operation));

    private T Write<T>(Func<ConnectHandle, T> operation) => ClosedAsError(() => WriteOnce(operation));

    /// <summary>
    /// Disconnect-KimchiHost (from any runspace) may close this connection while another pipeline is
    /// using it; what that pipeline then gets is KCHNET0103E, never a raw <see cref="ObjectDisposedException"/>.
    /// </summary>
    private T ClosedAsError<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (ObjectDisposedException e) when (IsDisposed)
        {
            throw Closed(e);
        }
    }

    private KimchiException Closed(Exception? inner) => new(
        ErrorCodes.ConnectionFailed,
        ErrorKind.Unavailable,
        $"The connection to {DisplayText.Printable(RedactUri(_uri ?? _requestedUri) ?? "libvirt's default URI")} was closed (Disconnect-KimchiHost) while it was in use; run the command again to reconnect.",
        RedactUri(_uri ?? _requestedUri),
        inner);

    private T ReadOnce<T>(Func<ConnectHandle, T> operation)
    {
        var conn = Acquire();
        try
        {
            return operation(conn);
        }
        catch (LibvirtException e) when (e.IsConnectionFailure)
        {
            Trace("connection lost; reopening and retrying once");
            Forget(conn);
        }
        catch (ObjectDisposedException) when (!IsDisposed)
        {
            // Another thread replaced a dead handle between Acquire and the call: nothing was done.
        }

        return operation(Acquire());
    }

    private T WriteOnce<T>(Func<ConnectHandle, T> operation)
    {
        var conn = Acquire();
        try
        {
            return operation(conn);
        }
        catch (LibvirtException e) when (e.IsConnectionFailure)
        {
            Forget(conn); // reported to the caller; the next call reopens
            throw;
        }
        catch (ObjectDisposedException) when (!IsDisposed)
        {
            // The call never reached libvirt (the handle was replaced meanwhile), so it is safe to send once more.
            return operation(Acquire());
        }
    }

    private bool IsDisposed
    {
        get
        {
            lock (_gate)
            {
                return _disposed;
            }
        }
    }

    private ConnectHandle Acquire()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                throw Closed(null);
            }

            if (_handle is { IsClosed: false } current && Interop.Libvirt.virConnectIsAlive(current) == 1)
            {
                return current;
            }

            if (_handle is not null)
            {
                Trace("virConnectIsAlive() = 0; reopening");
                _handle.Dispose();
                _handle = null;
            }

            Trace($"virConnectOpen({RedactUri(_requestedUri) ?? "NULL"})");
            RefuseMissingTestDriverFile(_requestedUri);
            var opened = OpenNative();
            if (opened.IsInvalid)
            {
                var error = Interop.Libvirt.CaptureLastError("virConnectOpen");
                opened.Dispose();
                var (code, kind) = LibvirtException.Classify(error, connectionDead: true);
                if (code == ErrorCodes.LibvirtError)
                {
                    (code, kind) = (ErrorCodes.ConnectionFailed, ErrorKind.Unavailable);
                }

                var password = UriPassword(_requestedUri);
                if (password is not null)
                {
                    error = error with
                    {
                        Message = error.Message.Replace(password, "***", StringComparison.Ordinal),
                        Detail = error.Detail?.Replace(password, "***", StringComparison.Ordinal),
                    };
                }

                throw new LibvirtException(code, kind, error, RedactUri(_requestedUri));
            }

            _handle = opened;
            _uri = Interop.Libvirt.ConnectGetUri(opened);
            if (_uri is null)
            {
                Interop.Libvirt.virResetLastError();
            }

            Interlocked.Increment(ref _opens);
            return opened;
        }
    }

    /// <summary>What a redacted password reads as.</summary>
    public const string RedactedPassword = "***";

    /// <summary>
    /// The URI with any password in its user part (scheme://user:password@host/...) shown as ***. Every
    /// URI KimchiNet stores or shows (objects' Uri, session defaults, completion, -Verbose, What-if,
    /// messages) passes through here; only virConnectOpen gets the URI as given.
    /// </summary>
    public static string? RedactUri(string? uri)
    {
        var (start, end) = PasswordSpan(uri);
        return start < 0 ? uri : string.Concat(uri.AsSpan(0, start), RedactedPassword, uri.AsSpan(end));
    }

    /// <summary>The password written into <paramref name="uri"/>, or null when it has none.</summary>
    internal static string? UriPassword(string? uri)
    {
        var (start, end) = PasswordSpan(uri);
        return start < 0 ? null : uri![start..end];
    }

    /// <summary>
    /// Where the password lies: after "scheme://", a user name (no ':', '@', '/', '?' or '#'), a ':', then
    /// everything up to the LAST '@' in the URI. The host follows that '@', so a password holding '/',
    /// '?', ':' or '@' (typed unencoded) is still found whole. A URI whose part after "://" starts with
    /// '/' names no host and has no user part (qemu:///system?socket=/run/a:b@c). When the query holds an
    /// '@' of its own the rule hides too much (host:22/system?keyfile=/a@b shows as host:***@b), never too little.
    /// </summary>
    private static (int Start, int End) PasswordSpan(string? uri)
    {
        var scheme = uri?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (scheme < 0)
        {
            return (-1, -1);
        }

        var userStart = scheme + 3;
        var userEnd = uri!.IndexOfAny([':', '@', '/', '?', '#'], userStart);
        if (userEnd < 0 || uri[userEnd] != ':')
        {
            return (-1, -1);
        }

        var at = uri.LastIndexOf('@');
        return at > userEnd + 1 ? (userEnd + 1, at) : (-1, -1);
    }

    /// <summary>
    /// libvirt's test driver (test:///PATH, run inside this process) loads PATH with libxml2, which
    /// prints an "I/O warning" on stderr for a missing file. Such a URI is refused before libvirt sees
    /// it: the file must exist and be a regular file. (What libvirt says about a file that is not a
    /// host file never quotes its content: see <see cref="Interop.Libvirt.CaptureLastError"/>.)
    /// </summary>
    private static void RefuseMissingTestDriverFile(string? uri)
    {
        var path = TestDriverFile(uri);
        if (path is null || path == "/default")
        {
            return;
        }

        if (!System.IO.File.Exists(path) || System.IO.Directory.Exists(path))
        {
            throw new KimchiException(
                ErrorCodes.TestHostFileNotFound,
                ErrorKind.NotFound,
                $"The test driver's host file '{DisplayText.Printable(path)}' does not exist or is not a file.",
                RedactUri(uri));
        }
    }

    /// <summary>The path of an in-process test-driver URI (test://[user@]/PATH[?query]), else null.</summary>
    private static string? TestDriverFile(string? uri)
    {
        const string scheme = "test://";
        if (uri is null || !uri.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = uri[scheme.Length..];
        var query = rest.IndexOfAny(['?', '#']);
        var pathStart = rest.IndexOf('/', StringComparison.Ordinal);
        var at = rest.LastIndexOf('@');
        if (at >= 0 && (query < 0 || at < query))
        {
            pathStart = rest.IndexOf('/', at);
        }

        if (pathStart < 0 || (query >= 0 && pathStart > query))
        {
            return null;
        }

        var path = query < 0 ? rest[pathStart..] : rest[pathStart..query];
        return System.Uri.UnescapeDataString(path);
    }

    private void Forget(ConnectHandle conn)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_handle, conn))
            {
                _handle.Dispose();
                _handle = null;
            }
        }
    }

    /// <summary>
    /// Logs one libvirt call. Names in it come from users or from libvirt (other tools' networks), so
    /// bidi and control characters are escaped as in error messages; only the XML sent keeps its line breaks.
    /// </summary>
    private void Trace(string call, bool keepLineBreaks = false)
    {
        var line = DisplayText.Line("libvirt " + call, keepLineBreaks);
        CallLogged?.Invoke(line);
        s_scopeSink.Value?.Invoke(line);
    }

    private static void DisposeAll<T>(T[] handles)
        where T : IDisposable
    {
        foreach (var handle in handles)
        {
            handle.Dispose();
        }
    }

    private sealed class LogScope(Action<string>? previous) : IDisposable
    {
        public void Dispose() => s_scopeSink.Value = previous;
    }
}
