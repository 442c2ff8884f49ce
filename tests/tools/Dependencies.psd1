<#
    What a machine needs beyond Debian 12's base system and the .NET SDK, read by build.ps1's
    Bootstrap (which installs it) and by tests/KimchiNet.Tests/Dependencies.Tests.ps1 (which finds
    every program that src/ and tests/ start and fails when one is missing here).

    Demo      Debian packages the demo needs (the demo host is libvirt's test driver: no daemon).
    Test      Debian packages the build and every test need (a superset of Demo).
    Programs  every external program that src/ and tests/ start, with the Debian package that
              provides it, and the programs those run in turn (listed by hand). Bootstrap checks
              that each one resolves on PATH after installing.
              '(dotnet)' marks the .NET SDK, which the machine must already have.
    OffPath   the programs of Programs that the code starts by an absolute path outside PATH
              (systemd's daemons live in /lib/systemd); Bootstrap checks that path instead.
#>
@{
    Demo     = @('libvirt0')
    Test     = @(
        # libvirt's C library and test driver, virsh, and libvirt's schema validator with the
        # xmllint it runs
        'libvirt0', 'libvirt-clients', 'libxml2-utils',
        # a real libvirtd with what it starts for lab hosts: dnsmasq, iptables, qemu (with the NIC
        # option ROMs of ipxe-qemu, only recommended by Debian)
        'libvirt-daemon-system', 'dnsmasq-base', 'iptables', 'qemu-system-x86', 'ipxe-qemu',
        # the lab hosts and their probes
        'iproute2', 'netcat-openbsd', 'procps', 'util-linux', 'mount',
        # the test that runs the module with another malloc preloaded (Module.Tests.ps1)
        'libjemalloc2',
        # what lab-host's shell code runs; Debian's base system has them, listed so nothing is assumed
        'coreutils', 'findutils', 'grep', 'sed', 'mawk', 'dpkg', 'bash',
        # Open vSwitch in a lab host (Lab.OpenVSwitch.Tests.ps1), and the bridges KimchiNet detects
        'openvswitch-switch', 'openvswitch-common',
        # the host's own network managers, run inside lab hosts (tests/lab/HostManagers.psm1), and
        # nmcli, which the module asks for the devices NetworkManager manages; dbus-daemon for the
        # lab's private system bus, systemd for systemd-networkd and networkctl
        'network-manager', 'ifupdown', 'bridge-utils', 'netplan.io', 'systemd', 'dbus-daemon',
        # the DHCP client that stands in for a guest (Lab.Dhcp.Tests.ps1: busybox udhcpc), and the
        # probes of Lab.Networkd.Tests.ps1 (busybox ping; sh runs the watcher that takes the gateway away)
        'busybox', 'dash',
        # dig, which asks a network's dnsmasq for its DNS records (Lab.Dns.Tests.ps1)
        'bind9-dnsutils',
        # the DHCP client ifupdown runs for a dhcp stanza (Lab.Ifupdown.Tests.ps1's DHCP NIC)
        # the DHCPv6 client that stands in for a guest (Lab.Ipv6.Tests.ps1: dhclient -6)
        'isc-dhcp-client',
        # a real sshd in a lab host (tests/lab/SshHost.psm1, Lab.Ssh.Tests.ps1), the ssh client libvirt's
        # qemu+ssh transport runs, and openssl for the lab user's password hash
        'openssh-server', 'openssh-client', 'openssl'
    )
    # programs the code starts by an absolute path that is not on PATH (Bootstrap checks the path)
    OffPath  = @{
        'systemd-networkd' = '/lib/systemd/systemd-networkd'
    }
    Programs = @{
        dotnet               = '(dotnet)'
        ip                   = 'iproute2'
        bridge               = 'iproute2'
        nc                   = 'netcat-openbsd'
        dig                  = 'bind9-dnsutils'
        sysctl               = 'procps'
        virsh                = 'libvirt-clients'
        'virt-admin'         = 'libvirt-clients'
        'virt-xml-validate'  = 'libvirt-clients'
        # run by programs above, not by our code, so no scan finds them: virt-xml-validate runs
        # xmllint; libvirtd runs dnsmasq, iptables and qemu
        xmllint              = 'libxml2-utils'
        libvirtd             = 'libvirt-daemon-system'
        virtlogd             = 'libvirt-daemon-system'
        dnsmasq              = 'dnsmasq-base'
        'qemu-system-x86_64' = 'qemu-system-x86'
        iptables             = 'iptables'
        flock                = 'util-linux'
        nsenter              = 'util-linux'
        dmesg                = 'util-linux'
        unshare              = 'util-linux'
        mount                = 'mount'
        umount               = 'mount'
        pivot_root           = 'util-linux'
        bash                 = 'bash'
        awk                  = 'mawk'
        basename             = 'coreutils'
        cat                  = 'coreutils'
        cp                   = 'coreutils'
        date                 = 'coreutils'
        id                   = 'coreutils'
        mkdir                = 'coreutils'
        mv                   = 'coreutils'
        readlink             = 'coreutils'
        rm                   = 'coreutils'
        rmdir                = 'coreutils'
        sleep                = 'coreutils'
        stat                 = 'coreutils'
        tail                 = 'coreutils'
        tr                   = 'coreutils'
        find                 = 'findutils'
        grep                 = 'grep'
        sed                  = 'sed'
        'dpkg-query'         = 'dpkg'
        setpriv              = 'util-linux'
        findmnt              = 'util-linux'
        mkfifo               = 'coreutils'
        cut                  = 'coreutils'
        tee                  = 'coreutils'
        sort                 = 'coreutils'
        chown                = 'coreutils'
        'ovs-vsctl'          = 'openvswitch-switch'
        'ovs-vswitchd'       = 'openvswitch-switch'
        'ovsdb-server'       = 'openvswitch-common'
        'ovsdb-tool'         = 'openvswitch-common'
        nmcli                = 'network-manager'
        NetworkManager       = 'network-manager'
        ifup                 = 'ifupdown'
        ifdown               = 'ifupdown'
        netplan              = 'netplan.io'
        networkctl           = 'systemd'
        'systemd-networkd'   = 'systemd'
        'dbus-daemon'        = 'dbus-daemon'
        'start-stop-daemon'  = 'dpkg'
        kill                 = 'procps'
        chmod                = 'coreutils'
        # run by ifupdown's bridge hook (bridge_ports), not by our code
        brctl                = 'bridge-utils'
        busybox              = 'busybox'
        dhclient             = 'isc-dhcp-client'
        ip6tables            = 'iptables'
        # run by busybox udhcpc as its script, so that the client configures nothing (listed by hand)
        true                 = 'coreutils'
        sshd                 = 'openssh-server'
        ssh                  = 'openssh-client'
        'ssh-keygen'         = 'openssh-client'
        openssl              = 'openssl'
        setsid               = 'util-linux'
        ss                   = 'iproute2'
        # Lab.Networkd.Tests.ps1: the files' checksums, and the shell of the forced-failure watcher
        sha256sum            = 'coreutils'
        sh                   = 'dash'
        # Lab.Ifupdown.Tests.ps1: ifupdown's view of what is up; the DHCP client ifup runs for a dhcp stanza (listed by hand)
        ifquery              = 'ifupdown'
    }
}
