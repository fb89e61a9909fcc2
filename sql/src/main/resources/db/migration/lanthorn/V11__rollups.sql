-- Rollups (issue 17): connection counts per minute and per hour, written by the sink in the same
-- transaction as the events they count. A question about a period (lanthorn query top, the
-- dashboard's overview) reads a few thousand rollup rows instead of scanning millions of events, so
-- it answers as fast at 3 days of history as at 3 minutes. Retention keeps them longer than the
-- events: sink-sqlite.minute-rollup-retention (7 d) and rollup-retention (90 d).
--
-- One row per bucket and key. The key: the host, the container ('' outside containers), the process
-- (comm), the destination address and the domain it was looked up as ('' when no DNS plugin named
-- it), the port, protocol, direction ('outbound' for tcp_connect, 'inbound' for tcp_accept),
-- event_type and outcome. Empty strings rather than NULLs, since a primary key treats NULLs as
-- distinct. WITHOUT ROWID: the rows live in the primary key's b-tree, so a period is one range scan
-- over bucket_ns that needs no other index and no lookups.

CREATE TABLE rollup_minute (
    -- Start of the minute, nanoseconds since the Unix epoch (UTC).
    bucket_ns         BIGINT  NOT NULL,
    host_name         TEXT    NOT NULL,
    container_name    TEXT    NOT NULL,
    process_name      TEXT    NOT NULL,
    dst_addr          TEXT    NOT NULL,
    domain_name       TEXT    NOT NULL,
    dst_port          INTEGER NOT NULL,
    protocol          TEXT    NOT NULL,
    direction         TEXT    NOT NULL,
    event_type        TEXT    NOT NULL,
    outcome           TEXT    NOT NULL,
    connection_count  BIGINT  NOT NULL,
    -- Attempts that ended refused, timed_out, unreachable or other (as in connection_aggregations).
    failed_count      BIGINT  NOT NULL,
    first_seen_ns     BIGINT  NOT NULL,
    last_seen_ns      BIGINT  NOT NULL,
    -- Attempts with a handshake time (all but pending), their sum and the longest:
    -- avg = handshake_sum_ns / handshake_count. handshake_max_ns is 0 when the count is 0.
    handshake_count   BIGINT  NOT NULL,
    handshake_sum_ns  BIGINT  NOT NULL,
    handshake_max_ns  BIGINT  NOT NULL,
    -- Bytes the connections carried; 0 until a probe reports them.
    bytes_sent        BIGINT  NOT NULL DEFAULT 0,
    bytes_received    BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name,
                 dst_port, protocol, direction, event_type, outcome)
) WITHOUT ROWID;

-- The same per hour (bucket_ns is the start of the hour).
CREATE TABLE rollup_hour (
    bucket_ns         BIGINT  NOT NULL,
    host_name         TEXT    NOT NULL,
    container_name    TEXT    NOT NULL,
    process_name      TEXT    NOT NULL,
    dst_addr          TEXT    NOT NULL,
    domain_name       TEXT    NOT NULL,
    dst_port          INTEGER NOT NULL,
    protocol          TEXT    NOT NULL,
    direction         TEXT    NOT NULL,
    event_type        TEXT    NOT NULL,
    outcome           TEXT    NOT NULL,
    connection_count  BIGINT  NOT NULL,
    failed_count      BIGINT  NOT NULL,
    first_seen_ns     BIGINT  NOT NULL,
    last_seen_ns      BIGINT  NOT NULL,
    handshake_count   BIGINT  NOT NULL,
    handshake_sum_ns  BIGINT  NOT NULL,
    handshake_max_ns  BIGINT  NOT NULL,
    bytes_sent        BIGINT  NOT NULL DEFAULT 0,
    bytes_received    BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name,
                 dst_port, protocol, direction, event_type, outcome)
) WITHOUT ROWID;

-- Per hour without the outcome: the destinations each container's processes talked to, for
-- questions that rank destinations (lanthorn query top, the dashboard's top destinations). A
-- destination that fails in several ways has a row per outcome in rollup_hour and one here, so a
-- day of these is a fraction of the rows to group.
CREATE TABLE rollup_hour_destinations (
    bucket_ns         BIGINT  NOT NULL,
    host_name         TEXT    NOT NULL,
    container_name    TEXT    NOT NULL,
    process_name      TEXT    NOT NULL,
    dst_addr          TEXT    NOT NULL,
    domain_name       TEXT    NOT NULL,
    dst_port          INTEGER NOT NULL,
    connection_count  BIGINT  NOT NULL,
    failed_count      BIGINT  NOT NULL,
    first_seen_ns     BIGINT  NOT NULL,
    last_seen_ns      BIGINT  NOT NULL,
    PRIMARY KEY (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name,
                 dst_port)
) WITHOUT ROWID;

-- Per minute and outcome only, for charts of activity over days: a day is 1 440 minutes times a
-- handful of outcomes, whatever the number of containers and destinations.
CREATE TABLE rollup_minute_totals (
    bucket_ns         BIGINT  NOT NULL,
    host_name         TEXT    NOT NULL,
    direction         TEXT    NOT NULL,
    event_type        TEXT    NOT NULL,
    outcome           TEXT    NOT NULL,
    connection_count  BIGINT  NOT NULL,
    failed_count      BIGINT  NOT NULL,
    PRIMARY KEY (bucket_ns, host_name, direction, event_type, outcome)
) WITHOUT ROWID;

-- Readable views: the bucket's start and the first/last times as UTC text, and the destination as
-- connection_aggregations names it (the domain when known, else the address).
CREATE VIEW rollup_minute_view AS
SELECT strftime('%Y-%m-%dT%H:%MZ', bucket_ns / 1000000000, 'unixepoch') AS minute,
       CASE domain_name WHEN '' THEN dst_addr ELSE domain_name END AS destination,
       strftime('%Y-%m-%dT%H:%M:%fZ', first_seen_ns / 1000000000.0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%fZ', last_seen_ns / 1000000000.0, 'unixepoch') AS last_seen,
       *
FROM rollup_minute;

CREATE VIEW rollup_hour_view AS
SELECT strftime('%Y-%m-%dT%H:00Z', bucket_ns / 1000000000, 'unixepoch') AS hour,
       CASE domain_name WHEN '' THEN dst_addr ELSE domain_name END AS destination,
       strftime('%Y-%m-%dT%H:%M:%fZ', first_seen_ns / 1000000000.0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%fZ', last_seen_ns / 1000000000.0, 'unixepoch') AS last_seen,
       *
FROM rollup_hour;

-- A database written before this version already holds events: roll them up, so that an upgraded
-- file answers every period it has events for. One pass over the events; the hours and totals are
-- summed from the minutes.
-- A udp_send row counts its datagrams (V10), and never fails; a closed connection's bytes are on
-- its opening row (V10).
INSERT INTO rollup_minute
    (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,
     protocol, direction, event_type, outcome, connection_count, failed_count, first_seen_ns,
     last_seen_ns, handshake_count, handshake_sum_ns, handshake_max_ns, bytes_sent,
     bytes_received)
SELECT timestamp_ns / 60000000000 * 60000000000,
       coalesce(host_name, ''),
       coalesce(container_name, ''),
       process_name,
       dst_addr,
       coalesce(domain_name, ''),
       dst_port,
       protocol,
       CASE event_type WHEN 'tcp_accept' THEN 'inbound' ELSE 'outbound' END,
       event_type,
       outcome,
       sum(coalesce(datagrams, 1)),
       sum(outcome NOT IN ('established', 'pending', 'sent')),
       min(timestamp_ns),
       max(timestamp_ns),
       count(handshake_ns),
       coalesce(sum(handshake_ns), 0),
       coalesce(max(handshake_ns), 0),
       coalesce(sum(bytes_sent), 0),
       coalesce(sum(bytes_received), 0)
FROM event_rows
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;

INSERT INTO rollup_hour
    (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,
     protocol, direction, event_type, outcome, connection_count, failed_count, first_seen_ns,
     last_seen_ns, handshake_count, handshake_sum_ns, handshake_max_ns, bytes_sent, bytes_received)
SELECT bucket_ns / 3600000000000 * 3600000000000, host_name, container_name, process_name,
       dst_addr, domain_name, dst_port, protocol, direction, event_type, outcome,
       sum(connection_count), sum(failed_count), min(first_seen_ns), max(last_seen_ns),
       sum(handshake_count), sum(handshake_sum_ns), max(handshake_max_ns), sum(bytes_sent),
       sum(bytes_received)
FROM rollup_minute
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;

INSERT INTO rollup_hour_destinations
    (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,
     connection_count, failed_count, first_seen_ns, last_seen_ns)
SELECT bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,
       sum(connection_count), sum(failed_count), min(first_seen_ns), max(last_seen_ns)
FROM rollup_hour
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO rollup_minute_totals
    (bucket_ns, host_name, direction, event_type, outcome, connection_count, failed_count)
SELECT bucket_ns, host_name, direction, event_type, outcome, sum(connection_count),
       sum(failed_count)
FROM rollup_minute
GROUP BY 1, 2, 3, 4, 5;

-- The dashboard's "new destinations": pairs first seen within a period, found through this index
-- instead of a scan of the whole summary.
CREATE INDEX connection_aggregations_first_seen ON connection_aggregations (first_seen_ns);
