#Requires -Version 7.2
<#
    SshHost: a real sshd on a lab host (tests/lab/KimchiLab.psm1), for KimchiNet's tests over SSH.

    Start-KimchiLabSsh     start sshd inside a lab host, reached from this (the root) network
                           namespace through a veth pair on private addresses (10.213.N.0/30)
    Stop-KimchiLabSsh      stop it and remove the veth pair
    New-KimchiLabSshClient a private ssh client (ssh_config + a command for libvirt's command=) that
                           trusts the host keys of one known_hosts file
    Get-KimchiLabSshUri    a qemu+ssh:// or qemu+libssh:// URI of the lab's libvirtd through its sshd

    Nothing here reads or writes the machine's own ssh files: the lab's sshd runs inside the lab's
    network AND mount namespaces (entered through its virtlogd, as lab-host start-libvirtd does), so
    its /run/sshd and any private /etc/passwd and /etc/shadow exist in the lab only; its host keys,
    client keys and known_hosts files are made with ssh-keygen in the lab's state folder
    (/run/kimchinet-lab/NAME/ssh, deleted when the lab goes down). The ssh binary is always run
    with -F <private config>: then it reads no ~/.ssh/config and no /etc/ssh/ssh_config, and does not
    create ~/.ssh. libvirt's ssh transport runs the program named by the URI's command= parameter
    in place of ssh (with its own -l, -i, -T, -e none and BatchMode arguments), which is how a test
    gives it that config; the libssh transport takes known_hosts= itself.

    Every program is started with an argument list (KimchiLab's Invoke-KimchiLabProcess), never
    through a shell string.
#>
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'KimchiLab.psm1')

$script:LabRoot = '/run/kimchinet-lab'
$script:Sshd = '/usr/sbin/sshd'   # sshd re-executes itself and insists on an absolute path
$script:Ssh = '/usr/bin/ssh'
$script:SshKeygen = '/usr/bin/ssh-keygen'
$script:Openssl = '/usr/bin/openssl'
# The lab user of password tests: uid 0 in the lab's private /etc/passwd, so that it may reach the
# lab's libvirtd socket, and a name the machine does not have.
$script:LabUser = 'kimchilab'

function Invoke-SshLabChecked {
    param([Parameter(Mandatory)][string]$FilePath, [string[]]$ArgumentList = @(), [string]$What)
    $r = Invoke-KimchiLabProcess -FilePath $FilePath -ArgumentList $ArgumentList -TimeoutSeconds 60
    if ($r.ExitCode -ne 0) { throw "$(if ($What) { $What } else { $FilePath }) failed (exit $($r.ExitCode)): $($r.Error.Trim()) $($r.Output.Trim())" }
    $r.Output
}

function Get-LabVirtlogdPid([string]$Name) {
    $file = "$script:LabRoot/$Name/virtlogd.pid"
    if (-not (Test-Path -LiteralPath $file)) { throw "Lab '$Name' is not up (no $file)." }
    $id = ([System.IO.File]::ReadAllText($file)) -replace '[^0-9]', ''
    $ns = Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'identify', $id
    if ($ns.Output.Trim() -ne "kn-$Name") { throw "Lab '$Name': virtlogd pid $id is not in namespace kn-$Name." }
    $id
}

function Invoke-InLabMountNamespace {
    # Runs a program in the lab's network and mount namespaces (where its libvirtd runs).
    param([Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][string]$FilePath, [string[]]$ArgumentList = @())
    $id = Get-LabVirtlogdPid $Name
    Invoke-SshLabChecked -FilePath nsenter -ArgumentList (@('-t', $id, '-m', '-n', '--', $FilePath) + $ArgumentList) -What "$FilePath in lab $Name"
}

function New-LabKey([string]$Path, [string]$Passphrase = '', [string]$Comment) {
    Invoke-SshLabChecked -FilePath $script:SshKeygen -ArgumentList '-q', '-t', 'ed25519', '-N', $Passphrase, '-C', $Comment, '-f', $Path -What 'ssh-keygen' | Out-Null
}

function New-KimchiLabSshClient {
    <#
    .SYNOPSIS
        A private ssh client for a lab's sshd: a folder holding ssh_config (UserKnownHostsFile =
        -KnownHostsFile, no global known_hosts, only the keys given) and 'ssh', a command libvirt's
        ssh transport can run (command=) that is /usr/bin/ssh -F that config. Returns the command's path.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]$Ssh,
        [Parameter(Mandatory)][string]$KnownHostsFile,
        [string]$FolderName = ('client-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    )
    $folder = Join-Path $Ssh.Folder $FolderName
    New-Item -ItemType Directory -Path $folder -Force | Out-Null
    $config = Join-Path $folder 'ssh_config'
    $lines = @(
        '# KimchiNet lab client: nothing from ~/.ssh or /etc/ssh'
        'Host *'
        "    UserKnownHostsFile $KnownHostsFile"
        '    GlobalKnownHostsFile /dev/null'
        '    IdentitiesOnly yes'
        '    IdentityAgent none'
        '    StrictHostKeyChecking ask'
        '    UpdateHostKeys no'
        '    ConnectTimeout 20'
    )
    [System.IO.File]::WriteAllLines($config, [string[]] $lines)
    $command = Join-Path $folder 'ssh'
    # The one shell line of the lab: libvirt runs command= with ssh's arguments after it, and ssh has
    # no environment variable for -F. Every path in it is one the lab made, quoted.
    [System.IO.File]::WriteAllText($command, "#!/bin/sh`nexec '$script:Ssh' -F '$config' `"`$@`"`n")
    [System.IO.File]::SetUnixFileMode($command, [System.IO.UnixFileMode] 'UserRead, UserWrite, UserExecute')
    $command
}

function Get-KimchiLabSshUri {
    <#
    .SYNOPSIS
        The URI of the lab's libvirtd through its sshd: qemu+ssh://USER@ADDR/system?socket=...&keyfile=...&command=...
        (-Transport Ssh, libvirt runs the ssh binary) or qemu+libssh://USER@ADDR/system?socket=...&known_hosts=...
        (-Transport Libssh, libvirt speaks SSH itself with libssh). No password is ever put in it.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]$Ssh,
        [ValidateSet('Ssh', 'Libssh')][string]$Transport = 'Ssh',
        [string]$UserName = 'root',
        [string]$KeyFile = $Ssh.KeyFile,
        [string]$KnownHostsFile = $Ssh.KnownHostsFile,
        [string]$Command = $Ssh.Command,
        [string]$SshAuth
    )
    $query = [System.Collections.Generic.List[string]]::new()
    $query.Add("socket=$($Ssh.Socket)")
    if ($Transport -eq 'Ssh') {
        if ($KeyFile) { $query.Add("keyfile=$KeyFile") }
        $query.Add("command=$Command")
    }
    else {
        if ($KeyFile) { $query.Add("keyfile=$KeyFile") }
        $query.Add("known_hosts=$KnownHostsFile")
        if ($SshAuth) { $query.Add("sshauth=$SshAuth") }
    }
    $scheme = if ($Transport -eq 'Ssh') { 'qemu+ssh' } else { 'qemu+libssh' }
    "${scheme}://$UserName@$($Ssh.Address)/system?$($query -join '&')"
}

function Start-KimchiLabSsh {
    <#
    .SYNOPSIS
        Starts sshd inside lab host -Name (which must be up), listening on 10.213.N.2:22 of a veth pair
        whose other end (ksshN, 10.213.N.1) is in this network namespace.
    .DESCRIPTION
        -Authentication PublicKey (the default) allows root with a key only. Password allows only
        password authentication, for the lab user 'kimchilab' (uid 0 in a private /etc/passwd and
        /etc/shadow bound over the lab's own, in the lab's mount namespace only) with -Password.
        Two client keys are made and authorized: KeyFile (no passphrase) and PassphraseKeyFile
        (passphrase -KeyPassphrase). KnownHostsFile holds the lab's host key for its address.
        sshd offers pwsh as its 'powershell' subsystem ($PSHOME/pwsh -sshs -NoLogo), so
        Invoke-Command -HostName root@Address -KeyFilePath KeyFile runs PowerShell inside the lab's
        network and mount namespaces, beside its libvirtd (Lab.RemoteBridge.Tests.ps1).
    .OUTPUTS
        Name, Address, Port, Folder, Socket, KeyFile, PassphraseKeyFile, KnownHostsFile, Command (the
        private ssh client for command=), HostKeyFile, HostPublicKey, UserName, Pid, RootInterface, Uri.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Name,
        [ValidateSet('PublicKey', 'Password')][string]$Authentication = 'PublicKey',
        [string]$Password,
        [string]$KeyPassphrase = 'lab key passphrase'
    )
    if ($Authentication -eq 'Password' -and -not $Password) { throw '-Authentication Password needs -Password.' }
    $state = "$script:LabRoot/$Name"
    $folder = "$state/ssh"
    if (Test-Path -LiteralPath $folder) { throw "Lab '$Name' already has sshd ($folder); Stop-KimchiLabSsh first." }
    $null = Get-LabVirtlogdPid $Name
    New-Item -ItemType Directory -Path $folder | Out-Null
    [System.IO.File]::SetUnixFileMode($folder, [System.IO.UnixFileMode] 'UserRead, UserWrite, UserExecute')

    # A veth pair on the first free 10.213.N.0/30: 'ip link add' of an existing name fails, which
    # makes taking N atomic between concurrent starts.
    $index = -1
    for ($n = 0; $n -lt 250 -and $index -lt 0; $n++) {
        $r = Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'link', 'add', "kssh$n", 'type', 'veth', 'peer', 'name', 'ssh0', 'netns', "kn-$Name"
        if ($r.ExitCode -eq 0) { $index = $n }
        elseif ($r.Error -notmatch 'File exists') { throw "ip link add kssh$n failed: $($r.Error.Trim())" }
    }
    if ($index -lt 0) { throw 'No free kssh0..kssh249 veth name.' }
    $rootIf = "kssh$index"
    $address = "10.213.$index.2"
    try {
        Invoke-SshLabChecked -FilePath ip -ArgumentList 'addr', 'add', "10.213.$index.1/30", 'dev', $rootIf | Out-Null
        Invoke-SshLabChecked -FilePath ip -ArgumentList 'link', 'set', $rootIf, 'up' | Out-Null
        Invoke-SshLabChecked -FilePath ip -ArgumentList '-n', "kn-$Name", 'addr', 'add', "$address/30", 'dev', 'ssh0' | Out-Null
        Invoke-SshLabChecked -FilePath ip -ArgumentList '-n', "kn-$Name", 'link', 'set', 'ssh0', 'up' | Out-Null

        $hostKey = "$folder/ssh_host_ed25519_key"
        New-LabKey -Path $hostKey -Comment "kimchinet-lab-$Name-host"
        $key = "$folder/id_ed25519"
        New-LabKey -Path $key -Comment "kimchinet-lab-$Name-client"
        $passKey = "$folder/id_ed25519_passphrase"
        New-LabKey -Path $passKey -Passphrase $KeyPassphrase -Comment "kimchinet-lab-$Name-client-passphrase"
        $authorized = "$folder/authorized_keys"
        [System.IO.File]::WriteAllText($authorized, [System.IO.File]::ReadAllText("$key.pub") + [System.IO.File]::ReadAllText("$passKey.pub"))
        $hostPublic = ([System.IO.File]::ReadAllText("$hostKey.pub").Trim() -split ' ')[0..1] -join ' '
        $knownHosts = "$folder/known_hosts"
        [System.IO.File]::WriteAllText($knownHosts, "$address $hostPublic`n")

        $config = "$folder/sshd_config"
        $pwshLauncher = Join-Path $PSHOME 'pwsh'
        if ($pwshLauncher -match '\s' -or -not (Test-Path -LiteralPath $pwshLauncher -PathType Leaf)) {
            throw "sshd's powershell subsystem needs pwsh's launcher at a path without blanks; '$pwshLauncher' is not one."
        }
        $lines = @(
            "# KimchiNet lab sshd of lab $Name"
            "ListenAddress ${address}:22"
            "HostKey $hostKey"
            "PidFile $folder/sshd.pid"
            "AuthorizedKeysFile $authorized"
            'UsePAM no'
            'StrictModes yes'
            'KbdInteractiveAuthentication no'
            'X11Forwarding no'
            'AllowTcpForwarding no'
            'AllowAgentForwarding no'
            'PrintMotd no'
            'LoginGraceTime 30'
            'LogLevel VERBOSE'
            # PowerShell remoting over SSH (Invoke-Command -HostName): the pwsh running these tests, by
            # its absolute path (sshd insists on one). With 'dotnet pwsh' (a .NET tool), $PSHOME holds
            # the tool's own native launcher 'pwsh', which finds the .NET runtime in its default place.
            "Subsystem powershell $pwshLauncher -sshs -NoLogo"
        )
        if ($Authentication -eq 'PublicKey') {
            $lines += 'PermitRootLogin prohibit-password', 'PubkeyAuthentication yes', 'PasswordAuthentication no', 'AuthenticationMethods publickey'
        }
        else {
            $lines += 'PermitRootLogin yes', 'PubkeyAuthentication no', 'PasswordAuthentication yes', 'PermitEmptyPasswords no', 'AuthenticationMethods password', "AllowUsers $script:LabUser"
            # The lab user, in copies of passwd and shadow bound over the lab's own (mount namespace of the lab only).
            $hash = (Invoke-SshLabChecked -FilePath $script:Openssl -ArgumentList 'passwd', '-6', $Password -What 'openssl passwd').Trim()
            [System.IO.File]::WriteAllText("$folder/passwd", [System.IO.File]::ReadAllText('/etc/passwd') + "${script:LabUser}:x:0:0:KimchiNet lab user:/root:/bin/sh`n")
            $shadow = [System.IO.File]::ReadAllText('/etc/shadow') + "${script:LabUser}:${hash}:19000:0:99999:7:::`n"
            [System.IO.File]::WriteAllText("$folder/shadow", $shadow)
            [System.IO.File]::SetUnixFileMode("$folder/shadow", [System.IO.UnixFileMode] 'UserRead, UserWrite')
            Invoke-InLabMountNamespace -Name $Name -FilePath mount -ArgumentList '--bind', "$folder/passwd", '/etc/passwd' | Out-Null
            Invoke-InLabMountNamespace -Name $Name -FilePath mount -ArgumentList '--bind', "$folder/shadow", '/etc/shadow' | Out-Null
        }
        [System.IO.File]::WriteAllLines($config, [string[]] $lines)

        # /run is the lab's own tmpfs in its mount namespace: sshd's privilege separation folder goes there.
        Invoke-InLabMountNamespace -Name $Name -FilePath mkdir -ArgumentList '-p', '-m', '0755', '/run/sshd' | Out-Null
        Invoke-InLabMountNamespace -Name $Name -FilePath $script:Sshd -ArgumentList '-t', '-f', $config | Out-Null
        Invoke-InLabMountNamespace -Name $Name -FilePath $script:Sshd -ArgumentList '-f', $config, '-E', "$folder/sshd.log" | Out-Null
        $sshdPid = 0
        for ($i = 0; $i -lt 100 -and -not $sshdPid; $i++) {
            if (Test-Path -LiteralPath "$folder/sshd.pid") { $sshdPid = [int] (([System.IO.File]::ReadAllText("$folder/sshd.pid")) -replace '[^0-9]', '') }
            else { Start-Sleep -Milliseconds 50 }
        }
        if (-not $sshdPid) { throw "sshd of lab $Name wrote no pid file: $(Get-Content -Raw -LiteralPath "$folder/sshd.log" -ErrorAction Ignore)" }
        $command = New-KimchiLabSshClient -Ssh ([pscustomobject]@{ Folder = $folder }) -KnownHostsFile $knownHosts -FolderName 'client'
        $result = [pscustomobject]@{
            PSTypeName        = 'KimchiLab.Ssh'
            Name              = $Name
            Address           = $address
            Port              = 22
            Folder            = $folder
            Socket            = "$state/sock/libvirt-sock"
            KeyFile           = $key
            PassphraseKeyFile = $passKey
            KeyPassphrase     = $KeyPassphrase
            KnownHostsFile    = $knownHosts
            Command           = $command
            HostKeyFile       = $hostKey
            HostPublicKey     = $hostPublic
            UserName          = if ($Authentication -eq 'PublicKey') { 'root' } else { $script:LabUser }
            Authentication    = $Authentication
            Pid               = $sshdPid
            RootInterface     = $rootIf
            Uri               = $null
        }
        $result.Uri = Get-KimchiLabSshUri -Ssh $result
        $result
    }
    catch {
        Stop-KimchiLabSsh -Name $Name -RootInterface $rootIf -ErrorAction Continue
        throw
    }
}

function Stop-KimchiLabSsh {
    <#
    .SYNOPSIS
        Stops the lab's sshd (by its pid, checked to be in the lab's namespace), removes its veth pair
        and its folder. Idempotent; the lab itself stays up. (lab-host down stops all of it too: sshd
        is a process of the lab's namespace, and deleting the namespace deletes the pair.)
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipelineByPropertyName)][string]$Name, [Parameter(ValueFromPipelineByPropertyName)][string]$RootInterface)
    process {
        $folder = "$script:LabRoot/$Name/ssh"
        $pidFile = "$folder/sshd.pid"
        if (Test-Path -LiteralPath $pidFile) {
            $id = ([System.IO.File]::ReadAllText($pidFile)) -replace '[^0-9]', ''
            $ns = Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'identify', $id
            if ($id -and $ns.Output.Trim() -eq "kn-$Name") {
                Invoke-KimchiLabProcess -FilePath kill -ArgumentList '-TERM', $id | Out-Null
                for ($i = 0; $i -lt 50 -and (Test-Path "/proc/$id"); $i++) { Start-Sleep -Milliseconds 100 }
            }
        }
        # Unbind a private passwd/shadow, if any (their files are about to go).
        if (Test-Path -LiteralPath "$folder/passwd") {
            foreach ($file in '/etc/shadow', '/etc/passwd') {
                try { Invoke-InLabMountNamespace -Name $Name -FilePath umount -ArgumentList $file | Out-Null } catch { Write-Verbose "$_" }
            }
        }
        if ($RootInterface -and $RootInterface -match '^kssh[0-9]+$') {
            Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'link', 'del', $RootInterface | Out-Null
        }
        if (Test-Path -LiteralPath $folder) { Remove-Item -LiteralPath $folder -Recurse -Force }
    }
}

Export-ModuleMember -Function Start-KimchiLabSsh, Stop-KimchiLabSsh, New-KimchiLabSshClient, Get-KimchiLabSshUri
