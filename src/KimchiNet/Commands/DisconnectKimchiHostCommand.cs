using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Libvirt;

namespace KimchiNet.Commands;

/// <summary>
/// Disconnect-KimchiHost: closes the connection to a host (the session's default when no -Uri is
/// given) and clears the session's default if it pointed there. Closing a demo host's connection
/// forgets the changes made to it.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "KimchiHost")]
[OutputType(typeof(void))]
public sealed class DisconnectKimchiHostCommand : KimchiCmdlet
{
    /// <summary>Gets or sets the libvirt URI to disconnect from; the session's default when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string? Uri { get; set; }

    /// <summary>Gets or sets whether to close every connection this process holds.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (All)
        {
            LibvirtConnections.CloseAll();
            SessionDefaults.ClearDefault(null);
            return;
        }

        var uri = string.IsNullOrEmpty(Uri) ? SessionDefaults.DefaultUri : Uri;
        var closed = LibvirtConnections.Close(uri);
        var shown = uri is null ? "libvirt's default URI" : DisplayText.Line(LibvirtUri.Redact(uri));
        WriteVerbose(closed ? $"Closed the connection to {shown}." : $"No connection to {shown} was open.");
        SessionDefaults.ClearDefault(uri);
    }
}
