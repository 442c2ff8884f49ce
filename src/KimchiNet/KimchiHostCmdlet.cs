using System;
using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Libvirt;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// A cmdlet that talks to a libvirt host: it takes -Uri (from the pipeline too, so objects from one
/// host go back to that host), falls back to the session's default, and shows every libvirt call
/// under -Verbose.
/// </summary>
public abstract class KimchiHostCmdlet : KimchiCmdlet
{
    /// <summary>Gets or sets the libvirt URI of the host; by default the one Connect-KimchiHost set, else libvirt's own default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UriCompleter))]
    public virtual string? Uri { get; set; }

    /// <summary>The URI this call uses: -Uri, else the session's default, else null for libvirt's default.</summary>
    protected string? EffectiveUri => string.IsNullOrEmpty(Uri) ? SessionDefaults.DefaultUri : Uri;

    /// <summary>
    /// The core's network operations on <paramref name="connection"/> (see
    /// <see cref="NetworkOperations.For"/>), with each host command shown under -Verbose.
    /// </summary>
    protected NetworkOperations Operations(LibvirtConnection connection) => NetworkOperations.For(connection, WriteVerbose);

    /// <summary>
    /// A -Verbose text (XML and diffs keep their line breaks) with bidi and control characters escaped.
    /// </summary>
    protected void WriteVerboseShown(string text) => WriteVerbose(DisplayText.Line(text, keepLineBreaks: true));

    /// <summary>
    /// Runs one core operation against the host's connection, with libvirt calls shown under
    /// -Verbose; a core failure becomes a non-terminating error so pipeline input goes on.
    /// </summary>
    protected void RunOnHost(Action<LibvirtConnection> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Run(() =>
        {
            // LibvirtConnection.Trace escapes each call line itself.
            using var scope = LibvirtConnection.BeginLogScope(WriteVerbose);
            var connection = LibvirtConnections.Get(EffectiveUri);
            SessionDefaults.Remember(connection.Uri);
            operation(connection);
        });
    }
}
