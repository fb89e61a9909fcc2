-- One row per outbound connection attempt, queried through the view `events`.
--
-- `events` has the Rust Lanthorn's column names for the fields it shares (event_type, protocol,
-- dst_addr, dst_port, pid, cgroup_id, process_name, process_cmdline, container_id, container_name,
-- image_name) so queries written for it keep working, plus every other fact the event carries.
-- Behind it, facts that repeat event after event (a container's id, image and labels; a process's
-- command line, executable and cgroup) are stored once, in `containers` and `processes`, and
-- `event_rows` refers to them by number: with the benchmark's rows (bench/sqlite) the file grows by
-- 185 bytes per event instead of 507, and the sink binds two numbers instead of eleven strings.
--
-- 64-bit values are BIGINT so generated code uses long. Enum-like columns carry no CHECK
-- constraint on purpose: SQLite can only change one by rebuilding the table, and a new outcome must
-- not need that. Times are integers (cheap to write, exact); events_view adds a readable one.

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
    -- The event's process facts; NULL only if retention removed them (see containers).
    process_ref        BIGINT REFERENCES processes (id),
    -- The event's container facts; NULL when the event has none.
    container_ref      BIGINT REFERENCES containers (id)
);

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
