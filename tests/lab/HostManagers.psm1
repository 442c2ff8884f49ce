#Requires -Version 7.2
<#
    HostManagers: the host's own network managers (NetworkManager, systemd-networkd, ifupdown, netplan)
    running INSIDE a lab host (tests/lab/README.md), so that tests can prove what KimchiNet does with an
    interface a manager owns, without any manager ever seeing the machine's own interfaces or files.

    A lab's managers live in one "manager namespace" per lab: a mount namespace made inside the lab's
    own (network namespace kn-NAME + private mount namespace with /run on a tmpfs), held open by a
    sleeping process. In it:
      - /sys is remounted read-only (with a writable /sys, networkd waits for udev and leaves every link
        "pending"; NetworkManager and ifupdown do not mind);
      - /etc/network, /etc/NetworkManager, /etc/systemd/network, /etc/netplan and /var/lib/NetworkManager
        are bind mounts of folders in the lab's state dir, /run/kimchinet-lab/NAME/managers/..., which
        tests write from outside (Set-KimchiLabManagerFile);
      - a private system D-Bus (dbus-daemon with its own config, socket /run/dbus/system_bus_socket on
        the lab's tmpfs), which NetworkManager needs and with which `networkctl reload` works.
    Every daemon is started with start-stop-daemon --background, its pid in the state dir, and stopped
    by that pid only after `ip netns identify` says it is in the lab. The lab's own teardown
    (Stop-KimchiLab) also ends them: they are all in its network namespace.

    Start-KimchiLabManager   -Name LAB -Manager NetworkManager|Networkd|Ifupdown|Netplan [-Interface eth1,...]
    Stop-KimchiLabManager    -Name LAB -Manager ...
    Set-KimchiLabManagerFile -Name LAB -Path /etc/network/interfaces -Value TEXT [-Mode 0644]
    Invoke-InKimchiLabManager -Name LAB -FilePath PROGRAM -ArgumentList ...   (inside the manager namespace)

    What works here (Debian 12, PID 1 not systemd), measured when this module was written:
      - systemd-networkd 252: runs standalone; configures a link from a .network file; networkctl reload.
      - NetworkManager 1.42 (--no-daemon, plugins=keyfile, only the lab's NICs managed): activates a
        keyfile profile; nmcli works over the private bus.
      - ifupdown 0.8: ifup/ifdown on the private /etc/network (with the machine's if-*.d hook folders
        copied in), bridge_ports through bridge-utils' hook.
      - netplan 0.106: `netplan generate` renders into the lab's /run/systemd/network (or
        /run/NetworkManager), which networkd then applies; `netplan apply` cannot run: it calls
        `systemctl daemon-reload`, and there is no systemd here ("Reload daemon failed: The name
        org.freedesktop.systemd1 was not provided by any .service files"). Start-KimchiLabManager
        -Manager Netplan therefore runs `netplan generate` and then the renderer (networkd).
#>
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'KimchiLab.psm1')

$script:LabRoot = '/run/kimchinet-lab'
$script:Private = @('/etc/network', '/etc/NetworkManager', '/etc/systemd/network', '/etc/netplan', '/var/lib/NetworkManager')
$script:Managers = @('NetworkManager', 'Networkd', 'Ifupdown', 'Netplan')

function Get-LabState([string] $Name) {
    if ($Name -cnotmatch '^[a-z0-9][a-z0-9_-]{0,30}$') { throw "Invalid lab name '$Name'." }
    $state = "$script:LabRoot/$Name"
    if (-not (Test-Path -LiteralPath "$state/virtlogd.pid")) { throw "Lab '$Name' is not up (no $state/virtlogd.pid)." }
    $state
}

function Invoke-Checked([string] $FilePath, [string[]] $ArgumentList) {
    $run = Invoke-KimchiLabProcess -FilePath $FilePath -ArgumentList $ArgumentList -TimeoutSeconds 60
    if ($run.ExitCode -ne 0) { throw "$FilePath $($ArgumentList -join ' ') failed ($($run.ExitCode)): $($run.Error.Trim()) $($run.Output.Trim())" }
    $run
}

function Test-PidInLab([string] $ProcessId, [string] $Name) {
    if ($ProcessId -notmatch '^[0-9]+$' -or -not (Test-Path -LiteralPath "/proc/$ProcessId")) { return $false }
    $run = Invoke-KimchiLabProcess -FilePath /usr/sbin/ip -ArgumentList 'netns', 'identify', $ProcessId
    $run.ExitCode -eq 0 -and $run.Output.Trim() -eq "kn-$Name"
}

function Read-PidFile([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $text = (Get-Content -LiteralPath $Path -Raw).Trim()
    if ($text -match '^[0-9]+$') { $text } else { $null }
}

function Stop-LabPid([string] $Name, [string] $PidFile) {
    # Ends the process of a pid file (TERM, then KILL after 5 s) when it is in the lab; removes the file.
    $processId = Read-PidFile $PidFile
    if ($processId -and (Test-PidInLab $processId $Name)) {
        Invoke-KimchiLabProcess -FilePath /usr/bin/kill -ArgumentList '-TERM', $processId | Out-Null
        for ($i = 0; $i -lt 50 -and (Test-PidInLab $processId $Name); $i++) { Start-Sleep -Milliseconds 100 }
        if (Test-PidInLab $processId $Name) { Invoke-KimchiLabProcess -FilePath /usr/bin/kill -ArgumentList '-KILL', $processId | Out-Null }
    }
    Remove-Item -LiteralPath $PidFile -Force -ErrorAction SilentlyContinue
}

function Get-ManagerNamespace {
    <#
    .SYNOPSIS
        The pid that holds a lab's manager namespace, made on first use (see the module's header).
    #>
    param([Parameter(Mandatory)][string] $Name)
    $state = Get-LabState $Name
    $dir = "$state/managers"
    $holder = Read-PidFile "$dir/holder.pid"
    if ($holder -and (Test-PidInLab $holder $Name)) { return $holder }

    foreach ($target in $script:Private) {
        if (-not (Test-Path -LiteralPath $target -PathType Container)) {
            throw "$target does not exist on this machine: install the Debian packages of tests/tools/Dependencies.psd1 (ifupdown, network-manager, netplan.io, systemd), which make it."
        }
    }
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    foreach ($target in $script:Private) { New-Item -ItemType Directory -Force -Path "$dir$target" | Out-Null }
    # ifupdown runs the hook folders of /etc/network (bridge-utils' bridge_ports hook among them).
    foreach ($hooks in 'if-pre-up.d', 'if-up.d', 'if-down.d', 'if-post-down.d') {
        if (Test-Path -LiteralPath "/etc/network/$hooks") { Copy-Item -LiteralPath "/etc/network/$hooks" -Destination "$dir/etc/network" -Recurse -Force }
    }

    $labPid = Read-PidFile "$state/virtlogd.pid"
    Invoke-Checked /usr/bin/nsenter @('-t', $labPid, '-m', '-n', '--',
        '/usr/sbin/start-stop-daemon', '--start', '--background', '--make-pidfile', '--pidfile', "$dir/holder.pid",
        '--exec', '/usr/bin/unshare', '--', '-m', '--propagation', 'private', '/usr/bin/sleep', 'infinity') | Out-Null
    # unshare has made the namespace once the holder's mount namespace differs from the lab's; until
    # then every mount below would land in the lab's own namespace (it took over 2.5 s once under load).
    $holder = $null
    $made = $false
    for ($i = 0; $i -lt 300 -and -not $made; $i++) {
        $holder = Read-PidFile "$dir/holder.pid"
        $made = $holder -and (Test-Path "/proc/$holder/ns/mnt") -and
            ([System.IO.File]::ResolveLinkTarget("/proc/$holder/ns/mnt", $false).FullName -ne [System.IO.File]::ResolveLinkTarget("/proc/$labPid/ns/mnt", $false).FullName)
        if (-not $made) { Start-Sleep -Milliseconds 50 }
    }
    if (-not $made) { throw "The manager namespace of lab '$Name' did not start within 15 s (holder pid '$holder')." }
    $enter = @('-t', $holder, '-m', '-n', '--')
    # networkd leaves every link "pending" (waiting for udev) on a writable /sys. The remount did not
    # take once in a full run (findmnt still said rw right after it): it is checked, and tried again.
    $sysOptions = ''
    for ($i = 0; $i -lt 20 -and $sysOptions -notmatch '(^|,)ro(,|$)'; $i++) {
        if ($i -gt 0) { Start-Sleep -Milliseconds 100 }
        Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/mount', '-o', 'remount,bind,ro', '/sys')) | Out-Null
        $sysOptions = (Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/findmnt', '-n', '-o', 'OPTIONS', '/sys'))).Output
    }
    if ($sysOptions -notmatch '(^|,)ro(,|$)') { throw "/sys is not read-only in the manager namespace of lab '$Name' after 20 remounts ($($sysOptions.Trim()))." }
    foreach ($target in $script:Private) {
        Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/mount', '--bind', "$dir$target", $target)) | Out-Null
    }
    # A lab host is a machine of its own, with its own /etc/machine-id. The managers need one: with the
    # empty file a bare Debian root has until its first boot, networkd never configures a link (it
    # derives DHCP and IPv6 identifiers from it).
    $machineId = "$dir/machine-id"
    [System.IO.File]::WriteAllText($machineId, ([guid]::NewGuid().ToString('N') + "`n"))
    Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/mount', '--bind', '-o', 'ro', $machineId, '/etc/machine-id')) | Out-Null
    # And its own /etc/resolv.conf: NetworkManager (and the DHCP clients the managers run) write the
    # DNS servers they learn there, which must never reach the machine's own file.
    $resolv = "$dir/resolv.conf"
    [System.IO.File]::WriteAllText($resolv, "# lab host $Name`n")
    Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/mount', '--bind', $resolv, '/etc/resolv.conf')) | Out-Null
    Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/mkdir', '-p', '/run/dbus', '/run/network', '/run/systemd/netif')) | Out-Null
    Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/chown', 'systemd-network:systemd-network', '/run/systemd/netif')) | Out-Null
    # The lab's system bus: the stock policy files (NetworkManager's, networkd's), root may own any name.
    @"
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <pidfile>$dir/dbus.pid</pidfile>
  <auth>EXTERNAL</auth>
  <includedir>/usr/share/dbus-1/system.d</includedir>
  <includedir>/etc/dbus-1/system.d</includedir>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <policy user="root">
    <allow own="*"/>
    <allow send_type="method_call"/>
  </policy>
</busconfig>
"@ | Set-Content -LiteralPath "$dir/dbus-system.conf" -Encoding utf8NoBOM
    Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/dbus-daemon', "--config-file=$dir/dbus-system.conf", '--fork')) | Out-Null
    $holder
}

function Invoke-InKimchiLabManager {
    <#
    .SYNOPSIS
        Runs a program inside a lab's manager namespace (its network namespace and the mount namespace
        where the managers' folders are the lab's own). Same output as Invoke-InKimchiLab.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $Name,
        [Parameter(Mandatory)][string] $FilePath,
        [string[]] $ArgumentList = @(),
        [int] $TimeoutSeconds = 300,
        [string] $WorkingDirectory
    )
    $holder = Get-ManagerNamespace -Name $Name
    $wd = if ($WorkingDirectory) { $WorkingDirectory } else { (Get-Location -PSProvider FileSystem).ProviderPath }
    Invoke-KimchiLabProcess -FilePath /usr/bin/nsenter -ArgumentList (@('-t', $holder, '-m', '-n', "--wd=$wd", '--', $FilePath) + $ArgumentList) `
        -TimeoutSeconds $TimeoutSeconds -WorkingDirectory $wd
}

function Set-KimchiLabManagerFile {
    <#
    .SYNOPSIS
        Writes a manager file of a lab (owned by root, mode -Mode) at -Path as the lab's managers see it,
        e.g. /etc/network/interfaces. Only paths under the lab's private folders are allowed. An empty
        -Value with -Remove deletes the file.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $Name,
        [Parameter(Mandatory)][string] $Path,
        [AllowEmptyString()][string] $Value = '',
        [string] $Mode = '0644',
        [switch] $Remove
    )
    $state = Get-LabState $Name
    if ($Path -match '(^|/)\.\.(/|$)' -or -not ($script:Private | Where-Object { $Path.StartsWith("$_/", [StringComparison]::Ordinal) })) {
        throw "'$Path' is not under the lab's private manager folders ($($script:Private -join ', '))."
    }
    $null = Get-ManagerNamespace -Name $Name
    $file = "$state/managers$Path"
    if ($Remove) { Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue; return }
    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $file) | Out-Null
    [System.IO.File]::WriteAllText($file, $Value, [System.Text.UTF8Encoding]::new($false))
    Invoke-Checked /usr/bin/chmod @($Mode, $file) | Out-Null
}

function Start-KimchiLabManager {
    <#
    .SYNOPSIS
        Starts a network manager in a lab host, as at boot, on the lab's own files.
    .DESCRIPTION
        Networkd:        systemd-networkd (its .network files: /etc/systemd/network via Set-KimchiLabManagerFile).
        Netplan:         netplan generate, then its -Renderer: systemd-networkd (the default) or NetworkManager.
        NetworkManager:  NetworkManager --no-daemon with plugins=keyfile, managing only -Interface
                         (a NetworkManager.conf of the lab's is written unless one exists).
        Ifupdown:        ifup on each -Interface (default: ifup -a, the auto stanzas).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $Name,
        [Parameter(Mandatory)][ValidateSet('NetworkManager', 'Networkd', 'Ifupdown', 'Netplan')][string] $Manager,
        [string[]] $Interface = @('eth1'),
        [ValidateSet('Networkd', 'NetworkManager')][string] $Renderer = 'Networkd'
    )
    $state = Get-LabState $Name
    $holder = Get-ManagerNamespace -Name $Name
    $dir = "$state/managers"
    $enter = @('-t', $holder, '-m', '-n', '--')
    switch ($Manager) {
        'Netplan' {
            Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/sbin/netplan', 'generate')) | Out-Null
            Start-KimchiLabManager -Name $Name -Manager $Renderer -Interface $Interface
        }
        'Networkd' {
            if (Test-PidInLab (Read-PidFile "$dir/networkd.pid") $Name) {
                Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/networkctl', 'reload')) | Out-Null
                return
            }
            # at debug level: its log shows each DHCP packet when a lab proof fails
            Invoke-Checked /usr/bin/env (@('SYSTEMD_LOG_LEVEL=debug', '/usr/bin/nsenter') + $enter + @('/usr/sbin/start-stop-daemon', '--start', '--background', '--make-pidfile',
                    '--pidfile', "$dir/networkd.pid", '--output', "$dir/networkd.log", '--exec', '/lib/systemd/systemd-networkd')) | Out-Null
            Wait-LabCondition -What 'systemd-networkd to answer' -Condition {
                (Invoke-KimchiLabProcess -FilePath /usr/bin/nsenter -ArgumentList ($enter + @('/usr/bin/networkctl', 'list', '--no-legend'))).ExitCode -eq 0
            }
        }
        'NetworkManager' {
            $conf = "$dir/etc/NetworkManager/NetworkManager.conf"
            if (-not (Test-Path -LiteralPath $conf)) {
                $except = ($Interface | ForEach-Object { "except:interface-name:$_" }) -join ','
                Set-KimchiLabManagerFile -Name $Name -Path /etc/NetworkManager/NetworkManager.conf -Value @"
[main]
plugins=keyfile
no-auto-default=*
dhcp=internal
[keyfile]
unmanaged-devices=*,$except
"@
            }
            Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/sbin/start-stop-daemon', '--start', '--background', '--make-pidfile',
                    '--pidfile', "$dir/NetworkManager.pid", '--output', "$dir/NetworkManager.log", '--exec', '/usr/sbin/NetworkManager', '--', '--no-daemon')) | Out-Null
            # NetworkManager says 'started' once every managed device has finished activating, which took
            # over 30 s once in a full run on a loaded machine (2 cores, load above 15): up to 90 s.
            Wait-LabCondition -What 'NetworkManager to start up' -TimeoutSeconds 90 -Condition {
                $run = Invoke-KimchiLabProcess -FilePath /usr/bin/nsenter -ArgumentList ($enter + @('/usr/bin/nmcli', '-t', '-f', 'RUNNING,STARTUP', 'general'))
                $run.ExitCode -eq 0 -and $run.Output.Trim() -eq 'running:started'
            }
        }
        'Ifupdown' {
            $targets = if ($PSBoundParameters.ContainsKey('Interface')) { $Interface } else { @('-a') }
            foreach ($target in $targets) { Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/sbin/ifup', $target)) | Out-Null }
        }
    }
}

function Stop-KimchiLabManager {
    <#
    .SYNOPSIS
        Stops a lab's network manager (by its pid, checked to be in the lab); for ifupdown, ifdown on
        each -Interface (default: ifdown -a). What the manager configured stays, as after a crash.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $Name,
        [Parameter(Mandatory)][ValidateSet('NetworkManager', 'Networkd', 'Ifupdown', 'Netplan')][string] $Manager,
        [string[]] $Interface,
        [ValidateSet('Networkd', 'NetworkManager')][string] $Renderer = 'Networkd'
    )
    $state = Get-LabState $Name
    $dir = "$state/managers"
    if ($Manager -eq 'Netplan') { $Manager = $Renderer }
    switch ($Manager) {
        'Networkd' { Stop-LabPid $Name "$dir/networkd.pid" }
        'NetworkManager' { Stop-LabPid $Name "$dir/NetworkManager.pid" }
        'Ifupdown' {
            $targets = if ($Interface) { $Interface } else { @('-a') }
            foreach ($target in $targets) { Invoke-InKimchiLabManager -Name $Name -FilePath /usr/sbin/ifdown -ArgumentList $target | Out-Null }
        }
    }
}

function Wait-LabCondition([string] $What, [scriptblock] $Condition, [int] $TimeoutSeconds = 30) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSeconds s waiting for $What." }
        Start-Sleep -Milliseconds 200
    }
}

Export-ModuleMember -Function Start-KimchiLabManager, Stop-KimchiLabManager, Set-KimchiLabManagerFile, Invoke-InKimchiLabManager
