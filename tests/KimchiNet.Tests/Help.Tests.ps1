$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    $commands = Get-Command -Module KimchiNet -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../KimchiNet.psd1') -Force
    $docs = Join-Path $PSScriptRoot '../../docs/en-US'
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Help for <Name>' -ForEach $commands -Tag 'CI' {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'has a synopsis of its own' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name\s"  # PowerShell's stand-in when no help is found
    }

    It 'has a description' {
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'documents every parameter in docs/en-US' {
        $markdown = Get-Content -Raw (Join-Path $docs "$Name.md")
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $markdown | Should -Match "### -$parameter\b" -Because "-$parameter must be documented"
            ($help.Parameters.Parameter | Where-Object Name -EQ $parameter) | Should -Not -BeNullOrEmpty
        }
    }

    It 'answers Get-Help -Parameter for every parameter' {
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            (Get-Help $Name -Parameter $parameter).Name | Should -Be $parameter
        }
    }
}

Describe 'The about topic' -Tag 'CI' {
    It 'is found by Get-Help about_KimchiNet' {
        (Get-Help about_KimchiNet | Out-String) | Should -Match 'VEPA'
    }
}
