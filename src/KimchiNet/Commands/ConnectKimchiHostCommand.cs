using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Hosts;
using KimchiNet.Libvirt;
using KimchiNet.Model;

namespace KimchiNet.Commands;

/// <summary>
/// Connect-KimchiHost: opens a libvirt connection and makes it this session's default, so later
/// cmdlets need no -Uri. -Demo connects to the demo host shipped in the module (libvirt's test
/// driver: no daemon, no root, and nothing real changes).
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "KimchiHost", DefaultParameterSetName = UriSet)]
[OutputType(typeof(KimchiHostInfo))]
public sealed class ConnectKimchiHostCommand : KimchiCmdlet
{
    private const string UriSet = "Uri";
    private const string DemoSet = "Demo";

    /// <summary>Gets or sets the libvirt URI; libvirt's default (LIBVIRT_DEFAULT_URI, then its own choice) when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = UriSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UriCompleter))]
    public string? Uri { get; set; }

    /// <summary>Gets or sets whether to connect to the demo host shipped in the module.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DemoSet)]
    public SwitchParameter Demo { get; set; }

    /// <summary>
    /// Gets or sets the user name and password to log in with, through libvirt's auth callback (for
    /// qemu+libssh:// and SASL). It is kept with the open connection only, never in the URI.
    /// </summary>
    [Parameter(ParameterSetName = UriSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>Gets or sets whether to leave the session's default URI as it is.</summary>
    [Parameter]
    public SwitchParameter NoDefault { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(() =>
    {
        var uri = Demo ? DemoHost.Uri : (string.IsNullOrEmpty(Uri) ? null : Uri);
        using var scope = LibvirtConnection.BeginLogScope(WriteVerbose);
        var credential = Credential is null || Credential == PSCredential.Empty ? null : Credential.GetNetworkCredential();
        var connection = LibvirtConnections.GetWithCredential(uri, credential);
        var host = connection.DescribeHost();
        if (!NoDefault)
        {
            SessionDefaults.SetDefault(uri);
        }

        SessionDefaults.Remember(host.Uri);
        WriteObject(host);
    });
}
