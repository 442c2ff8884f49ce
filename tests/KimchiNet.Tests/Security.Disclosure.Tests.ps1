$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    What a person reads must not disclose a secret or be turned against them (issue 12, items 5, 7, 8, 9):
    - a password written into a URI that connects is never shown back (objects, session default,
      -Verbose, What-if, -Confirm, messages, tab completion, Disconnect-KimchiHost -Verbose), and objects
      still lead back to the right host through the pipeline;
    - test:///FILE never quotes the file's content, and a missing file prints nothing on stderr;
    - a hostile name (U+202E) is escaped in What-if, -Confirm and -Verbose as in error messages;
    - Disconnect-KimchiHost while another runspace's pipeline runs gives KCHNET0103E, never a raw
      ObjectDisposedException; the demo host's temporary folder is gone when the process exits.
    What-if and -Confirm go to the host, not to a stream, so they are read from a child pwsh's output.
#>

BeforeAll {
    $manifestPath = Join-Path $PSScriptRoot '../../KimchiNet.psd1'
    Import-Module $manifestPath -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $rlo = [string] [char] 0x202E

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }

    function Get-Verbose([scriptblock] $Action) {
        @(& $Action 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
    }

    function Invoke-ChildPwsh {
        <# Runs a script in a child pwsh that has the module loaded; returns stdout and stderr (UTF-8), with $Stdin as its input. #>
        param([Parameter(Mandatory)] [string] $Script, [string] $Stdin = '')
        $file = Join-Path $TestDrive ("child-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
        Set-Content -LiteralPath $file -Encoding utf8 -Value ("Import-Module '{0}'`n{1}" -f ($manifestPath -replace "'", "''"), $Script)
        $psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
        foreach ($a in '-NoProfile', '-File', $file) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.StandardOutputEncoding = [System.Text.Encoding]::UTF8
        $psi.StandardErrorEncoding = [System.Text.Encoding]::UTF8
        $child = [System.Diagnostics.Process]::Start($psi)
        $child.StandardInput.Write($Stdin)
        $child.StandardInput.Close()
        $stderr = $child.StandardError.ReadToEndAsync()
        $stdout = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit(120000) | Should -BeTrue -Because 'the child pwsh finishes'
        [pscustomobject]@{ Out = $stdout; Err = $stderr.Result; ExitCode = $child.ExitCode }
    }
}

Describe 'A password written into a URI that connects is never shown back (issue 12, item 5)' -Tag 'CI' {
    BeforeAll {
        $plainUri = New-KimchiTestHost -Folder $TestDrive
        $path = $plainUri.Substring('test://'.Length)
        $secretUri = "test://alice:S3cretPw@$path"
        $redactedUri = "test://alice:***@$path"
        $secret = 'S3cretPw'
    }

    AfterAll {
        Disconnect-KimchiHost -All
    }

    It 'Connect-KimchiHost: its output, -Verbose and the session default show the password as ***' {
        $verbose = Get-Verbose { Connect-KimchiHost -Uri $secretUri -Verbose | Set-Variable -Name host1 -Scope Script }
        $script:host1.Uri | Should -BeExactly $redactedUri
        ($verbose -join "`n") | Should -Not -Match $secret
        ($verbose -join "`n") | Should -Match ([regex]::Escape('virConnectOpen(test://alice:***@'))
    }

    It 'network and interface objects carry the redacted URI, and the session default still reaches the same host' {
        $network = New-KimchiNetwork -Name pw1 -Connection Isolated -Subnet 10.61.0.0/24
        $network.Uri | Should -BeExactly $redactedUri
        # The default is the redacted URI: it must find the connection opened with the password (the
        # test driver's state lives in that connection only), not open a fresh host.
        (Get-KimchiNetwork -Name pw1).Uri | Should -BeExactly $redactedUri
        @(Get-KimchiNetwork | Where-Object { "$($_.Uri)" -match $secret }).Count | Should -Be 0
        @(Get-KimchiInterface).Count | Should -BeGreaterThan 0
        @(Get-KimchiInterface | Where-Object { "$($_.Uri)" -notlike "test://alice:``*``*``*@*" }).Count | Should -Be 0
    }

    It 'an object piped back reaches the host it came from (by its redacted URI)' {
        Get-KimchiNetwork -Uri $secretUri -Name pw1 | Set-KimchiNetwork -Subnet 10.62.0.0/24 -Confirm:$false
        (Get-KimchiNetwork -Uri $secretUri -Name pw1).Subnet | Should -Be '10.62.0.0/24'
        Get-KimchiNetwork -Uri $redactedUri -Name pw1 | Remove-KimchiNetwork -Confirm:$false
        Get-KimchiNetwork -Uri $secretUri -Name pw1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It '-Verbose of a change names the host without the password' {
        $verbose = Get-Verbose { New-KimchiNetwork -Uri $secretUri -Name pw2 -Connection Isolated -Subnet 10.63.0.0/24 -Verbose | Out-Null }
        $verbose.Count | Should -BeGreaterThan 0
        ($verbose -join "`n") | Should -Not -Match $secret
    }

    It 'the KCHNET0105E message and target show the redacted URI' {
        $err = $null
        New-KimchiNetwork -Uri $secretUri -Name pw3 -Connection Bridge -Interfaces eth0 -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KCHNET0105E,*'
        $err[0].Exception.Message | Should -Match ([regex]::Escape("'test://alice:***@"))
        $err[0].Exception.Message | Should -Not -Match $secret
        "$($err[0].TargetObject)" | Should -Not -Match $secret
    }

    It '-Uri tab completion offers the redacted URI only' {
        $found = Get-Completion "Get-KimchiNetwork -Uri 'test://alice"
        $found | Should -Contain "'$redactedUri'"
        ($found -join "`n") | Should -Not -Match $secret
    }

    It 'What-if and -Confirm show the redacted URI' {
        $script = @"
Connect-KimchiHost -Uri '$secretUri' | Out-Null
New-KimchiNetwork -Name pw4 -Connection Isolated -Subnet 10.64.0.0/24 -WhatIf
New-KimchiNetwork -Name pw5 -Connection Isolated -Subnet 10.65.0.0/24 -Confirm
'done'
"@
        $run = Invoke-ChildPwsh -Script $script -Stdin "N`n"
        $run.Out | Should -Match 'What if: .*network .pw4. on test://alice:\*\*\*@'
        $run.Out | Should -Match 'network .pw5. on\s+test://alice:\*\*\*@'
        $run.Out | Should -Match 'done'
        "$($run.Out)$($run.Err)" | Should -Not -Match $secret
    }

    It 'Disconnect-KimchiHost -Verbose shows the redacted URI; afterwards the redacted URI opens nothing (KCHNET0115E)' {
        $verbose = Get-Verbose { Disconnect-KimchiHost -Verbose }
        ($verbose -join "`n") | Should -Match ([regex]::Escape("Closed the connection to $redactedUri"))
        ($verbose -join "`n") | Should -Not -Match $secret
        $err = $null
        Get-KimchiNetwork -Uri $redactedUri -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KCHNET0115E,*'
        $err[0].Exception.Message | Should -Not -Match $secret
    }

    It 'a failed connection hides a password holding "/" or "?" (<Password>) in -Verbose, message and target' -TestCases @(
        @{ Password = 'S3cret/Pw' }, @{ Password = 'S3c?ret' }, @{ Password = 'S3c@ret:x' }
    ) {
        param($Password)
        $records = @(Connect-KimchiHost -Uri "qemu+tcp://alice:$Password@127.0.0.1:1/system" -NoDefault -Verbose -ErrorAction Continue 2>&1 4>&1)
        $err = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $verbose.Count | Should -BeGreaterThan 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KCHNET010[34]E,*'
        $pattern = [regex]::Escape($Password)
        ($verbose -join "`n") | Should -Not -Match $pattern
        $err[0].Exception.Message | Should -Not -Match $pattern
        "$($err[0].TargetObject)" | Should -Not -Match $pattern
        "$($err[0].TargetObject)" | Should -BeExactly 'qemu+tcp://alice:***@127.0.0.1:1/system'
    }
}

Describe 'A test:/// URI never discloses the file it names (issue 12, items 7 and 9)' -Tag 'CI' {
    BeforeAll {
        $secretFile = Join-Path $TestDrive 'secret.txt'
        Set-Content -LiteralPath $secretFile -Value "TopSecretLine-4711`nsecond line"
        $missing = Join-Path $TestDrive 'no-such-host.xml'
    }

    It 'Connect-KimchiHost: the error names the file and the problem, not its first line' {
        $err = $null
        Connect-KimchiHost -Uri "test://$secretFile" -NoDefault -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KCHNET0103E,*'
        $err[0].Exception.Message | Should -Match 'secret\.txt:1'
        $err[0].Exception.Message | Should -Not -Match 'TopSecretLine'
        $err[0].Exception.Error.Detail | Should -Not -Match 'TopSecretLine'
    }

    It 'the DSC resource''s Uri property: the same' {
        $dsc = Import-Module (Join-Path $PSScriptRoot '../../src/KimchiNetDsc/KimchiNetDsc.psd1') -Force -PassThru
        $resource = (& $dsc { [KimchiNetwork] })::new()
        $resource.Name = 'x'
        $resource.Uri = "test://$secretFile"
        $thrown = $null
        try { $resource.Get() } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        "$($thrown.Exception)" | Should -Match 'secret\.txt'
        "$($thrown.Exception)" | Should -Not -Match 'TopSecretLine'
    }

    It 'a missing file is refused with KCHNET0116E, and nothing is printed on stderr' {
        $run = Invoke-ChildPwsh -Script @"
try { Connect-KimchiHost -Uri 'test://$missing' -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }
"@
        $run.Out | Should -Match 'KCHNET0116E'
        $run.Err | Should -Not -Match 'I/O warning'
        $run.Err | Should -BeNullOrEmpty
    }
}

Describe 'Hostile names are escaped in What-if, -Confirm and -Verbose (issue 12, item 8)' -Tag 'CI' {
    BeforeAll {
        $uri = New-KimchiTestHost -Folder $TestDrive
        $name = "rlo${rlo}txt"
    }

    It '-Verbose of New, Set, Stop, Start, Test and Remove: U+202E shows as \u202E' {
        $verbose = Get-Verbose {
            New-KimchiNetwork -Uri $uri -Name $name -Connection Isolated -Subnet 10.71.0.0/24 -Verbose | Out-Null
            Set-KimchiNetwork -Uri $uri -Name $name -Subnet 10.72.0.0/24 -Confirm:$false -Verbose
            Start-KimchiNetwork -Uri $uri -Name $name -Verbose
            Test-KimchiNetwork -Uri $uri -Name $name -Subnet 10.73.0.0/24 -Verbose | Out-Null
            Stop-KimchiNetwork -Uri $uri -Name $name -Confirm:$false -Verbose
            Remove-KimchiNetwork -Uri $uri -Name $name -Confirm:$false -Verbose
        }
        $withName = @($verbose | Where-Object { $_ -match 'rlo\\u202Etxt' })
        $withName.Count | Should -BeGreaterOrEqual 9 -Because 'the XML, the libvirt calls and the Test difference name the network'
        @($verbose | Where-Object { $_.Contains($rlo) }).Count | Should -Be 0
        @($verbose | Where-Object { $_ -match '[\x00-\x08\x0B-\x1F\x7F]' }).Count | Should -Be 0
    }

    It 'What-if and -Confirm of New, Set, Start, Stop and Remove: U+202E shows as \u202E' {
        $script = @"
`$n = 'rlo' + [char] 0x202E + 'txt'
New-KimchiNetwork -Uri '$uri' -Name `$n -Connection Isolated -Subnet 10.74.0.0/24 -WhatIf
New-KimchiNetwork -Uri '$uri' -Name `$n -Connection Isolated -Subnet 10.74.0.0/24 -Confirm:`$false | Out-Null
Set-KimchiNetwork -Uri '$uri' -Name `$n -Subnet 10.75.0.0/24 -WhatIf
Start-KimchiNetwork -Uri '$uri' -Name `$n -WhatIf
Remove-KimchiNetwork -Uri '$uri' -Name `$n -WhatIf
Start-KimchiNetwork -Uri '$uri' -Name `$n -Confirm:`$false
Stop-KimchiNetwork -Uri '$uri' -Name `$n -WhatIf
Remove-KimchiNetwork -Uri '$uri' -Name `$n -Confirm
'done'
"@
        $run = Invoke-ChildPwsh -Script $script -Stdin "N`n"
        $run.Out | Should -Match 'done'
        $shown = @([regex]::Matches($run.Out, 'rlo\\u202Etxt')).Count
        $shown | Should -BeGreaterOrEqual 6 -Because 'five What-ifs and one -Confirm name the network'
        $run.Out.Contains($rlo) | Should -BeFalse
    }
}

Describe 'Set-KimchiNetwork gives other tools'' metadata back as libvirt had it (issue 12, item 6)' -Tag 'CI' {
    It 'keeps comments, processing instructions, a CR in text, and CR, CRLF and tabs in attributes' {
        $uri = New-KimchiTestHost -Folder $TestDrive
        $foreign = "<o:tool xmlns:o='urn:other-tool' tab='a&#9;b' cr='a&#13;b' crlf='a&#13;&#10;b'><!-- keep me --><?other-tool rev=`"7`"?>line1&#13;line2<o:sub v='x&#13;y'/></o:tool>"
        $xml = "<network><name>meta</name><metadata>$foreign</metadata><bridge name='virbr7'/><ip address='10.91.0.1' prefix='24'/></network>"
        $connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($uri)
        $null = $connection.DefineNetwork($xml)
        $pattern = '(?s)<o:tool .*</o:tool>'
        $before = [regex]::Match($connection.GetNetworkXml('meta'), $pattern).Value
        $before | Should -Match 'keep me'

        Set-KimchiNetwork -Uri $uri -Name meta -Subnet 10.92.0.0/24 -Confirm:$false

        $after = $connection.GetNetworkXml('meta')
        $after | Should -Match "address='10\.92\.0\.1'"
        [regex]::Match($after, $pattern).Value | Should -BeExactly $before
    }
}

Describe 'Disconnect-KimchiHost while pipelines run (issue 12, item 9)' -Tag 'CI' {
    It 'the running pipelines get KCHNET codes, never a raw ObjectDisposedException' {
        $uri = New-KimchiTestHost -Folder $TestDrive
        Get-KimchiNetwork -Uri $uri | Out-Null
        $pool = [runspacefactory]::CreateRunspacePool(1, 2)
        $pool.Open()
        $workers = foreach ($i in 1..2) {
            $ps = [powershell]::Create()
            $ps.RunspacePool = $pool
            $null = $ps.AddScript({
                    param($Manifest, $Uri)
                    Import-Module $Manifest
                    $deadline = [DateTime]::UtcNow.AddSeconds(4)
                    $errors = [System.Collections.Generic.List[object]]::new()
                    $calls = 0
                    while ([DateTime]::UtcNow -lt $deadline) {
                        try {
                            Get-KimchiNetwork -Uri $Uri -ErrorAction SilentlyContinue -ErrorVariable +failed | Out-Null
                        }
                        catch { $errors.Add($_) }
                        $calls++
                    }
                    foreach ($e in @($failed)) { $errors.Add($e) }
                    [pscustomobject]@{
                        Calls  = $calls
                        Errors = @($errors | ForEach-Object {
                                [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Type = $_.Exception.GetType().FullName } })
                    }
                }).AddArgument((Resolve-Path $manifestPath).Path).AddArgument($uri)
            [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(4)
        $disconnects = 0
        while ([DateTime]::UtcNow -lt $deadline) {
            Disconnect-KimchiHost -Uri $uri
            $disconnects++
        }
        $results = foreach ($w in $workers) {
            $w.PowerShell.EndInvoke($w.Handle)
            $w.PowerShell.Streams.Error | ForEach-Object { [pscustomobject]@{ Calls = 0; Errors = @([pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Type = $_.Exception.GetType().FullName }) } }
            $w.PowerShell.Dispose()
        }
        $pool.Dispose()
        $errors = @($results | ForEach-Object { $_.Errors })
        ($results | Measure-Object -Property Calls -Sum).Sum | Should -BeGreaterThan 20
        $disconnects | Should -BeGreaterThan 20
        @($errors | Where-Object { $_.Type -eq 'System.ObjectDisposedException' }).Count | Should -Be 0
        @($errors | Where-Object { $_.Id -notlike 'KCHNET*' } | ForEach-Object { "$($_.Id) ($($_.Type))" }) | Should -BeNullOrEmpty
    }
}

Describe 'The demo host''s temporary folder (issue 12, item 9)' -Tag 'CI' {
    It 'is deleted when the process exits' {
        $run = Invoke-ChildPwsh -Script @'
Connect-KimchiHost -Demo | Out-Null
Get-KimchiNetwork | Out-Null
[System.IO.Path]::GetDirectoryName([KimchiNet.Hosts.DemoHost]::FilePath)
'@
        $run.ExitCode | Should -Be 0
        $folder = ($run.Out -split "`n" | Where-Object { $_ -match 'kimchinet-' } | Select-Object -Last 1).Trim()
        $folder | Should -Match 'kimchinet-'
        Test-Path -LiteralPath $folder | Should -BeFalse
    }
}
