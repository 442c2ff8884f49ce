#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Brings a libvirt host's networks to a desired state with the KimchiNetwork DSC resource.

.DESCRIPTION
    A sample configuration without the DSC engine: a list of desired networks (hashtables with the
    resource's properties), and for each one the resource's Test, then Set when Test is false. This
    is what Invoke-DscResource does for one resource, in a plain loop that runs anywhere KimchiNet
    runs. Unset properties are "don't care". Set takes the fewest steps and refuses, before changing
    anything, what would cut virtual machines off; a second run changes nothing.

    With PSDesiredStateConfiguration 2.x installed, each entry can be applied by the DSC engine instead:
        Invoke-DscResource -Name KimchiNetwork -ModuleName KimchiNetDsc -Method Set -Property $entry

.PARAMETER ModulePath
    The KimchiNet module to load: its name when installed, or the path of KimchiNet.psd1.

.PARAMETER DscModulePath
    The KimchiNetDsc module, which holds the resource: its name when installed, or the path of
    KimchiNetDsc.psd1. It requires KimchiNet, loaded first.

.PARAMETER Uri
    The libvirt host; by default the session's (Connect-KimchiHost), else libvirt's default.

.PARAMETER Demo
    Works on KimchiNet's built-in demo host (libvirt's test driver, in memory) instead.

.PARAMETER TestOnly
    Only tests: writes which networks differ and how, and changes nothing.

.EXAMPLE
    & (Join-Path (Get-Module -ListAvailable KimchiNetDsc)[0].ModuleBase 'KimchiNetworkConfiguration.ps1') -Demo -Verbose

    With both modules installed (this script ships in KimchiNetDsc's module folder): no paths are
    needed. In a clone of the source, once it is built, pass -ModulePath and -DscModulePath the
    clone's two manifests.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = 'KimchiNet',
    [string] $DscModulePath = 'KimchiNetDsc',
    [string] $Uri,
    [switch] $Demo,
    [switch] $TestOnly
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# The desired networks. Keys are the resource's properties: Ensure (Present/Absent), Name,
# Connection, Interfaces, Subnet, VlanId, State (Active/Inactive), Autostart.
$DesiredNetworks = @(
    @{ Name = 'default'; Connection = 'Nat'; Subnet = '192.168.122.0/24'; State = 'Active'; Autostart = $true }
    @{ Name = 'lab-isolated'; Connection = 'Isolated'; Subnet = '10.20.0.1/24'; State = 'Active'; Autostart = $true }
    @{ Name = 'lab-vepa'; Connection = 'Vepa'; Interfaces = @('eth4', 'eth0'); State = 'Active' }
    @{ Name = 'ovs'; Ensure = 'Absent' }
)

Import-Module $ModulePath -Verbose:$false
$resourceModule = Import-Module $DscModulePath -Verbose:$false -PassThru
if ($Demo) {
    $Uri = (Connect-KimchiHost -Demo).Uri
}

# Import-Module exports no classes, so the class is taken from the module's scope. A script with a
# fixed module location can write 'using module KimchiNetDsc' and [KimchiNetwork]::new() instead.

# A class method sees its module's (global) preferences, not this script's: pass -Verbose on.
$savedVerbose = $global:VerbosePreference
$global:VerbosePreference = $VerbosePreference
try {
    foreach ($entry in $DesiredNetworks) {
        $resource = & $resourceModule { [KimchiNetwork]::new() }
        foreach ($key in $entry.Keys) {
            $resource.$key = $entry[$key]
        }
        if ($Uri) {
            $resource.Uri = $Uri
        }

        $inDesiredState = $resource.Test()
        $changed = $false
        if (-not $inDesiredState -and -not $TestOnly) {
            $resource.Set()
            $changed = $true
        }
        [pscustomobject]@{
            Name           = $resource.Name
            Ensure         = $resource.Ensure
            InDesiredState = $inDesiredState
            Changed        = $changed
        }
    }
}
finally {
    $global:VerbosePreference = $savedVerbose
}
