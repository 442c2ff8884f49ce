<#
    What a machine needs beyond Debian 12's base system and the .NET SDK, read by build.ps1's
    Bootstrap (which installs it) and by tests/KimchiNet.Tests/Dependencies.Tests.ps1 (which finds
    every program that src/ and tests/ start and fails when one is missing here).

    Demo      Debian packages the demo needs (the demo host is libvirt's test driver: no daemon).
    Test      Debian packages the build and every test need (a superset of Demo).
    Programs  every external program that src/ and tests/ start, with the Debian package that
              provides it. Bootstrap checks that each one resolves on PATH after installing.
              '(dotnet)' marks the .NET SDK, which the machine must already have.
#>
@{
    Demo     = @('libvirt0')
    Test     = @(
        'libvirt0', 'libvirt-clients', 'libxml2-utils',
        'libvirt-daemon-system', 'dnsmasq-base', 'iptables', 'iproute2', 'qemu-system-x86', 'ipxe-qemu',
        'libjemalloc2', 'netcat-openbsd', 'openvswitch-switch'
    )
    Programs = [ordered]@{
        dotnet               = '(dotnet)'
        ip                   = 'iproute2'
        bridge               = 'iproute2'
        nc                   = 'netcat-openbsd'
        virsh                = 'libvirt-clients'
        'virt-admin'         = 'libvirt-clients'
        'virt-xml-validate'  = 'libvirt-clients'
        libvirtd             = 'libvirt-daemon-system'
        virtlogd             = 'libvirt-daemon-system'
        dnsmasq              = 'dnsmasq-base'
        'qemu-system-x86_64' = 'qemu-system-x86'
        iptables             = 'iptables'
        xmllint              = 'libxml2-utils'
        'ovs-vsctl'          = 'openvswitch-switch'
        'ovs-vswitchd'       = 'openvswitch-switch'
        'ovsdb-server'       = 'openvswitch-common'
        'ovsdb-tool'         = 'openvswitch-common'
        nsenter              = 'util-linux'
    }
}
