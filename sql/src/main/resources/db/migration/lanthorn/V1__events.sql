-- One row per outbound connection attempt.
--
-- Columns shared with the Rust Lanthorn keep its names (event_type, protocol, dst_addr, dst_port,
-- pid, cgroup_id, process_name, process_cmdline, container_id, container_name, image_name) so
-- queries written for it keep working. 64-bit values are BIGINT so generated code uses long.
-- Enum-like columns carry no CHECK constraint on purpose: SQLite can only change one by rebuilding
-- the table, and a new outcome must not need that. Times are integers (cheap to write, exact);
-- events_view adds a readable one.
CREATE TABLE events (
    -- Exactly "INTEGER PRIMARY KEY" makes the column an alias of the 64-bit rowid (BIGINT would
    -- not): rows are stored in insertion order and retention deletes by it cheaply.
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
    -- The start of the argument list, space-separated; NULL when it could not be read.
    process_cmdline    TEXT,
    process_exe_path   TEXT,
    -- Inode of the task's cgroup v2 directory; 0 when unknown.
    cgroup_id          BIGINT  NOT NULL,
    -- Last path element of that directory.
    cgroup_name        TEXT,
    -- Container facts; NULL when the process is not in a known container.
    container_id       TEXT,
    container_name     TEXT,
    container_runtime  TEXT,
    image_name         TEXT,
    image_id           TEXT,
    -- Container labels as a JSON object, e.g. {"com.example.team":"payments"}: query with
    -- json_extract(container_labels, '$."com.example.team"').
    container_labels   TEXT,
    compose_project    TEXT,
    compose_service    TEXT,
    -- attributed, not_in_container, unknown_container or runtime_unavailable; NULL when no
    -- enricher ran.
    attribution_status TEXT,
    -- Attributes from other enrichers as a JSON object keyed by attribute name; NULL when none.
    attributes         TEXT
);

-- Time ranges ("the last hour"), retention's oldest-first scan.
CREATE INDEX events_timestamp ON events (timestamp_ns);
-- One container's connections over a period.
CREATE INDEX events_container_timestamp ON events (container_name, timestamp_ns);
-- Who talks to this destination.
CREATE INDEX events_destination ON events (dst_addr, dst_port);
-- Failed connections over a period: a partial index, small because failures are rare.
CREATE INDEX events_failed_timestamp ON events (timestamp_ns)
    WHERE outcome NOT IN ('established', 'pending');

-- events plus its start time for people, e.g. 2026-11-25T14:03:07.123Z (UTC). A view rather than a
-- generated column: it costs nothing per write, and jOOQ's open-source code generator cannot read
-- generated columns. "*" is expanded when queried, so columns added to events later appear here.
CREATE VIEW events_view AS
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', timestamp_ns / 1000000000.0, 'unixepoch') AS time, *
FROM events;
