#Requires -Version 7.2
# Keeps tests/tools/Dependencies.psd1 honest: every external program that src/ and tests/ start
# must be listed there with its Debian package, so that Bootstrap installs it and checks it on a
# fresh machine. A new external dependency cannot land without its install step.

BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $root 'tests/tools/ExternalPrograms.psm1') -Force
    $script:Found = @(Find-KimchiExternalProgram -Path (Join-Path $root 'src'), (Join-Path $root 'tests') |
            Group-Object Program | ForEach-Object {
                @{ Program = $_.Name; Files = ($_.Group.File | ForEach-Object { [IO.Path]::GetRelativePath($root, $_) }) -join ', ' }
            })
}

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $dependencies = Import-PowerShellDataFile (Join-Path $root 'tests/tools/Dependencies.psd1')
    $programs = $dependencies.Programs
}

Describe 'Dependencies.psd1 lists every program the code starts' {
    It 'finds the programs the tests are known to start (the scanner itself works)' -TestCases @{ Names = @($script:Found | ForEach-Object { $_.Program }) } {
        # One per language the scanner reads: C# (ip netns exec ... nc), PowerShell (-FilePath 'virsh'),
        # shell (lab-host starts virtlogd), and a plain ProcessStartInfo (flock).
        $Names | Should -Contain 'nc'
        $Names | Should -Contain 'virsh'
        $Names | Should -Contain 'virtlogd'
        $Names | Should -Contain 'flock'
    }

    It '<Program> (started in <Files>) is in the Programs table' -TestCases $script:Found {
        $programs.Keys | Should -Contain $Program -Because "$Files start(s) it: add it to tests/tools/Dependencies.psd1 with its Debian package"
    }

    It 'names a Debian package for each program that Bootstrap installs' {
        $installed = @($dependencies.Test) + '(dotnet)'
        foreach ($entry in $programs.GetEnumerator()) {
            $installed | Should -Contain $entry.Value -Because "$($entry.Key) comes from $($entry.Value), which the Test list must install"
        }
    }

    It 'installs for the demo only what the demo needs, all of it also in the Test list' {
        $dependencies.Demo | Should -Be @('libvirt0')
        foreach ($package in $dependencies.Demo) { $dependencies.Test | Should -Contain $package }
    }
}

Describe 'Find-KimchiExternalProgram reads the program after ip netns exec' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../tools/ExternalPrograms.psm1') -Force
    }

    It 'finds <Expected> in: <Line>' -TestCases @(
        # PowerShell argument lists quote their words with single quotes; the namespace is often a variable.
        @{ Line = "Invoke-KimchiLabProcess -FilePath ip -ArgumentList @('netns', 'exec', `$ns, 'dnsmasq', '--keep-in-foreground')"; Expected = 'dnsmasq, ip' }
        @{ Line = "Invoke-KimchiLabProcess -FilePath ip -ArgumentList @('netns', 'exec', 'lab1', 'dnsmasq')"; Expected = 'dnsmasq, ip' }
        @{ Line = "Invoke-KimchiLabProcess -FilePath ip -ArgumentList @(`"netns`", `"exec`", `$ns, `"dnsmasq`")"; Expected = 'dnsmasq, ip' }
        # No program named after the namespace: nothing but ip (no letter cut off the variable's name).
        @{ Line = "Invoke-KimchiLabProcess -FilePath ip -ArgumentList (@('netns', 'exec', `$ns) + `$rest)"; Expected = 'ip' }
        @{ Line = 'ip netns exec $ns @rest'; Expected = 'ip' }
    ) {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        Set-Content -LiteralPath (Join-Path $folder 'Start.ps1') -Value $Line
        @(Find-KimchiExternalProgram -Path $folder | ForEach-Object Program | Sort-Object) -join ', ' | Should -Be $Expected
    }
}
