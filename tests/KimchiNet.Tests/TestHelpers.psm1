<#
    Helpers shared by the Pester files: fresh test-driver hosts and raw snapshots of a host's
    networks, read straight from libvirt (not through the cmdlets under test).
#>
$ErrorActionPreference = 'Stop'
# The lab hosts' front end (Start-KimchiLab, Invoke-InKimchiLab, Invoke-KimchiLabVirsh), for the lab helpers
# below. Lab test files import it into their own scope too (Lab/LabSetup.ps1).
Import-Module (Join-Path $PSScriptRoot '../lab/KimchiLab.psm1')

function New-KimchiTestHost {
    <# Writes a copy of the demo host to a new file and returns its test:/// URI: each file is its own fake host. #>
    param([string] $Folder = [System.IO.Path]::GetTempPath())
    $source = Join-Path $PSScriptRoot '../../src/KimchiNet.Core/Hosts/demo-host.xml'
    $path = Join-Path $Folder ("kimchi-host-{0}.xml" -f [guid]::NewGuid().ToString('n'))
    Copy-Item -LiteralPath $source -Destination $path
    "test://$path"
}

function Invoke-Collecting {
    <#
        Runs a call and returns its output and every error record it wrote. The suite runs with
        $ErrorActionPreference Stop, which would end the call at its first error: the caller's
        preference (where the script block looks it up) is Continue while the call runs.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [scriptblock] $Call)
    $callers = $PSCmdlet.SessionState.PSVariable
    $preference = $callers.GetValue('ErrorActionPreference')
    $callers.Set('ErrorActionPreference', 'Continue')
    try {
        $all = @(& $Call 2>&1)
    }
    finally {
        $callers.Set('ErrorActionPreference', $preference)
    }
    [pscustomobject]@{
        Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    }
}

function Get-KimchiHostSnapshot {
    <# Every network's name, state and XML as libvirt returns them, as one comparable string. #>
    param([Parameter(Mandatory)] [string] $Uri)
    $connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($Uri)
    ($connection.ListNetworks() | Sort-Object Name | ForEach-Object {
        "## $($_.Name) active=$($_.IsActive) persistent=$($_.IsPersistent) autostart=$($_.Autostart)`n$($_.Xml)"
    }) -join "`n"
}

function Assert-KimchiLabCapable {
    <#
        Throws, with what is missing, unless this machine can run lab hosts (tests/lab/README.md): root,
        a working `ip netns`, libvirtd and virsh. Lab tests call it first so that a machine that cannot
        run them FAILS them with a reason; set KIMCHINET_SKIP_LAB=1 to skip them on purpose.
    #>
    $missing = [System.Collections.Generic.List[string]]::new()
    if ((& id -u) -ne '0') { $missing.Add('root (network and mount namespaces, libvirtd as root)') }
    foreach ($tool in 'ip', 'virsh', 'libvirtd', 'virtlogd', 'unshare') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { $missing.Add("the program '$tool'") }
    }
    if ($missing.Count -eq 0) {
        & ip netns list *> $null
        if ($LASTEXITCODE -ne 0) { $missing.Add("a working 'ip netns'") }
    }
    if ($missing.Count -gt 0) {
        throw ("This machine cannot run KimchiNet lab hosts: missing $($missing -join ', '). " +
            'Run the tests as root on a Debian machine with the packages of tests/lab/README.md, ' +
            'or set KIMCHINET_SKIP_LAB=1 to skip the tests tagged Lab.')
    }
}

function Start-KimchiTestLab {
    <#
        The lab part of a Describe's BeforeAll: fails with the reason unless this machine can run lab
        hosts (Assert-KimchiLabCapable), starts the lab host(s) -Name with -Nics NICs each (in parallel),
        prints how long that took, and returns what Start-KimchiLab returns (Name, Namespace, Uri,
        StartupSeconds, Nics). -Supervise runs each lab's libvirtd under a supervisor that restarts it
        when it dies (Start-KimchiLab -Supervise). The caller keeps the names in $lab (or the variable it gives
        Stop-KimchiTestLab -Variable) for AfterAll. A start that fails is stopped here before the
        error goes on, so the caller's variable stays unset and AfterAll has nothing to stop.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string[]] $Name, [ValidateRange(1, 64)] [int] $Nics = 4, [switch] $Supervise)
    Assert-KimchiLabCapable
    try {
        $started = @(Start-KimchiLab -Name $Name -Nics $Nics -Supervise:$Supervise)
    }
    catch {
        # Start-KimchiLab stops the hosts that came up; a host whose lab-host timed out may be half up.
        try { Stop-KimchiLab -Name $Name } catch { Write-Warning "cleaning up after a failed lab start: $_" }
        throw
    }
    $seconds = ($started.StartupSeconds | Measure-Object -Maximum).Maximum
    Write-Host "lab $($started.Name -join ', ') up in $seconds s: $($started.Uri -join ' ')"
    $started
}

function Stop-KimchiTestLab {
    <#
        Stops the lab hosts named by the caller's variable -Variable (default $lab), if it is set: the
        caller sets it from what Start-KimchiTestLab returned, so a Describe whose lab did not start
        (a machine that failed the capability check, a failed start, which Start-KimchiTestLab undid
        itself) has nothing to stop. -CloseConnection first closes the module's pooled libvirt
        connection to each, for tests that opened one.
    #>
    [CmdletBinding()]
    param([string] $Variable = 'lab', [switch] $CloseConnection)
    # The caller's scope, not this module's: AfterAll blocks see the names their BeforeAll set.
    $names = $PSCmdlet.SessionState.PSVariable.GetValue($Variable)
    if (-not $names) { return }
    if ($CloseConnection) {
        foreach ($name in $names) { [KimchiNet.Libvirt.LibvirtConnections]::Close((Get-KimchiLabUri -Name $name)) | Out-Null }
    }
    Stop-KimchiLab -Name $names
}

function Invoke-KimchiNetInLab {
    <#
        Runs -Script in a child pwsh INSIDE the lab's network namespace, with KimchiNet imported and
        $Uri set to the lab's URI, as the module runs on a real host beside its libvirtd. Whatever the
        script outputs comes back, converted to JSON and back, as objects. A terminating error in the
        child comes back as an object with Failed, ErrorId and Message, so tests can assert refusals.
    #>
    param(
        [Parameter(Mandatory)] [string] $Lab,
        [Parameter(Mandatory)] [string] $Uri,
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $Folder,
        # what starts the child inside the lab: Invoke-InKimchiLab (its network namespace), or
        # HostManagers.psm1's Invoke-InKimchiLabManager (also the mount namespace of its network managers)
        [string] $Runner = 'Invoke-InKimchiLab'
    )
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../KimchiNet.psd1')).ProviderPath
    $id = [guid]::NewGuid().ToString('n')
    $scriptPath = Join-Path $Folder "inlab-$id.ps1"
    $resultPath = Join-Path $Folder "inlab-$id.json"
    $text = @"
param([string] `$Uri, [string] `$ResultPath)
`$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module '$($manifest -replace "'", "''")'
`$result = try {
    & {
$Script
    }
}
catch {
    [pscustomobject]@{ Failed = `$true; ErrorId = `$_.FullyQualifiedErrorId; Message = `$_.Exception.Message }
}
ConvertTo-Json -InputObject @(`$result) -Depth 8 | Set-Content -LiteralPath `$ResultPath -Encoding utf8
"@
    Set-Content -LiteralPath $scriptPath -Value $text -Encoding utf8
    $pwsh = Join-Path $PSHOME 'pwsh'
    $run = & $Runner -Name $Lab -FilePath $pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $scriptPath, $Uri, $resultPath
    if ($run.ExitCode -ne 0 -or -not (Test-Path -LiteralPath $resultPath)) {
        throw "pwsh inside lab $Lab failed (exit $($run.ExitCode)):`n$($run.Output)`n$($run.Error)"
    }
    Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
}

function Get-KimchiLabLink {
    <# The links of the lab's namespace as `ip -d -json link show` reports them (optionally one device). #>
    param([Parameter(Mandatory)] [string] $Lab, [string] $Device)
    $argv = @('-d', '-json', 'link', 'show')
    if ($Device) { $argv += 'dev', $Device }
    $run = Invoke-InKimchiLab -Name $Lab -FilePath ip -ArgumentList $argv
    if ($run.ExitCode -ne 0) { return @() }
    @($run.Output | ConvertFrom-Json)
}

function Invoke-KimchiLabIpChecked {
    <# ip inside the lab's network namespace; throws with ip's stderr when it fails, returns stdout. #>
    param([Parameter(Mandatory)] [string] $Lab, [Parameter(Mandatory)] [string[]] $ArgumentList)
    $run = Invoke-InKimchiLab -Name $Lab -FilePath ip -ArgumentList $ArgumentList
    if ($run.ExitCode -ne 0) { throw "ip $($ArgumentList -join ' ') failed in lab ${Lab}: $($run.Error)" }
    $run.Output
}

function Invoke-KimchiLabHostChecked {
    <# A program in the machine's own namespaces (e.g. ip netns add/exec for a client namespace); throws with its stderr when it fails, returns stdout. #>
    param([Parameter(Mandatory)] [string] $FilePath, [Parameter(Mandatory)] [string[]] $ArgumentList)
    $run = Invoke-KimchiLabProcess -FilePath $FilePath -ArgumentList $ArgumentList -TimeoutSeconds 60
    if ($run.ExitCode -ne 0) { throw "$FilePath $($ArgumentList -join ' ') failed (exit $($run.ExitCode)): $($run.Error.Trim())" }
    $run.Output
}

function Invoke-KimchiLabVirshChecked {
    <# virsh against the lab; throws with virsh's stderr when it fails, returns stdout. #>
    param([Parameter(Mandatory)] [string] $Lab, [Parameter(Mandatory)] [string[]] $ArgumentList)
    $run = Invoke-KimchiLabVirsh -Name $Lab -ArgumentList $ArgumentList
    if ($run.ExitCode -ne 0) { throw "virsh $($ArgumentList -join ' ') failed on lab $Lab (exit $($run.ExitCode)): $($run.Error.Trim())" }
    $run.Output
}

function Start-KimchiLabGuest {
    <#
        Defines a tiny guest (New-KimchiLabGuestXml: TCG, 64 MiB, no disk) whose one NIC is
        <interface type='network'> on -Network, and starts it. A failed define throws; the result of
        `virsh start` (ExitCode, Output, Error) is returned as is, so a test can assert that libvirt
        refuses a guest.
    #>
    param(
        [Parameter(Mandatory)] [string] $Lab,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $Network,
        [Parameter(Mandatory)] [string] $Folder
    )
    $file = Join-Path $Folder "guest-$Name.xml"
    New-KimchiLabGuestXml -Name $Name -Network $Network -Path $file | Out-Null
    Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'define', $file | Out-Null
    Invoke-KimchiLabVirsh -Name $Lab -ArgumentList 'start', $Name
}

function Get-KimchiLabGuestNic {
    <#
        A guest's NICs as `virsh domiflist` prints them (Interface = the host-side device libvirt made,
        Type, Source, Model, MAC): libvirt's own account, not KimchiNet's.
    #>
    param([Parameter(Mandatory)] [string] $Lab, [Parameter(Mandatory)] [string] $Guest)
    $text = Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'domiflist', $Guest
    foreach ($line in $text -split "`n") {
        $cols = @($line.Trim() -split '\s+' | Where-Object { $_ })
        if ($cols.Count -lt 5) { continue }
        [pscustomobject]@{ Interface = $cols[0]; Type = $cols[1]; Source = $cols[2]; Model = $cols[3]; MAC = $cols[4] }
    }
}

function Get-KimchiLabProcess {
    <#
        The processes in the lab's network namespace (`ip netns pids kn-LAB`), each with its Pid and
        its argument list read from /proc/<pid>/cmdline. Processes that end meanwhile, and zombies
        (empty cmdline), are left out.
    #>
    param([Parameter(Mandatory)] [string] $Lab)
    $run = Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'pids', "kn-$Lab"
    if ($run.ExitCode -ne 0) { throw "ip netns pids kn-$Lab failed (exit $($run.ExitCode)): $($run.Error.Trim())" }
    foreach ($id in @($run.Output -split '\s+' | Where-Object { $_ -match '^[0-9]+$' })) {
        $raw = try { [System.IO.File]::ReadAllText("/proc/$id/cmdline") } catch { '' }
        if (-not $raw) { continue }
        [pscustomobject]@{ Pid = [int] $id; Argv = [string[]] @($raw.TrimEnd([char] 0) -split [char] 0) }
    }
}

function Get-KimchiLabDnsmasq {
    <#
        The dnsmasq process(es) of libvirt network -Network in the lab: a process of the lab's
        namespace whose program is dnsmasq and whose --conf-file= argument names <Network>.conf.
        libvirt writes that file on the lab's private tmpfs (/var/lib/libvirt is not the machine's),
        so it is read through the process's own root, /proc/<pid>/root/<path>, which resolves in the
        process's mount namespace. Returns Pid, Argv, ConfigPath and Config (the file's text).
    #>
    param([Parameter(Mandatory)] [string] $Lab, [Parameter(Mandatory)] [string] $Network)
    foreach ($p in @(Get-KimchiLabProcess -Lab $Lab)) {
        if ([System.IO.Path]::GetFileName($p.Argv[0]) -ne 'dnsmasq') { continue }
        $conf = @($p.Argv | Where-Object { $_ -like '--conf-file=*' } | ForEach-Object { $_.Substring('--conf-file='.Length) })
        if ($conf.Count -ne 1 -or [System.IO.Path]::GetFileName($conf[0]) -ne "$Network.conf") { continue }
        [pscustomobject]@{
            Pid        = $p.Pid
            Argv       = $p.Argv
            ConfigPath = $conf[0]
            Config     = [System.IO.File]::ReadAllText("/proc/$($p.Pid)/root$($conf[0])")
        }
    }
}

function Get-KimchiLabDnsmasqServer {
    <#
        The one dnsmasq server process of -Network (what Get-KimchiLabDnsmasq returns for it):
        dnsmasq forks a helper for libvirt's lease script, so the server is the one whose parent is
        not a dnsmasq of the set. Throws unless there is exactly one.
    #>
    param([Parameter(Mandatory)] [string] $Lab, [Parameter(Mandatory)] [string] $Network)
    $all = @(Get-KimchiLabDnsmasq -Lab $Lab -Network $Network)
    $pids = @($all | ForEach-Object Pid)
    $server = @($all | Where-Object {
            $parent = [int] ((Get-Content -LiteralPath "/proc/$($_.Pid)/status" | Where-Object { $_ -like 'PPid:*' }) -replace '\D', '')
            $parent -notin $pids
        })
    if ($server.Count -ne 1) { throw "expected one dnsmasq server process for network $Network in lab $Lab, found $($server.Count) (of $($all.Count) dnsmasq processes)" }
    $server[0]
}

function Get-KimchiLabBridgePort {
    <# -Device as a bridge port (ifname, master, state...), from the lab kernel's own account (`bridge -json link show`); none when it is no port. #>
    param([Parameter(Mandatory)] [string] $Lab, [Parameter(Mandatory)] [string] $Device)
    $run = Invoke-InKimchiLab -Name $Lab -FilePath bridge -ArgumentList '-json', 'link', 'show'
    if ($run.ExitCode -ne 0) { throw "bridge -json link show failed in lab ${Lab}: $($run.Error)" }
    @($run.Output | ConvertFrom-Json | Where-Object ifname -EQ $Device)
}

function Get-KimchiSetWhatIfText {
    <# What `Set-KimchiNetwork -Uri URI ARGUMENTS -WhatIf` writes: -WhatIf writes to the host, so a child pwsh runs it and its output is returned as one text. #>
    param([Parameter(Mandatory)] [string] $Uri, [Parameter(Mandatory)] [string] $Arguments)
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../KimchiNet.psd1')).ProviderPath
    $command = "Import-Module '$manifest'; Set-KimchiNetwork -Uri '$Uri' $Arguments -WhatIf"
    (& (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $command 2>&1) -join "`n"
}

Export-ModuleMember -Function New-KimchiTestHost, Invoke-Collecting, Get-KimchiHostSnapshot, Assert-KimchiLabCapable, Start-KimchiTestLab, Stop-KimchiTestLab, Invoke-KimchiNetInLab, Get-KimchiLabLink, Invoke-KimchiLabIpChecked, Invoke-KimchiLabHostChecked, Invoke-KimchiLabVirshChecked,
    Start-KimchiLabGuest, Get-KimchiLabGuestNic, Get-KimchiLabProcess, Get-KimchiLabDnsmasq, Get-KimchiLabDnsmasqServer,
    Get-KimchiLabBridgePort, Get-KimchiSetWhatIfText
