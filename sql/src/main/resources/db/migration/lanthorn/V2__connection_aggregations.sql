-- Like the Rust Lanthorn's connection_aggregations: one row per (container, process, destination,
-- port, protocol), kept current by the sink in the same transaction as each batch of events, and
-- kept when retention deletes old events.
CREATE TABLE connection_aggregations (
    id               INTEGER PRIMARY KEY,
    -- '' for processes outside containers: UNIQUE treats NULLs as distinct, so NULL would give
    -- every host batch a row of its own.
    container_name   TEXT    NOT NULL,
    process_name     TEXT    NOT NULL,
    dst_addr         TEXT    NOT NULL,
    dst_port         INTEGER NOT NULL,
    protocol         TEXT    NOT NULL,
    connection_count BIGINT  NOT NULL,
    -- Attempts that ended refused, timed_out, unreachable or other.
    failed_count     BIGINT  NOT NULL,
    first_seen_ns    BIGINT  NOT NULL,
    last_seen_ns     BIGINT  NOT NULL,
    UNIQUE (container_name, process_name, dst_addr, dst_port, protocol)
);

CREATE INDEX connection_aggregations_last_seen ON connection_aggregations (last_seen_ns);

-- The summary with readable first and last times (UTC).
CREATE VIEW connection_aggregations_view AS
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', first_seen_ns / 1000000000.0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%fZ', last_seen_ns / 1000000000.0, 'unixepoch') AS last_seen,
       *
FROM connection_aggregations;

-- A database written before this version already holds events: summarise them.
INSERT INTO connection_aggregations
    (container_name, process_name, dst_addr, dst_port, protocol,
     connection_count, failed_count, first_seen_ns, last_seen_ns)
SELECT coalesce(container_name, ''), process_name, dst_addr, dst_port, protocol,
       count(*),
       sum(outcome NOT IN ('established', 'pending')),
       min(timestamp_ns),
       max(timestamp_ns)
FROM events
GROUP BY coalesce(container_name, ''), process_name, dst_addr, dst_port, protocol;
