<#
    What the live measurement scripts beside this file share: the median of their samples, and
    running libvirt_listing.py (the Kimchi and floor baselines, with Debian's python3-libvirt).
#>

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-Median {
    <# The median of the values; NaN when there are none. #>
    param([double[]] $Values)
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return [double]::NaN }
    $mid = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$mid] }
    ($sorted[$mid - 1] + $sorted[$mid]) / 2
}

function Invoke-ListingHelper {
    <#
        Runs libvirt_listing.py with the arguments given (an argument list, no shell) under Debian's
        /usr/bin/python3, which python3-libvirt is built for (not a pyenv one on PATH), and returns
        its JSON output as a hashtable; throws with its stderr when it fails.
    #>
    param([Parameter(Mandatory)] [string[]] $Arguments, [int] $TimeoutSeconds = 3600)
    $helper = Join-Path $PSScriptRoot 'libvirt_listing.py'
    $r = Invoke-KimchiLabProcess -FilePath $script:Python -ArgumentList (@($helper) + $Arguments) -TimeoutSeconds $TimeoutSeconds
    if ($r.ExitCode -ne 0) { throw "libvirt_listing.py $($Arguments[0]) failed ($($r.ExitCode)): $($r.Error.Trim())" }
    $r.Output | ConvertFrom-Json -AsHashtable
}

function Get-ListingHelperProblem {
    <# Why libvirt_listing.py cannot run here (no python3, no python3-libvirt), or nothing when it can. #>
    if (-not (Test-Path $script:Python)) { return "$script:Python not found" }
    if ((Invoke-KimchiLabProcess -FilePath $script:Python -ArgumentList '-c', 'import libvirt').ExitCode -ne 0) {
        return "python3-libvirt missing for $script:Python (apt-get install -y python3-libvirt)"
    }
}

# Needs Invoke-KimchiLabProcess of tests/lab/KimchiLab.psm1, which the scripts import first.
$script:Python = '/usr/bin/python3'

Export-ModuleMember -Function Get-Median, Invoke-ListingHelper, Get-ListingHelperProblem
