#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The README's demo: KimchiNet on the demo host shipped in the module (libvirt's test driver).
    Needs no daemon and no root, and changes nothing real.
#>
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot '../KimchiNet.psd1') -Force

function Show-Step([string] $Text) { Write-Host "`n### $Text" -ForegroundColor Cyan }
function Show([object[]] $InputObject) { $InputObject | Format-Table -AutoSize | Out-String -Width 160 | Write-Host }

Show-Step 'Connect-KimchiHost -Demo'
Connect-KimchiHost -Demo | Format-List | Out-String | Write-Host

Show-Step 'Get-KimchiInterface: the host''s devices, who uses them, what each can carry'
Show (Get-KimchiInterface)

Show-Step 'New-KimchiNetwork -Name lab -Connection Vepa -Interfaces eth0,eth4 -Start'
Show (New-KimchiNetwork -Name lab -Connection Vepa -Interfaces eth0, eth4 -Start)

Show-Step 'Get-KimchiNetwork: every network, and the VMs using each'
Show (Get-KimchiNetwork)

Show-Step '(Get-KimchiNetwork lab).Xml: what libvirt now holds'
(Get-KimchiNetwork lab).Xml | Write-Host

Show-Step 'A VEPA network on a bridge is refused, with Kimchi''s code, and nothing changes'
$before = @(Get-KimchiNetwork).Count
New-KimchiNetwork -Name lab2 -Connection Vepa -Interfaces br0 -ErrorVariable err -ErrorAction SilentlyContinue
Write-Host ("{0}`n  FullyQualifiedErrorId: {1}`n  Category: {2}`n  Networks before and after: {3} and {4}" -f `
        $err[0].Exception.Message, $err[0].FullyQualifiedErrorId, $err[0].CategoryInfo.Category, $before, @(Get-KimchiNetwork).Count)

Show-Step 'Offline: ConvertTo-KimchiNetworkXml needs no host at all'
ConvertTo-KimchiNetworkXml -Name web -Connection Nat -Subnet 192.168.50.0/24 | Write-Host
