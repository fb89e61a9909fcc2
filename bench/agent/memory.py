#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The table of bench/agent/memory.sh: the agent's resident memory by part, idle and after the
storm, from the readings it saved (smaps-*, nmt-*, heap-*, status-* in WORK). Standard library only.

  memory.py WORK

Resident parts come from /proc/PID/smaps (what the kernel counts): the Java heap's range (from
jcmd GC.heap_info), the ahead-of-time cache's mapping, BPF maps and ring buffers (mmapped by
libbpf), shared libraries and other files, and the rest of the anonymous memory, which NMT's
committed figures (jcmd VM.native_memory) split into the JVM's own areas; what is left after them
is native memory no JVM area accounts for: malloc by SQLite (its page cache), libbpf, the JDK's
own libraries, and glibc's arenas.
"""
import re
import sys

MB = 1024.0


def smaps(path):
    """[(start, end, name, rss_kb)] for every mapping."""
    maps = []
    with open(path) as f:
        for line in f:
            head = re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$", line)
            if head:
                maps.append([int(head[1], 16), int(head[2], 16), head[3].strip(), 0])
            elif line.startswith("Rss:"):
                maps[-1][3] = int(line.split()[1])
    return maps


def heap_range(path):
    """The lowest and highest address GC.heap_info names (the generations' reserved ranges)."""
    addresses = [int(a, 16) for a in re.findall(r"0x([0-9a-f]{8,16})", open(path).read())]
    return min(addresses), max(addresses)


def nmt(path):
    """{area: committed_kb} from VM.native_memory summary."""
    areas = {}
    for m in re.finditer(r"^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB", open(path).read(), re.M):
        areas[m[1].strip()] = int(m[2])
    return areas


def status(path):
    values = {}
    for line in open(path):
        key, value = line.split(":", 1)
        values[key] = int(value.split()[0])
    return values


def parts(work, name):
    maps = smaps(f"{work}/smaps-{name}.txt")
    low, high = heap_range(f"{work}/heap-{name}.txt")
    areas = nmt(f"{work}/nmt-{name}.txt")
    st = status(f"{work}/status-{name}.txt")
    out = {"heap": 0, "aot": 0, "bpf": 0, "libs": 0, "files": 0, "anon": 0}
    for start, end, path, rss in maps:
        if start < high and end > low and path == "":
            out["heap"] += rss
        elif path.endswith(".aot"):
            out["aot"] += rss
        elif "bpf" in path and path.startswith("anon_inode:"):
            out["bpf"] += rss
        elif ".so" in path:
            out["libs"] += rss
        elif path.startswith("/"):
            out["files"] += rss
        else:
            out["anon"] += rss
    jvm = {k: v for k, v in areas.items() if k not in ("Java Heap", "Shared class space")}
    return out, jvm, st


def main(work):
    idle, idle_jvm, idle_st = parts(work, "idle")
    storm, storm_jvm, storm_st = parts(work, "storm")
    mb = lambda kb: f"{kb / MB:.1f}"
    rows = [
        ("resident set (VmRSS)", idle_st["VmRSS"], storm_st["VmRSS"], "/proc/PID/status"),
        ("peak (VmHWM)", idle_st["VmHWM"], storm_st["VmHWM"], "/proc/PID/status"),
        ("Java heap (resident part of its range)", idle["heap"], storm["heap"], "smaps"),
        ("ahead-of-time cache mapping (lib/*.aot)", idle["aot"], storm["aot"], "smaps"),
        ("BPF maps and ring buffers", idle["bpf"], storm["bpf"], "smaps"),
        ("shared libraries (.so: JVM, SQLite, libbpf, …)", idle["libs"], storm["libs"], "smaps"),
        ("other files", idle["files"], storm["files"], "smaps"),
        ("other anonymous memory, of which:", idle["anon"], storm["anon"], "smaps"),
    ]
    names = sorted(set(idle_jvm) | set(storm_jvm), key=lambda k: -storm_jvm.get(k, 0))
    accounted_idle = accounted_storm = 0
    for area in names:
        i, s = idle_jvm.get(area, 0), storm_jvm.get(area, 0)
        accounted_idle += i
        accounted_storm += s
        if max(i, s) >= 512:
            rows.append((f"  JVM: {area} (NMT committed)", i, s, "jcmd VM.native_memory"))
    rows.append(
        (
            "  native memory no JVM area accounts for (SQLite, libbpf, malloc arenas)",
            idle["anon"] - accounted_idle,
            storm["anon"] - accounted_storm,
            "difference",
        )
    )
    print(f"threads: {idle_st['Threads']} idle, {storm_st['Threads']} after the storm")
    print("| part | idle, MB | after the storm, MB | from |")
    print("| --- | --- | --- | --- |")
    for label, i, s, source in rows:
        print(f"| {label} | {mb(i)} | {mb(s)} | {source} |")
    print("(NMT's committed thread stacks and areas may exceed what is resident: the difference"
          " line can go negative by that much.)")


if __name__ == "__main__":
    main(sys.argv[1])
