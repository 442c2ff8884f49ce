$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Scale and concurrency of New-KimchiNetwork against a REAL libvirtd (a lab host, see
    tests/lab/README.md):

    - libvirt names bridges virbr0..virbr255 itself and refuses the next network that needs a name;
      KimchiNet names the bridge itself, so the 257th and the 2,000th isolated network are created
      (seeds are defined with explicit bridges through the core's LibvirtConnection, which is fast);
    - 8 runspaces x 25 nat networks with automatic subnets in one process, and 2 pwsh processes x 20,
      end with every subnet distinct and non-overlapping (computed here from `virsh net-dumpxml`);
    - 2 processes that do not share the lock file (as two machines would not) still end without
      overlaps: the check after define undoes and re-plans a network that lost a race.

    libvirt 9.0's libvirtd (Debian 12) now and then corrupts its own memory under this load and dies
    (seen: a general protection fault in virObjectUnref in an rpc-libvirtd worker; SIGABRT "malloc():
    smallbin double linked list corrupted" in its main loop). No client call may do that to a daemon, and
    KimchiNet's binding was checked for misuse (none found: no event or close callbacks, handles freed
    once, a connection closed only after its last call returned). What triggers it is several interface
    calls served at once (see the last Describe): KimchiNet now lists interfaces one at a time per
    process, but two processes, or any other client, still can. The concurrent cases therefore run their
    lab's libvirtd under a supervisor that restarts it, as systemd does on a real host (Restart=on-failure). An operation is retried only when the supervisor's record
    proves that the daemon it was talking to died (Invoke-KimchiLabRetryAfterCrash), the retry is
    announced, and every death is reported as a warning with its record; any other error fails the test.

    A machine that cannot run labs FAILS these tests with the reason; KIMCHINET_SKIP_LAB=1 skips them.
    The 2,000-network case is tagged LabSlow and runs only with KIMCHINET_SLOW=1.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
    # The 2,000-network case adds 10-15 s (1,741 seeds, then a create that reads 1,999 networks
    # three times): tagged LabSlow, it runs only with KIMCHINET_SLOW=1.
    $SkipSlow = $env:KIMCHINET_SLOW -ne '1'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../../KimchiNet.psd1')).ProviderPath

    function Get-AllNetwork([string] $Lab) {
        @((Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'net-list', '--all', '--name') -split "`n" |
                ForEach-Object Trim | Where-Object { $_ })
    }

    function Add-SeedNetwork([string] $Uri, [int] $From, [int] $To, [int] $BridgeOffset = 0) {
        # Isolated networks seedN on 10.X.Y.0/24 with explicit bridges virbr(N+offset), defined straight
        # through libvirt: ~3 ms each where `virsh net-define` would spawn a process per network.
        $connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($Uri)
        for ($n = $From; $n -le $To; $n++) {
            $xml = "<network><name>seed$n</name><bridge name='virbr$($n + $BridgeOffset)'/>" +
                "<ip address='10.$([math]::Floor($n / 256)).$($n % 256).1' netmask='255.255.255.0'/></network>"
            $connection.DefineNetwork($xml) | Out-Null
        }
    }

    function ConvertTo-AddressNumber([string] $Address) {
        $b = [System.Net.IPAddress]::Parse($Address).GetAddressBytes()
        ([uint64]$b[0] -shl 24) + ([uint64]$b[1] -shl 16) + ([uint64]$b[2] -shl 8) + [uint64]$b[3]
    }

    function Get-LabNetworkLayout([string] $Lab, [string[]] $Network) {
        # One virsh process runs `net-dumpxml` for every network (virsh takes ';'-separated commands);
        # each network's first and last address come from its <ip address netmask>, computed here.
        $commands = ($Network | ForEach-Object { "net-dumpxml $_" }) -join ' ; '
        $out = Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList $commands
        $documents = [regex]::Matches($out, '(?s)<network\b.*?</network>')
        $documents.Count | Should -Be $Network.Count
        foreach ($document in $documents) {
            $xml = [xml]$document.Value
            $ip = $xml.network.ip
            $address = ConvertTo-AddressNumber $ip.address
            $mask = ConvertTo-AddressNumber $ip.netmask
            $first = $address -band $mask
            [pscustomobject]@{
                Name   = $xml.network.name
                Bridge = $xml.network.bridge.name
                First  = $first
                Last   = $first + (4294967295 - $mask)
                Subnet = "$($ip.address)/$($ip.netmask)"
            }
        }
    }

    function Assert-NoOverlap([object[]] $Layout) {
        # Sorted by first address, no network may start at or before the previous one's last address.
        $sorted = @($Layout | Sort-Object First)
        for ($i = 1; $i -lt $sorted.Count; $i++) {
            $previous = $sorted[$i - 1]
            $sorted[$i].First | Should -BeGreaterThan $previous.Last -Because "$($sorted[$i].Name) ($($sorted[$i].Subnet)) must not overlap $($previous.Name) ($($previous.Subnet))"
        }
        $dupes = @($Layout | Group-Object Bridge | Where-Object Count -GT 1 | ForEach-Object { "$($_.Name): $($_.Group.Name -join ', ')" })
        $dupes | Should -BeNullOrEmpty -Because 'every network needs a bridge of its own'
    }

    $script:labModule = (Resolve-Path (Join-Path $PSScriptRoot '../../lab/KimchiLab.psm1')).ProviderPath

    # The create of one network, retried once only after a proven death of the lab's libvirtd (see the
    # note at the top); a retry first removes what the failed attempt may have defined before the daemon died.
    # (A string, so that runspaces and child processes make their own: [scriptblock]::Create.)
    # -Verbose passes libvirt's call log (verbose records) through with the output.
    $script:createOnce = {
        [CmdletBinding()]
        param([string] $Lab, [string] $Uri, [string] $Name)
        $create = { New-KimchiNetwork -Uri $Uri -Name $Name -Connection Nat -ErrorAction Stop 4>&1 }.GetNewClosure()
        Invoke-KimchiLabRetryAfterCrash -Name $Lab -ScriptBlock $create -RetryScriptBlock {
            if (Get-KimchiNetwork -Uri $Uri -Name $Name -ErrorAction SilentlyContinue) {
                Remove-KimchiNetwork -Uri $Uri -Name $Name -Force -Confirm:$false -ErrorAction Stop 4>&1
            }
            & $create
        }.GetNewClosure()
    }.ToString()

    $script:creatorScript = @'
param([string] $Manifest, [string] $LabModule, [string] $Lab, [string] $Uri, [string] $Prefix, [int] $Count, [string] $GoFile, [string] $CreateOnce)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
Import-Module $LabModule
$create = [scriptblock]::Create($CreateOnce)
# Start together: wait until the test has started both processes.
while (-not (Test-Path $GoFile)) { Start-Sleep -Milliseconds 10 }
$defines = 0; $undefines = 0; $errors = @(); $retries = @()
for ($i = 0; $i -lt $Count; $i++) {
    try {
        foreach ($record in (& $create -Lab $Lab -Uri $Uri -Name "$Prefix$i" -Verbose -WarningVariable retried)) {
            if ($record -is [System.Management.Automation.VerboseRecord]) {
                if ($record.Message -like 'libvirt virNetworkDefineXML(*') { $defines++ }
                if ($record.Message -like 'libvirt virNetworkUndefine(*') { $undefines++ }
            }
        }
        if ($retried) { $retries += "$Prefix${i}: $($retried -join ' ')" }
    }
    catch { $errors += "$Prefix${i}: $($_.Exception.Message)" }
}
[pscustomobject]@{ Prefix = $Prefix; Defines = $defines; Undefines = $undefines; Errors = @($errors); Retries = @($retries) } | ConvertTo-Json -Compress
'@

    function Invoke-TwoCreatorProcess([string] $Lab, [string] $Uri, [string] $Folder, [hashtable] $LockDirs) {
        # Two `dotnet pwsh` processes, each creating 20 nat networks, started together.
        New-Item -ItemType Directory -Path $Folder -Force | Out-Null
        $script = Join-Path $Folder 'creator.ps1'
        Set-Content -Path $script -Value $script:creatorScript
        $go = Join-Path $Folder 'go'
        $handles = foreach ($prefix in $LockDirs.Keys | Sort-Object) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
            foreach ($a in 'pwsh', '-NoProfile', '-NonInteractive', '-File', $script, $manifest, $script:labModule, $Lab, $Uri, $prefix, '20', $go, $script:createOnce) { $psi.ArgumentList.Add($a) }
            # A lock folder of its own makes a process a "machine" of its own.
            $psi.Environment['KIMCHINET_LOCK_DIR'] = $LockDirs[$prefix]
            $psi.UseShellExecute = $false
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $process = [System.Diagnostics.Process]::Start($psi)
            [pscustomobject]@{ Process = $process; Stdout = $process.StandardOutput.ReadToEndAsync(); Stderr = $process.StandardError.ReadToEndAsync(); Prefix = $prefix }
        }
        Set-Content -Path $go -Value 'go'
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        foreach ($handle in $handles) {
            if (-not $handle.Process.WaitForExit(240000)) {
                foreach ($h in $handles) { $h.Process.Kill($true) }
                throw "creator process $($handle.Prefix) did not finish within 240 s"
            }
            $handle.Process.WaitForExit()
            $stdout = $handle.Stdout.GetAwaiter().GetResult()
            $handle.Process.ExitCode | Should -Be 0 -Because "creator process $($handle.Prefix) failed: $($handle.Stderr.GetAwaiter().GetResult())"
            $result = ($stdout.Trim() -split "`n")[-1] | ConvertFrom-Json
            Add-Member -InputObject $result -NotePropertyName Seconds -NotePropertyValue $clock.Elapsed.TotalSeconds
            @($result.Retries) | ForEach-Object { Write-Warning "process $($result.Prefix) retried after the lab's libvirtd died: $_" }
            $result
            $handle.Process.Dispose()
        }
    }
}

Describe 'Lab: bridge names past libvirt''s 256' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID-s" -Nics 1
        $lab, $uri = $started.Name, $started.Uri
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Add-SeedNetwork -Uri $uri -From 0 -To 255
        Write-Host "256 seed networks (virbr0..virbr255) defined in $([math]::Round($clock.Elapsed.TotalSeconds, 2)) s"
    }

    AfterAll { Stop-KimchiTestLab -CloseConnection }

    It 'New-KimchiNetwork -Connection Isolated creates and starts the 257th network on bridge virbr256' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $network = New-KimchiNetwork -Uri $uri -Name iso257 -Connection Isolated -Start
        Write-Host "257th network created and started in $([math]::Round($clock.Elapsed.TotalSeconds, 2)) s"

        $xml = [xml](Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', 'iso257')
        $xml.network.bridge.name | Should -BeExactly 'virbr256'
        $network.BridgeName | Should -BeExactly 'virbr256'
        @(Get-AllNetwork $lab).Count | Should -Be 257
        # The kernel made the bridge in the lab's namespace, with the planned gateway on it.
        $link = Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList '-o', '-4', 'addr', 'show', 'dev', 'virbr256'
        $link.ExitCode | Should -Be 0
        $link.Output | Should -Match ([regex]::Escape("inet $($network.Gateway)/24"))
    }

    It 'libvirt itself refuses the next network that leaves the bridge name to it (virbr%d stops at virbr256)' {
        $file = Join-Path $TestDrive 'nobridge.xml'
        Set-Content -Path $file -Value "<network><name>nobridge</name><ip address='172.31.0.1' netmask='255.255.255.0'/></network>"
        $run = Invoke-KimchiLabVirsh -Name $lab -ArgumentList 'net-define', $file
        $run.ExitCode | Should -Not -Be 0
        $run.Error | Should -Match 'Bridge generation exceeded max id 256'
        Get-AllNetwork $lab | Should -Not -Contain 'nobridge'
    }

    It 'New-KimchiNetwork creates the 258th network there, on virbr257' {
        $network = New-KimchiNetwork -Uri $uri -Name iso258 -Connection Nat
        ([xml](Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', 'iso258')).network.bridge.name | Should -BeExactly 'virbr257'
        $network.BridgeName | Should -BeExactly 'virbr257'
        @(Get-AllNetwork $lab).Count | Should -Be 258
    }

    It 'creates the 2,000th network on the lowest free bridge name' -Tag 'LabSlow' -Skip:$SkipSlow {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        # seeds 258..1998 on virbr258..virbr1998: 1,999 networks, virbr0..virbr1998 taken
        Add-SeedNetwork -Uri $uri -From 258 -To 1998
        $seeded = $clock.Elapsed.TotalSeconds
        $clock.Restart()
        $network = New-KimchiNetwork -Uri $uri -Name iso2000 -Connection Isolated
        $created = $clock.Elapsed.TotalSeconds
        Write-Host ('1,741 more seeds in {0:N2} s; 2,000th network created in {1:N2} s' -f $seeded, $created)

        @(Get-AllNetwork $lab).Count | Should -Be 2000
        $xml = [xml](Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', 'iso2000')
        $xml.network.bridge.name | Should -BeExactly 'virbr1999'
        $network.BridgeName | Should -BeExactly 'virbr1999'
        # The planned subnet overlaps none of the 1,999 others: the seeds are 10.X.Y.0/24 for
        # X*256+Y = 0..1998 (10.0.0.0 - 10.7.206.255, a stand-in network made from it joins the
        # check), the other three networks KimchiNet planned are read back with virsh.
        $seeds = [pscustomobject]@{ Name = 'seed0..seed1998'; Bridge = 'virbr0..virbr1998'; Subnet = '10.0.0.0 - 10.7.206.255'
            First = (ConvertTo-AddressNumber '10.0.0.0'); Last = (ConvertTo-AddressNumber '10.7.206.255') }
        Assert-NoOverlap (@(Get-LabNetworkLayout -Lab $lab -Network 'iso257', 'iso258', 'iso2000') + $seeds)

        $started = Invoke-KimchiLabVirsh -Name $lab -ArgumentList 'net-start', 'iso2000'
        $started.ExitCode | Should -Be 0 -Because $started.Error
        (Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList 'link', 'show', 'dev', 'virbr1999').ExitCode | Should -Be 0
    }
}

Describe 'Lab: concurrent creators on one libvirtd' -Tag 'Lab' -Skip:$SkipLab {
    BeforeEach {
        # Each test gets a lab host of its own (0.2-0.5 s), so it starts from an empty libvirtd and
        # nothing one test leaves behind (200 running networks) reaches the next.
        $started = Start-KimchiTestLab -Name "e2e$PID-c" -Nics 1 -Supervise
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterEach {
        # Every death of the lab's libvirtd during the test, as the supervisor recorded it, so that a crash
        # of the daemon is never mistaken for one of KimchiNet, nor goes unmentioned.
        foreach ($crash in @(Get-KimchiLabDaemonCrash -Name $lab)) {
            Write-Warning "The lab's libvirtd died during this test and its supervisor restarted it (libvirt's bug, see the note in this file): $($crash.Text)"
        }
        Stop-KimchiTestLab -CloseConnection
    }

    It '8 runspaces x 25 New-KimchiNetwork -Connection Nat give 200 networks without overlaps or errors' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $createOnce = $script:createOnce
        $results = 0..7 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:manifest
            Import-Module $using:labModule
            $create = [scriptblock]::Create($using:createOnce)
            $runspace = $_
            for ($i = 0; $i -lt 25; $i++) {
                $name = "r$runspace-$i"
                try {
                    & $create -Lab $using:lab -Uri $using:uri -Name $name | Out-Null
                    [pscustomobject]@{ Name = $name; Error = $null }
                }
                catch { [pscustomobject]@{ Name = $name; Error = $_.Exception.Message } }
            }
        }
        $seconds = $clock.Elapsed.TotalSeconds
        Write-Host ('8 runspaces x 25 nat networks: {0:N2} s' -f $seconds)

        @($results | Where-Object Error | ForEach-Object { "$($_.Name): $($_.Error)" }) | Should -BeNullOrEmpty
        $names = @(Get-AllNetwork $lab)
        $names.Count | Should -Be 200
        $layout = @(Get-LabNetworkLayout -Lab $lab -Network $names)
        @($layout | Select-Object -ExpandProperty Subnet -Unique).Count | Should -Be 200
        Assert-NoOverlap $layout
    }

    It '2 pwsh processes x 20 sharing the machine''s lock file: 40 networks, no overlap, no define repeated' {
        $dir = Join-Path $TestDrive 'shared-lock'
        $results = @(Invoke-TwoCreatorProcess -Lab $lab -Uri $uri -Folder (Join-Path $TestDrive 'shared') -LockDirs @{ a = $dir; b = $dir })
        $results | ForEach-Object { Write-Host ('process {0}: {1} defines, {2} undefines, {3:N2} s' -f $_.Prefix, $_.Defines, $_.Undefines, $_.Seconds) }

        $results | ForEach-Object { @($_.Errors) | Should -BeNullOrEmpty }
        $names = @(Get-AllNetwork $lab)
        $names.Count | Should -Be 40
        Assert-NoOverlap @(Get-LabNetworkLayout -Lab $lab -Network $names)
        # Under the shared lock no process ever plans a subnet the other just took: one define per
        # network, nothing undone. (The next test shows the retries this lock saves.) A create retried
        # after the daemon died may have removed and defined its network again: then only the balance holds.
        foreach ($result in $results) {
            if (@($result.Retries).Count -eq 0) {
                $result.Defines | Should -Be 20; $result.Undefines | Should -Be 0
            }
            else {
                Write-Host "process $($result.Prefix) retried $(@($result.Retries).Count) create(s) after the daemon died: checking defines - undefines = 20 instead"
                $result.Defines - $result.Undefines | Should -Be 20
            }
        }
        @(Get-ChildItem -Path $dir -Filter 'create-*.lock').Count | Should -Be 1 -Because 'both processes locked the same file'
    }

    It '2 pwsh processes x 20 with separate lock files (two machines): 40 networks, still no overlap' {
        $results = @(Invoke-TwoCreatorProcess -Lab $lab -Uri $uri -Folder (Join-Path $TestDrive 'separate') -LockDirs @{ a = (Join-Path $TestDrive 'lock-a'); b = (Join-Path $TestDrive 'lock-b') })
        $results | ForEach-Object { Write-Host ('process {0}: {1} defines, {2} undefines after a lost race, {3:N2} s' -f $_.Prefix, $_.Defines, $_.Undefines, $_.Seconds) }

        $results | ForEach-Object { @($_.Errors) | Should -BeNullOrEmpty }
        $names = @(Get-AllNetwork $lab)
        $names.Count | Should -Be 40
        Assert-NoOverlap @(Get-LabNetworkLayout -Lab $lab -Network $names)
    }
}

Describe 'Lab: host interfaces that vanish while they are listed' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $started = Start-KimchiTestLab -Name "e2e$PID-v" -Nics 1
        $lab, $uri = $started.Name, $started.Uri
    }

    AfterAll { Stop-KimchiTestLab -CloseConnection }

    It 'listing the host''s interfaces while bridges come and go leaves out the ones deleted meanwhile' {
        # Found under concurrent creators that also start and stop networks: New-KimchiNetwork reads the
        # host's interfaces, and a bridge deleted between libvirt's list and the read of its XML failed the
        # whole create with "Interface not found" (VIR_ERR_NO_INTERFACE). Here one `ip -batch` adds and
        # deletes 40 bridges 10 times in the lab while the interfaces are listed again and again.
        # Not fixed (counted and shown, not failed): a bridge read while the kernel is still unregistering
        # it makes libvirt's udev backend fail otherwise ("Could not parse MTU value", "Could not retrieve
        # 'bridge/forward_delay'", "Could not get members of bridge"), which no error number tells apart.
        $batch = Join-Path $TestDrive 'churn.batch'
        Set-Content -Path $batch -Value @(foreach ($round in 1..10) {
                foreach ($i in 0..39) { "link add kv$i type bridge" }
                foreach ($i in 0..39) { "link del kv$i" }
            })
        $psi = [System.Diagnostics.ProcessStartInfo]::new('ip')
        foreach ($a in '-n', "kn-$lab", '-batch', $batch) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardError = $true
        $connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($uri)
        $churn = [System.Diagnostics.Process]::Start($psi)
        $stderr = $churn.StandardError.ReadToEndAsync()
        $lists = 0; $withChurn = 0; $failures = [System.Collections.Generic.List[object]]::new()
        try {
            while (-not $churn.HasExited) {
                try {
                    $names = @($connection.ListInterfaces() | ForEach-Object Name)
                    $lists++
                    if ($names -like 'kv*') { $withChurn++ }
                }
                catch {
                    $failure = if ($_.Exception.InnerException) { $_.Exception.InnerException } else { $_.Exception }
                    if ($failure -isnot [KimchiNet.Libvirt.LibvirtException]) { throw }
                    $failures.Add($failure)
                }
            }
        }
        finally {
            if (-not $churn.HasExited) { $churn.Kill() }
            $churn.WaitForExit()
        }
        $notFound = @($failures | Where-Object { $_.Error.Code -eq [KimchiNet.Libvirt.LibvirtErrorNumbers]::NoInterface })
        $others = @($failures | Where-Object { $_ -notin $notFound } | Group-Object { $_.Error.Message -replace "'[^']*'", "'…'" } | ForEach-Object { "$($_.Count) x $($_.Name)" })
        Write-Host "$lists interface lists during 800 bridge changes, $withChurn of them with churning bridges; failed on a bridge being unregistered (not fixed, see above): $(if ($others) { $others -join '; ' } else { 'none' })"
        $churn.ExitCode | Should -Be 0 -Because $stderr.GetAwaiter().GetResult()
        $withChurn | Should -BeGreaterThan 0 -Because 'the lists must have overlapped the churn'
        @($notFound | ForEach-Object Message) | Should -BeNullOrEmpty -Because 'a bridge deleted after the list (VIR_ERR_NO_INTERFACE) is left out'
        @($connection.ListInterfaces() | ForEach-Object Name) | Should -Not -BeLike 'kv*'
    }
}

Describe 'Lab: interface listings from many threads at once' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        # Supervised: a libvirtd that dies is recorded and started again, so the test can tell.
        $started = Start-KimchiTestLab -Name "e2e$PID-i" -Nics 1 -Supervise
        $lab, $uri = $started.Name, $started.Uri
        # Plain threads on the pooled connection, as the core's callers (host fan-out) make them:
        # runspaces spend too long in PowerShell to keep libvirtd's workers busy together.
        Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies @(
            [KimchiNet.Libvirt.LibvirtConnection].Assembly.Location, 'System.Threading.Tasks.Parallel', 'System.Collections.Concurrent', 'System.Linq'
        ) -TypeDefinition @'
public static class KimchiLabInterfaceListers
{
    public static string[] Run(string uri, int threads, int count)
    {
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        var connection = KimchiNet.Libvirt.LibvirtConnections.Get(uri);
        System.Threading.Tasks.Parallel.For(0, threads, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var i = 0; i < count; i++)
            {
                try { connection.ListInterfaces(); }
                catch (System.Exception e) { errors.Add($"thread {t}, listing {i}: {e.Message}"); return; }
            }
        });
        return System.Linq.Enumerable.ToArray(errors);
    }
}
'@
    }

    AfterAll { Stop-KimchiTestLab -CloseConnection }

    It '8 threads listing the host''s interfaces 1,500 times each leave libvirt 9.0''s libvirtd alive' {
        # libvirt 9.0's libvirtd corrupts its heap and dies when several of its workers serve interface
        # calls at once: 8 threads of a plain C client killed it within seconds, and so did 8 threads
        # calling ListInterfaces here before KimchiNet listed interfaces one at a time per process
        # (New-KimchiNetwork lists them on every create).
        $errors = @([KimchiLabInterfaceListers]::Run($uri, 8, 1500))
        @(Get-KimchiLabDaemonCrash -Name $lab | ForEach-Object Text) | Should -BeNullOrEmpty -Because 'the lab''s libvirtd must not have died'
        $errors | Should -BeNullOrEmpty
    }
}
