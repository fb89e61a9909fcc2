-- Lean event rows (issue 17). A row of event_rows took ~190 bytes on disk, most of them text that
-- repeats: 'tcp_connect', 'established', 'not_in_container', 'tcp', 'ipv4', addresses as text, the
-- process name, uid, gid and cgroup of the same process event after event, a container's name and
-- the same domains. Now:
--   * kinds, outcomes and attribution statuses are small numbers (the commonest are 0 and 1, which
--     SQLite stores in the record header alone), protocol and address family follow from them;
--   * an IPv4 address is one 32-bit integer (IPv6 addresses stay text: they are rare, and SQL
--     cannot turn 16 bytes back into RFC 5952 text);
--   * the process's name, uid, gid and cgroup join its other facts in `processes`, a container's
--     name is read from `containers`, and a domain is a number into `domains`;
--   * the indexes follow.
-- `events` (and events_view, threat_events) keep every column, name, value and order, so what users
-- and upstream's queries read is unchanged; two columns are added at the end, the stored codes of
-- event_type and outcome, for conditions that should use the partial indexes (SQLite cannot match
-- a condition on a decoded CASE expression to an index).
--
-- Like V4, this copies every row before anything is dropped, in the migration's single
-- transaction; on a large file it takes a while once.

-- Codes, as the view decodes them (sink-sqlite's EventCodes writes them):
--   kind        0 tcp_connect, 1 tcp_accept, 2 udp_send (protocol udp only for 2)
--   outcome     0 established, 1 pending, 2 sent (udp_send), 3 refused, 4 timed_out,
--               5 unreachable, 6 other: a failed attempt is outcome >= 3
--   attribution 0 not_in_container, 1 attributed, 2 unknown_container, 3 runtime_unavailable;
--               any other status as its text; NULL when no enricher ran

-- A domain the events' processes resolved (probe-dns), once.
CREATE TABLE domains (
    id            INTEGER PRIMARY KEY,
    domain_name   TEXT   NOT NULL,
    first_seen_ns BIGINT NOT NULL,
    last_seen_ns  BIGINT NOT NULL
);
-- Who connected to this domain: look the number up, then its events.
CREATE INDEX domains_name ON domains (domain_name);

INSERT INTO domains (domain_name, first_seen_ns, last_seen_ns)
SELECT domain_name, min(timestamp_ns), max(timestamp_ns)
FROM event_rows
WHERE domain_name IS NOT NULL
GROUP BY domain_name;

-- The process facts every event repeated: its name (comm), ids and cgroup.
ALTER TABLE processes ADD COLUMN process_name TEXT;
ALTER TABLE processes ADD COLUMN uid BIGINT;
ALTER TABLE processes ADD COLUMN gid BIGINT;
ALTER TABLE processes ADD COLUMN cgroup_id BIGINT;

-- Each distinct set of an event's old process facts and those four becomes a new processes row,
-- numbered after the old ones (deleted below).
CREATE TEMP TABLE v15_process_sets AS
SELECT process_ref, process_name, uid, gid, cgroup_id,
       min(timestamp_ns) AS first_seen_ns, max(timestamp_ns) AS last_seen_ns
FROM event_rows
GROUP BY process_ref, process_name, uid, gid, cgroup_id;
CREATE TEMP TABLE v15_process_offset AS SELECT coalesce(max(id), 0) AS n FROM processes;

INSERT INTO processes (id, process_cmdline, process_exe_path, cgroup_name, first_seen_ns,
                       last_seen_ns, process_name, uid, gid, cgroup_id)
SELECT v15_process_offset.n + s.rowid, p.process_cmdline, p.process_exe_path, p.cgroup_name,
       s.first_seen_ns, s.last_seen_ns, s.process_name, s.uid, s.gid, s.cgroup_id
FROM v15_process_sets s
CROSS JOIN v15_process_offset
LEFT JOIN processes p ON p.id = s.process_ref;
CREATE INDEX temp.v15_process_sets_key
    ON v15_process_sets (process_ref, process_name, uid, gid, cgroup_id);

-- The container's name moves to containers: where an event's own name differs from its containers
-- row's (only rows written by something other than the sink can), that pair gets a containers row
-- of its own, with the facts of the old row and the event's name, numbered after the others.
CREATE TEMP TABLE v15_container_sets AS
SELECT e.container_ref, e.container_name,
       min(e.timestamp_ns) AS first_seen_ns, max(e.timestamp_ns) AS last_seen_ns
FROM event_rows e
LEFT JOIN containers c ON c.id = e.container_ref
WHERE (e.container_ref IS NOT NULL OR e.container_name IS NOT NULL)
  AND (c.id IS NULL OR c.container_name IS NOT e.container_name)
GROUP BY e.container_ref, e.container_name;
CREATE TEMP TABLE v15_container_offset AS SELECT coalesce(max(id), 0) AS n FROM containers;

INSERT INTO containers (id, container_id, container_name, container_runtime, image_name, image_id,
                        container_labels, compose_project, compose_service, first_seen_ns,
                        last_seen_ns)
SELECT v15_container_offset.n + s.rowid, c.container_id, s.container_name, c.container_runtime,
       c.image_name, c.image_id, c.container_labels, c.compose_project, c.compose_service,
       s.first_seen_ns, s.last_seen_ns
FROM v15_container_sets s
CROSS JOIN v15_container_offset
LEFT JOIN containers c ON c.id = s.container_ref;
CREATE INDEX temp.v15_container_sets_key ON v15_container_sets (container_ref, container_name);

-- Every address of the file that is IPv4 text, as its 32-bit number (signed, so 4 bytes).
-- CAST takes a text's leading integer: '172.17.0.2' -> 172.
CREATE TEMP TABLE v15_ipv4 AS
WITH texts(address) AS (
    SELECT src_addr FROM event_rows WHERE address_family = 'ipv4'
    UNION
    SELECT dst_addr FROM event_rows WHERE address_family = 'ipv4'),
octets(address, a, rest) AS (
    SELECT address, CAST(address AS INTEGER), substr(address, instr(address, '.') + 1)
    FROM texts),
octets2(address, a, b, rest) AS (
    SELECT address, a, CAST(rest AS INTEGER), substr(rest, instr(rest, '.') + 1) FROM octets),
octets3(address, a, b, c, d) AS (
    SELECT address, a, b, CAST(rest AS INTEGER),
           CAST(substr(rest, instr(rest, '.') + 1) AS INTEGER)
    FROM octets2),
numbers(address, n) AS (SELECT address, (a << 24) | (b << 16) | (c << 8) | d FROM octets3)
SELECT address, CASE WHEN n >= 2147483648 THEN n - 4294967296 ELSE n END AS ip FROM numbers;
CREATE UNIQUE INDEX temp.v15_ipv4_address ON v15_ipv4 (address);

CREATE TABLE event_rows_v15 (
    -- Exactly "INTEGER PRIMARY KEY": an alias of the rowid; rows are stored in insertion order.
    id             INTEGER PRIMARY KEY,
    -- Wall clock when the attempt started, nanoseconds since the Unix epoch (UTC).
    timestamp_ns   BIGINT  NOT NULL,
    -- The kernel's monotonic clock at the same moment, nanoseconds since boot.
    kernel_time_ns BIGINT  NOT NULL,
    -- 0 tcp_connect, 1 tcp_accept, 2 udp_send (events.event_type).
    kind           INTEGER NOT NULL,
    -- An IPv4 address as its 32-bit number (signed: 128.0.0.0 and above are negative), an IPv6
    -- address as text; no declared type, so SQLite stores each as given. The end that opened the
    -- flow (V10).
    src_ip                 NOT NULL,
    -- 0 when the attempt ended before a local port was bound.
    src_port       INTEGER NOT NULL,
    dst_ip                 NOT NULL,
    dst_port       INTEGER NOT NULL,
    -- 0 established, 1 pending, 2 sent, 3 refused, 4 timed_out, 5 unreachable, 6 other.
    outcome        INTEGER NOT NULL,
    -- The socket error of a failed attempt (111 = ECONNREFUSED …), 0 otherwise.
    errno          INTEGER NOT NULL,
    -- SYN_SENT to outcome in nanoseconds; NULL when pending.
    handshake_ns   BIGINT,
    pid            INTEGER NOT NULL,
    tid            INTEGER NOT NULL,
    -- The process's facts: name, uid, gid, cgroup, command line, executable.
    process_ref    BIGINT REFERENCES processes (id),
    -- The container's facts, its name included; NULL outside a known container.
    container_ref  BIGINT REFERENCES containers (id),
    -- 0 not_in_container, 1 attributed, 2 unknown_container, 3 runtime_unavailable, another
    -- status as text; NULL when no enricher ran. No declared type, as src_ip.
    attribution,
    -- The domain the process resolved for the destination (probe-dns); NULL when none.
    domain_ref     BIGINT REFERENCES domains (id),
    -- Attributes from other enrichers as a JSON object; NULL when none.
    attributes     TEXT,
    -- 1 when a threat feed lists the destination, 0 checked and not listed, NULL not checked.
    is_threat      BOOLEAN,
    threat_source  TEXT,
    -- The host that captured the event (a central agent's file); NULL for the file's own host.
    host_name      TEXT,
    -- The event's stable id, for events that came through Kafka.
    event_uid      TEXT,
    -- Lifetimes (V10): NULL while open or never established.
    duration_ns    BIGINT,
    bytes_sent     BIGINT,
    bytes_received BIGINT,
    -- 1 closed, 0 established and no close seen, NULL never established.
    closed         BOOLEAN,
    -- udp_send rows: datagrams in the row's interval.
    datagrams      BIGINT
);

INSERT INTO event_rows_v15 (id, timestamp_ns, kernel_time_ns, kind, src_ip, src_port, dst_ip,
                            dst_port, outcome, errno, handshake_ns, pid, tid, process_ref,
                            container_ref, attribution, domain_ref, attributes, is_threat,
                            threat_source, host_name, event_uid, duration_ns, bytes_sent,
                            bytes_received, closed, datagrams)
SELECT e.id, e.timestamp_ns, e.kernel_time_ns,
       CASE e.event_type WHEN 'tcp_connect' THEN 0 WHEN 'tcp_accept' THEN 1 ELSE 2 END,
       coalesce(src.ip, e.src_addr), e.src_port, coalesce(dst.ip, e.dst_addr), e.dst_port,
       CASE e.outcome WHEN 'established' THEN 0 WHEN 'pending' THEN 1 WHEN 'sent' THEN 2
                      WHEN 'refused' THEN 3 WHEN 'timed_out' THEN 4 WHEN 'unreachable' THEN 5
                      ELSE 6 END,
       e.errno, e.handshake_ns, e.pid, e.tid,
       v15_process_offset.n + s.rowid,
       coalesce(v15_container_offset.n + cs.rowid, e.container_ref),
       CASE e.attribution_status WHEN 'not_in_container' THEN 0 WHEN 'attributed' THEN 1
                                 WHEN 'unknown_container' THEN 2 WHEN 'runtime_unavailable' THEN 3
                                 ELSE e.attribution_status END,
       d.id, e.attributes, e.is_threat, e.threat_source, e.host_name, e.event_uid,
       e.duration_ns, e.bytes_sent, e.bytes_received, e.closed, e.datagrams
FROM event_rows e
CROSS JOIN v15_process_offset
CROSS JOIN v15_container_offset
JOIN v15_process_sets s
  ON s.process_ref IS e.process_ref AND s.process_name IS e.process_name AND s.uid IS e.uid
 AND s.gid IS e.gid AND s.cgroup_id IS e.cgroup_id
LEFT JOIN v15_container_sets cs
  ON cs.container_ref IS e.container_ref AND cs.container_name IS e.container_name
LEFT JOIN v15_ipv4 src ON e.address_family = 'ipv4' AND src.address = e.src_addr
LEFT JOIN v15_ipv4 dst ON e.address_family = 'ipv4' AND dst.address = e.dst_addr
LEFT JOIN domains d ON d.domain_name = e.domain_name
ORDER BY e.id;

DELETE FROM processes WHERE id <= (SELECT n FROM v15_process_offset);
DROP TABLE v15_process_sets;
DROP TABLE v15_process_offset;
DROP TABLE v15_container_sets;
DROP TABLE v15_container_offset;
DROP TABLE v15_ipv4;

-- What read the old table; recreated below with the same columns.
DROP VIEW threat_events;
DROP VIEW events_view;
DROP VIEW events;
DROP TABLE event_rows;
ALTER TABLE event_rows_v15 RENAME TO event_rows;

-- Every column, name and order of V10's view, then the two codes. The CASTs give the generated
-- code typed columns.
CREATE VIEW events AS
SELECT event_rows.id,
       event_rows.timestamp_ns,
       event_rows.kernel_time_ns,
       CAST(CASE event_rows.kind WHEN 0 THEN 'tcp_connect' WHEN 1 THEN 'tcp_accept'
                                 WHEN 2 THEN 'udp_send' END AS TEXT) AS event_type,
       CAST(CASE event_rows.kind WHEN 2 THEN 'udp' ELSE 'tcp' END AS TEXT) AS protocol,
       CAST(CASE typeof(event_rows.dst_ip) WHEN 'integer' THEN 'ipv4' ELSE 'ipv6' END AS TEXT)
           AS address_family,
       CAST(CASE typeof(event_rows.src_ip) WHEN 'integer'
            THEN ((event_rows.src_ip >> 24) & 255) || '.' || ((event_rows.src_ip >> 16) & 255)
                 || '.' || ((event_rows.src_ip >> 8) & 255) || '.' || (event_rows.src_ip & 255)
            ELSE event_rows.src_ip END AS TEXT) AS src_addr,
       event_rows.src_port,
       CAST(CASE typeof(event_rows.dst_ip) WHEN 'integer'
            THEN ((event_rows.dst_ip >> 24) & 255) || '.' || ((event_rows.dst_ip >> 16) & 255)
                 || '.' || ((event_rows.dst_ip >> 8) & 255) || '.' || (event_rows.dst_ip & 255)
            ELSE event_rows.dst_ip END AS TEXT) AS dst_addr,
       event_rows.dst_port,
       CAST(CASE event_rows.outcome WHEN 0 THEN 'established' WHEN 1 THEN 'pending'
                                    WHEN 2 THEN 'sent' WHEN 3 THEN 'refused'
                                    WHEN 4 THEN 'timed_out' WHEN 5 THEN 'unreachable'
                                    WHEN 6 THEN 'other' END AS TEXT) AS outcome,
       event_rows.errno,
       event_rows.handshake_ns,
       event_rows.pid,
       event_rows.tid,
       processes.uid,
       processes.gid,
       processes.process_name,
       processes.process_cmdline,
       processes.process_exe_path,
       processes.cgroup_id,
       processes.cgroup_name,
       containers.container_id,
       containers.container_name,
       containers.container_runtime,
       containers.image_name,
       containers.image_id,
       containers.container_labels,
       containers.compose_project,
       containers.compose_service,
       CAST(CASE event_rows.attribution WHEN 0 THEN 'not_in_container' WHEN 1 THEN 'attributed'
                                        WHEN 2 THEN 'unknown_container'
                                        WHEN 3 THEN 'runtime_unavailable'
                                        ELSE event_rows.attribution END AS TEXT)
           AS attribution_status,
       event_rows.attributes,
       -- UTC, to the second, as upstream's DEFAULT (datetime('now')) wrote it: '2026-11-25 14:03:07'.
       strftime('%Y-%m-%d %H:%M:%S', event_rows.timestamp_ns / 1000000000, 'unixepoch')
           AS timestamp,
       domains.domain_name,
       event_rows.is_threat,
       event_rows.threat_source,
       event_rows.host_name,
       CAST(CASE event_rows.kind WHEN 1 THEN 'inbound' ELSE 'outbound' END AS TEXT) AS direction,
       event_rows.duration_ns,
       event_rows.bytes_sent,
       event_rows.bytes_received,
       event_rows.closed,
       event_rows.datagrams,
       -- The stored codes of event_type and outcome (see above): conditions on them use the
       -- indexes, conditions on the text columns read the period's rows.
       event_rows.kind AS event_type_code,
       event_rows.outcome AS outcome_code
FROM event_rows
LEFT JOIN processes ON processes.id = event_rows.process_ref
LEFT JOIN containers ON containers.id = event_rows.container_ref
LEFT JOIN domains ON domains.id = event_rows.domain_ref;

CREATE VIEW events_view AS
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', timestamp_ns / 1000000000.0, 'unixepoch') AS time, *
FROM events;

-- Upstream deletes old events from events itself; here that deletes the rows behind the view.
CREATE TRIGGER events_delete INSTEAD OF DELETE ON events
BEGIN
    DELETE FROM event_rows WHERE id = OLD.id;
END;

-- As V9 defined it.
CREATE VIEW threat_events AS
SELECT events.timestamp_ns,
       CAST(events.timestamp AS TEXT) AS timestamp,
       events.event_type,
       events.container_name,
       events.process_name,
       events.pid,
       events.dst_addr AS destination,
       events.domain_name AS domain,
       events.threat_source AS feed,
       CAST(json_extract(events.attributes, '$."lanthorn.threat.indicator"') AS TEXT)
           AS indicator
FROM events
WHERE events.is_threat = 1
UNION ALL
SELECT dns_events.timestamp_ns,
       strftime('%Y-%m-%d %H:%M:%S', dns_events.timestamp_ns / 1000000000, 'unixepoch'),
       'dns_answer',
       dns_events.container_name,
       dns_events.process_name,
       dns_events.pid,
       dns_events.resolved_ip,
       dns_events.domain,
       dns_events.threat_source,
       dns_events.threat_indicator
FROM dns_events
WHERE dns_events.is_threat = 1;

-- A container's rows by name: look its numbers up, then their events.
CREATE INDEX containers_name ON containers (container_name);
-- Time ranges ("the last hour"), retention's oldest-first scan.
CREATE INDEX events_timestamp ON event_rows (timestamp_ns);
-- One container's connections over a period; rows outside containers are not listed.
CREATE INDEX events_container_timestamp ON event_rows (container_ref, timestamp_ns)
    WHERE container_ref IS NOT NULL;
-- Failed connections over a period (events.outcome_code >= 3): small, failures are rare.
CREATE INDEX events_failed_timestamp ON event_rows (timestamp_ns) WHERE outcome >= 3;
CREATE INDEX event_rows_threats ON event_rows (timestamp_ns) WHERE is_threat = 1;
-- The sink finds the row a close refers to among the open rows.
CREATE INDEX event_rows_open ON event_rows (kernel_time_ns) WHERE closed = 0;
-- Accepted connections over a period (events.event_type_code = 1; query summary's inbound side).
CREATE INDEX event_rows_accepts ON event_rows (timestamp_ns) WHERE kind = 1;
CREATE UNIQUE INDEX event_rows_event_uid ON event_rows (event_uid) WHERE event_uid IS NOT NULL;

-- How far the rollup tables are written. The sink keeps the last second or so of rollup tallies in
-- memory and adds them to the tables together, with this row, in the transaction of a batch: every
-- event_rows row with id <= event_rows_through is counted in them. Rows after it (the agent
-- stopped before their tallies were written) are tallied again from event_rows when it starts.
-- Every row here now has been rolled up by the sink of an earlier version (or by V11).
CREATE TABLE rollup_progress (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    event_rows_through BIGINT NOT NULL
);
INSERT INTO rollup_progress (id, event_rows_through)
SELECT 1, coalesce(max(id), 0) FROM event_rows;
