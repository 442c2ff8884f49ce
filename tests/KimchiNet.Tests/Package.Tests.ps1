$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Describe 'The packaged module' -Tag 'CI' {
    BeforeAll {
        $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
        $pwsh = Join-Path $PSHOME 'pwsh'
        # Pack the module that the suite just built, as a user would receive it.
        & $pwsh -NoProfile -NonInteractive -File (Join-Path $root 'build.ps1') -Task Pack | Out-Null
        $LASTEXITCODE | Should -Be 0
        $repoName = "KimchiNetTest$PID"
        Register-PSResourceRepository -Name $repoName -Uri (Join-Path $root 'out/repo') -Trusted
        $modules = Join-Path $TestDrive 'modules'
        New-Item -ItemType Directory $modules | Out-Null
    }

    AfterAll {
        Unregister-PSResourceRepository -Name $repoName -ErrorAction SilentlyContinue
    }

    It 'is found in a local repository with its manifest''s facts' {
        $found = Find-PSResource -Name KimchiNet -Repository $repoName
        $found.Version.ToString() | Should -Be (Import-PowerShellDataFile (Join-Path $root 'KimchiNet.psd1')).ModuleVersion
        $found.Tags | Should -Contain 'VEPA'
        $dsc = Find-PSResource -Name KimchiNetDsc -Repository $repoName
        $dsc.Version | Should -Be $found.Version
        $dsc.Dependencies.Name | Should -Be @('KimchiNet')
    }

    It 'saves with Save-PSResource into a clean module path and runs in a fresh session' {
        Save-PSResource -Name KimchiNet -Repository $repoName -Path $modules -TrustRepository
        $script = @'
param($ModulePath)
$env:PSModulePath = $ModulePath
Import-Module KimchiNet -ErrorAction Stop
$module = Get-Module KimchiNet
$null = Connect-KimchiHost -Demo
[pscustomobject]@{
    Path     = $module.ModuleBase
    Cmdlets  = @($module.ExportedCmdlets.Keys).Count
    Networks = @(Get-KimchiNetwork).Count
    Help     = (Get-Help New-KimchiNetwork).Synopsis
    Xml      = ([xml](ConvertTo-KimchiNetworkXml -Name lab -Connection Vepa -Interfaces eth1, eth2)).network.forward.mode
} | ConvertTo-Json -Compress
'@
        $scriptPath = Join-Path $TestDrive 'run.ps1'
        Set-Content -LiteralPath $scriptPath -Value $script
        $json = & $pwsh -NoProfile -NonInteractive -File $scriptPath -ModulePath $modules
        $LASTEXITCODE | Should -Be 0
        $result = $json | ConvertFrom-Json
        $result.Path | Should -BeLike "$modules*"
        $result.Cmdlets | Should -Be @((Import-PowerShellDataFile (Join-Path $root 'KimchiNet.psd1')).CmdletsToExport).Count
        $result.Networks | Should -Be 7
        $result.Help | Should -Not -BeNullOrEmpty
        $result.Xml | Should -BeExactly 'vepa'
    }

    It 'saves KimchiNetDsc with KimchiNet as its dependency, and using module KimchiNetDsc gives the resource class' {
        $dscModules = Join-Path $TestDrive 'dsc-modules'
        New-Item -ItemType Directory $dscModules | Out-Null
        Save-PSResource -Name KimchiNetDsc -Repository $repoName -Path $dscModules -TrustRepository
        @(Get-ChildItem -LiteralPath $dscModules -Directory).Name | Sort-Object | Should -Be @('KimchiNet', 'KimchiNetDsc')
        # 'using module' is resolved when the script is parsed: PSModulePath is set by the caller.
        $script = @'
using module KimchiNetDsc
$null = Connect-KimchiHost -Demo
$resource = [KimchiNetwork]::new()
$resource.Name = 'default'
$resource.Connection = 'Nat'
$found = Get-Module KimchiNetDsc
[pscustomobject]@{
    Test        = $resource.Test()
    Ensure      = $resource.Get().Ensure
    Missing     = ([KimchiNetwork]@{ Name = 'missing' }).Get().Ensure
    DscResource = @($found.ExportedDscResources)
    KimchiNet   = (Get-Module KimchiNet).ModuleBase
} | ConvertTo-Json -Compress
'@
        $scriptPath = Join-Path $TestDrive 'dsc.ps1'
        Set-Content -LiteralPath $scriptPath -Value $script
        $saved = $env:PSModulePath
        try {
            $env:PSModulePath = $dscModules
            $json = & $pwsh -NoProfile -NonInteractive -File $scriptPath
        }
        finally {
            $env:PSModulePath = $saved
        }
        $LASTEXITCODE | Should -Be 0
        $result = $json | ConvertFrom-Json
        $result.Test | Should -BeTrue
        $result.Ensure | Should -BeExactly 'Present'
        $result.Missing | Should -BeExactly 'Absent'
        $result.DscResource | Should -Be @('KimchiNetwork')
        $result.KimchiNet | Should -BeLike "$dscModules*"
    }

    It 'names in its READMEs and help only paths that are in the packages' {
        # The documents a user of the packages reads: both READMEs, the external help, the about
        # topic and the sample configuration's comment help. A path with a folder is looked up from
        # the package roots; a bare file name anywhere in the two packages.
        $packages = @((Join-Path $root 'out/KimchiNet'), (Join-Path $root 'out/KimchiNetDsc'))
        $documents = @(
            Join-Path $root 'out/KimchiNet/README.md'
            Join-Path $root 'out/KimchiNetDsc/README.md'
            Get-ChildItem -LiteralPath (Join-Path $root 'out/KimchiNet/en-US') -File | ForEach-Object FullName
            Join-Path $root 'out/KimchiNetDsc/KimchiNetworkConfiguration.ps1'
        )
        $files = @($packages | ForEach-Object { Get-ChildItem -LiteralPath $_ -Recurse -File } | ForEach-Object Name)
        $pattern = '(?<![\w/:.@$-])(?:\./)?(?:(?:docs|src|tests|bin|en-US|out)/[\w./-]*|[\w-]+(?:\.[\w-]+)*\.(?:ps1|psd1|psm1|md|xml|txt|dll))'
        $named = [System.Collections.Generic.List[string]]::new()
        $missing = [System.Collections.Generic.List[string]]::new()
        foreach ($document in $documents) {
            Test-Path -LiteralPath $document | Should -BeTrue -Because "$document is packaged"
            foreach ($match in [regex]::Matches((Get-Content -LiteralPath $document -Raw), $pattern)) {
                $path = $match.Value.TrimEnd('.') -replace '^\./', ''
                $named.Add($path)
                $found = if ($path.Contains('/')) {
                    @($packages | Where-Object { Test-Path -LiteralPath (Join-Path $_ $path) }).Count -gt 0
                }
                else { $files -contains $path }
                if (-not $found) { $missing.Add("$path (named in $([IO.Path]::GetFileName($document)))") }
            }
        }
        # The check must see the paths it is about, or it proves nothing.
        $named | Should -Contain 'KimchiNetworkConfiguration.ps1'
        $named | Should -Contain 'docs/concurrency.md'
        $named | Should -Contain 'KimchiNet.dll-Help.xml'
        $missing | Should -BeNullOrEmpty
    }

    It 'installs as the README''s install steps say, and runs outside the clone' {
        # The powershell block after the install-steps marker in README.md, run as it stands in a
        # fresh pwsh started in the clone (after Pack above, as build.ps1 Package leaves it), with a
        # clean HOME, so repository registration and the CurrentUser install land in it.
        $readme = Get-Content -LiteralPath (Join-Path $root 'README.md') -Raw
        $readme -match '(?s)<!-- install-steps[^\n]*\n```powershell\n(.*?)\n```' | Should -BeTrue -Because 'README.md has the install steps'
        $steps = $Matches[1]
        $steps | Should -Match 'Install-PSResource'
        $home3 = Join-Path $TestDrive 'readme-home'
        New-Item -ItemType Directory $home3 | Out-Null
        $scriptPath = Join-Path $TestDrive 'readme-steps.ps1'
        Set-Content -LiteralPath $scriptPath -Encoding utf8 -Value @"
`$ErrorActionPreference = 'Stop'
$steps
'RESULT:' + ([pscustomobject]@{
    Location  = (Get-Location).ProviderPath
    KimchiNet = (Get-Module KimchiNet).ModuleBase
    Dsc       = `$dsc
    Networks  = @(Get-KimchiNetwork).Count
    Help      = (Get-Help about_KimchiNet | Out-String).Length
} | ConvertTo-Json -Compress)
"@
        $saved = $env:HOME
        Push-Location -LiteralPath $root
        try {
            $env:HOME = $home3
            $output = & $pwsh -NoProfile -NonInteractive -File $scriptPath 2>&1
            $exit = $LASTEXITCODE
        }
        finally {
            $env:HOME = $saved
            Pop-Location
        }
        $exit | Should -Be 0 -Because ($output | Out-String)
        $json = @($output | ForEach-Object { if ("$_" -match '^RESULT:(.*)$') { $Matches[1] } })
        $json.Count | Should -Be 1 -Because ($output | Out-String)
        $result = $json[0] | ConvertFrom-Json
        $result.Location | Should -BeExactly $home3 -Because 'the steps leave the clone'
        $result.KimchiNet | Should -BeLike "$home3*"
        $result.Dsc | Should -BeLike "$home3*"
        Test-Path -LiteralPath (Join-Path $result.Dsc 'KimchiNetworkConfiguration.ps1') | Should -BeTrue
        $result.Networks | Should -Be 7
        $result.Help | Should -BeGreaterThan 1000
    }

    It 'installs with Install-PSResource into the user scope of a clean HOME' {
        $home2 = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory $home2 | Out-Null
        $script = @'
param($Repo, $RepoName)
Register-PSResourceRepository -Name $RepoName -Uri $Repo -Trusted
Install-PSResource -Name KimchiNet -Repository $RepoName -Scope CurrentUser -TrustRepository -Quiet
Import-Module KimchiNet -ErrorAction Stop
(Get-Module KimchiNet).ModuleBase
'@
        $scriptPath = Join-Path $TestDrive 'install.ps1'
        Set-Content -LiteralPath $scriptPath -Value $script
        $saved = $env:HOME
        try {
            $env:HOME = $home2
            $base = & $pwsh -NoProfile -NonInteractive -File $scriptPath -Repo (Join-Path $root 'out/repo') -RepoName 'LocalKimchi'
        }
        finally {
            $env:HOME = $saved
        }
        $LASTEXITCODE | Should -Be 0
        "$base" | Should -BeLike "$home2*"
    }
}
