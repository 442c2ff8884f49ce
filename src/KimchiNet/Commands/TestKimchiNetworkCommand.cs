using System;
using System.Management.Automation;
using KimchiNet.Completers;
using KimchiNet.Model;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// Test-KimchiNetwork: whether a network is in a desired state, the check of the KimchiNetwork DSC
/// resource. Only the properties given are compared ("don't care" for the rest). Writes $true or
/// $false, or with -Detailed one <see cref="DesiredStateDifference"/> per difference. Changes nothing.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KimchiNetwork")]
[OutputType(typeof(bool), typeof(DesiredStateDifference))]
public sealed class TestKimchiNetworkCommand : NetworkSpecCmdlet
{
    /// <summary>Gets or sets the name of the network to test.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    public override string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets whether the network should exist (Present, the default) or not (Absent).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Ensure Ensure { get; set; } = Ensure.Present;

    /// <summary>Gets or sets the connection type the network should have.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    [ArgumentCompleter(typeof(ConnectionTypeCompleter))]
    public override string? Connection { get; set; }

    /// <summary>Gets or sets whether the network should run (Active) or not (Inactive).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    public NetworkState? State { get; set; }

    /// <summary>Gets or sets whether the network should start with the host.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNullTransformation]
    public bool? Autostart { get; set; }

    /// <summary>Gets or sets whether to write each difference instead of $true or $false.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        // With several hosts and no -Detailed, one answer for them all: $true only when every host
        // was reached and is as desired (-Detailed says which host differs, each difference carries its Uri).
        var hosts = EffectiveUris().Length;
        var asDesired = 0;
        var checkedOnce = RunOnHost(Desired, (connection, desired) =>
        {
            var differences = Operations(connection).Test(desired);
            foreach (var difference in differences)
            {
                WriteVerboseShown($"Network '{Name}' on {connection.Uri}: {difference.Property} is {Show(difference.Actual)}, should be {Show(difference.Desired)}.");
            }

            if (Detailed)
            {
                WriteObject(differences, enumerateCollection: true);
            }
            else if (hosts == 1)
            {
                WriteObject(differences.Count == 0);
            }
            else if (differences.Count == 0)
            {
                System.Threading.Interlocked.Increment(ref asDesired);
            }
        });

        if (checkedOnce && !Detailed && hosts > 1)
        {
            WriteObject(asDesired == hosts);
        }
    }

    /// <summary>The desired state the parameters give, checked by the rules no host's network can change.</summary>
    private DesiredState Desired() =>
        DesiredState.From(Name, Ensure, Connection, Interfaces, Subnet, VlanId, State, Autostart, Mtu, DhcpRange, DhcpLeaseTime, Dhcp, Ipv6Subnet, Ipv6Dhcp, Ipv6Nat)
            .WithDns(DnsHost, DnsForwarder, Domain, DomainLocalOnly, Dns)
            .WithDhcpReservations(DhcpReservation)
            .WithPortGroups(PortGroup)
            .ThrowIfInvalidOnAnyHost();

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        string[] items => items.Length == 0 ? "(none)" : string.Join(", ", items),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
