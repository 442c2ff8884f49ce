$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

<#
    DHCP reservations as a network property on a real libvirtd (issue 15, item 7). A lab host gets a
    nat network created with -DhcpReservation: its dnsmasq serves that reservation from the start.
    Test-KimchiNetwork then reports a reservation the network lacks, and the KimchiNetwork DSC
    resource's Set converges it: the missing reservation reaches dnsmasq's host file and the
    persistent definition, the one no longer desired leaves both, and the network is not restarted
    (dnsmasq's PID is unchanged). A second Test is true.

    A machine that cannot run labs FAILS this test with the reason; KIMCHINET_SKIP_LAB=1 skips it.
#>

BeforeDiscovery {
    $SkipLab = $env:KIMCHINET_SKIP_LAB -eq '1'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'LabSetup.ps1')
    $dsc = Import-Module (Join-Path $PSScriptRoot '../../../src/KimchiNetDsc/KimchiNetDsc.psd1') -Force -PassThru
    $resourceType = & $dsc { [KimchiNetwork] }

    function Get-HostsFile {
        $dnsmasq = Get-KimchiLabDnsmasqServer -Lab $lab -Network $network
        $path = "/proc/$($dnsmasq.Pid)/root/var/lib/libvirt/dnsmasq/$network.hostsfile"
        [pscustomobject]@{ Pid = $dnsmasq.Pid; Text = if (Test-Path -LiteralPath $path) { [IO.File]::ReadAllText($path) } else { '' } }
    }
}

Describe 'Lab DHCP reservations: created in the XML, converged live by the DSC resource' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        $uri = (Start-KimchiTestLab -Name "e2e$PID-rc" -Nics 1).Uri
        $lab = "e2e$PID-rc"
        $network = 'rcnat'
    }

    AfterAll {
        Stop-KimchiTestLab -CloseConnection
    }

    It 'serves the created reservation, and Set adds and removes reservations without restarting dnsmasq' {
        New-KimchiNetwork -Uri $uri -Name $network -Connection Nat -Subnet 10.78.0.0/24 -Start `
            -DhcpReservation '52:54:00:78:00:10=10.78.0.10,first' | Out-Null
        $before = Get-HostsFile
        $before.Text | Should -Match '52:54:00:78:00:10,10\.78\.0\.10,first' -Because 'a reservation given to New-KimchiNetwork is in the XML dnsmasq starts with'

        Test-KimchiNetwork -Uri $uri -Name $network -DhcpReservation '52:54:00:78:00:10=10.78.0.10,first', '52-54-00-78-00-11=10.78.0.11,second' |
            Should -BeFalse -Because 'the network lacks the second reservation'

        $resource = $resourceType::new()
        $resource.Name = $network
        $resource.Uri = $uri
        $resource.DhcpReservation = '52-54-00-78-00-11=10.78.0.11,second'
        $resource.Test() | Should -BeFalse
        $resource.Set()

        $after = Get-HostsFile
        $after.Pid | Should -Be $before.Pid -Because 'reservations converge live, without restarting the network'
        $after.Text | Should -Match '52:54:00:78:00:11,10\.78\.0\.11,second'
        $after.Text | Should -Not -Match '52:54:00:78:00:10' -Because 'the set replaces the reservations: the first is no longer desired'
        $inactive = Invoke-KimchiLabVirshChecked -Lab $lab -ArgumentList 'net-dumpxml', '--inactive', $network
        $inactive | Should -Match "<host mac='52:54:00:78:00:11' name='second' ip='10.78.0.11'/>"
        $inactive | Should -Not -Match '52:54:00:78:00:10'
        (Get-KimchiNetwork -Uri $uri -Name $network).State | Should -Be 'Active'
        $resource.Test() | Should -BeTrue
        Test-KimchiNetwork -Uri $uri -Name $network -DhcpReservation '52:54:00:78:00:11=10.78.0.11,second' | Should -BeTrue
        Write-Host "reservations: converged live, dnsmasq pid $($before.Pid) -> $($after.Pid); host file now: $($after.Text.Trim())"
    }
}
