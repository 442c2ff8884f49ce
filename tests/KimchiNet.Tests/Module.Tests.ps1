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
