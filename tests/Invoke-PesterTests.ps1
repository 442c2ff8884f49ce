<#
.SYNOPSIS
    Runs the Pester suite and writes its counts as JSON, for build.ps1 to add to xUnit's.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $ResultPath
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -MinimumVersion 5.7.1 -Force

$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
if ($env:CI) { $config.Output.RenderMode = 'Plaintext' }
$config.Should.ErrorAction = 'Stop'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = [System.IO.Path]::ChangeExtension($ResultPath, '.xml')

$result = Invoke-Pester -Configuration $config
# Failed blocks and containers (a BeforeAll that throws, a file that does not parse) are failures too.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $failed
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $ResultPath

if ($failed -gt 0 -or $result.TotalCount -eq 0) { exit 1 }
