<#
    Helpers of the lab proofs of issue 14 (a bridge network made through the NIC's network manager),
    shared by Lab.Networkd.Tests.ps1 (networkd and netplan), Lab.Ifupdown.Tests.ps1 and
    Lab.NetworkManager.Tests.ps1 (NetworkManager and netplan). Dot-source it in a BeforeAll, then start
    the lab with Start-ManagerLab: it sets $lab (the lab's name), $uri, $labNs (its network namespace)
    and $gwNs (the switch side's own namespace) in the caller's scope, which the other functions read
    when they run.

    The switch side: eth1's peer sw1 plays the gateway 192.0.2.1 (New-LabGateway), eth2's peer sw2
    the DHCP server (Start-LabDhcpServer), both in $gwNs, which also probes the host (Start-LabProbe).
#>

# Checks that -Program exist, starts lab host -Short + this process's id with -Nics NICs, and sets
# $lab, $uri, $labNs and $gwNs in the calling scope.
function Start-ManagerLab([string] $Short, [int] $Nics, [string[]] $Program) {
    foreach ($path in $Program) {
        if (-not (Test-Path -LiteralPath $path)) { throw "$path is missing: install the packages of tests/tools/Dependencies.psd1." }
    }
    $name = "$Short$PID"
    $started = Start-KimchiTestLab -Name $name -Nics $Nics
    Set-Variable -Scope 1 -Name lab -Value $name
    Set-Variable -Scope 1 -Name uri -Value $started.Uri
    Set-Variable -Scope 1 -Name labNs -Value "kn-$name"
    Set-Variable -Scope 1 -Name gwNs -Value "kngw$Short$PID"
}

function Invoke-Checked([string] $FilePath, [string[]] $ArgumentList) {
    $run = Invoke-KimchiLabProcess -FilePath $FilePath -ArgumentList $ArgumentList
    if ($run.ExitCode -ne 0) { throw "$($run.Command) failed ($($run.ExitCode)): $($run.Error)" }
    $run.Output
}

# A program started without waiting (KimchiLab.psm1 keeps its own starter private); ended by its process object.
# Both its output streams are drained as it runs: a program that writes more than a pipe holds (64 KiB)
# to a stream nobody reads blocks in that write. (dnsmasq with --log-dhcp --log-facility=- logs every
# DHCP packet to stderr: unread, it stopped serving leases after a few dozen packets.)
function Start-Background([string] $FilePath, [string[]] $ArgumentList) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p = [System.Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Process = $p; Stdout = $p.StandardOutput.ReadToEndAsync(); Stderr = $p.StandardError.ReadToEndAsync(); Stopwatch = $sw }
}

function Invoke-InManager([string] $FilePath, [string[]] $ArgumentList) {
    $run = Invoke-InKimchiLabManager -Name $lab -FilePath $FilePath -ArgumentList $ArgumentList
    if ($run.ExitCode -ne 0) { throw "$($run.Command) failed ($($run.ExitCode)): $($run.Error)" }
    $run.Output
}

# Every file under -Folder as the lab's managers see it, with its SHA-256, and every folder, sorted
# (so that "byte-identical" also means no folder was left behind).
function Get-ManagerFiles([string] $Folder) {
    @((Invoke-InManager /usr/bin/find @($Folder, '-type', 'f', '-exec', '/usr/bin/sha256sum', '{}', '+')) -split "`n" | Where-Object { $_ }) +
        @((Invoke-InManager /usr/bin/find @($Folder, '-type', 'd')) -split "`n" | Where-Object { $_ } | ForEach-Object { "folder $_" }) |
        Sort-Object
}

function Get-Link([string] $Name) {
    $run = Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList @('-n', $labNs, '-d', '-j', 'link', 'show', 'dev', $Name)
    if ($run.ExitCode -ne 0) { return $null }
    @($run.Output | ConvertFrom-Json)[0]
}

# The global addresses of a link (-Family '-4' or '-6'), as address/prefix.
function Get-Addresses([string] $Name, [string] $Family = '-4') {
    @((Invoke-Checked /usr/sbin/ip @('-n', $labNs, $Family, '-j', 'addr', 'show', 'dev', $Name, 'scope', 'global') | ConvertFrom-Json) |
        ForEach-Object { $_.addr_info } | Where-Object { $_.PSObject.Properties['local'] } | ForEach-Object { "$($_.local)/$($_.prefixlen)" })
}

function Get-DefaultRoute {
    @(Invoke-Checked /usr/sbin/ip @('-n', $labNs, '-4', '-j', 'route', 'show', 'default') | ConvertFrom-Json) |
        ForEach-Object { "via $($_.gateway) dev $($_.dev)" }
}

function Wait-Until([string] $What, [scriptblock] $Condition, [int] $Seconds = 30) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $Seconds s waiting for $What." }
        Start-Sleep -Milliseconds 200
    }
}

# What the lab's networkd saw, for a failure message: networkctl list, the addresses and routes, and its log's end.
function Get-LabNetworkdState([int] $Tail = 15) {
    $log = "/run/kimchinet-lab/$lab/managers/networkd.log"
    @(
        (Invoke-InKimchiLabManager -Name $lab -FilePath /usr/bin/networkctl -ArgumentList 'list', '--no-legend').Output
        (Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList '-n', $labNs, '-br', 'addr').Output
        (Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList '-n', $labNs, 'route').Output
        (Test-Path -LiteralPath $log) ? ((Get-Content -LiteralPath $log -Tail $Tail) -join "`n") : "(no $log)"
    ) -join "`n"
}

function Test-Gateway {
    (Invoke-InKimchiLab -Name $lab -FilePath /usr/bin/busybox -ArgumentList 'ping', '-c', '1', '-W', '2', '192.0.2.1').ExitCode -eq 0
}

# The gateway: sw1 in $gwNs with 192.0.2.1/24 and any -Extra addresses (IPv6 ones without duplicate detection).
function New-LabGateway([string[]] $Extra = @()) {
    Invoke-Checked /usr/sbin/ip @('netns', 'add', $gwNs) | Out-Null
    Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'link', 'set', 'sw1', 'netns', $gwNs) | Out-Null
    foreach ($address in @('192.0.2.1/24') + $Extra) {
        $noDad = if ($address.Contains(':')) { @('nodad') } else { @() }
        Invoke-Checked /usr/sbin/ip (@('-n', $gwNs, 'addr', 'add', $address, 'dev', 'sw1') + $noDad) | Out-Null
    }
    Invoke-Checked /usr/sbin/ip @('-n', $gwNs, 'link', 'set', 'sw1', 'up') | Out-Null
    Invoke-Checked /usr/sbin/ip @('-n', $gwNs, 'link', 'set', 'lo', 'up') | Out-Null
}

# The DHCP server for eth2: sw2 in $gwNs with 198.51.100.1/24 and dnsmasq with 2-minute leases (the
# shortest dnsmasq gives) in -Leases; -Router gives the router option (none when empty). Returns dnsmasq's process.
function Start-LabDhcpServer([string] $Leases, [string] $Router) {
    Invoke-Checked /usr/sbin/ip @('-n', $labNs, 'link', 'set', 'sw2', 'netns', $gwNs) | Out-Null
    Invoke-Checked /usr/sbin/ip @('-n', $gwNs, 'addr', 'add', '198.51.100.1/24', 'dev', 'sw2') | Out-Null
    Invoke-Checked /usr/sbin/ip @('-n', $gwNs, 'link', 'set', 'sw2', 'up') | Out-Null
    Start-Background -FilePath /usr/bin/nsenter -ArgumentList "--net=/run/netns/$gwNs", '/usr/sbin/dnsmasq', '--keep-in-foreground',
        '--conf-file=/dev/null', '--user=root', '--port=0', '--interface=sw2', '--bind-interfaces', '--log-dhcp', "--log-facility=$Leases.log",
        '--dhcp-range=198.51.100.50,198.51.100.60,2m', "--dhcp-leasefile=$Leases", ($Router ? "--dhcp-option=3,$Router" : '--dhcp-option=3')
}

# What dnsmasq logged of DHCP (its log is next to its lease file), for a failure's message.
function Get-LabDhcpLog([string] $Leases) {
    if (-not (Test-Path -LiteralPath "$Leases.log")) { return "(no $Leases.log)" }
    "dnsmasq's log:`n" + ((Get-Content -LiteralPath "$Leases.log" | Where-Object { $_ -match 'DHCP[A-Z]+\(|abandon|in use|not giving' } | Select-Object -Last 40) -join "`n") +
        "`ndnsmasq's leases:`n" + ((Test-Path -LiteralPath $Leases) ? [IO.File]::ReadAllText($Leases) : '(none)')
}

# The client identifiers dnsmasq's lease file holds for -Address (address/prefix; '*' for a client that sent none).
function Get-LeaseClient([string] $Leases, [string] $Address) {
    $ip = ($Address -split '/')[0]
    @(Get-Content -LiteralPath $Leases | ForEach-Object { , ($_ -split '\s+') } | Where-Object { $_[2] -eq $ip } | ForEach-Object { $_[4] }) -join ' '
}

# The expiry (seconds since 1970) of the first lease in dnsmasq's lease file.
function Get-LeaseExpiry([string] $Leases) {
    [long] (([IO.File]::ReadAllText($Leases) -split ' ')[0])
}

# A ping from the switch side to the host every second; Stop-LabProbe ends it and measures it.
function Start-LabProbe {
    Start-Background -FilePath /usr/bin/nsenter -ArgumentList "--net=/run/netns/$gwNs", '/usr/bin/busybox', 'ping', '-i', '1', '192.0.2.10'
}

# The answered probes (busybox numbers them from 0), about how many were sent (up to the last answer),
# and the longest gap between two answers in seconds.
function Stop-LabProbe($Probe) {
    $Probe.Process.Kill()
    $Probe.Process.WaitForExit()
    $seqs = @([regex]::Matches($Probe.Stdout.GetAwaiter().GetResult(), 'seq=(\d+)') | ForEach-Object { [int] $_.Groups[1].Value })
    $gap = 0
    for ($i = 1; $i -lt $seqs.Count; $i++) { $gap = [math]::Max($gap, $seqs[$i] - $seqs[$i - 1]) }
    [pscustomobject]@{ Answered = $seqs; Sent = ($seqs.Count ? $seqs[-1] + 1 : 0); Gap = $gap }
}

# The start of a simulated reboot on libvirt's side: libvirtd stops and forgets that network -Network
# ran (its status in /run goes, as after a boot, and so does the mark that autostart ran). Returns
# whether the status file was there.
function Reset-LabLibvirtRun([string] $Network) {
    Restart-KimchiLabDaemon -Name $lab -KillOnly
    $labPid = (Get-Content -LiteralPath "/run/kimchinet-lab/$lab/virtlogd.pid" -Raw).Trim()
    $status = "/proc/$labPid/root/run/libvirt/network/$Network.xml"
    $had = Test-Path -LiteralPath $status
    Remove-Item -LiteralPath $status -Force -ErrorAction Ignore
    Remove-Item -LiteralPath "/proc/$labPid/root/run/libvirt/network/autostarted" -Force -ErrorAction Ignore
    $had -and -not (Test-Path -LiteralPath $status)
}

# The names of libvirt's networks in the lab (-All: defined ones too).
function Get-LabNetworkNames([switch] $All) {
    (Invoke-KimchiLabVirsh -Name $lab -ArgumentList (@('net-list', '--name') + ($All ? @('--all') : @()))).Output
}

# What -WhatIf says for a bridge network 'lan' on eth1, run as on the host (in the manager namespace).
function Get-LabBridgeWhatIf {
    Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
$log = Join-Path ([IO.Path]::GetTempPath()) "whatif-$PID.txt"
Start-Transcript -LiteralPath $log -UseMinimalHeader | Out-Null
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -WhatIf
Stop-Transcript | Out-Null
(Get-Content -LiteralPath $log | Where-Object { $_ -like 'What if:*' }) -join "`n"
Remove-Item -LiteralPath $log
'@
}

# Creates the bridge network 'lan' on eth1 (started) while the switch side probes the host every
# second, from 3 s before to 4 s after: what New-KimchiNetwork returned, when (s after the probe
# started), and the probe's measures (Stop-LabProbe).
function New-LabBridgeProbed {
    $probe = Start-LabProbe
    Start-Sleep -Seconds 3
    $created = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @'
New-KimchiNetwork -Uri $Uri -Name lan -Connection Bridge -Interfaces eth1 -Start | Select-Object Name, BridgeName, Active
'@
    $createdAt = $probe.Stopwatch.Elapsed.TotalSeconds
    Start-Sleep -Seconds 4
    $measured = Stop-LabProbe $probe
    [pscustomobject]@{ Created = $created; CreatedAt = $createdAt; Answered = $measured.Answered; Sent = $measured.Sent; Gap = $measured.Gap }
}

# Removes a network as on the host: 'ok', or the error as Invoke-KimchiNetInLab returns it.
function Remove-LabBridgeNetwork([string] $Network) {
    Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script @"
Remove-KimchiNetwork -Uri `$Uri -Name $Network -Force -Confirm:`$false
'ok'
"@
}

# Runs -Script as on the host while the gateway loses 192.0.2.1 as soon as -Bridge exists in the lab (so it
# stops answering after the change); the address comes back afterwards. Returns what Invoke-KimchiNetInLab returned.
function Invoke-WithGatewayLost([string] $Bridge, [string] $Script) {
    $watcher = Start-Background -FilePath /bin/sh -ArgumentList '-c',
        "while ! ip -n $labNs link show $Bridge >/dev/null 2>&1; do sleep 0.05; done; ip -n $gwNs addr del 192.0.2.1/24 dev sw1"
    try {
        Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Runner Invoke-InKimchiLabManager -Script $Script
    }
    finally {
        if (-not $watcher.Process.WaitForExit(5000)) { $watcher.Process.Kill() }
        Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList '-n', $gwNs, 'addr', 'add', '192.0.2.1/24', 'dev', 'sw1' | Out-Null
    }
}
