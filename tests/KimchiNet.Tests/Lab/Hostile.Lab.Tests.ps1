$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    Hostile input against a REAL libvirtd (tests/lab/README.md): the subset listed under "lab" in
    tests/data/hostile-inputs.json, every code the corpus expects but KCHNET0105E (a bridge on a bare
    NIC is refused only by the test driver; on a lab it would be made). One lab host, one child pwsh
    INSIDE its network namespace, so a cmdlet that wrongly touched host devices would touch the lab's.
    Around every run the child takes a snapshot with independent tools: `virsh net-list --all --name`,
    `virsh net-dumpxml` of every network and `ip -json link`; it must be byte-identical. The test also
    compares the same snapshot taken from outside before and after the whole run.

    A machine that cannot run labs FAILS these tests with the reason; KIMCHINET_SKIP_LAB=1 skips them.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
    $corpus = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../../data/hostile-inputs.json') | ConvertFrom-Json -AsHashtable
    $byId = @{}
    foreach ($case in $corpus.cases) { $byId[$case.id] = $case }
    $labRuns = foreach ($entry in $corpus.lab.cases) {
        $case = $byId[$entry.id]
        foreach ($cmdlet in $case.cmdlets | Where-Object { $_ -in 'New', 'Set', 'Test' }) {
            @{ Id = $case.id; Cmdlet = $cmdlet; Code = $case.code; Category = $case.errorCategory }
        }
    }
    $labNames = @($corpus.lab.validNames | ForEach-Object { @{ Id = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    $corpusPath = (Resolve-Path (Join-Path $PSScriptRoot '../../data/hostile-inputs.json')).ProviderPath
    $corpus = Get-Content -Raw -LiteralPath $corpusPath | ConvertFrom-Json -AsHashtable

    function Get-LabSnapshot([string] $Lab) {
        # From outside: virsh through the lab's socket, ip inside its namespace.
        $names = @((Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'net-list', '--all', '--name') -split "`n" | ForEach-Object Trim | Where-Object { $_ } | Sort-Object)
        $parts = foreach ($n in $names) { "## $n"; Invoke-KimchiLabVirshChecked -Lab $Lab -ArgumentList 'net-dumpxml', '--network', $n }
        $link = Invoke-InKimchiLab -Name $Lab -FilePath ip -ArgumentList '-json', 'link', 'show'
        if ($link.ExitCode -ne 0) { throw "ip -json link failed in lab ${Lab}: $($link.Error)" }
        (@($parts) + '## links' + $link.Output) -join "`n"
    }
}

Describe 'Lab: hostile input changes nothing on a real libvirtd' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $started = Start-KimchiTestLab -Name "hostile$PID" -Nics 4
        $lab, $uri = $started.Name, $started.Uri
        foreach ($argv in $corpus.lab.devices) {
            $run = Invoke-InKimchiLab -Name $lab -FilePath ip -ArgumentList ([string[]] $argv)
            if ($run.ExitCode -ne 0) { throw "ip $($argv -join ' ') failed in lab ${lab}: $($run.Error)" }
        }
        foreach ($fixture in $corpus.lab.fixtures) {
            $p = @{}
            foreach ($key in $fixture.Keys) { $p[$key] = $fixture[$key] }
            $p.Start = [switch] [bool] $fixture['Start']
            New-KimchiNetwork -Uri $uri @p | Out-Null
        }
        foreach ($n in @((Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-list', '--all', '--name') -split "`n" | ForEach-Object Trim | Where-Object { $_ })) {
            if ($n -notmatch '^[a-z]+$') { throw "lab fixture names must be plain (the runner passes them to virsh in one command line): '$n'" }
        }
        Start-Sleep -Milliseconds 500   # let the started network's bridge settle before the first snapshot
        $outsideBefore = Get-LabSnapshot $lab

        # The runner: in the lab's namespace, with the module imported; each case, then a snapshot by virsh and ip.
        $script = @"
`$corpus = Get-Content -Raw -LiteralPath '$($corpusPath -replace "'", "''")' | ConvertFrom-Json -AsHashtable
"@ + @'

function Expand-HostileValue($Value) {
    if ($Value -is [System.Collections.IDictionary]) {
        if ($Value.Contains('$repeat')) { return $Value['$repeat'] * [int] $Value['times'] }
        if ($Value.Contains('$codeUnits')) { return [string]::new([char[]] @($Value['$codeUnits'] | ForEach-Object { [char] [int] $_ })) }
        $copy = @{}
        foreach ($key in $Value.Keys) { $copy[$key] = Expand-HostileValue $Value[$key] }
        return $copy
    }
    if ($Value -is [System.Collections.IList]) { return , [object[]] @($Value | ForEach-Object { Expand-HostileValue $_ }) }
    $Value
}
# One virsh process per snapshot (virsh runs ';'-separated commands itself; no shell is involved): net-list shows
# a network that appeared, and net-dumpxml of each network there was at the start shows any change or removal.
$names = @(& virsh -q -c $Uri net-list --all --name | ForEach-Object Trim | Where-Object { $_ } | Sort-Object)
$virshScript = (@('net-list --all --name') + @($names | ForEach-Object { "net-dumpxml --network $_" })) -join ' ; '
function Get-Snapshot {
    $virsh = (& virsh -q -c $Uri $virshScript 2>&1) -join "`n"
    (@($virsh) + '## links' + ((& ip -json link show) -join "`n")) -join "`n"
}
$commands = @{ New = 'New-KimchiNetwork'; Set = 'Set-KimchiNetwork'; Test = 'Test-KimchiNetwork' }
$byId = @{}
foreach ($case in $corpus.cases) { $byId[$case.id] = $case }
$before = Get-Snapshot
foreach ($entry in $corpus.lab.cases) {
    $case = $byId[$entry.id]
    $raw = if ($entry.Contains('parameters')) { $entry.parameters } else { $case.parameters }
    $p = Expand-HostileValue $raw
    foreach ($cmdlet in $case.cmdlets | Where-Object { $_ -in 'New', 'Set', 'Test' }) {
        $err = $null
        $caught = @()
        $out = try { & $commands[$cmdlet] -Uri $Uri @p -ErrorVariable err -ErrorAction SilentlyContinue } catch { $caught = @($_) }
        $errors = [System.Collections.Generic.List[object]]::new()
        foreach ($record in @($err) + $caught) {
            if ($null -ne $record -and -not @($errors | Where-Object { [object]::ReferenceEquals($_, $record) })) { $errors.Add($record) }
        }
        $after = Get-Snapshot
        [pscustomobject]@{
            Kind = 'case'; Id = $case.id; Cmdlet = $cmdlet; OutputCount = @($out).Count
            Ids = @($errors | ForEach-Object FullyQualifiedErrorId); Categories = @($errors | ForEach-Object { "$($_.CategoryInfo.Category)" })
            Messages = @($errors | ForEach-Object { $_.Exception.Message }); Same = ($after -ceq $before)
        }
        $before = $after   # a change is blamed on its own case only
    }
}
foreach ($id in $corpus.lab.validNames) {
    $name = Expand-HostileValue (@($corpus.validNames | Where-Object { $_.id -eq $id })[0].name)
    $created = New-KimchiNetwork -Uri $Uri -Name $name -Connection Isolated -Subnet 10.80.0.0/24
    $dumped = (& virsh -q -c $Uri net-dumpxml --network $name) -join "`n"
    $listed = @(& virsh -q -c $Uri net-list --all --name | Where-Object { $_.Trim() -ceq $name.Trim() }).Count
    $got = @(Get-KimchiNetwork -Uri $Uri -Name ([WildcardPattern]::Escape($name)) -ErrorAction SilentlyContinue)   # -Name takes wildcards
    Remove-KimchiNetwork -Uri $Uri -Name $name -Confirm:$false                                                      # -Name is literal
    $after = Get-Snapshot
    [pscustomobject]@{
        Kind = 'name'; Id = $id; Created = ($created.Name -ceq $name); Got = ($got.Count -eq 1 -and $got[0].Name -ceq $name)
        Dumped = (([xml] $dumped).network.SelectSingleNode('name').InnerText -ceq $name); Listed = $listed; Same = ($after -ceq $before)
    }
    $before = $after
}
'@
        $results = @(Invoke-KimchiNetInLab -Lab $lab -Uri $uri -Folder $TestDrive -Script $script)
        $outsideAfter = Get-LabSnapshot $lab
        Write-Host "hostile lab $lab`: $($results.Count) results in $([int] $clock.Elapsed.TotalSeconds) s (lab up in $($started.StartupSeconds) s)"
    }

    AfterAll {
        Stop-KimchiTestLab
    }

    It 'ran the whole subset inside the lab' {
        @($results | Where-Object { $_.PSObject.Properties['Failed'] }).Count | Should -Be 0 -Because ($results | Where-Object { $_.PSObject.Properties['Failed'] } | ForEach-Object Message)
        # How long it took is printed above, never asserted: a loaded machine is slower, not wrong.
    }

    It '<Cmdlet> refuses <Id> with one <Code> (<Category>) and the lab is byte-identical' -ForEach $labRuns {
        $r = @($results | Where-Object { $_.Kind -eq 'case' -and $_.Id -eq $Id -and $_.Cmdlet -eq $Cmdlet })
        $r.Count | Should -Be 1
        $r = $r[0]
        $r.OutputCount | Should -Be 0
        @($r.Ids).Count | Should -Be 1 -Because (@($r.Messages) -join ' | ')
        $r.Ids[0] | Should -BeLike "$Code,*"
        $r.Categories[0] | Should -BeExactly $Category
        $r.Same | Should -BeTrue -Because 'virsh net-list, every net-dumpxml and ip -json link must be unchanged'
    }

    It 'creates, reads back (virsh and Get) and removes the hostile but valid name <Id>, leaving nothing behind' -ForEach $labNames {
        $r = @($results | Where-Object { $_.Kind -eq 'name' -and $_.Id -eq $Id })
        $r.Count | Should -Be 1
        $r[0].Created | Should -BeTrue
        $r[0].Dumped | Should -BeTrue -Because 'virsh net-dumpxml shows exactly the name'
        $r[0].Got | Should -BeTrue
        $r[0].Listed | Should -Be 1
        $r[0].Same | Should -BeTrue
    }

    It 'looks the same from outside after the run as before it' {
        $outsideAfter | Should -BeExactly $outsideBefore
    }
}
