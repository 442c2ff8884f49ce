<#
    Helpers shared by the Pester files: fresh test-driver hosts and raw snapshots of a host's
    networks, read straight from libvirt (not through the cmdlets under test).
#>
$ErrorActionPreference = 'Stop'
# The lab hosts' front end (Invoke-InKimchiLab, Invoke-KimchiLabVirsh), for the lab helpers below.
Import-Module (Join-Path $PSScriptRoot '../lab/KimchiLab.psm1')

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

function Assert-KimchiLabCapable {
    <#
        Throws, with what is missing, unless this machine can run lab hosts (tests/lab/README.md): root,
        a working `ip netns`, libvirtd and virsh. Lab tests call it first so that a machine that cannot
        run them FAILS them with a reason; set KIMCHINET_SKIP_LAB=1 to skip them on purpose.
    #>
    $missing = [System.Collections.Generic.List[string]]::new()
    if ((& id -u) -ne '0') { $missing.Add('root (network and mount namespaces, libvirtd as root)') }
    foreach ($tool in 'ip', 'virsh', 'libvirtd', 'virtlogd', 'unshare') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { $missing.Add("the program '$tool'") }
    }
    if ($missing.Count -eq 0) {
        & ip netns list *> $null
        if ($LASTEXITCODE -ne 0) { $missing.Add("a working 'ip netns'") }
    }
    if ($missing.Count -gt 0) {
        throw ("This machine cannot run KimchiNet lab hosts: missing $($missing -join ', '). " +
            'Run the tests as root on a Debian machine with the packages of tests/lab/README.md, ' +
            'or set KIMCHINET_SKIP_LAB=1 to skip the tests tagged Lab.')
    }
}

function Invoke-KimchiNetInLab {
    <#
        Runs -Script in a child pwsh INSIDE the lab's network namespace, with KimchiNet imported and
        $Uri set to the lab's URI, as the module runs on a real host beside its libvirtd. Whatever the
        script outputs comes back, converted to JSON and back, as objects. A terminating error in the
        child comes back as an object with Failed, ErrorId and Message, so tests can assert refusals.
    #>
    param(
        [Parameter(Mandatory)] [string] $Lab,
        [Parameter(Mandatory)] [string] $Uri,
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $Folder
    )
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../KimchiNet.psd1')).ProviderPath
    $id = [guid]::NewGuid().ToString('n')
    $scriptPath = Join-Path $Folder "inlab-$id.ps1"
    $resultPath = Join-Path $Folder "inlab-$id.json"
    $text = @"
param([string] `$Uri, [string] `$ResultPath)
`$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module '$($manifest -replace "'", "''")'
`$result = try {
    & {
$Script
    }
}
catch {
    [pscustomobject]@{ Failed = `$true; ErrorId = `$_.FullyQualifiedErrorId; Message = `$_.Exception.Message }
}
ConvertTo-Json -InputObject @(`$result) -Depth 8 | Set-Content -LiteralPath `$ResultPath -Encoding utf8
"@
    Set-Content -LiteralPath $scriptPath -Value $text -Encoding utf8
    $pwsh = Join-Path $PSHOME 'pwsh'
    $run = Invoke-InKimchiLab -Name $Lab -FilePath $pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $scriptPath, $Uri, $resultPath
    if ($run.ExitCode -ne 0 -or -not (Test-Path -LiteralPath $resultPath)) {
        throw "pwsh inside lab $Lab failed (exit $($run.ExitCode)):`n$($run.Output)`n$($run.Error)"
    }
    Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
}

function Get-KimchiLabLink {
    <# The links of the lab's namespace as `ip -d -json link show` reports them (optionally one device). #>
    param([Parameter(Mandatory)] [string] $Lab, [string] $Device)
    $argv = @('-d', '-json', 'link', 'show')
    if ($Device) { $argv += 'dev', $Device }
    $run = Invoke-InKimchiLab -Name $Lab -FilePath ip -ArgumentList $argv
    if ($run.ExitCode -ne 0) { return @() }
    @($run.Output | ConvertFrom-Json)
}

function Invoke-KimchiLabVirshChecked {
    <# virsh against the lab; throws with virsh's stderr when it fails, returns stdout. #>
    param([Parameter(Mandatory)] [string] $Lab, [Parameter(Mandatory)] [string[]] $ArgumentList)
    $run = Invoke-KimchiLabVirsh -Name $Lab -ArgumentList $ArgumentList
    if ($run.ExitCode -ne 0) { throw "virsh $($ArgumentList -join ' ') failed on lab $Lab (exit $($run.ExitCode)): $($run.Error.Trim())" }
    $run.Output
}

Export-ModuleMember -Function New-KimchiTestHost, Get-KimchiHostSnapshot, Assert-KimchiLabCapable, Invoke-KimchiNetInLab, Get-KimchiLabLink, Invoke-KimchiLabVirshChecked
