-- More rollup tiers (issue 17): a period reads the coarsest buckets that fit inside it, so its cost
-- follows its number of buckets, not its length. A one-hour question reads 5-minute buckets with
-- minutes at its edges instead of 60 minutes; a week reads days with hours at its edges instead
-- of 168 hours. Written by the sink in the batch's transaction, summed from the batch's per-minute
-- tallies like the V11 tables.
--
-- rollup_five_minute_destinations is rollup_hour_destinations (V11) per 5 minutes: one row per
-- bucket × host × container × process × address × domain × port, without protocol, direction, kind
-- and outcome, for ranking destinations; kept as long as the per-minute rows
-- (sink-sqlite.minute-rollup-retention). The minutes at a period's edges (a few) are read from
-- rollup_minute itself: a per-minute destinations table would cost nearly as much space as
-- rollup_minute (measured: 6.0 M rows beside its 6.3 M, 49 bytes per event) for no gain.
--
-- rollup_day and rollup_day_destinations are rollup_hour and rollup_hour_destinations per UTC day,
-- kept sink-sqlite.day-rollup-retention (400 d). rollup_day has the counts and handshake times of
-- rollup_hour but no bytes: closes add their bytes to the minute and hour rows of the connection,
-- and a question about bytes reads those.

CREATE TABLE rollup_five_minute_destinations (
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

CREATE TABLE rollup_day (
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
    PRIMARY KEY (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name,
                 dst_port, protocol, direction, event_type, outcome)
) WITHOUT ROWID;

CREATE TABLE rollup_day_destinations (
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

CREATE VIEW rollup_day_view AS
SELECT strftime('%Y-%m-%d', bucket_ns / 1000000000, 'unixepoch') AS day,
       CASE domain_name WHEN '' THEN dst_addr ELSE domain_name END AS destination,
       strftime('%Y-%m-%dT%H:%M:%fZ', first_seen_ns / 1000000000.0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%fZ', last_seen_ns / 1000000000.0, 'unixepoch') AS last_seen,
       *
FROM rollup_day;

-- A file written before this version: the new tiers from the rollups it holds (not its events,
-- which retention may already have thinned), finest first.
INSERT INTO rollup_five_minute_destinations
    (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,
     connection_count, failed_count, first_seen_ns, last_seen_ns)
SELECT bucket_ns / 300000000000 * 300000000000, host_name, container_name, process_name,
       dst_addr, domain_name, dst_port, sum(connection_count), sum(failed_count),
       min(first_seen_ns), max(last_seen_ns)
FROM rollup_minute
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO rollup_day
    (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,
     protocol, direction, event_type, outcome, connection_count, failed_count, first_seen_ns,
     last_seen_ns, handshake_count, handshake_sum_ns, handshake_max_ns)
SELECT bucket_ns / 86400000000000 * 86400000000000, host_name, container_name, process_name,
       dst_addr, domain_name, dst_port, protocol, direction, event_type, outcome,
       sum(connection_count), sum(failed_count), min(first_seen_ns), max(last_seen_ns),
       sum(handshake_count), sum(handshake_sum_ns), max(handshake_max_ns)
FROM rollup_hour
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;

INSERT INTO rollup_day_destinations
    (bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,
     connection_count, failed_count, first_seen_ns, last_seen_ns)
SELECT bucket_ns / 86400000000000 * 86400000000000, host_name, container_name, process_name,
       dst_addr, domain_name, dst_port, sum(connection_count), sum(failed_count),
       min(first_seen_ns), max(last_seen_ns)
FROM rollup_hour_destinations
GROUP BY 1, 2, 3, 4, 5, 6, 7;
