#Requires -Version 7.2
<#
.SYNOPSIS
    End-to-end proof of the KimchiNet lab: two isolated lab hosts, a VEPA network with a
    running guest (macvtap in mode vepa on the lab's eth1/eth2), a NAT network (bridge
    192.168.100.1 + dnsmasq in the lab's netns), independence of the second lab, and a
    teardown that leaves nothing behind.
.DESCRIPTION
    Run as root from the repository:  dotnet pwsh -NoProfile -File tests/lab/smoke.ps1
    Exit code 0 = everything proven; non-zero = a check failed (the message says which).
    The labs are always torn down (finally); if this script is killed hard, run
    tests/lab/lab-host down-all.
#>
[CmdletBinding()]
param(
    [string[]]$Lab = @('lab1', 'lab2'),
    [switch]$SkipPwshInLab
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module (Join-Path $PSScriptRoot 'KimchiLab.psm1') -Force
$repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
$labHost = Join-Path $PSScriptRoot 'lab-host'

$total = [System.Diagnostics.Stopwatch]::StartNew()
$phases = [System.Collections.Generic.List[object]]::new()
$proven = [System.Collections.Generic.List[string]]::new()
$tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("kimchinet-smoke-" + [guid]::NewGuid().ToString('n'))
$null = New-Item -ItemType Directory -Path $tmp

function Step([string]$Name, [scriptblock]$Body) {
    Write-Host "== $Name" -ForegroundColor Cyan
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    try { & $Body }
    finally {
        $sw.Stop()
        $phases.Add([pscustomobject]@{ Phase = $Name; Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 3) })
    }
}

function Prove([string]$What) { $proven.Add($What); Write-Host "   PROVEN: $What" -ForegroundColor Green }

function Assert-True([bool]$Condition, [string]$Message) { if (-not $Condition) { throw "CHECK FAILED: $Message" } }

function Invoke-Checked([string]$FilePath, [string[]]$ArgumentList) {
    # host-side tool, argument list only; throws on non-zero exit
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    $err = $p.StandardError.ReadToEndAsync()
    $out = $p.StandardOutput.ReadToEnd()
    $p.WaitForExit()
    if ($p.ExitCode -ne 0) { throw "$FilePath $($ArgumentList -join ' ') failed ($($p.ExitCode)): $($err.Result)" }
    $out
}

function Virsh([string]$Name, [string[]]$ArgumentList) {
    $r = Invoke-KimchiLabVirsh -Name $Name -ArgumentList $ArgumentList
    if ($r.ExitCode -ne 0) { throw "virsh $($ArgumentList -join ' ') on $Name failed ($($r.ExitCode)): $($r.Error.Trim())" }
    $r
}

function InLab([string]$Name, [string]$FilePath, [string[]]$ArgumentList) {
    $r = Invoke-InKimchiLab -Name $Name -FilePath $FilePath -ArgumentList $ArgumentList
    if ($r.ExitCode -ne 0) { throw "[$Name] $FilePath $($ArgumentList -join ' ') failed ($($r.ExitCode)): $($r.Error.Trim())" }
    $r.Output
}

function Write-XmlFile([string]$Path, [scriptblock]$Body) {
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true; $settings.OmitXmlDeclaration = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $w = [System.Xml.XmlWriter]::Create($Path, $settings)
    try { & $Body $w } finally { $w.Dispose() }
}

function Get-LabPids([string]$Name) {
    $out = (Invoke-KimchiLabProcess -FilePath 'ip' -ArgumentList @('netns', 'pids', "kn-$Name")).Output
    @($out -split "`n" | Where-Object { $_ -match '^\d+$' } | ForEach-Object { [int]$_ })
}

function Get-ProcessComm([int]$ProcessId) {
    try { (Get-Content -LiteralPath "/proc/$ProcessId/comm" -ErrorAction Stop).Trim() } catch { $null }
}

function Test-LiveProcess([int]$ProcessId) {
    # alive and not a zombie waiting to be reaped by the machine's init
    try { $stat = Get-Content -LiteralPath "/proc/$ProcessId/stat" -Raw -ErrorAction Stop } catch { return $false }
    $state = ($stat -replace '^.*\)\s+', '').Substring(0, 1)
    $state -ne 'Z'
}

function Get-MachineLinks {
    # link names of the machine's own network namespace (read-only)
    @((Invoke-Checked 'ip' @('-o', 'link', 'show')) -split "`n" |
        Where-Object { $_ -match '^\d+:\s+([^:\s]+):' } | ForEach-Object { $Matches[1] } | Sort-Object)
}

function Get-KnNamespaces {
    $r = Invoke-KimchiLabProcess -FilePath 'ip' -ArgumentList @('netns', 'list')
    @($r.Output -split "`n" | ForEach-Object { ($_ -split '\s+')[0] } | Where-Object { $_ -like 'kn-*' })
}

$seenPids = [System.Collections.Generic.Dictionary[int, string]]::new()
function Remember-LabPids([string]$Name) {
    foreach ($p in (Get-LabPids $Name)) { $c = Get-ProcessComm $p; if ($c) { $seenPids[$p] = "$Name/$c" } }
}

$exitCode = 0
$labsStarted = $false
$sockBefore = $false; $foreignNs = @(); $hostLinksBefore = @(); $hostNatBefore = ''; $preflightDone = $false
$completed = $false   # stays false when Ctrl-C stops the script (that skips catch, not finally)
try {
    Step 'preflight' {
        Assert-True ((id -u) -eq '0') 'must run as root'
        Assert-True (Test-Path -LiteralPath $labHost) "missing $labHost"
        $script:sockBefore = Test-Path -LiteralPath '/run/libvirt/libvirt-sock'
        $script:foreignNs = @(Get-KnNamespaces)
        if ($script:foreignNs.Count) { Write-Warning "kn-* namespaces exist before the smoke run (not ours, left alone): $($script:foreignNs -join ', ')" }
        foreach ($n in $Lab) { Assert-True ($script:foreignNs -notcontains "kn-$n") "lab $n is already up; run '$labHost down $n' first" }
        $script:hostLinksBefore = Get-MachineLinks
        $script:hostNatBefore = if (Get-Command iptables -ErrorAction Ignore) { Invoke-Checked 'iptables' @('-w', '-t', 'nat', '-S') } else { '' }
        Write-Host "   machine: $($script:hostLinksBefore.Count) links, /run/libvirt/libvirt-sock exists: $script:sockBefore"
        $script:preflightDone = $true
    }

    Step "start $($Lab -join ', ') in parallel" {
        $script:hosts = @(Start-KimchiLab -Name $Lab)
        $script:labsStarted = $true
        foreach ($h in $script:hosts) {
            Write-Host ("   {0,-6} {1,-8} {2}  ({3:N3} s)" -f $h.Name, $h.Namespace, $h.Uri, $h.StartupSeconds)
            Remember-LabPids $h.Name
        }
        Prove "$($Lab.Count) lab hosts started in parallel, each with its own libvirtd answering on its own socket"
    }
    $lab1 = $Lab[0]; $lab2 = $Lab[1]

    Step "$lab1 vepa network + guest" {
        $netXml = Join-Path $tmp 'vepa.xml'
        Write-XmlFile $netXml {
            param($w)
            $w.WriteStartElement('network'); $w.WriteElementString('name', 'kn-vepa')
            $w.WriteStartElement('forward'); $w.WriteAttributeString('mode', 'vepa')
            foreach ($dev in 'eth1', 'eth2') { $w.WriteStartElement('interface'); $w.WriteAttributeString('dev', $dev); $w.WriteEndElement() }
            $w.WriteEndElement(); $w.WriteEndElement()
        }
        $null = Virsh $lab1 @('net-define', $netXml)
        $null = Virsh $lab1 @('net-start', 'kn-vepa')
        $guestXml = Join-Path $tmp 'guest.xml'
        $null = New-KimchiLabGuestXml -Name 'kn-guest1' -Network 'kn-vepa' -Path $guestXml
        $d = Virsh $lab1 @('define', $guestXml)
        $s = Virsh $lab1 @('start', 'kn-guest1')
        $script:guestDefine = $d.Seconds; $script:guestStart = $s.Seconds
        Write-Host ("   guest define {0:N3} s, start {1:N3} s" -f $d.Seconds, $s.Seconds)
        $state = (Virsh $lab1 @('domstate', 'kn-guest1')).Output.Trim()
        Assert-True ($state -eq 'running') "guest state is '$state', expected running"
        $links = InLab $lab1 'ip' @('-d', '-o', 'link', 'show')
        $mv = $links -split "`n" | Where-Object { $_ -match '^\d+:\s+(macvtap\d+)@(eth[12]):.*macvtap mode (\w+)' } |
            ForEach-Object { [pscustomobject]@{ Dev = $Matches[1]; Parent = $Matches[2]; Mode = $Matches[3] } }
        Assert-True ($null -ne $mv) "no macvtap on eth1/eth2 in kn-$lab1 :`n$links"
        $mv = @($mv)[0]
        Assert-True ($mv.Mode -eq 'vepa') "macvtap $($mv.Dev) has mode $($mv.Mode), expected vepa"
        Write-Host "   vepa: guest NIC $($mv.Dev) mode $($mv.Mode) on $($mv.Parent)"
        $hostHas = (Invoke-KimchiLabProcess -FilePath 'ip' -ArgumentList @('link', 'show', 'dev', $mv.Dev)).ExitCode -eq 0
        Assert-True (-not $hostHas -or $script:hostLinksBefore -contains $mv.Dev) "$($mv.Dev) appeared in the machine's own namespace"
        Prove "vepa: guest NIC $($mv.Dev) mode vepa on $($mv.Parent) (qemu running in kn-$lab1)"
        Remember-LabPids $lab1
    }

    Step "$lab1 nat network 192.168.100.0/24" {
        $netXml = Join-Path $tmp 'nat.xml'
        Write-XmlFile $netXml {
            param($w)
            $w.WriteStartElement('network'); $w.WriteElementString('name', 'kn-nat')
            $w.WriteStartElement('forward'); $w.WriteAttributeString('mode', 'nat'); $w.WriteEndElement()
            $w.WriteStartElement('ip'); $w.WriteAttributeString('address', '192.168.100.1'); $w.WriteAttributeString('netmask', '255.255.255.0')
            $w.WriteStartElement('dhcp'); $w.WriteStartElement('range')
            $w.WriteAttributeString('start', '192.168.100.10'); $w.WriteAttributeString('end', '192.168.100.200')
            $w.WriteEndElement(); $w.WriteEndElement(); $w.WriteEndElement(); $w.WriteEndElement()
        }
        $null = Virsh $lab1 @('net-define', $netXml)
        $st = Virsh $lab1 @('net-start', 'kn-nat')
        Write-Host ("   net-start {0:N3} s" -f $st.Seconds)
        [xml]$live = (Virsh $lab1 @('net-dumpxml', 'kn-nat')).Output
        $bridge = $live.network.bridge.name
        Assert-True (-not [string]::IsNullOrEmpty($bridge)) 'nat network has no bridge name'
        $addr = InLab $lab1 'ip' @('-4', '-o', 'addr', 'show', 'dev', $bridge)
        Assert-True ($addr -match '\binet 192\.168\.100\.1/24\b') "bridge $bridge lacks 192.168.100.1/24: $addr"
        $dns = @(Get-LabPids $lab1 | Where-Object { (Get-ProcessComm $_) -eq 'dnsmasq' })
        Assert-True ($dns.Count -gt 0) "no dnsmasq in kn-$lab1"
        $hostHas = (Invoke-KimchiLabProcess -FilePath 'ip' -ArgumentList @('link', 'show', 'dev', $bridge)).ExitCode -eq 0
        Assert-True (-not $hostHas -or $script:hostLinksBefore -contains $bridge) "$bridge appeared in the machine's own namespace"
        $natInLab = InLab $lab1 'iptables' @('-w', '-t', 'nat', '-S')
        Assert-True ($natInLab -match '192\.168\.100\.0/24') 'no NAT rule for 192.168.100.0/24 inside the lab'
        Prove "nat: bridge $bridge has 192.168.100.1/24, dnsmasq pid(s) $($dns -join ',') and the MASQUERADE rules live in kn-$lab1"
        Remember-LabPids $lab1
    }

    if (-not $SkipPwshInLab) {
        Step "dotnet pwsh inside kn-$lab1" {
            $cmd = '[System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces().Name | Sort-Object | Join-String -Separator " "'
            $r = Invoke-InKimchiLab -Name $lab1 -FilePath 'dotnet' -ArgumentList @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $cmd) -WorkingDirectory $repoRoot
            Assert-True ($r.ExitCode -eq 0) "dotnet pwsh in lab failed ($($r.ExitCode)): $($r.Error)"
            $names = $r.Output.Trim() -split ' '
            Assert-True (($names -contains 'eth1') -and ($names -contains 'sw4')) "pwsh in kn-$lab1 does not see the lab NICs: $($r.Output)"
            Write-Host "   pwsh in lab sees: $($r.Output.Trim())"
            Prove "dotnet pwsh run with Invoke-InKimchiLab sees the lab's interfaces ($([math]::Round($r.Seconds, 2)) s)"
        }
    }

    Step "$lab2 is alive and independent" {
        $nets = (Virsh $lab2 @('net-list', '--all', '--name')).Output.Trim()
        $doms = (Virsh $lab2 @('list', '--all', '--name')).Output.Trim()
        Assert-True ($nets -eq '') "$lab2 sees networks: $nets"
        Assert-True ($doms -eq '') "$lab2 sees domains: $doms"
        $nets1 = (Virsh $lab1 @('net-list', '--all', '--name')).Output.Trim() -split "`n" | Sort-Object
        Assert-True (($nets1 -join ',') -eq 'kn-nat,kn-vepa') "$lab1 networks are '$($nets1 -join ',')'"
        Prove "$lab2 answers with no networks and no domains while $lab1 has $($nets1 -join ', ') (no stock 'default' network on either)"
    }
    $completed = $true
}
catch {
    $exitCode = 1
    Write-Host "FAILED: $_" -ForegroundColor Red
    Write-Host $_.ScriptStackTrace
}
finally {
    if (-not $completed -and $exitCode -eq 0) {
        $exitCode = 130
        Write-Host 'INTERRUPTED: tearing the labs down' -ForegroundColor Red
    }
    try {
        Step 'teardown' {
            if ($labsStarted) { Stop-KimchiLab -Name $Lab }
            else { foreach ($n in $Lab) { $null = Invoke-KimchiLabProcess -FilePath $labHost -ArgumentList @('down', $n) } }
        }
        Step 'leftover checks' {
            $ns = @(Get-KnNamespaces | Where-Object { $foreignNs -notcontains $_ })
            Assert-True ($ns.Count -eq 0) "namespaces left: $($ns -join ', ')"
            $alive = @($seenPids.Keys | Where-Object { Test-LiveProcess $_ } | Where-Object { (Get-ProcessComm $_) -eq ($seenPids[$_] -split '/')[1] })
            Assert-True ($alive.Count -eq 0) "lab processes still alive: $(($alive | ForEach-Object { "$_ $($seenPids[$_])" }) -join ', ')"
            foreach ($n in $Lab) { Assert-True (-not (Test-Path -LiteralPath "/run/kimchinet-lab/$n")) "state dir /run/kimchinet-lab/$n left" }
            $sockAfter = Test-Path -LiteralPath '/run/libvirt/libvirt-sock'
            Assert-True ($sockAfter -eq $sockBefore) "/run/libvirt/libvirt-sock changed (before: $sockBefore, after: $sockAfter)"
            Assert-True (-not (Test-Path -LiteralPath '/run/libvirt')) '/run/libvirt exists on the machine'
            if (-not $preflightDone) { throw 'interrupted before the machine snapshot was taken; links/NAT not compared' }
            $linksAfter = Get-MachineLinks
            Assert-True (($linksAfter -join ',') -eq ($hostLinksBefore -join ',')) "machine links changed: before $($hostLinksBefore -join ','), after $($linksAfter -join ',')"
            if (Get-Command iptables -ErrorAction Ignore) {
                $natAfter = Invoke-Checked 'iptables' @('-w', '-t', 'nat', '-S')
                Assert-True ($natAfter -eq $hostNatBefore) "machine NAT table changed:`n$natAfter"
            }
            Prove "nothing left: no kn-* netns of ours, $($seenPids.Count) lab pids gone ($((@($seenPids.Values | ForEach-Object { ($_ -split '/')[1] } | Sort-Object -Unique)) -join ', ')), no state dirs, machine links and NAT table unchanged, no /run/libvirt"
        }
    }
    catch {
        $exitCode = 1
        Write-Host "FAILED: $_" -ForegroundColor Red
    }
    Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction Ignore
    $total.Stop()
    Write-Host ''
    Write-Host '== phases'
    $phases | Format-Table -AutoSize | Out-String | Write-Host
    if ($proven.Count) { Write-Host '== proven'; $proven | ForEach-Object { Write-Host " - $_" } }
    Write-Host ("== total {0:N2} s, result: {1}" -f $total.Elapsed.TotalSeconds, $(if ($exitCode -eq 0) { 'PASS' } else { 'FAIL' }))
    # exit from inside finally: after Ctrl-C, code after the finally block never runs
    exit $exitCode
}
