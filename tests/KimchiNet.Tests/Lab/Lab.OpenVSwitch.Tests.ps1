$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    A bridge network on an Open vSwitch bridge, on a lab host running Open vSwitch (Debian's
    openvswitch-switch): Kimchi writes <virtualport type='openvswitch'/> for it, or guests cannot
    attach. This kernel has no openvswitch module, so the bridge uses OVS's userspace datapath
    (datapath_type=netdev). ovsdb-server and ovs-vswitchd run inside the lab host's network and mount
    namespaces (where its libvirtd is), with their database, pid files and sockets in the lab's state
    dir; the database also listens on /run/openvswitch/db.sock inside the lab's mount namespace (a
    tmpfs), the default place where libvirtd's own ovs-vsctl looks. The module runs in the lab's
    network namespace with OVS_RUNDIR pointing at the lab's socket, as on a host beside its OVS.
    KIMCHINET_SKIP_LAB=1 skips this on purpose; a machine that cannot run labs fails it.
#>

BeforeDiscovery { $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function Invoke-Checked([string] $FilePath, [string[]] $ArgumentList, [hashtable] $Environment = @{}) {
        # Runs a program (with OVS_RUNDIR etc. through env(1)); throws with its stderr when it fails.
        $argv = @($ArgumentList)
        if ($Environment.Count) {
            $argv = @($Environment.Keys | ForEach-Object { "$_=$($Environment[$_])" }) + @($FilePath) + $argv
            $FilePath = '/usr/bin/env'
        }
        $run = Invoke-KimchiLabProcess -FilePath $FilePath -ArgumentList $argv -TimeoutSeconds 60
        if ($run.ExitCode -ne 0) { throw "$FilePath $($argv -join ' ') failed ($($run.ExitCode)): $($run.Error.Trim())" }
        $run.Output
    }
}

Describe 'Lab: a bridge network on an Open vSwitch bridge' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-KimchiLabCapable
        foreach ($program in '/usr/bin/ovs-vsctl', '/usr/bin/ovsdb-tool', '/usr/sbin/ovsdb-server', '/usr/sbin/ovs-vswitchd') {
            if (-not (Test-Path -LiteralPath $program)) { throw "$program is missing: install openvswitch-switch (tests/tools/Dependencies.psd1)." }
        }
        $started = Start-KimchiTestLab -Name "ovs$PID" -Nics 1
        $lab, $uri = $started.Name, $started.Uri
        $state = "/run/kimchinet-lab/$lab"
        $ovs = "$state/ovs"
        $ovsEnv = @{ OVS_RUNDIR = $ovs }
        New-Item -ItemType Directory -Path $ovs | Out-Null
        $daemonPid = (Get-Content -LiteralPath "$state/libvirtd.pid" -Raw).Trim()
        $enter = @('-t', $daemonPid, '-m', '-n', '--')
        Invoke-Checked /usr/bin/ovsdb-tool @('create', "$ovs/conf.db", '/usr/share/openvswitch/vswitch.ovsschema') | Out-Null
        Invoke-Checked /usr/bin/nsenter ($enter + @('/bin/mkdir', '-p', '/run/openvswitch')) | Out-Null
        Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/sbin/ovsdb-server', "$ovs/conf.db",
                '--remote=punix:/run/openvswitch/db.sock', "--remote=punix:$ovs/db.sock",
                "--pidfile=$ovs/ovsdb-server.pid", "--unixctl=$ovs/ovsdb-server.ctl", "--log-file=$ovs/ovsdb-server.log", '--detach')) | Out-Null
        Invoke-Checked /usr/bin/ovs-vsctl @('--no-wait', 'init') $ovsEnv | Out-Null
        Invoke-Checked /usr/bin/nsenter ($enter + @('/usr/bin/env', "OVS_RUNDIR=$ovs", '/usr/sbin/ovs-vswitchd', "unix:$ovs/db.sock",
                "--pidfile=$ovs/ovs-vswitchd.pid", "--unixctl=$ovs/ovs-vswitchd.ctl", "--log-file=$ovs/ovs-vswitchd.log", '--detach')) | Out-Null
        Invoke-Checked /usr/bin/ovs-vsctl @('--timeout=20', 'add-br', 'ovsbr1', '--', 'set', 'bridge', 'ovsbr1', 'datapath_type=netdev') $ovsEnv | Out-Null
        $run = Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList 'link', 'set', 'ovsbr1', 'up'
        if ($run.ExitCode -ne 0) { throw "ip link set ovsbr1 up failed: $($run.Error)" }
    }

    AfterAll {
        # The OVS daemons first (by their pid files), then the lab (its namespace takes ovsbr1 along).
        if (Get-Variable -Name ovs -ErrorAction SilentlyContinue) {
            foreach ($daemon in 'ovs-vswitchd', 'ovsdb-server') {
                $pidFile = "$ovs/$daemon.pid"
                if (Test-Path -LiteralPath $pidFile) {
                    $daemonId = [int](Get-Content -LiteralPath $pidFile -Raw).Trim()
                    Stop-Process -Id $daemonId -ErrorAction SilentlyContinue
                    try { (Get-Process -Id $daemonId -ErrorAction Stop).WaitForExit(10000) | Out-Null } catch { }
                }
            }
        }
        Stop-KimchiTestLab
    }

    It 'writes the virtualport for the OVS bridge, and a guest''s port is on that bridge' {
        $result = Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script @"
`$env:OVS_RUNDIR = '$ovs'
`$interface = Get-KimchiInterface -Uri `$Uri -Name ovsbr1
`$network = New-KimchiNetwork -Uri `$Uri -Name ovsnet -Connection Bridge -Interfaces ovsbr1 -Start
[pscustomobject]@{ Type = "`$(`$interface.Type)"; OpenVSwitch = `$interface.OpenVSwitch; State = "`$(`$network.State)"; Interfaces = @(`$network.Interfaces) }
"@
        $result[0].PSObject.Properties.Name | Should -Not -Contain 'Failed' -Because "$($result[0] | ConvertTo-Json -Compress)"
        $result[0].Type | Should -BeExactly 'Bridge'
        $result[0].OpenVSwitch | Should -BeTrue
        $result[0].State | Should -BeExactly 'Active'
        $result[0].Interfaces | Should -Be @('ovsbr1')
        Get-KimchiLabLink -Lab $lab -Device kbovsbr1 | Should -BeNullOrEmpty -Because 'an OVS bridge is used as it is, with no Linux bridge made over it'

        [xml] $xml = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', 'ovsnet'
        $xml.network.forward.mode | Should -BeExactly 'bridge'
        $xml.network.bridge.name | Should -BeExactly 'ovsbr1'
        $xml.network.virtualport.type | Should -BeExactly 'openvswitch'

        $start = Start-KimchiLabGuest -Lab $lab -Name g1 -Network ovsnet -Folder $TestDrive
        $start.ExitCode | Should -Be 0 -Because $start.Error
        [xml] $domain = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'dumpxml', 'g1'
        $tap = $domain.domain.devices.interface.target.dev
        $tap | Should -Not -BeNullOrEmpty
        $domain.domain.devices.interface.virtualport.type | Should -BeExactly 'openvswitch'
        $ports = @((Invoke-Checked /usr/bin/ovs-vsctl @('list-ports', 'ovsbr1') $ovsEnv) -split "`n" | ForEach-Object Trim | Where-Object { $_ })
        Write-Host "ports of ovsbr1: $($ports -join ', ') (guest tap $tap)"
        $ports | Should -Contain $tap
        (Invoke-Checked /usr/bin/ovs-vsctl @('port-to-br', $tap) $ovsEnv).Trim() | Should -BeExactly 'ovsbr1'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'destroy', 'g1' | Out-Null
    }
}
