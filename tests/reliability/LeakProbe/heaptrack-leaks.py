#!/usr/bin/env python3
"""Never-freed heap bytes of heaptrack recordings, by origin; with two recordings, what grew.

    heaptrack-leaks.py heaptrack.A.zst [heaptrack.B.zst]

Reads heaptrack's own data file (zstd-compressed text: s strings, i instruction pointers, t trace
nodes, a allocation sites, + allocation, - free), so it needs only python3 and zstd. For every
allocation site with allocations left at exit, it walks the backtrace from the allocation outwards
past allocator and helper layers (heaptrack, libc, libstdc++, glib/gobject, libtirpc, and frames
heaptrack could not resolve, which include JIT-compiled managed code) and names the first owning
module: libvirt (with the outermost libvirt function, i.e. the API the P/Invoke entered), the .NET
runtime (coreclr, clrjit, libSystem.*, host, ICU), ld.so (library loading) or other.

With two recordings of the same program, e.g. 300 and 1500 cycles of LeakProbe, the last table is
B minus A by origin: what grows with the number of cycles. One-time allocations (caches, classes,
the connection) cancel out.
"""
import collections
import os
import subprocess
import sys

HELPERS = ('libheaptrack', 'libc.so', 'libstdc++', 'libglib-2.0', 'libgobject-2.0', 'libtirpc', 'libgcc_s', '??')


def load(path):
    strings, ips, traces, sites = [None], [None], [(0, 0)], []
    allocs, frees = collections.Counter(), collections.Counter()
    with subprocess.Popen(['zstd', '-dc', path], stdout=subprocess.PIPE, text=True, errors='replace') as p:
        for line in p.stdout:
            kind = line[:1]
            if kind == '+':
                allocs[int(line[2:], 16)] += 1
            elif kind == '-':
                frees[int(line[2:], 16)] += 1
            elif kind == 't':
                _, ip, parent = line.split()
                traces.append((int(ip, 16), int(parent, 16)))
            elif kind == 'a':
                _, size, trace = line.split()
                sites.append((int(size, 16), int(trace, 16)))
            elif kind == 'i':
                f = line.split()
                module = int(f[2], 16)
                function = int(f[3], 16) if len(f) > 3 else 0
                ips.append((strings[module] if 0 < module < len(strings) else '??', strings[function] if function else None))
            elif kind == 's':
                parts = line.rstrip('\n').split(' ', 2)
                strings.append(parts[2] if len(parts) > 2 else '')
    return ips, traces, sites, allocs, frees


def origin(frames):
    for i, (module, _) in enumerate(frames):
        name = os.path.basename(module)
        if name.startswith(HELPERS):
            continue
        if name.startswith('libvirt.so'):
            api = None
            for outer, function in frames[i:]:
                if not os.path.basename(outer).startswith('libvirt.so'):
                    break
                api = function or api
            return 'libvirt ' + (api or '?')
        if name.startswith('libclrjit'):
            return '.NET runtime: clrjit (JIT)'
        if name.startswith('libcoreclr'):
            return '.NET runtime: coreclr'
        if name.startswith(('libSystem.', 'libhost', 'dotnet', 'libicu')):
            return '.NET runtime: ' + name
        if name.startswith('ld-linux'):
            return 'ld.so (library loading)'
        return 'other: ' + name
    return 'unresolved frames only'


def leaks(path):
    ips, traces, sites, allocs, frees = load(path)
    by = collections.defaultdict(lambda: [0, 0])
    for index, (size, trace) in enumerate(sites):
        left = allocs[index] - frees[index]
        if left <= 0:
            continue
        frames = []
        while trace:
            ip, trace = traces[trace]
            frames.append(ips[ip])
        row = by[origin(frames)]
        row[0] += left * size
        row[1] += left
    return by


def show(title, by):
    print(f'{title}: {sum(b for b, _ in by.values())} bytes in {sum(n for _, n in by.values())} allocations')
    for key, (size, count) in sorted(by.items(), key=lambda kv: -abs(kv[1][0])):
        if size or count:
            print(f'  {size:>11} B {count:>7} allocations  {key}')


def main(paths):
    tables = [leaks(p) for p in paths]
    for path, by in zip(paths, tables):
        show(path, by)
    if len(tables) == 2:
        a, b = tables
        diff = {k: [b.get(k, [0, 0])[0] - a.get(k, [0, 0])[0], b.get(k, [0, 0])[1] - a.get(k, [0, 0])[1]] for k in set(a) | set(b)}
        show(f'{paths[1]} minus {paths[0]}', diff)


if __name__ == '__main__':
    if not 1 <= len(sys.argv) - 1 <= 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
