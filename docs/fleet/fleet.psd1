# A fleet configuration for Invoke-KimchiConfiguration and Test-KimchiConfiguration.
# A PowerShell data file: read, never run. Keys are case-insensitive; unknown keys are errors.
@{
    Groups = @(
        @{
            Name     = 'web'
            Uris     = @(
                'qemu+ssh://root@192.0.2.11/system'
                'qemu+ssh://root@192.0.2.12/system'
            )
            Networks = @(
                @{ Name = 'frontend'; Connection = 'nat'; Subnet = '10.20.1.0/24'; State = 'Active'; Autostart = $true }
                @{ Name = 'backend'; Connection = 'isolated'; Subnet = '10.20.2.0/24'; State = 'Active'; DhcpReservations = @('52:54:00:20:02:10=10.20.2.10,db') }
                @{ Name = 'legacy'; Ensure = 'Absent' }
            )
        }
        @{
            Name     = 'storage'
            Uris     = 'qemu+ssh://root@192.0.2.21/system'
            Networks = @(
                @{ Name = 'san'; Connection = 'bridge'; Interfaces = 'br0'; VlanId = 20; State = 'Active' }
                @{ Name = 'macvtap-a'; Connection = 'macvtap'; Interfaces = @('eth1') }
            )
        }
    )
}
