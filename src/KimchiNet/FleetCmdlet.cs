using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using KimchiNet.Libvirt;
using KimchiNet.Operations;

namespace KimchiNet.Commands;

/// <summary>
/// What Invoke- and Test-KimchiConfiguration share: -Path to a fleet configuration (.psd1 read with
/// PowerShell's data-file rules, or .json), -Uri to work on some of its hosts only, the hosts worked
/// on in parallel (-ThrottleLimit, -TimeoutSeconds), and the end of a run for runbooks and CI: with
/// -Summary one <see cref="FleetSummary"/>, then every host's error, then one error saying the run
/// did not succeed. Errors are written only once every host has finished, so -ErrorAction Stop
/// (a non-zero exit of pwsh) never cuts other hosts short.
/// </summary>
public abstract class FleetCmdlet : KimchiHostCmdlet
{
    private readonly ConcurrentQueue<(string Uri, KimchiException Error)> _failures = new();
    private readonly ConcurrentDictionary<string, int> _differing = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the path of the fleet configuration, a .psd1 or .json file.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = string.Empty;

    /// <summary>Gets or sets whether to write a <see cref="FleetSummary"/> after the other output.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary>The per-host work of the cmdlet: one host's connection and its networks.</summary>
    protected abstract void OnHost(FleetHost host, string shownUri, LibvirtConnection connection);

    /// <summary>The summary's Succeeded for this cmdlet, given the hosts that failed and those that differ.</summary>
    protected abstract bool Succeeded(int failed, int differing);

    /// <summary>The error written at the end when the run did not succeed.</summary>
    protected abstract KimchiException Unsuccessful(string path, int hosts, IReadOnlyList<string> failed, IReadOnlyList<string> differing);

    /// <summary>Records that a network on <paramref name="uri"/> differs from the configuration.</summary>
    protected void Differs(string uri) => _differing.AddOrUpdate(uri, 1, (_, count) => count + 1);

    /// <summary>Records a failure on <paramref name="uri"/>; it is written when every host has finished.</summary>
    protected void Failed(string uri, KimchiException error) => _failures.Enqueue((uri, error));

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        _failures.Clear();
        _differing.Clear();
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        FleetConfiguration configuration;
        try
        {
            configuration = Read(path);
        }
        catch (KimchiException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
            return;
        }

        var hosts = configuration.Hosts();
        if (Uri is { Length: > 0 } only)
        {
            foreach (var unknown in only.Where(uri => hosts.All(h => !string.Equals(h.Uri, uri, StringComparison.Ordinal))))
            {
                WriteError(ToErrorRecord(new KimchiException(
                    ErrorCodes.FleetHostNotConfigured,
                    ErrorKind.NotFound,
                    $"Host {DisplayText.Line(Shown(unknown))} is not in {DisplayText.Line(path)}; -Uri picks hosts of the configuration, written exactly as there.",
                    Shown(unknown))));
            }

            hosts = hosts.Where(h => only.Contains(h.Uri, StringComparer.Ordinal)).ToArray();
        }

        if (hosts.Count == 0)
        {
            return;
        }

        var byUri = hosts.ToDictionary(h => h.Uri, StringComparer.Ordinal);
        RunOnHosts(
            hosts.Select(h => (string?)h.Uri).ToArray(),
            (uri, connection) => OnHost(byUri[uri!], Shown(uri), connection),
            (uri, error) => Failed(uri!, error));

        var failed = _failures.Select(f => Shown(f.Uri)).Distinct(StringComparer.Ordinal).ToArray();
        var differing = hosts.Where(h => _differing.ContainsKey(h.Uri)).Select(h => Shown(h.Uri)).ToArray();
        var succeeded = Succeeded(failed.Length, differing.Length);
        if (Summary)
        {
            WriteObject(new FleetSummary
            {
                Path = path,
                Hosts = hosts.Count,
                FailedHosts = failed,
                DifferingHosts = differing,
                Differences = _differing.Values.Sum(),
                Succeeded = succeeded,
            });
        }

        foreach (var (_, error) in _failures)
        {
            WriteError(ToErrorRecord(error));
        }

        if (!succeeded)
        {
            WriteError(ToErrorRecord(Unsuccessful(path, hosts.Count, failed, differing)));
        }
    }

    /// <summary>Reads the configuration by its extension: .psd1 as a PowerShell data file, .json as JSON.</summary>
    private static FleetConfiguration Read(string path)
    {
        var extension = System.IO.Path.GetExtension(path);
        if (string.Equals(extension, ".json", StringComparison.OrdinalIgnoreCase))
        {
            return FleetConfigurationReader.ReadJsonFile(path);
        }

        if (string.Equals(extension, ".psd1", StringComparison.OrdinalIgnoreCase))
        {
            return FleetConfigurationReader.FromData(ReadDataFile(path), path);
        }

        throw FleetConfigurationReader.CannotRead(path, "its name must end in .psd1 (a PowerShell data file) or .json");
    }

    /// <summary>
    /// A PowerShell data file's hashtable, read as Import-PowerShellDataFile reads it: parsed, never
    /// run, and only constants, tables, lists, $true, $false and $null allowed (SafeGetValue). The file
    /// must be that one hashtable and nothing else.
    /// </summary>
    private static IDictionary ReadDataFile(string path)
    {
        if (!File.Exists(path))
        {
            throw FleetConfigurationReader.CannotRead(path, "there is no such file");
        }

        var ast = Parser.ParseFile(path, out _, out var errors);
        if (errors.Length > 0)
        {
            throw FleetConfigurationReader.CannotRead(path, $"it is not valid PowerShell (line {errors[0].Extent.StartLineNumber}: {errors[0].Message})");
        }

        IReadOnlyList<StatementAst> statements = ast.EndBlock is null ? [] : ast.EndBlock.Statements;
        if (ast.ParamBlock is not null || ast.BeginBlock is not null || ast.ProcessBlock is not null || statements.Count != 1
            || statements[0] is not PipelineAst pipeline || pipeline.GetPureExpression() is not HashtableAst table)
        {
            throw FleetConfigurationReader.CannotRead(path, "a PowerShell data file holds one hashtable, @{ Groups = @(...) }, and nothing else");
        }

        try
        {
            return (IDictionary)table.SafeGetValue();
        }
        catch (InvalidOperationException e)
        {
            throw FleetConfigurationReader.CannotRead(path, $"it holds something other than constant values, which a data file may not ({e.Message})");
        }
        }
}
