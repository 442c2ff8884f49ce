#Requires -Version 7.2
<#
    KimchiLab: PowerShell front end of tests/lab/lab-host for KimchiNet end-to-end tests.

    Start-KimchiLab      start one or more isolated lab hosts (in parallel)
    Stop-KimchiLab       stop lab hosts by name, or all of them
    Get-KimchiLabUri     the libvirt URI of a lab host
    Invoke-InKimchiLab   run a program inside a lab host's network namespace
    Invoke-KimchiLabVirsh  run virsh against a lab host's libvirtd
    Invoke-KimchiLabProcess  run a program on the machine side (argument list, output + exit code)
    New-KimchiLabGuestXml  domain XML of a tiny TCG guest with one NIC

    Every external program is started with an argument list (ProcessStartInfo.ArgumentList),
    never through a shell string.
#>
Set-StrictMode -Version Latest

$script:LabHost = Join-Path $PSScriptRoot 'lab-host'
$script:LabRoot = '/run/kimchinet-lab'
$script:NamePattern = '^[a-z0-9][a-z0-9_-]{0,30}$'

function Start-KimchiLabProcess {
    # Starts a program without waiting; stdout/stderr are read asynchronously so a
    # chatty program can never block on a full pipe.
    param(
        [Parameter(Mandatory)][string]$FilePath,
        [string[]]$ArgumentList = @(),
        [string]$WorkingDirectory
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    # default: PowerShell's current file-system location, not the process cwd
    if (-not $WorkingDirectory) { $WorkingDirectory = (Get-Location -PSProvider FileSystem).ProviderPath }
    $psi.WorkingDirectory = $WorkingDirectory
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.Close()
    [pscustomobject]@{
        Process   = $p
        Stdout    = $p.StandardOutput.ReadToEndAsync()
        Stderr    = $p.StandardError.ReadToEndAsync()
        Stopwatch = $sw
        Command   = (@($FilePath) + $ArgumentList) -join ' '
    }
}

function Wait-KimchiLabProcess {
    param(
        [Parameter(Mandatory)]$Handle,
        [int]$TimeoutSeconds = 120
    )
    $p = $Handle.Process
    if (-not $p.WaitForExit($TimeoutSeconds * 1000)) {
        try { $p.Kill($true) } catch { }
        $p.WaitForExit()
        throw "Timed out after $TimeoutSeconds s: $($Handle.Command)"
    }
    $p.WaitForExit()   # flush the asynchronous readers
    $Handle.Stopwatch.Stop()
    [pscustomobject]@{
        ExitCode = $p.ExitCode
        Output   = $Handle.Stdout.GetAwaiter().GetResult()
        Error    = $Handle.Stderr.GetAwaiter().GetResult()
        Seconds  = [math]::Round($Handle.Stopwatch.Elapsed.TotalSeconds, 3)
        Command  = $Handle.Command
    }
    $p.Dispose()
}

function Invoke-KimchiLabProcess {
    param(
        [Parameter(Mandatory)][string]$FilePath,
        [string[]]$ArgumentList = @(),
        [int]$TimeoutSeconds = 120,
        [string]$WorkingDirectory
    )
    Wait-KimchiLabProcess -Handle (Start-KimchiLabProcess -FilePath $FilePath -ArgumentList $ArgumentList -WorkingDirectory $WorkingDirectory) -TimeoutSeconds $TimeoutSeconds
}

function Assert-KimchiLabName([string]$Name) {
    if ($Name -cnotmatch $script:NamePattern) {
        throw "Invalid lab name '$Name' (1-31 chars of a-z 0-9 _ -, starting with a letter or digit)."
    }
}

function Get-KimchiLabUri {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory, ValueFromPipelineByPropertyName)][string]$Name)
    process {
        Assert-KimchiLabName $Name
        "qemu+unix:///system?socket=$script:LabRoot/$Name/sock/libvirt-sock"
    }
}

function Start-KimchiLab {
    <#
    .SYNOPSIS
        Starts isolated lab hosts (netns kn-NAME, NICs eth1..ethN, private libvirtd).
    .DESCRIPTION
        All hosts start in parallel (one lab-host process each). If any of them fails,
        the ones that did start are stopped again and an error is thrown, so a caller
        never has to clean up after a half-started lab.
    .OUTPUTS
        Objects with Name, Namespace, Uri, StartupSeconds, Nics.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string[]]$Name,
        [ValidateRange(1, 64)][int]$Nics = 4,
        [int]$TimeoutSeconds = 120,
        # libvirtd under a supervisor that restarts it when it dies (lab-host up --supervise); see
        # Get-KimchiLabDaemonCrash and Invoke-KimchiLabRetryAfterCrash.
        [switch]$Supervise
    )
    foreach ($n in $Name) { Assert-KimchiLabName $n }
    if (@($Name | Select-Object -Unique).Count -ne $Name.Count) { throw "Duplicate lab names: $($Name -join ', ')" }

    $handles = [ordered]@{}
    foreach ($n in $Name) {
        $handles[$n] = Start-KimchiLabProcess -FilePath $script:LabHost -ArgumentList (@('up', $n, '--nics', "$Nics") + @(if ($Supervise) { '--supervise' }))
    }
    $results = [ordered]@{}
    foreach ($n in $Name) {
        try {
            $results[$n] = Wait-KimchiLabProcess -Handle $handles[$n] -TimeoutSeconds $TimeoutSeconds
        }
        catch {
            $results[$n] = [pscustomobject]@{ ExitCode = -1; Output = ''; Error = "$_"; Seconds = 0 }
        }
    }
    $failed = @($Name | Where-Object { $results[$_].ExitCode -ne 0 })
    if ($failed.Count -gt 0) {
        $started = @($Name | Where-Object { $results[$_].ExitCode -eq 0 })
        if ($started.Count -gt 0) { Stop-KimchiLab -Name $started }
        $detail = ($failed | ForEach-Object { "[$_] exit $($results[$_].ExitCode): $($results[$_].Error.Trim())" }) -join "`n"
        throw "Start-KimchiLab failed for $($failed -join ', '):`n$detail"
    }
    foreach ($n in $Name) {
        $r = $results[$n]
        $uri = ($r.Output -split "`n" | Where-Object { $_ -like 'qemu+unix://*' } | Select-Object -Last 1)
        if (-not $uri) { throw "lab-host up $n printed no URI: $($r.Output) $($r.Error)" }
        Write-Verbose $r.Error.Trim()
        [pscustomobject]@{
            PSTypeName     = 'KimchiLab.Host'
            Name           = $n
            Namespace      = "kn-$n"
            Uri            = $uri.Trim()
            StartupSeconds = $r.Seconds
            Nics           = $Nics
        }
    }
}

function Stop-KimchiLab {
    <#
    .SYNOPSIS
        Stops lab hosts (idempotent): by name, or -All (every kn-* namespace / state dir).
    #>
    [CmdletBinding(DefaultParameterSetName = 'ByName')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'ByName', ValueFromPipelineByPropertyName)][string[]]$Name,
        [Parameter(Mandatory, ParameterSetName = 'All')][switch]$All,
        [Parameter(ParameterSetName = 'All')][switch]$Purge
    )
    begin { $names = [System.Collections.Generic.List[string]]::new() }
    process { if ($PSCmdlet.ParameterSetName -eq 'ByName') { foreach ($n in $Name) { Assert-KimchiLabName $n; $names.Add($n) } } }
    end {
        if ($All) {
            $argv = @('down-all')
            if ($Purge) { $argv += '--purge' }
            $r = Invoke-KimchiLabProcess -FilePath $script:LabHost -ArgumentList $argv
            Write-Verbose $r.Error.Trim()
            if ($r.ExitCode -ne 0) { throw "lab-host down-all failed ($($r.ExitCode)): $($r.Error.Trim())" }
            return
        }
        $handles = @(foreach ($n in $names) { Start-KimchiLabProcess -FilePath $script:LabHost -ArgumentList @('down', $n) })
        $errors = @(foreach ($h in $handles) {
                $r = Wait-KimchiLabProcess -Handle $h
                Write-Verbose $r.Error.Trim()
                if ($r.ExitCode -ne 0) { "$($r.Command): exit $($r.ExitCode): $($r.Error.Trim())" }
            })
        if ($errors.Count -gt 0) { throw "Stop-KimchiLab: $($errors -join "`n")" }
    }
}

function Invoke-InKimchiLab {
    <#
    .SYNOPSIS
        Runs a program inside a lab host's network namespace (ip netns exec kn-NAME ...).
    .OUTPUTS
        An object with ExitCode, Output (stdout), Error (stderr), Seconds, Command.
    .EXAMPLE
        Invoke-InKimchiLab -Name lab1 -FilePath ip -ArgumentList '-d', 'link', 'show'
    .EXAMPLE
        Invoke-InKimchiLab -Name lab1 -FilePath dotnet -ArgumentList 'pwsh', '-NoProfile', '-File', 'test.ps1' -WorkingDirectory /work/wt-lab
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][string]$FilePath,
        [string[]]$ArgumentList = @(),
        [int]$TimeoutSeconds = 300,
        [string]$WorkingDirectory
    )
    Assert-KimchiLabName $Name
    Invoke-KimchiLabProcess -FilePath 'ip' -ArgumentList (@('netns', 'exec', "kn-$Name", $FilePath) + $ArgumentList) `
        -TimeoutSeconds $TimeoutSeconds -WorkingDirectory $WorkingDirectory
}

function Invoke-KimchiLabVirsh {
    <#
    .SYNOPSIS
        Runs virsh against a lab host's libvirtd (from outside the namespace, through its socket).
    .EXAMPLE
        Invoke-KimchiLabVirsh -Name lab1 -ArgumentList 'net-list', '--all', '--name'
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][string[]]$ArgumentList,
        [int]$TimeoutSeconds = 120
    )
    Invoke-KimchiLabProcess -FilePath 'virsh' -ArgumentList (@('-q', '-c', (Get-KimchiLabUri -Name $Name)) + $ArgumentList) -TimeoutSeconds $TimeoutSeconds
}

function New-KimchiLabGuestXml {
    <#
    .SYNOPSIS
        Domain XML of a tiny TCG guest: type='qemu', 64 MiB, no disk, VNC on 127.0.0.1,
        one virtio NIC on a libvirt network, a host bridge, or a direct (macvtap) source.
    .EXAMPLE
        New-KimchiLabGuestXml -Name g1 -Network vepa1 -Path /tmp/g1.xml
        New-KimchiLabGuestXml -Name g2 -DirectDevice eth3 -DirectMode vepa
        New-KimchiLabGuestXml -Name g3 -Bridge br-eth4
    #>
    [CmdletBinding(DefaultParameterSetName = 'Network')]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)][ValidatePattern('^[A-Za-z0-9_.-]+$')][string]$Name,
        [Parameter(Mandatory, ParameterSetName = 'Network')][string]$Network,
        [Parameter(Mandatory, ParameterSetName = 'Bridge')][string]$Bridge,
        [Parameter(Mandatory, ParameterSetName = 'Direct')][string]$DirectDevice,
        [Parameter(ParameterSetName = 'Direct')][ValidateSet('vepa', 'bridge', 'private', 'passthrough')][string]$DirectMode = 'vepa',
        [ValidateRange(16, 4096)][int]$MemoryMiB = 64,
        [ValidatePattern('^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$')][string]$MacAddress,
        [string]$Path
    )
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.OmitXmlDeclaration = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $sb = [System.Text.StringBuilder]::new()
    $w = [System.Xml.XmlWriter]::Create($sb, $settings)
    try {
        $w.WriteStartElement('domain')
        $w.WriteAttributeString('type', 'qemu')
        $w.WriteElementString('name', $Name)
        $w.WriteStartElement('memory'); $w.WriteAttributeString('unit', 'MiB'); $w.WriteString("$MemoryMiB"); $w.WriteEndElement()
        $w.WriteElementString('vcpu', '1')
        $w.WriteStartElement('os')
        $w.WriteStartElement('type'); $w.WriteAttributeString('arch', 'x86_64'); $w.WriteString('hvm'); $w.WriteEndElement()
        $w.WriteEndElement()
        $w.WriteElementString('on_crash', 'destroy')
        $w.WriteStartElement('devices')
        $w.WriteStartElement('interface')
        switch ($PSCmdlet.ParameterSetName) {
            'Network' {
                $w.WriteAttributeString('type', 'network')
                $w.WriteStartElement('source'); $w.WriteAttributeString('network', $Network); $w.WriteEndElement()
            }
            'Bridge' {
                $w.WriteAttributeString('type', 'bridge')
                $w.WriteStartElement('source'); $w.WriteAttributeString('bridge', $Bridge); $w.WriteEndElement()
            }
            'Direct' {
                $w.WriteAttributeString('type', 'direct')
                $w.WriteStartElement('source'); $w.WriteAttributeString('dev', $DirectDevice); $w.WriteAttributeString('mode', $DirectMode); $w.WriteEndElement()
            }
        }
        if ($MacAddress) { $w.WriteStartElement('mac'); $w.WriteAttributeString('address', $MacAddress.ToLowerInvariant()); $w.WriteEndElement() }
        $w.WriteStartElement('model'); $w.WriteAttributeString('type', 'virtio'); $w.WriteEndElement()
        $w.WriteEndElement() # interface
        $w.WriteStartElement('graphics'); $w.WriteAttributeString('type', 'vnc'); $w.WriteAttributeString('listen', '127.0.0.1'); $w.WriteEndElement()
        $w.WriteEndElement() # devices
        $w.WriteEndElement() # domain
    }
    finally { $w.Dispose() }
    $xml = $sb.ToString()
    if ($Path) { [System.IO.File]::WriteAllText($Path, $xml, [System.Text.UTF8Encoding]::new($false)) }
    $xml
}

function Restart-KimchiLabDaemon {
    <#
    .SYNOPSIS
        Kills a lab's libvirtd as a crash would (lab-host kill-libvirtd) and, unless -KillOnly, starts it
        again on the same socket and state (lab-host start-libvirtd). -StartOnly starts a killed one.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Both')]
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(ParameterSetName = 'Kill')][switch]$KillOnly,
        [Parameter(ParameterSetName = 'Start')][switch]$StartOnly
    )
    Assert-KimchiLabName $Name
    $steps = if ($KillOnly) { @('kill-libvirtd') } elseif ($StartOnly) { @('start-libvirtd') } else { @('kill-libvirtd', 'start-libvirtd') }
    foreach ($step in $steps) {
        $r = Invoke-KimchiLabProcess -FilePath $script:LabHost -ArgumentList @($step, $Name)
        if ($r.ExitCode -ne 0) { throw "lab-host $step $Name failed ($($r.ExitCode)): $($r.Error.Trim())" }
    }
}

function Get-KimchiLabDaemonCrash {
    <#
    .SYNOPSIS
        The deaths of a supervised lab's libvirtd (Start-KimchiLab -Supervise), oldest first: the dead
        pid and the supervisor's record (how it died, what the kernel logged about libvirt meanwhile).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][string]$Name)
    Assert-KimchiLabName $Name
    $folder = Join-Path $script:LabRoot "$Name/crashes"
    if (-not (Test-Path -LiteralPath $folder)) { return }
    Get-ChildItem -LiteralPath $folder -Filter '*.txt' | Where-Object Name -Match '^[0-9]+\.txt$' |
        Sort-Object { [int]$_.BaseName } | ForEach-Object {
            $text = (Get-Content -LiteralPath $_.FullName -Raw).Trim()
            [pscustomobject]@{
                Number  = [int]$_.BaseName
                DeadPid = if ($text -match '^libvirtd pid (\d+) ') { [int]$Matches[1] } else { $null }
                Text    = $text
            }
        }
}

function Invoke-KimchiLabRetryAfterCrash {
    <#
    .SYNOPSIS
        Runs -ScriptBlock; when it fails and the lab's supervised libvirtd died under it, says so and runs
        -RetryScriptBlock (default: -ScriptBlock) once.
    .DESCRIPTION
        The proof that the daemon died is the supervisor's record of the very libvirtd pid that was
        running when the operation began (or a new record since then): its wait status, and the
        kernel's lines. Without such a record the error goes to the caller unchanged, so no error of
        KimchiNet is ever retried away; a failed retry goes to the caller too. The retry is announced
        with Write-Warning, quoting the record.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][scriptblock]$ScriptBlock,
        [scriptblock]$RetryScriptBlock = $ScriptBlock
    )
    Assert-KimchiLabName $Name
    $pidFile = Join-Path $script:LabRoot "$Name/libvirtd.pid"
    $daemonPid = try { [int](Get-Content -LiteralPath $pidFile -Raw).Trim() } catch { $null }
    $before = @(Get-KimchiLabDaemonCrash -Name $Name).Count
    try {
        return & $ScriptBlock
    }
    catch {
        $failure = $_
    }
    # The supervisor writes its record once it has reaped the daemon: give it up to 10 s when the pid is gone.
    $crash = $null
    for ($i = 0; $i -lt 100; $i++) {
        $crashes = @(Get-KimchiLabDaemonCrash -Name $Name)
        $crash = $crashes | Where-Object { ($null -ne $daemonPid -and $_.DeadPid -eq $daemonPid) -or $_.Number -gt $before } | Select-Object -Last 1
        if ($crash -or ($null -ne $daemonPid -and (Test-Path "/proc/$daemonPid"))) { break }
        Start-Sleep -Milliseconds 100
    }
    if (-not $crash) { throw $failure }
    Write-Warning "Retrying once: the lab's libvirtd died under this operation, which failed with: $($failure.Exception.Message)`n$($crash.Text)"
    & $RetryScriptBlock
}

Export-ModuleMember -Function Get-KimchiLabDaemonCrash, Invoke-KimchiLabRetryAfterCrash, Restart-KimchiLabDaemon, Invoke-KimchiLabProcess, Start-KimchiLab, Stop-KimchiLab, Get-KimchiLabUri, Invoke-InKimchiLab, Invoke-KimchiLabVirsh, New-KimchiLabGuestXml
