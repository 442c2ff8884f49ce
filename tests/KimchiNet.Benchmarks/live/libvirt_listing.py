#!/usr/bin/python3
"""Baselines for Measure-NetworkListing.ps1, written against Debian's python3-libvirt.

  libvirt_listing.py seed   --uri URI --networks N --domains M
  libvirt_listing.py kimchi --uri URI [--repeat R] [--warmup W] [--scans S]
  libvirt_listing.py floor  --uri URI [--repeat R] [--warmup W]
  libvirt_listing.py calls  --uri URI [--repeat R]
  libvirt_listing.py define --uri URI [--repeat R]

seed   defines N isolated networks kbn-net-NNNN (explicit bridge kbnN, subnet per network)
       and M domains kbn-vm-NNNN (defined, not started) with one type='network' NIC each,
       spread evenly over the networks. Prints one JSON line with the counts and seconds.
kimchi Kimchi's algorithm for listing every network with its users: the list of names
       (listNetworks + listDefinedNetworks), then per network a lookup by name, its XML,
       autostart/isActive/isPersistent, and S scans of every domain's XML for NICs that name
       it (Kimchi's network lookup scans once for 'vms' and, in later versions, once more
       for 'in_use').
floor  The fewest libvirt calls giving the same facts: listAllNetworks + XMLDesc each,
       three flag-filtered listAllNetworks for state/persistence/autostart, listAllDomains
       + XMLDesc each, then an in-memory join.

calls  The cost of single libvirt calls on this host: each per-network call (XMLDesc,
       isActive, isPersistent, autostart, bridgeName) and per-domain call (XMLDesc,
       isActive) looped over every object; prints {"calls": {name: {"count", "seconds"}}}
       with the median seconds of R loops.

define libvirt's own cost of creating a network the way New-KimchiNetwork does once its
       checks are done: R times networkDefineXML (isolated, explicit bridge kbdI, subnet
       172.31.I.0/24, name kbn-def-NNNN) + setAutostart(1); prints {"seconds": [...]} per
       network (the floor for creation: 2 round trips, no listing).

kimchi and floor open the connection before timing and print one JSON line:
{"seconds": [...], "phases": {...} (floor only, seconds of the last run), "calls": n,
 "result": {network: [vm, ...]}} where result comes from the last timed run.
Exit codes: 0 ok, 2 usage or libvirt not usable.
"""
import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET

try:
    import libvirt
except ImportError:
    print("python3-libvirt is missing (apt-get install -y python3-libvirt)", file=sys.stderr)
    sys.exit(2)


def quiet(_ctx, _err):
    """libvirt prints every error on stderr by default; errors are raised as exceptions anyway."""


libvirt.registerErrorHandler(quiet, None)


def network_name(i):
    return "kbn-net-%04d" % i


def network_xml(i):
    root = ET.Element("network")
    ET.SubElement(root, "name").text = network_name(i)
    ET.SubElement(root, "bridge", {"name": "kbn%d" % i, "stp": "on", "delay": "0"})
    # 10.100.0.0/24, 10.100.1.0/24, ... 10.(100 + i // 256).(i % 256).0/24: distinct up to i < 39936
    ET.SubElement(root, "ip", {"address": "10.%d.%d.1" % (100 + i // 256, i % 256), "netmask": "255.255.255.0"})
    return ET.tostring(root, encoding="unicode")


def domain_xml(j, network):
    # the shape of New-KimchiLabGuestXml -Network: TCG, 64 MiB, no disk, VNC on 127.0.0.1
    root = ET.Element("domain", {"type": "qemu"})
    ET.SubElement(root, "name").text = "kbn-vm-%04d" % j
    ET.SubElement(root, "memory", {"unit": "MiB"}).text = "64"
    ET.SubElement(root, "vcpu").text = "1"
    os_ = ET.SubElement(root, "os")
    ET.SubElement(os_, "type", {"arch": "x86_64"}).text = "hvm"
    ET.SubElement(root, "on_crash").text = "destroy"
    devices = ET.SubElement(root, "devices")
    nic = ET.SubElement(devices, "interface", {"type": "network"})
    ET.SubElement(nic, "source", {"network": network})
    ET.SubElement(nic, "model", {"type": "virtio"})
    ET.SubElement(devices, "graphics", {"type": "vnc", "listen": "127.0.0.1"})
    return ET.tostring(root, encoding="unicode")


def seed(conn, networks, domains):
    t0 = time.perf_counter()
    for i in range(networks):
        conn.networkDefineXML(network_xml(i))
    t1 = time.perf_counter()
    for j in range(domains):
        # spread evenly: domain j uses network floor(j * N / M)
        conn.defineXML(domain_xml(j, network_name(j * networks // domains)))
    t2 = time.perf_counter()
    return {"networks": networks, "domains": domains,
            "network_seconds": round(t1 - t0, 3), "domain_seconds": round(t2 - t1, 3)}


def nic_networks(domain_xml_text):
    """Names in /domain/devices/interface[@type='network']/source/@network."""
    root = ET.fromstring(domain_xml_text)
    names = []
    for nic in root.findall("./devices/interface[@type='network']"):
        source = nic.find("source")
        if source is not None and source.get("network"):
            names.append(source.get("network"))
    return names


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, n=1):
        self.calls += n


def kimchi_once(conn, scans, count):
    names = sorted(conn.listNetworks() + conn.listDefinedNetworks())
    count(2)
    result = {}
    for name in names:
        network = conn.networkLookupByName(name)
        xml = network.XMLDesc(0)
        ET.fromstring(xml)  # Kimchi reads connection, subnet, dhcp, interfaces from it
        network.autostart()
        network.isActive()
        network.isPersistent()
        count(5)
        for _ in range(scans):
            vms = []
            domains = conn.listAllDomains(0)
            count(1)
            for dom in domains:
                count(1)
                if name in nic_networks(dom.XMLDesc(0)):
                    vms.append(dom.name())
        result[name] = sorted(vms)
    return result, None


def floor_once(conn, count):
    t0 = time.perf_counter()
    networks = conn.listAllNetworks(0)
    xmls = {n.name(): n.XMLDesc(0) for n in networks}
    active = {n.name() for n in conn.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_ACTIVE)}
    persistent = {n.name() for n in conn.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_PERSISTENT)}
    autostart = {n.name() for n in conn.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_AUTOSTART)}
    count(4 + len(networks))
    t1 = time.perf_counter()
    domains = conn.listAllDomains(0)
    dom_xmls = [(d.name(), d.XMLDesc(0)) for d in domains]
    count(1 + len(domains))
    t2 = time.perf_counter()
    result = {name: [] for name in xmls}
    facts = {}
    for name, xml in xmls.items():
        root = ET.fromstring(xml)
        bridge = root.find("bridge")
        facts[name] = (name in active, name in persistent, name in autostart,
                       bridge.get("name") if bridge is not None else None)
    for dom_name, xml in dom_xmls:
        for net in set(nic_networks(xml)):
            if net in result:
                result[net].append(dom_name)
    for vms in result.values():
        vms.sort()
    t3 = time.perf_counter()
    phases = {"networks": t1 - t0, "domains": t2 - t1, "join": t3 - t2}
    return result, phases


def calls(conn, repeat):
    networks = conn.listAllNetworks(0)
    domains = conn.listAllDomains(0)
    probes = [
        ("virNetworkGetXMLDesc", networks, lambda n: n.XMLDesc(0)),
        ("virNetworkIsActive", networks, lambda n: n.isActive()),
        ("virNetworkIsPersistent", networks, lambda n: n.isPersistent()),
        ("virNetworkGetAutostart", networks, lambda n: n.autostart()),
        ("virNetworkGetBridgeName", networks, lambda n: n.bridgeName()),
        ("virDomainGetXMLDesc", domains, lambda d: d.XMLDesc(0)),
        ("virDomainIsActive", domains, lambda d: d.isActive()),
        ("virConnectListAllNetworks", [None], lambda _: conn.listAllNetworks(0)),
        ("virConnectListAllDomains", [None], lambda _: conn.listAllDomains(0)),
    ]
    out = {}
    for name, objects, call in probes:
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            for o in objects:
                call(o)
            runs.append(time.perf_counter() - t0)
        runs.sort()
        out[name] = {"count": len(objects), "seconds": runs[len(runs) // 2]}
    return {"calls": out}


def define(conn, repeat):
    seconds = []
    for i in range(repeat):
        root = ET.Element("network")
        ET.SubElement(root, "name").text = "kbn-def-%04d" % i
        ET.SubElement(root, "bridge", {"name": "kbd%d" % i, "stp": "on", "delay": "0"})
        ip = ET.SubElement(root, "ip", {"address": "172.31.%d.1" % (i % 256), "netmask": "255.255.255.0"})
        dhcp = ET.SubElement(ip, "dhcp")
        ET.SubElement(dhcp, "range", {"start": "172.31.%d.128" % (i % 256), "end": "172.31.%d.253" % (i % 256)})
        xml = ET.tostring(root, encoding="unicode")
        t0 = time.perf_counter()
        network = conn.networkDefineXML(xml)
        network.setAutostart(1)
        seconds.append(time.perf_counter() - t0)
    return {"seconds": seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["seed", "kimchi", "floor", "calls", "define"])
    parser.add_argument("--uri", required=True)
    parser.add_argument("--networks", type=int, default=500)
    parser.add_argument("--domains", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=0)
    parser.add_argument("--scans", type=int, default=1)
    args = parser.parse_args()
    try:
        conn = libvirt.open(args.uri)
    except libvirt.libvirtError as e:
        print("cannot open %s: %s" % (args.uri, e), file=sys.stderr)
        return 2
    try:
        if args.mode == "seed":
            print(json.dumps(seed(conn, args.networks, args.domains)))
            return 0
        if args.mode == "define":
            print(json.dumps(define(conn, args.repeat)))
            return 0
        if args.mode == "calls":
            print(json.dumps(calls(conn, args.repeat)))
            return 0
        if args.mode == "kimchi":
            run = lambda count: kimchi_once(conn, args.scans, count)
        else:
            run = lambda count: floor_once(conn, count)
        for _ in range(args.warmup):
            run(Counter())
        seconds = []
        result = phases = None
        counter = Counter()
        for _ in range(args.repeat):
            counter = Counter()
            t0 = time.perf_counter()
            result, phases = run(counter)
            seconds.append(time.perf_counter() - t0)
        out = {"seconds": seconds, "calls": counter.calls, "result": result}
        if phases is not None:
            out["phases"] = phases
        print(json.dumps(out))
        return 0
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
