using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Libvirt;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// A cmdlet that talks to libvirt hosts: it takes -Uri (from the pipeline too, so objects from one
/// host go back to that host), falls back to the session's default, and shows every libvirt call
/// under -Verbose. Given several URIs it works on the hosts in parallel (-ThrottleLimit at a time,
/// each within -TimeoutSeconds): a host that fails or overruns is one error naming it, and the
/// others finish.
/// </summary>
public abstract class KimchiHostCmdlet : KimchiCmdlet
{
    /// <summary>Gets or sets the libvirt URIs of the hosts; by default the one Connect-KimchiHost set, else libvirt's own default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UriCompleter))]
    public virtual string[]? Uri { get; set; }

    /// <summary>Gets or sets how many hosts are worked on at once when -Uri names several (default 8).</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public virtual int ThrottleLimit { get; set; } = 8;

    /// <summary>Gets or sets how many seconds each host may take when -Uri names several; 0 (the default) waits as long as it takes.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public virtual int TimeoutSeconds { get; set; }

    /// <summary>
    /// The hosts this call works on: -Uri without repeats, else the session's default, else null for
    /// libvirt's default.
    /// </summary>
    protected string?[] EffectiveUris()
    {
        string?[] given = (Uri ?? []).Where(uri => !string.IsNullOrEmpty(uri)).Distinct(StringComparer.Ordinal).ToArray();
        return given.Length > 0 ? given : [SessionDefaults.DefaultUri];
    }

    /// <summary>
    /// The core's network operations on <paramref name="connection"/> (see
    /// <see cref="NetworkOperations.For"/>), with each host command shown under -Verbose.
    /// </summary>
    protected NetworkOperations Operations(LibvirtConnection connection) => NetworkOperations.For(connection, WriteVerbose, RollbackTimeout);

    /// <summary>How long a host bridge made through the NIC's network manager may take to prove the host is still reached before it is rolled back; null for the default (30 s).</summary>
    protected virtual TimeSpan? RollbackTimeout => null;

    /// <summary>
    /// Writes KCHNET0002E (ObjectNotFound) for each name in <paramref name="missing"/>: a name given
    /// without wildcards that no network of the host <paramref name="uri"/> has.
    /// </summary>
    protected void WriteNetworksNotFound(IEnumerable<string> missing, string uri)
    {
        ArgumentNullException.ThrowIfNull(missing);
        foreach (var name in missing)
        {
            WriteError(ToErrorRecord(new KimchiException(
                ErrorCodes.NetworkNotFound, ErrorKind.NotFound, $"Network '{name}' does not exist on {uri}.", name)));
        }
    }

    /// <summary>
    /// A -Verbose text (XML and diffs keep their line breaks) with bidi and control characters escaped.
    /// </summary>
    protected void WriteVerboseShown(string text) => WriteVerbose(DisplayText.Line(text, keepLineBreaks: true));

    /// <summary>
    /// Runs one core operation against each host's connection, with libvirt calls shown under
    /// -Verbose; a core failure becomes a non-terminating error so other hosts and pipeline input go
    /// on. One host runs on the pipeline thread; several run in parallel (see <see cref="HostFanOut"/>),
    /// with progress shown as hosts done out of hosts total.
    /// </summary>
    protected void RunOnHost(Action<LibvirtConnection> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        RunOnHosts(EffectiveUris(), (_, connection) => operation(connection), (_, error) => WriteError(ToErrorRecord(error)));
    }

    /// <summary>
    /// <see cref="RunOnHost(Action{LibvirtConnection})"/> for a step that takes something checked
    /// without any host (a specification, a desired state): <paramref name="check"/> runs once, before
    /// any host is contacted, and its error is written once, with no host worked on (rather than the
    /// same error once per host); what it gives is passed to each host's step. Returns false when the
    /// check failed.
    /// </summary>
    protected bool RunOnHost<T>(Func<T> check, Action<LibvirtConnection, T> operation)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(operation);
        T checkedValue;
        try
        {
            checkedValue = check();
        }
        catch (KimchiException e)
        {
            WriteError(ToErrorRecord(e));
            return false;
        }

        RunOnHost(connection => operation(connection, checkedValue));
        return true;
    }

    /// <summary>
    /// <see cref="RunOnHost(Action{LibvirtConnection})"/> on the hosts <paramref name="uris"/> names, each step given its host's
    /// URI as named there; each host's failure (a core error, a timeout, anything else; named by its
    /// host when there are several) goes to <paramref name="failed"/>, called on the host's thread or
    /// the pipeline thread, instead of being written.
    /// </summary>
    protected void RunOnHosts(IReadOnlyList<string?> uris, Action<string?, LibvirtConnection> operation, Action<string?, KimchiException> failed)
    {
        ArgumentNullException.ThrowIfNull(uris);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(failed);
        if (uris.Count == 1)
        {
            RunOn(uris[0], operation, failed);
            return;
        }

        var fanOut = new HostFanOut();
        var progress = new ProgressRecord(0x4B4E, $"{MyInvocation.MyCommand.Name} on {uris.Count} hosts", $"0 of {uris.Count} hosts done");
        try
        {
            fanOut.Run(
                uris,
                ThrottleLimit,
                TimeoutSeconds > 0 ? TimeSpan.FromSeconds(TimeoutSeconds) : null,
                uri => RunOn(uri, operation, failed, nameHost: true),
                uri => failed(uri, new KimchiException(
                    ErrorCodes.HostTimedOut,
                    ErrorKind.Unavailable,
                    $"Host {DisplayText.Line(Shown(uri))} did not finish within {TimeoutSeconds} s; the other hosts went on. Whatever it was doing may still complete on the host: check it with Get-KimchiNetwork -Uri.",
                    Shown(uri))),
                (uri, error) => failed(uri, new KimchiException(
                    ErrorCodes.HostFailed,
                    ErrorKind.OperationFailed,
                    $"Host {DisplayText.Line(Shown(uri))} failed: {DisplayText.Printable(error.Message)}",
                    Shown(uri),
                    error)),
                done =>
                {
                    progress.StatusDescription = $"{done} of {uris.Count} hosts done";
                    progress.PercentComplete = done * 100 / uris.Count;
                    WriteProgress(progress);
                });
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }

    /// <summary>Runs <paramref name="operation"/> on one host; with <paramref name="nameHost"/> (one of several) a core failure's message starts with the host.</summary>
    private void RunOn(string? uri, Action<string?, LibvirtConnection> operation, Action<string?, KimchiException> failed, bool nameHost = false)
    {
        try
        {
            // LibvirtConnection.Trace escapes each call line itself.
            using var scope = LibvirtConnection.BeginLogScope(WriteVerbose);
            var connection = LibvirtConnections.Get(uri);
            SessionDefaults.Remember(connection.Uri);
            operation(uri, connection);
        }
        catch (KimchiException e)
        {
            failed(uri, nameHost ? new KimchiException(e.Code, e.Kind, $"{DisplayText.Line(Shown(uri))}: {e.Message}", e.Target, e) : e);
        }
    }

    /// <summary>The host's URI as messages and objects show it: any password as ***.</summary>
    protected static string Shown(string? uri) => LibvirtUri.Redact(uri) ?? "(libvirt's default URI)";
}
