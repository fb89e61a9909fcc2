-- Container and process facts stored once. An event repeats its container's id, image and labels
-- and its process's command line, executable and cgroup event after event; from this version they
-- live in `containers` and `processes`, and `event_rows` refers to them by number: with the
-- benchmark's rows (bench/sqlite) the file grows by 185 bytes per event instead of 507, and the sink
-- binds two numbers instead of eleven strings. `events` becomes a view over the three with exactly
-- the columns, names and order the table had, so queries that read it keep working.
--
-- Existing events move into the new tables with their ids and every value; the old table goes only
-- after that, in the same transaction (Flyway runs each SQLite migration in one). On a large file
-- this takes a while once, at the first start of this version; the freed pages are reused by new
-- events (run VACUUM to give them back to the file system).

-- A container's facts, once per distinct set of them. The sink writes a row the first time it sees
-- the set and afterwards only moves first_seen_ns/last_seen_ns; retention deletes a row once no
-- kept event can refer to it (last_seen_ns older than the retention).
CREATE TABLE containers (
    id                INTEGER PRIMARY KEY,
    -- The full 64-hex-digit id.
    container_id      TEXT,
    -- The name when the set was first seen; event_rows keeps each event's own name.
    container_name    TEXT,
    container_runtime TEXT,
    -- The image as created from (nginx:1.27) and its sha256: id.
    image_name        TEXT,
    image_id          TEXT,
    -- Labels as a JSON object, e.g. {"com.example.team":"payments"}: query with
    -- json_extract(container_labels, '$."com.example.team"').
    container_labels  TEXT,
    compose_project   TEXT,
    compose_service   TEXT,
    -- Wall-clock start of the first and last event with these facts, nanoseconds since the epoch.
    first_seen_ns     BIGINT NOT NULL,
    last_seen_ns      BIGINT NOT NULL
);

-- A process's facts that repeat in every event it causes, once per distinct set.
CREATE TABLE processes (
    id               INTEGER PRIMARY KEY,
    -- The start of the argument list, space-separated; NULL when it could not be read.
    process_cmdline  TEXT,
    -- The executable, when an enricher found it.
    process_exe_path TEXT,
    -- Last path element of the task's cgroup v2 directory.
    cgroup_name      TEXT,
    first_seen_ns    BIGINT NOT NULL,
    last_seen_ns     BIGINT NOT NULL
);

-- One row per outbound connection attempt; read it through `events`.
CREATE TABLE event_rows (
    -- Exactly "INTEGER PRIMARY KEY" makes the column an alias of the 64-bit rowid (BIGINT would
    -- not): rows are stored in insertion order and appending one is cheap.
    id                 INTEGER PRIMARY KEY,
    -- Wall clock when the attempt started, nanoseconds since the Unix epoch (UTC).
    timestamp_ns       BIGINT  NOT NULL,
    -- The kernel's monotonic clock at the same moment, nanoseconds since boot: orders events
    -- exactly, even across wall-clock jumps.
    kernel_time_ns     BIGINT  NOT NULL,
    -- Always 'connect' today: one row per outbound connection attempt.
    event_type         TEXT    NOT NULL,
    -- 'tcp'.
    protocol           TEXT    NOT NULL,
    -- 'ipv4' or 'ipv6'; IPv4-mapped IPv6 connections are 'ipv4'.
    address_family     TEXT    NOT NULL,
    src_addr           TEXT    NOT NULL,
    -- 0 when the attempt ended before a local port was bound.
    src_port           INTEGER NOT NULL,
    dst_addr           TEXT    NOT NULL,
    dst_port           INTEGER NOT NULL,
    -- established, refused, timed_out, unreachable, other, or pending (still in the handshake
    -- when the agent stopped).
    outcome            TEXT    NOT NULL,
    -- The socket error of a failed attempt (111 = ECONNREFUSED …), 0 otherwise.
    errno              INTEGER NOT NULL,
    -- SYN_SENT to outcome in nanoseconds; NULL when pending, so avg() ignores it.
    handshake_ns       BIGINT,
    pid                INTEGER NOT NULL,
    tid                INTEGER NOT NULL,
    -- Unsigned 32-bit ids, hence BIGINT.
    uid                BIGINT  NOT NULL,
    gid                BIGINT  NOT NULL,
    -- The task's comm (at most 15 characters).
    process_name       TEXT    NOT NULL,
    -- Inode of the task's cgroup v2 directory; 0 when unknown.
    cgroup_id          BIGINT  NOT NULL,
    -- NULL when the process is not in a known container. Kept here, not only in containers,
    -- because it is what queries filter on (and a container can be renamed).
    container_name     TEXT,
    -- attributed, not_in_container, unknown_container or runtime_unavailable; NULL when no
    -- enricher ran.
    attribution_status TEXT,
    -- Attributes from other enrichers as a JSON object keyed by attribute name; NULL when none.
    attributes         TEXT,
    -- The event's process facts; NULL when the event has none.
    process_ref        BIGINT REFERENCES processes (id),
    -- The event's container facts; NULL when the event has none.
    container_ref      BIGINT REFERENCES containers (id)
);

-- The facts of the events already here, one row per distinct set. GROUP BY puts NULLs together,
-- as the sink's own numbering does; a set of nothing but NULLs is no set (the reference is NULL).
INSERT INTO processes (process_cmdline, process_exe_path, cgroup_name, first_seen_ns, last_seen_ns)
SELECT process_cmdline, process_exe_path, cgroup_name, min(timestamp_ns), max(timestamp_ns)
FROM events
WHERE process_cmdline IS NOT NULL OR process_exe_path IS NOT NULL OR cgroup_name IS NOT NULL
GROUP BY process_cmdline, process_exe_path, cgroup_name;

INSERT INTO containers (container_id, container_name, container_runtime, image_name, image_id,
                        container_labels, compose_project, compose_service,
                        first_seen_ns, last_seen_ns)
SELECT container_id, container_name, container_runtime, image_name, image_id,
       container_labels, compose_project, compose_service, min(timestamp_ns), max(timestamp_ns)
FROM events
WHERE container_id IS NOT NULL OR container_name IS NOT NULL OR container_runtime IS NOT NULL
   OR image_name IS NOT NULL OR image_id IS NOT NULL OR container_labels IS NOT NULL
   OR compose_project IS NOT NULL OR compose_service IS NOT NULL
GROUP BY container_id, container_name, container_runtime, image_name, image_id,
         container_labels, compose_project, compose_service;

-- Only for the copy below (IS compares NULLs as equal and can use an index); dropped after it.
CREATE INDEX processes_facts ON processes (process_cmdline, process_exe_path, cgroup_name);
CREATE INDEX containers_facts ON containers (container_id, container_name, container_runtime,
    image_name, image_id, container_labels, compose_project, compose_service);

INSERT INTO event_rows (id, timestamp_ns, kernel_time_ns, event_type, protocol, address_family,
                        src_addr, src_port, dst_addr, dst_port, outcome, errno, handshake_ns,
                        pid, tid, uid, gid, process_name, cgroup_id, container_name,
                        attribution_status, attributes, process_ref, container_ref)
SELECT e.id, e.timestamp_ns, e.kernel_time_ns, e.event_type, e.protocol, e.address_family,
       e.src_addr, e.src_port, e.dst_addr, e.dst_port, e.outcome, e.errno, e.handshake_ns,
       e.pid, e.tid, e.uid, e.gid, e.process_name, e.cgroup_id, e.container_name,
       e.attribution_status, e.attributes, p.id, c.id
FROM events e
LEFT JOIN processes p
       ON p.process_cmdline IS e.process_cmdline
      AND p.process_exe_path IS e.process_exe_path
      AND p.cgroup_name IS e.cgroup_name
LEFT JOIN containers c
       ON c.container_id IS e.container_id
      AND c.container_name IS e.container_name
      AND c.container_runtime IS e.container_runtime
      AND c.image_name IS e.image_name
      AND c.image_id IS e.image_id
      AND c.container_labels IS e.container_labels
      AND c.compose_project IS e.compose_project
      AND c.compose_service IS e.compose_service
ORDER BY e.id;

DROP INDEX processes_facts;
DROP INDEX containers_facts;

-- The old table, its indexes and the view over it; every row is in event_rows now.
DROP VIEW events_view;
DROP TABLE events;

-- Every index costs each event a B-tree insert, the largest share of writing one. Measured per
-- event (bench/sqlite, C and Java alike): events_timestamp ~1 us, events_container_timestamp ~1.7,
-- events_failed_timestamp ~0.1, and an index on (dst_addr, dst_port) ~2.5 us, 15% of the sink's
-- write path. That one is left out: "who talks to this destination" is answered by
-- connection_aggregations (indexed by destination, kept beyond retention), and a destination over
-- a period by events_timestamp (an hour of 2M events over three days: 50 ms).

-- Time ranges ("the last hour"), retention's oldest-first scan.
CREATE INDEX events_timestamp ON event_rows (timestamp_ns);
-- One container's connections over a period.
CREATE INDEX events_container_timestamp ON event_rows (container_name, timestamp_ns);
-- Failed connections over a period: a partial index, small because failures are rare.
CREATE INDEX events_failed_timestamp ON event_rows (timestamp_ns)
    WHERE outcome NOT IN ('established', 'pending');

-- Every fact of every event under the Rust Lanthorn's column names, in one place. SQLite flattens
-- the view into queries on it, so conditions on event_rows' columns use its indexes; the joins are
-- rowid lookups, and a query using no column of processes or containers skips them.
CREATE VIEW events AS
SELECT event_rows.id,
       event_rows.timestamp_ns,
       event_rows.kernel_time_ns,
       event_rows.event_type,
       event_rows.protocol,
       event_rows.address_family,
       event_rows.src_addr,
       event_rows.src_port,
       event_rows.dst_addr,
       event_rows.dst_port,
       event_rows.outcome,
       event_rows.errno,
       event_rows.handshake_ns,
       event_rows.pid,
       event_rows.tid,
       event_rows.uid,
       event_rows.gid,
       event_rows.process_name,
       processes.process_cmdline,
       processes.process_exe_path,
       event_rows.cgroup_id,
       processes.cgroup_name,
       containers.container_id,
       event_rows.container_name,
       containers.container_runtime,
       containers.image_name,
       containers.image_id,
       containers.container_labels,
       containers.compose_project,
       containers.compose_service,
       event_rows.attribution_status,
       event_rows.attributes
FROM event_rows
LEFT JOIN processes ON processes.id = event_rows.process_ref
LEFT JOIN containers ON containers.id = event_rows.container_ref;

-- events plus its start time for people, e.g. 2026-11-25T14:03:07.123Z (UTC). A view rather than a
-- generated column: it costs nothing per write, and jOOQ's open-source code generator cannot read
-- generated columns.
CREATE VIEW events_view AS
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', timestamp_ns / 1000000000.0, 'unixepoch') AS time, *
FROM events;

-- Who talks to this destination, over all time: the summary answers it (kept beyond retention).
-- Written only when a new summary row appears (counts change in place), so it costs the write path
-- nothing, unlike the per-event index events_destination it replaces.
CREATE INDEX connection_aggregations_destination ON connection_aggregations (dst_addr, dst_port);
