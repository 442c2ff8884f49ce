<#
    Helpers shared by the Pester files: fresh test-driver hosts and raw snapshots of a host's
    networks, read straight from libvirt (not through the cmdlets under test).
#>
$ErrorActionPreference = 'Stop'

function New-KimchiTestHost {
    <# Writes a copy of the demo host to a new file and returns its test:/// URI: each file is its own fake host. #>
    param([string] $Folder = [System.IO.Path]::GetTempPath())
    $source = Join-Path $PSScriptRoot '../../src/KimchiNet.Core/Hosts/demo-host.xml'
    $path = Join-Path $Folder ("kimchi-host-{0}.xml" -f [guid]::NewGuid().ToString('n'))
    Copy-Item -LiteralPath $source -Destination $path
    "test://$path"
}

function Get-KimchiHostSnapshot {
    <# Every network's name, state and XML as libvirt returns them, as one comparable string. #>
    param([Parameter(Mandatory)] [string] $Uri)
    $connection = [KimchiNet.Libvirt.LibvirtConnections]::Get($Uri)
    ($connection.ListNetworks() | Sort-Object Name | ForEach-Object {
        "## $($_.Name) active=$($_.IsActive) persistent=$($_.IsPersistent) autostart=$($_.Autostart)`n$($_.Xml)"
    }) -join "`n"
}

Export-ModuleMember -Function New-KimchiTestHost, Get-KimchiHostSnapshot
