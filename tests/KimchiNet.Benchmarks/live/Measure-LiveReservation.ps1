#Requires -Version 7.2
<#
.SYNOPSIS
    Times Add-KimchiDhcpReservation on a RUNNING network that already holds -Reservations DHCP
    reservations against a bare libvirt network update call, in the same run (issue 15's figure:
    adding one live takes under 2x a bare update).

.DESCRIPTION
    Starts a lab host, defines and starts a nat network on a /22 with -Reservations static DHCP hosts
    (defined in its XML, so seeding costs one define), then in this warm session (module imported,
    connection open, each path run once untimed) times -Samples rounds, interleaved, each of:

      kimchi   Add-KimchiDhcpReservation -Uri -Network -MacAddress -IPAddress -HostName
               (the cmdlet as a user runs it: finds the network, reads its live and persistent XML,
               checks every rule against all reservations, virNetworkUpdate live + config)
      bare     one virNetworkUpdate (add-last, section ip-dhcp-host, live + config) through the same
               binding and pooled connection (LibvirtConnection.UpdateNetwork, which also looks the
               network up and asks whether it is active and persistent: the floor of one live add)
      virsh    virsh net-update NET add-last ip-dhcp-host XML --live --config (a new process and
               connection each time; for reference)

    After each timed add the host is deleted again untimed (bare delete), so every add meets the
    same -Reservations hosts. Prints the medians and the ratio kimchi / bare, and writes JSON to
    -OutputPath when given. No threshold: exit code 0 when it ran, 2 when it cannot run.

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/KimchiNet.Benchmarks/live/Measure-LiveReservation.ps1 -Reservations 200 -Samples 30
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 1000)][int] $Reservations = 200,
    [ValidateRange(1, 1000)][int] $Samples = 30,
    [string] $ModulePath,
    [ValidatePattern('^[a-z0-9][a-z0-9_-]{0,30}$')][string] $LabName = 'bench-reserve',
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Repo = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
if (-not $ModulePath) { $ModulePath = Join-Path $Repo 'KimchiNet.psd1' }

function Stop-CannotRun([string] $Message) {
    [Console]::Error.WriteLine("Measure-LiveReservation: cannot run: $Message")
    exit 2
}

function Measure-Call([scriptblock] $Script) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $null = & $Script
    $sw.Stop()
    $sw.Elapsed.TotalSeconds
}

Import-Module (Join-Path $Repo 'tests/lab/KimchiLab.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'LiveBench.psm1') -Force
if (-not $IsLinux) { Stop-CannotRun 'needs Linux (lab hosts)' }
if ((id -u) -ne '0') { Stop-CannotRun 'must run as root (lab hosts use namespaces)' }
if (-not (Test-Path $ModulePath)) { Stop-CannotRun "$ModulePath not found (build first: dotnet pwsh ./build.ps1 Build)" }
try { Import-Module $ModulePath -Force } catch { Stop-CannotRun "cannot import ${ModulePath}: $_" }

# Addresses of the /22 10.79.0.0/22: seeded hosts 10.79.0.10 up, timed adds 10.79.2.K (outside them).
function Get-Address([int] $Index) { '10.79.{0}.{1}' -f [int][math]::Floor($Index / 250), (10 + $Index % 250) }
function Get-Mac([int] $Index, [int] $Block) { '52:54:00:{0:x2}:{1:x2}:{2:x2}' -f $Block, [int][math]::Floor($Index / 256), ($Index % 256) }

$network = 'bench-res'
$lab = $null
$exitCode = 0
try {
    try { $lab = Start-KimchiLab -Name $LabName -Nics 1 }
    catch { Stop-CannotRun "lab host '$LabName' did not start (left over? tests/lab/lab-host down $LabName): $_" }
    $uri = $lab.Uri

    # The network with its reservations, defined in one go.
    $xml = [xml] (ConvertTo-KimchiNetworkXml -Name $network -Connection Nat -Subnet 10.79.0.0/22 -DhcpRange 10.79.3.1-10.79.3.250)
    $dhcp = $xml.SelectSingleNode('/network/ip/dhcp')
    for ($i = 0; $i -lt $Reservations; $i++) {
        $h = $xml.CreateElement('host')
        $h.SetAttribute('mac', (Get-Mac $i 1)); $h.SetAttribute('name', "seed$i"); $h.SetAttribute('ip', (Get-Address $i))
        $null = $dhcp.AppendChild($h)
    }
    $file = Join-Path ([IO.Path]::GetTempPath()) "kimchinet-bench-$PID.xml"
    $xml.Save($file)
    try {
        $r = Invoke-KimchiLabVirsh -Name $LabName -ArgumentList 'net-define', $file
        if ($r.ExitCode -ne 0) { throw "net-define: $($r.Error)" }
    }
    finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    $r = Invoke-KimchiLabVirsh -Name $LabName -ArgumentList 'net-start', $network
    if ($r.ExitCode -ne 0) { throw "net-start: $($r.Error)" }
    $count = @(Get-KimchiDhcpReservation -Uri $uri -Network $network).Count
    Write-Host ("lab up in {0} s; network {1} active with {2} reservations" -f $lab.StartupSeconds, $network, $count)

    $connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($uri)
    $add = [KimchiNet.Libvirt.NetworkUpdateCommand]::Add
    $delete = [KimchiNet.Libvirt.NetworkUpdateCommand]::Delete
    $section = [KimchiNet.Libvirt.NetworkUpdateSection]::IpDhcpHost
    function Get-HostXml([int] $k, [int] $block) { "<host mac='$(Get-Mac $k $block)' name='t$block-$k' ip='10.79.2.$k'/>" }
    function Remove-Host([int] $k, [int] $block) { $null = $connection.UpdateNetwork($network, $delete, $section, 0, (Get-HostXml $k $block)) }

    # warm: each path once, untimed
    $null = Add-KimchiDhcpReservation -Uri $uri -Network $network -MacAddress (Get-Mac 250 2) -IPAddress 10.79.2.250 -HostName t2-250
    Remove-Host 250 2
    $null = $connection.UpdateNetwork($network, $add, $section, 0, (Get-HostXml 249 3)); Remove-Host 249 3

    $kimchi = [System.Collections.Generic.List[double]]::new()
    $bare = [System.Collections.Generic.List[double]]::new()
    $virsh = [System.Collections.Generic.List[double]]::new()
    for ($k = 1; $k -le $Samples; $k++) {
        $kimchi.Add((Measure-Call { Add-KimchiDhcpReservation -Uri $uri -Network $network -MacAddress (Get-Mac $k 2) -IPAddress "10.79.2.$k" -HostName "t2-$k" }))
        Remove-Host $k 2
        $hostXml = Get-HostXml $k 3
        $bare.Add((Measure-Call { $connection.UpdateNetwork($network, $add, $section, 0, $hostXml) }))
        Remove-Host $k 3
        $argv = 'net-update', $network, 'add-last', 'ip-dhcp-host', (Get-HostXml $k 4), '--live', '--config'
        $virsh.Add((Measure-Call { $v = Invoke-KimchiLabVirsh -Name $LabName -ArgumentList $argv; if ($v.ExitCode -ne 0) { throw "virsh net-update: $($v.Error)" } }))
        Remove-Host $k 4
    }
    $after = @(Get-KimchiDhcpReservation -Uri $uri -Network $network).Count
    $row = [ordered]@{
        Reservations      = $count
        ReservationsAtEnd = $after
        Samples           = $Samples
        KimchiMedian      = Get-Median $kimchi.ToArray()
        BareMedian        = Get-Median $bare.ToArray()
        VirshMedian       = Get-Median $virsh.ToArray()
        KimchiSamples     = $kimchi.ToArray()
        BareSamples       = $bare.ToArray()
        VirshSamples      = $virsh.ToArray()
    }
    $row.Ratio = $row.KimchiMedian / $row.BareMedian
    Write-Host ("{0} reservations, {1} samples: Add-KimchiDhcpReservation {2:N2} ms, bare virNetworkUpdate {3:N2} ms, virsh net-update {4:N2} ms; ratio Add / bare = {5:N2}" -f `
            $count, $Samples, ($row.KimchiMedian * 1000), ($row.BareMedian * 1000), ($row.VirshMedian * 1000), $row.Ratio)
    if ($OutputPath) { $row | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $OutputPath }
}
catch {
    [Console]::Error.WriteLine("Measure-LiveReservation: cannot run: $_`n$($_.ScriptStackTrace)")
    $exitCode = 2
}
finally {
    if ($lab) {
        try { [KimchiNet.Libvirt.LibvirtConnections]::Close($lab.Uri) | Out-Null } catch { Write-Warning "closing the connection: $_" }
        try { Stop-KimchiLab -Name $LabName } catch { Write-Warning "stopping lab ${LabName}: $_ (run tests/lab/lab-host down $LabName)" }
    }
}
exit $exitCode
