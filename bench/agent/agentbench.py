#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Helpers for bench/agent/run.sh: read the agent's log, /proc and its SQLite file, measure
connect-to-committed-row latency, and print the summary table. Python's standard library only.

  agentbench.py startup LOG T0_NS            seconds from T0 to "attached" and "pipeline running"
  agentbench.py proc PID                      "cpu_ticks=… hwm_kb=…" of a running process
  agentbench.py maxid DB                      the highest events.id (0 for none)
  agentbench.py wait-rows DB PID N TIMEOUT    waits until N rows of PID are committed (or no new
                                              row arrives for 5 s, or TIMEOUT s pass); prints count
  agentbench.py rows DB PID                   rows of process PID
  agentbench.py final LOG                     the counters of the final status line
  agentbench.py latency DB RATE SECONDS       paced loopback connects; see latency()
  agentbench.py summary ROUNDS_FILE           the table
"""
import datetime
import os
import re
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def read_only(db):
    # A read-only connection in autocommit mode: every SELECT is its own read transaction, so it
    # sees the latest commit. WAL lets it read while the agent writes.
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None, timeout=10)


def log_time(line):
    """The wall-clock time (s) at the start of a log line, or None."""
    stamp = line.split(" ", 1)[0]
    try:
        return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def startup(log, t0_ns):
    t0 = int(t0_ns) / 1e9
    attached = running = None
    with open(log, errors="replace") as f:
        for line in f:
            t = log_time(line)
            if t is None:
                continue
            if attached is None and "attached with strategy" in line:
                attached = t - t0
            if running is None and "pipeline running" in line:
                running = t - t0
    fmt = lambda v: "nan" if v is None else f"{v:.3f}"
    print(f"attached_s={fmt(attached)} running_s={fmt(running)}")


def proc(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    print(f"cpu_ticks={ticks} hwm_kb={hwm}")


def maxid(db):
    with read_only(db) as c:
        print(c.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])


def rows(db, pid):
    with read_only(db) as c:
        return c.execute("SELECT count(*) FROM events WHERE pid = ?", (int(pid),)).fetchone()[0]


def wait_rows(db, pid, want, timeout):
    deadline = time.monotonic() + float(timeout)
    last, last_change = -1, time.monotonic()
    while True:
        n = rows(db, pid)
        if n != last:
            last, last_change = n, time.monotonic()
        if n >= int(want) or time.monotonic() > deadline or time.monotonic() - last_change > 5:
            print(n)
            return
        time.sleep(0.5)


def final(log):
    line = ""
    skipped = 0
    with open(log, errors="replace") as f:
        for l in f:
            if "final: " in l:
                line = l
            m = re.search(r"kernel skipped (\d+) runs", l)
            if m:
                skipped += int(m.group(1))
    if not line:
        print("final=missing")
        return
    get = lambda name: re.search(name + r"=(\d+)", line).group(1)
    failed = sum(int(x) for x in re.findall(r" failed=(\d+)", line))
    print(
        f"received={get('received')} lost_at_source={get('lost_at_source')} "
        f"dropped={get('dropped')} sink_failed={failed} prog_skipped={skipped}"
    )


# --- latency -----------------------------------------------------------------------------------

POLL_SECONDS = 0.005


def poll(db, port, expected, stop_after):
    """Runs in its own process: notes when each row for destination PORT first becomes visible to
    a separate read connection; prints one latency (ns) per row: visible - timestamp_ns."""
    port, expected, stop_after = int(port), int(expected), float(stop_after)
    while not os.path.exists(db):
        time.sleep(POLL_SECONDS)
    conn = read_only(db)
    last = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
    seen = []
    deadline = time.monotonic() + stop_after
    while len(seen) < expected and time.monotonic() < deadline:
        # The row was not visible at the previous poll's snapshot and is at this one's: taking
        # this poll's start as the moment overstates the latency by at most one poll interval.
        now = time.time_ns()
        for rowid, dst_port, ts in conn.execute(
            "SELECT id, dst_port, timestamp_ns FROM events WHERE id > ? ORDER BY id", (last,)
        ):
            last = rowid
            if dst_port == port:
                seen.append(now - ts)
        time.sleep(POLL_SECONDS)
    sys.stdout.write("\n".join(str(v) for v in seen) + "\n")


def latency(db, rate, seconds):
    """Connects to a listener of its own on 127.0.0.1 at RATE per second for SECONDS, paced
    (not a storm: the agent is never behind, so this measures latency, not backlog), while a
    poller process watches the database. Prints percentiles of connect (the row's timestamp_ns,
    taken by the kernel at SYN_SENT) to the row being visible to a reader."""
    rate, seconds = float(rate), float(seconds)
    expected = int(rate * seconds)
    server = socket.create_server(("127.0.0.1", 0), backlog=1024)
    port = server.getsockname()[1]

    def accept():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    poller = subprocess.Popen(
        [sys.executable, __file__, "poll", db, str(port), str(expected), str(seconds + 30)],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(1)  # the poller has opened its connection and read the current end
    linger = struct.pack("ii", 1, 0)
    start = time.monotonic()
    failed = 0
    for i in range(expected):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        try:
            s.connect(("127.0.0.1", port))
        except OSError:
            failed += 1
        s.close()
    took = time.monotonic() - start
    out, _ = poller.communicate()
    server.close()
    values = sorted(int(v) for v in out.split())
    if not values:
        print(f"lat_n=0 lat_expected={expected}")
        return
    pct = lambda p: values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] / 1e6
    print(
        f"lat_n={len(values)} lat_expected={expected} lat_failed={failed} "
        f"lat_rate={expected / took:.0f} lat_p50_ms={pct(50):.1f} lat_p90_ms={pct(90):.1f} "
        f"lat_p99_ms={pct(99):.1f} lat_max_ms={values[-1] / 1e6:.1f} lat_min_ms={values[0] / 1e6:.1f}"
    )


# --- summary -----------------------------------------------------------------------------------


def parse_rounds(path):
    records = []
    with open(path) as f:
        for line in f:
            rec = {}
            for m in re.finditer(r'(\w+)=("[^"]*"|\S+)', line):
                rec[m.group(1)] = m.group(2).strip('"')
            if rec:
                records.append(rec)
    return records


def spread(values, fmt):
    values = [v for v in values if v == v]  # drop NaN
    if not values:
        return "n/a"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med)
    return f"{fmt(med)} ({fmt(min(values))}–{fmt(max(values))}, n={len(values)})"


def summary(path):
    recs = parse_rounds(path)
    without = {r["round"]: r for r in recs if r.get("mode") == "without"}
    with_ = {r["round"]: r for r in recs if r.get("mode") == "with"}
    soak = [r for r in recs if r.get("mode") == "soak"]
    finals = [r for r in recs if "received" in r]  # every agent run's final status line
    lat = next((r for r in recs if r.get("mode") == "latency"), None)
    starts = [r for r in recs if "attached_s" in r]
    storms = list(with_.values()) + soak
    rate = lambda r: float(r["rate"])
    ratios = [rate(with_[k]) / rate(without[k]) for k in with_ if k in without]
    attempts = sum(int(r["attempts"]) for r in storms)
    stored = sum(int(r["rows"]) for r in storms)
    total = lambda key: sum(int(r.get(key, 0)) for r in finals)
    lost_src, dropped, sink_failed = total("lost_at_source"), total("dropped"), total("sink_failed")
    received, skipped = total("received"), total("prog_skipped")
    per_100k = lambda rs: [
        float(r["agent_cpu_s"]) / int(r["agent_events"]) * 1e5 for r in rs if int(r["agent_events"]) > 0
    ]
    hwm = [int(r["hwm_kb"]) / 1024 for r in recs if "hwm_kb" in r]
    soak_hwm = [int(r["hwm_kb"]) / 1024 for r in soak]
    loads = [float(r[k]) for r in recs for k in ("load_before", "load_after") if k in r]
    n = lambda v: f"{v:,.0f}"
    verdict = lambda ok, miss: "met" if ok else f"**missed**: {miss}"
    med = lambda v: statistics.median(v) if v else float("nan")
    lost_total = lost_src + dropped + sink_failed
    rows_out = [
        ("workload connect rate without the agent", spread([rate(r) for r in without.values()], lambda v: f"{v:,.0f}/s"), "", ""),
        ("workload connect rate with the agent", spread([rate(r) for r in with_.values()], lambda v: f"{v:,.0f}/s"), "", ""),
        ("ratio with / without (each round's pair)", spread(ratios, lambda v: f"{v:.3f}"), "≥ 0.95",
         verdict(med(ratios) >= 0.95, f"median {(0.95 - med(ratios)) * 100:.1f} points short")),
        ("storm connect attempts made with the agent", n(attempts), "", ""),
        ("rows stored for them (by the storm's pid)", n(stored), "= attempts",
         verdict(stored == attempts, f"{n(attempts - stored)} missing")),
        ("events lost, all host connections (final status lines: lost at source + dropped + sink failed)",
         f"{n(lost_total)} ({n(lost_src)} + {n(dropped)} + {n(sink_failed)}) of {n(received + lost_src)}; "
         f"kernel-skipped probe runs: {skipped}", "0",
         verdict(lost_total == 0, f"{n(lost_total)} lost")),
    ]
    if lat:
        p99 = float(lat["lat_p99_ms"])
        rows_out.append(
            ("connect → committed row visible to a reader, p50 / p99",
             f"{float(lat['lat_p50_ms']):.0f} ms / {p99:.0f} ms (p90 {float(lat['lat_p90_ms']):.0f}, "
             f"max {float(lat['lat_max_ms']):.0f}; {lat['lat_n']} of {lat['lat_expected']} connections "
             f"at {lat['lat_rate']}/s)",
             "p99 ≤ 1 s", verdict(p99 <= 1000, f"{p99 - 1000:.0f} ms over")))
    warm = per_100k(soak[1:]) if len(soak) > 1 else []
    rows_out += [
        ("agent CPU per 100k events, fresh agent (first storm, JIT warm-up included)",
         spread(per_100k(with_.values()), lambda v: f"{v:.2f} s"), "", ""),
        ("agent CPU per 100k events, warm (soak storms 2…)", spread(warm, lambda v: f"{v:.2f} s"), "", ""),
        ("agent peak RSS (VmHWM), after the soak" if soak_hwm else "agent peak RSS (VmHWM)",
         f"{max(soak_hwm or hwm, default=0):.0f} MB (every run: {spread(hwm, lambda v: f'{v:.0f} MB')})",
         "≤ 200 MB", verdict(max(hwm, default=0) <= 200, f"max {max(hwm, default=0) - 200:.0f} MB over")),
    ]
    att = [float(r["attached_s"]) for r in starts if r["attached_s"] != "nan"]
    run = [float(r["running_s"]) for r in starts if r["running_s"] != "nan"]
    rows_out += [
        ("start-up: exec → probe attached", spread(att, lambda v: f"{v:.2f} s"), "≤ 2 s",
         verdict(med(att) <= 2, f"median {med(att) - 2:.2f} s over")),
        ("start-up: exec → pipeline running (every plugin started)", spread(run, lambda v: f"{v:.2f} s"), "", ""),
        ("load average (1 min) before/after each measurement", spread(loads, lambda v: f"{v:.2f}"), "", ""),
    ]
    print("| measure | result | target | |")
    print("| --- | --- | --- | --- |")
    for r in rows_out:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |")


def main(argv):
    cmd, args = argv[1], argv[2:]
    {
        "startup": startup,
        "proc": proc,
        "maxid": maxid,
        "rows": lambda db, pid: print(rows(db, pid)),
        "wait-rows": wait_rows,
        "final": final,
        "poll": poll,
        "latency": latency,
        "summary": summary,
    }[cmd](*args)


if __name__ == "__main__":
    main(sys.argv)
