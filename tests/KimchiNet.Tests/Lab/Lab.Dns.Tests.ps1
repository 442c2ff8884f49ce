$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    DNS of a running network, proven with a real client and dig (issue 15, item 2). A lab host runs a
    nat network with DNS host records, a local-only domain and a forwarder; a "client" stands in for a
    guest: a network namespace of its own (knc-LAB) joined to the network's bridge by a veth pair,
    which gets its address from the network's dnsmasq with Debian's `busybox udhcpc` and then asks
    that dnsmasq at the gateway with `dig` (bind9-dnsutils). The proof:
    - the client resolves a host record's names (plain and under the domain) to its address;
    - Set-KimchiNetwork -DnsHost on the RUNNING network adds a record live (virNetworkUpdate dns-host,
      live + config): the client resolves it at once, from the same dnsmasq process (PID unchanged),
      and a record taken away live stops resolving, still from the same process;
    - a name under the local-only domain that has no record is answered NXDOMAIN by the gateway
      itself (dnsmasq's local=/DOMAIN/), not forwarded to the forwarder (which does not exist);
    - a forwarder change on the running network is refused (KCHNET0170E) and changes nothing;
    - -Dns $false -Restart turns DNS off: dnsmasq still serves DHCP, but nothing answers on port 53
      at the gateway (dig gets no reply; no socket listens there).

    A machine that cannot run labs FAILS this test with the reason; KIMCHINET_SKIP_LAB=1 skips it.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')

    function Invoke-ClientDig {
        # dig from the client namespace at the gateway; one try of 2 s, so "no reply" is quick.
        param([Parameter(Mandatory)] [string] $Name, [string] $Server = $gateway)
        $run = Invoke-KimchiLabProcess -FilePath ip -TimeoutSeconds 30 -ArgumentList @(
            'netns', 'exec', "$client", 'dig', '+time=2', '+tries=1', "@$Server", $Name, 'A')
        $status = if ($run.Output -match 'status: ([A-Z]+)') { $Matches[1] } else { $null }
        $answers = @([regex]::Matches($run.Output, '(?m)^\S+\s+\d+\s+IN\s+A\s+([0-9.]+)') | ForEach-Object { $_.Groups[1].Value })
        [pscustomobject]@{ ExitCode = $run.ExitCode; Status = $status; Answers = $answers; Text = "$($run.Output)`n$($run.Error)" }
    }

    function Get-DnsmasqServer { Get-KimchiLabDnsmasqServer -Lab $lab -Network $network }
}

Describe 'Lab DNS: host records, live changes, a local-only domain and DNS off, asked with dig' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $uri = (Start-KimchiTestLab -Name "e2e$PID-dn" -Nics 1).Uri
        $lab = "e2e$PID-dn"
        $client = "knc-$lab"
        $network = 'dnsnat'
        $gateway = '10.78.0.1'

        # The forwarder 10.78.0.2 does not exist: a query that were forwarded would get no answer.
        $net = New-KimchiNetwork -Uri $uri -Name $network -Connection Nat -Subnet 10.78.0.0/24 -Start `
            -DnsHost '10.78.0.50=web,www' -DnsForwarder '10.78.0.2' -Domain lab.example -DomainLocalOnly $true
        $bridge = $net.BridgeName

        Invoke-KimchiLabHostChecked ip 'netns', 'add', $client | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'add', 'c1', 'type', 'veth', 'peer', 'name', 'c1p' | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', 'c1', 'netns', $client | Out-Null
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', 'c1p', 'master', $bridge, 'up' | Out-Null
        Invoke-KimchiLabHostChecked ip 'netns', 'exec', "$client", 'ip', 'link', 'set', 'c1', 'up' | Out-Null

        # A real DHCP exchange with the network's dnsmasq; udhcpc configures nothing (-s /bin/true),
        # so the client takes the address it was offered itself.
        $run = Invoke-KimchiLabProcess -FilePath ip -TimeoutSeconds 60 -ArgumentList @(
            'netns', 'exec', "$client", 'busybox', 'udhcpc', '-i', 'c1', '-f', '-q', '-n', '-t', '6', '-T', '2', '-s', '/bin/true')
        "$($run.Output)`n$($run.Error)" -match 'lease of ([0-9.]+) obtained from ([0-9.]+)' | Should -BeTrue -Because "udhcpc must get a lease: $($run.Output) $($run.Error)"
        $clientAddress = $Matches[1]
        Invoke-KimchiLabHostChecked ip 'netns', 'exec', "$client", 'ip', 'addr', 'add', "$clientAddress/24", 'dev', 'c1' | Out-Null
        Write-Host "dns: client got $clientAddress by DHCP from $($Matches[2]) on bridge $bridge"
    }

    AfterAll {
        if ($client) { Invoke-KimchiLabProcess -FilePath ip -ArgumentList 'netns', 'del', $client | Out-Null }
        Stop-KimchiTestLab -CloseConnection
    }

    It 'reads the DNS settings back from libvirt' {
        $got = Get-KimchiNetwork -Uri $uri -Name $network
        $got.Dns | Should -BeTrue
        @($got.DnsHosts | ForEach-Object ToString) | Should -Be @('10.78.0.50=web,www')
        @($got.DnsForwarders | ForEach-Object ToString) | Should -Be @('10.78.0.2')
        $got.Domain | Should -Be 'lab.example'
        $got.DomainLocalOnly | Should -BeTrue
        (Get-DnsmasqServer).Config | Should -Match '(?m)^local=/lab\.example/$' -Because 'libvirt tells dnsmasq to answer the domain itself'
    }

    It 'resolves a host record through the network''s dnsmasq at the gateway' {
        foreach ($name in 'web', 'www', 'www.lab.example') {
            $answer = Invoke-ClientDig -Name $name
            $answer.Status | Should -Be 'NOERROR' -Because $answer.Text
            $answer.Answers | Should -Be @('10.78.0.50') -Because $answer.Text
        }
        Write-Host "dns: client $clientAddress asked $gateway with dig: web, www and www.lab.example -> 10.78.0.50"
    }

    It 'adds a record live and resolves it from the same dnsmasq, then removes it live' {
        $before = Get-DnsmasqServer
        # Asked under the local-only domain, so that "no such name" is answered by the gateway itself
        # (a bare name without a record would go to the forwarder, which does not exist).
        (Invoke-ClientDig -Name api.lab.example).Status | Should -Be 'NXDOMAIN'

        $added = Set-KimchiNetwork -Uri $uri -Name $network -DnsHost '10.78.0.50=web,www', '10.78.0.60=api' -PassThru
        $added.State | Should -Be 'Active'
        @($added.DnsHosts | ForEach-Object ToString) | Should -Be @('10.78.0.50=web,www', '10.78.0.60=api')
        $answer = Invoke-ClientDig -Name api.lab.example
        $answer.Answers | Should -Be @('10.78.0.60') -Because $answer.Text
        (Invoke-ClientDig -Name api).Answers | Should -Be @('10.78.0.60')
        $after = Get-DnsmasqServer
        $after.Pid | Should -Be $before.Pid -Because 'a DNS host record goes live without restarting dnsmasq'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network |
            Should -Match "<host ip='10.78.0.60'>\s*<hostname>api</hostname>" -Because 'the persistent definition has it too'
        Write-Host "dns: record 10.78.0.60=api added live; dig api.lab.example -> $($answer.Answers -join ','); dnsmasq pid $($before.Pid) -> $($after.Pid) (unchanged)"

        Set-KimchiNetwork -Uri $uri -Name $network -DnsHost '10.78.0.50=web,www'
        $gone = Invoke-ClientDig -Name api.lab.example
        $gone.Status | Should -Be 'NXDOMAIN' -Because $gone.Text
        (Get-DnsmasqServer).Pid | Should -Be $before.Pid
        (Invoke-ClientDig -Name web).Answers | Should -Be @('10.78.0.50')
        Write-Host "dns: record api removed live; dig api.lab.example -> $($gone.Status); dnsmasq pid still $($before.Pid)"
    }

    It 'answers a name of the local-only domain itself, without forwarding it' {
        $answer = Invoke-ClientDig -Name nothere.lab.example
        $answer.ExitCode | Should -Be 0 -Because "the gateway answers (dig exits 9 on no reply): $($answer.Text)"
        $answer.Status | Should -Be 'NXDOMAIN' -Because $answer.Text
        $answer.Text | Should -Match "SERVER: $([regex]::Escape($gateway))#53"
        # The same query outside the domain goes to the forwarder, which does not exist: no answer, or SERVFAIL.
        $forwarded = Invoke-ClientDig -Name nothere.other.example
        $forwarded.Status | Should -Not -Be 'NXDOMAIN' -Because "a name outside the local-only domain is forwarded: $($forwarded.Text)"
        Write-Host "dns: local-only domain: nothere.lab.example -> $($answer.Status) from $gateway at once; nothere.other.example (forwarded to a missing server) -> $(if ($forwarded.Status) { $forwarded.Status } else { 'no reply' })"
    }

    It 'refuses a forwarder change on the running network without -Restart, and changes nothing' {
        $xml = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network
        { Set-KimchiNetwork -Uri $uri -Name $network -DnsForwarder 10.78.0.3 -ErrorAction Stop } |
            Should -Throw -ErrorId 'KCHNET0170E,KimchiNet.Commands.SetKimchiNetworkCommand'
        Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', $network | Should -BeExactly $xml
    }

    It 'turns DNS off with -Restart: nothing answers on port 53 at the gateway' {
        Set-KimchiNetwork -Uri $uri -Name $network -DnsHost @() -DnsForwarder @() -DomainLocalOnly $false -Dns $false -Restart
        $got = Get-KimchiNetwork -Uri $uri -Name $network
        $got.Dns | Should -BeFalse
        $got.State | Should -Be 'Active'
        # The restart made the bridge anew: the client's veth goes back on it.
        Invoke-KimchiLabIpChecked -Lab $lab -ArgumentList 'link', 'set', 'c1p', 'master', $got.BridgeName, 'up' | Out-Null
        (Get-DnsmasqServer).Config | Should -Match '(?m)^port=0$' -Because 'libvirt starts dnsmasq without DNS'

        $answer = Invoke-ClientDig -Name web
        $answer.ExitCode | Should -Not -Be 0 -Because "nothing may answer: $($answer.Text)"
        $answer.Status | Should -BeNullOrEmpty
        $listening = Invoke-InKimchiLab -Name $lab -FilePath ss -ArgumentList '-H', '-l', '-n', '-u', '-t', 'sport', '=', ':53'
        $listening.ExitCode | Should -Be 0
        $listening.Output.Trim() | Should -BeNullOrEmpty -Because 'no socket listens on port 53 in the lab host'
        Write-Host "dns: DNS off (restart): dig web @$gateway -> no reply (dig exit $($answer.ExitCode)); no socket on port 53; dnsmasq runs with port=0"
    }
}
