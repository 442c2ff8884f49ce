$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeAll {
    $manifestPath = Join-Path $PSScriptRoot '../../KimchiNet.psd1'
    Import-Module $manifestPath -Force
}

Describe 'The KimchiNet module' -Tag 'CI' {
    It 'imports from the repository root' {
        Get-Module KimchiNet | Should -Not -BeNullOrEmpty
    }

    It 'passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest -Path $manifestPath
        $manifest.Name | Should -BeExactly 'KimchiNet'
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $listed = (Import-PowerShellDataFile $manifestPath).CmdletsToExport | Sort-Object
        $exported = Get-Command -Module KimchiNet -CommandType Cmdlet | ForEach-Object Name | Sort-Object
        $exported | Should -Be $listed
    }

    It 'uses only approved verbs' {
        $approved = Get-Verb | ForEach-Object Verb
        foreach ($command in Get-Command -Module KimchiNet) {
            $command.Verb | Should -BeIn $approved -Because "$($command.Name) must use an approved verb"
        }
    }

    It 'uses singular nouns that start with Kimchi' {
        foreach ($command in Get-Command -Module KimchiNet) {
            $command.Noun | Should -Match '^Kimchi[A-Z]\w*[^s]$'
        }
    }

    It 'declares an output type on every cmdlet' {
        foreach ($command in Get-Command -Module KimchiNet) {
            $command.OutputType | Should -Not -BeNullOrEmpty -Because "$($command.Name) must declare [OutputType]"
        }
    }
}

Describe 'The KimchiNet module under another malloc' -Tag 'CI' {
    # libvirt allocates the strings and arrays it returns with the process's malloc; KimchiNet must
    # free them with the free() that pairs with it. Binding free from libc.so.6 directly gave glibc's
    # own free even where LD_PRELOAD replaced malloc, and the first call crashed (SIGSEGV in
    # glibc's _int_free on a jemalloc block).
    It 'frees what libvirt returns with the same allocator (LD_PRELOAD=libjemalloc)' {
        $jemalloc = @(& /sbin/ldconfig -p) -match 'libjemalloc\.so\.2 ' -replace '^.*=>\s*', '' | Select-Object -First 1
        $jemalloc | Should -Not -BeNullOrEmpty -Because 'libjemalloc2 is needed (build.ps1 Bootstrap installs it as root)'
        $command = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($manifestPath -replace "'", "''")'
`$u = 'test:///default'
for (`$i = 0; `$i -lt 20; `$i++) {
    `$null = New-KimchiNetwork -Uri `$u -Name jemalloc -Connection Isolated -Subnet 10.96.0.0/24 -Start
    `$names = (Get-KimchiNetwork -Uri `$u).Name -join ','
    Remove-KimchiNetwork -Uri `$u -Name jemalloc -Force -Confirm:`$false
    Get-KimchiNetwork -Uri `$u -Name nope -ErrorAction SilentlyContinue
}
`$names
"@
        $psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $command) { $psi.ArgumentList.Add($a) }
        $psi.Environment['LD_PRELOAD'] = $jemalloc
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($psi)
        $stderr = $child.StandardError.ReadToEndAsync()
        $stdout = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit()
        $child.ExitCode | Should -Be 0 -Because "the child must not crash (stderr: $($stderr.Result))"
        $stdout.Trim() | Should -BeExactly 'default,jemalloc'
    }
}
