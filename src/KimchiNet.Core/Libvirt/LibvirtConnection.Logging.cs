using System;
using System.Threading;

namespace KimchiNet.Libvirt;

/// <summary>The call log: every libvirt call is described once, to the connection's event and the caller's scope.</summary>
public sealed partial class LibvirtConnection
{
    private static readonly AsyncLocal<Action<string>?> s_scopeSink = new();

    /// <summary>Raised before every libvirt call on this connection with a one-line description (all callers, all threads).</summary>
    public event Action<string>? CallLogged;

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
    /// Logs one libvirt call. Names in it come from users or from libvirt (other tools' networks), so
    /// bidi and control characters are escaped as in error messages; only the XML sent keeps its line breaks.
    /// </summary>
    private void Trace(string call, bool keepLineBreaks = false)
    {
        var line = DisplayText.Line("libvirt " + call, keepLineBreaks);
        CallLogged?.Invoke(line);
        s_scopeSink.Value?.Invoke(line);
    }

    private sealed class LogScope(Action<string>? previous) : IDisposable
    {
        public void Dispose() => s_scopeSink.Value = previous;
    }
}
