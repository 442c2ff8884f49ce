using System;
using System.Globalization;
using System.Threading;
using KimchiNet.Model;

namespace KimchiNet.Libvirt;

/// <summary>
/// One libvirt connection for one URI, shared by every caller that asks <see cref="LibvirtConnections"/>
/// for that URI. libvirt connections take concurrent calls from many threads; this class only guards
/// opening, closing and reopening with a lock. A connection found dead (virConnectIsAlive is false, or a
/// call fails with a connection error, e.g. after libvirtd restarted) is reopened on the next call.
/// Read-only operations retry once on a fresh connection; state-changing ones report the failure.
/// Every libvirt call can be logged through <see cref="CallLogged"/> or <see cref="BeginLogScope"/>.
/// </summary>
/// <remarks>
/// One partial file per concern: this one holds the lifecycle (open, reopen, dispose), the host's facts and
/// the mapping of libvirt's errors; LibvirtConnection.Logging.cs the call log; LibvirtConnection.Listing.cs
/// the one listing helper; LibvirtConnection.Networks.cs, .Domains.cs and .Interfaces.cs the calls per
/// document kind. URI rules are in <see cref="LibvirtUri"/>.
/// </remarks>
public sealed partial class LibvirtConnection : IDisposable
{
    private readonly object _gate = new();
    private readonly string? _requestedUri;
    private ConnectHandle? _handle;
    private string? _uri;
    private string? _driverType;
    private Version? _libraryVersion;
    private bool _disposed;
    private int _opens;

    internal LibvirtConnection(string? requestedUri)
    {
        _requestedUri = requestedUri;
        Interop.Libvirt.EnsureInitialized();
    }

    /// <summary>
    /// The URI asked for, with any password shown as *** (<see cref="LibvirtUri.Redact"/>); null means libvirt's
    /// default (LIBVIRT_DEFAULT_URI, then libvirt's own choice). The URI as given is kept privately and
    /// goes only to virConnectOpen.
    /// </summary>
    public string? RequestedUri => LibvirtUri.Redact(_requestedUri);

    /// <summary>
    /// The URI libvirt reports for the open connection (virConnectGetURI), with any password shown as
    /// *** (<see cref="LibvirtUri.Redact"/>): this is the URI objects carry, so it is never a secret.
    /// <see cref="LibvirtConnections.Get"/> takes it back and finds this connection. Opens the connection if needed.
    /// </summary>
    public string Uri
    {
        get
        {
            Acquire();
            lock (_gate)
            {
                return LibvirtUri.Redact(_uri ?? _requestedUri) ?? string.Empty;
            }
        }
    }

    /// <summary>True when the connection's URI names this host (see <see cref="LibvirtUri.IsLocal"/>).</summary>
    public bool IsLocal => LibvirtUri.IsLocal(Uri);

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
    /// The version of libvirt behind the connection (virConnectGetLibVersion: for a connection through
    /// a daemon, the daemon's libvirt), asked once; opens the connection if needed.
    /// </summary>
    public Version LibraryVersion
    {
        get
        {
            var known = Volatile.Read(ref _libraryVersion);
            if (known is not null)
            {
                return known;
            }

            var version = Read(conn =>
            {
                Trace("virConnectGetLibVersion()");
                return Interop.Libvirt.virConnectGetLibVersion(conn, out var number) == 0
                    ? new Version((int)(number / 1_000_000), (int)(number / 1_000 % 1_000), (int)(number % 1_000))
                    : throw Fail(conn, "virConnectGetLibVersion", null);
            });
            Volatile.Write(ref _libraryVersion, version);
            return version;
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

    /// <summary>Opens the native connection now if it is not open (or reopens a dead one).</summary>
    public void EnsureOpen() => Acquire();

    /// <summary>The host name of the hypervisor's host (virConnectGetHostname).</summary>
    public string GetHostname() => Read(conn =>
    {
        Trace("virConnectGetHostname()");
        return Interop.Libvirt.ConnectGetHostname(conn) ?? throw Fail(conn, "virConnectGetHostname", null);
    });

    /// <summary>Describes the host this connection reaches (Connect-KimchiHost's output); opens the connection if needed.</summary>
    public KimchiHostInfo DescribeHost() => new()
    {
        Uri = Uri,
        Hostname = GetHostname(),
        IsLocal = IsLocal,
        IsTestDriver = IsTestDriver,
    };

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

    private T Read<T>(Func<ConnectHandle, T> operation) => ClosedAsError(() => ReadOnce(operation));

    private T Write<T>(Func<ConnectHandle, T> operation) => ClosedAsError(() => WriteOnce(operation));

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

            Trace($"virConnectOpen({LibvirtUri.Redact(_requestedUri) ?? "NULL"})");
            LibvirtUri.RefuseMissingTestDriverFile(_requestedUri);
            var opened = OpenNative();
            if (opened.IsInvalid)
            {
                var error = LibvirtError.CaptureLast("virConnectOpen");
                opened.Dispose();
                throw OpenFailed(error);
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
    /// Captures the failing call's error (same thread, before any other libvirt call), then checks
    /// whether the connection died, and maps both to a <see cref="LibvirtException"/>.
    /// </summary>
    private LibvirtException Fail(ConnectHandle conn, string function, object? target)
    {
        var error = LibvirtError.CaptureLast(function);
        var dead = Interop.Libvirt.virConnectIsAlive(conn) != 1;
        Interop.Libvirt.virResetLastError();
        var exception = LibvirtException.Map(error, dead, target);
        Trace($"{function} failed: {error.Message} (error {error.Code.ToString(CultureInfo.InvariantCulture)})");
        return exception;
    }

    /// <summary>
    /// virConnectOpen's failure: a connection failure unless libvirt said something more specific, with
    /// the password of the URI asked for hidden wherever libvirt's message repeats it.
    /// </summary>
    private LibvirtException OpenFailed(LibvirtError error)
    {
        var (code, kind) = LibvirtException.Classify(error, connectionDead: true);
        if (code == ErrorCodes.LibvirtError)
        {
            (code, kind) = (ErrorCodes.ConnectionFailed, ErrorKind.Unavailable);
        }

        var password = LibvirtUri.Password(_requestedUri);
        if (password is not null)
        {
            error = error with
            {
                Message = error.Message.Replace(password, LibvirtUri.RedactedPassword, StringComparison.Ordinal),
                Detail = error.Detail?.Replace(password, LibvirtUri.RedactedPassword, StringComparison.Ordinal),
            };
        }

        return new LibvirtException(code, kind, error, LibvirtUri.Redact(_requestedUri));
    }

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
        $"The connection to {DisplayText.Printable(LibvirtUri.Redact(_uri ?? _requestedUri) ?? "libvirt's default URI")} was closed (Disconnect-KimchiHost) while it was in use; run the command again to reconnect.",
        LibvirtUri.Redact(_uri ?? _requestedUri),
        inner);
}
