#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The README's demo: KimchiNet on the embedded demo host. Needs no daemon and no root.
#>
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot '../KimchiNet.psd1') -Force

function Show-Step([string] $Text) { Write-Host "`n### $Text" -ForegroundColor Cyan }

Show-Step 'A VEPA network on two NICs, as libvirt network XML (offline)'
ConvertTo-KimchiNetworkXml -Name lab -Connection Vepa -Interfaces eth1, eth2

Show-Step 'A fleet of networks from CSV, one line each'
@'
Name,Connection,Subnet,Interfaces,VlanId
lab,vepa,,"eth1,eth2",
web,nat,192.168.50.0/24,,
backup,isolated,10.20.0.7/24,,
guests,macvtap,,eth3,
'@ | ConvertFrom-Csv | ConvertTo-KimchiNetworkXml | ForEach-Object {
    $network = ([xml]$_).network
    $forward = $network.SelectSingleNode('forward')
    [pscustomobject]@{
        Name    = $network.name
        Mode    = if ($forward) { $forward.mode } else { '(isolated)' }
        Devices = if ($forward) { @($forward.SelectNodes('interface') | ForEach-Object dev) -join ',' } else { '' }
        Gateway = $network.SelectSingleNode('ip')?.address
        Dhcp    = if ($network.SelectSingleNode('ip/dhcp/range')) { '{0}-{1}' -f $network.ip.dhcp.range.start, $network.ip.dhcp.range.end } else { '' }
    }
} | Format-Table -AutoSize | Out-String | Write-Host

Show-Step 'Bad input gets a Kimchi error code and changes nothing'
ConvertTo-KimchiNetworkXml -Name lab -Connection Vepa -Interfaces eth1 -VlanId 10 -ErrorVariable err -ErrorAction SilentlyContinue
Write-Host ("{0}`n  FullyQualifiedErrorId: {1}`n  Category: {2}" -f $err[0].Exception.Message, $err[0].FullyQualifiedErrorId, $err[0].CategoryInfo.Category)
