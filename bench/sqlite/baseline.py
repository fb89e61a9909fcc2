#!/usr/bin/env python3
"""SQLite's own speed for Lanthorn's events rows, without Java: the floor for any writer.

Inserts 100,000 rows in transactions of 1,000 (WAL, synchronous=NORMAL) with Python's sqlite3
module (C, executemany) into a file migrated with V1__events.sql, once with the sink's full rows and
the four indexes, once with 17 narrow columns and no indexes. Prints rows/s per directory.

    python3 bench/sqlite/baseline.py /tmp /dev/shm
"""
import json
import os
import pathlib
import sqlite3
import sys
import time

MIGRATION = pathlib.Path(__file__).resolve().parents[2] / \
    "sql/src/main/resources/db/migration/lanthorn/V1__events.sql"
INDEXES = ["events_timestamp", "events_container_timestamp", "events_destination",
           "events_failed_timestamp"]
ROWS = 100_000
BATCH = 1_000
LABELS = json.dumps({"com.docker.compose.project": "shop", "com.docker.compose.service": "app-1",
                     "team": "payments", "tier": "backend"})
FULL = ["timestamp_ns", "kernel_time_ns", "event_type", "protocol", "address_family", "src_addr",
        "src_port", "dst_addr", "dst_port", "outcome", "errno", "handshake_ns", "pid", "tid", "uid",
        "gid", "process_name", "process_cmdline", "process_exe_path", "cgroup_id", "cgroup_name",
        "container_id", "container_name", "container_runtime", "image_name", "image_id",
        "container_labels", "compose_project", "compose_service", "attribution_status",
        "attributes"]


def full_row(n):
    return (1764000000000000000 + n * 1000000, n, "connect", "tcp", "ipv4", "127.0.0.1",
            40000 + n % 20000, "127.0.0.1", 5000 + n % 60, "established", 0, 45000, 4242, 4243,
            1000, 1000, "wget", "curl http://127.0.0.1:5000/", None, 77, "session-1.scope",
            "c0ffee123", "app-%d" % (n % 3), None, "lanthorn-test:busybox", None, LABELS, None,
            None, "attributed", None)


def measure(directory, columns, row, drop_indexes):
    path = os.path.join(directory, "lanthorn-baseline.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.executescript(MIGRATION.read_text())
    for index in drop_indexes:
        db.execute("DROP INDEX " + index)
    rows = [row(n) for n in range(ROWS)]
    sql = "INSERT INTO events (%s) VALUES (%s)" % (", ".join(columns), ", ".join("?" * len(columns)))
    start = time.perf_counter()
    for first in range(0, ROWS, BATCH):
        db.execute("BEGIN")
        db.executemany(sql, rows[first:first + BATCH])
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return int(ROWS / elapsed)


def main(directories):
    print("load:", open("/proc/loadavg").read().strip(), "| SQLite", sqlite3.sqlite_version)
    for directory in directories:
        full = measure(directory, FULL, full_row, [])
        narrow = measure(directory, FULL[:11] + FULL[12:17] + ["cgroup_id"],
                         lambda n: full_row(n)[:11] + full_row(n)[12:17] + (77,), INDEXES)
        print(f"{directory}: full rows, 4 indexes {full} rows/s; 17 columns, no index {narrow} rows/s")


if __name__ == "__main__":
    main(sys.argv[1:] or ["/tmp"])
