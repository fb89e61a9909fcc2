-- DNS answers processes received (probe-dns): one row per response. The Rust Lanthorn's dns_events
-- columns keep their names (domain, resolved_ip, pid, cgroup_id, container_id, container_name,
-- image_name); the rest says more than its getaddrinfo probe could.
CREATE TABLE dns_events (
    id                 INTEGER PRIMARY KEY,
    -- When the response reached the socket, UTC, e.g. 2026-11-25T14:03:07.123Z.
    timestamp          TEXT    NOT NULL,
    timestamp_ns       BIGINT  NOT NULL,
    -- The question name, lower-case, without the trailing dot.
    domain             TEXT    NOT NULL,
    -- A, AAAA, HTTPS … (TYPEnn for others).
    query_type         TEXT    NOT NULL,
    -- NOERROR, NXDOMAIN, SERVFAIL …
    response_code      TEXT    NOT NULL,
    -- The first address the name resolved to (through its CNAME chain), if any.
    resolved_ip        TEXT,
    -- Every answer record, a JSON array of "name ttl TYPE data" strings, in wire order.
    answers            TEXT    NOT NULL,
    server_addr        TEXT    NOT NULL,
    transport          TEXT    NOT NULL,
    -- The process whose query went out on the receiving socket; 0 when none was seen.
    pid                INTEGER NOT NULL,
    tid                INTEGER NOT NULL,
    process_name       TEXT,
    -- The receiving socket's cgroup, and the container the enricher found for it.
    cgroup_id          BIGINT,
    container_id       TEXT,
    container_name     TEXT,
    image_name         TEXT,
    attribution_status TEXT
);

CREATE INDEX dns_events_timestamp ON dns_events (timestamp_ns);
CREATE INDEX dns_events_container_timestamp ON dns_events (container_name, timestamp_ns);
CREATE INDEX dns_events_domain ON dns_events (domain);

-- How complete each interval's DNS names are (probe-dns; 0 without it), deltas like the rest.
-- dns_responses: responses the kernel program saw; dns_lost: lost because its ring was full;
-- dns_malformed: responses that could not be read; names_hit / names_miss: connections that got a
-- domain name (their own cgroup's answer or a host-wide one) or did not.
ALTER TABLE collection_health ADD COLUMN dns_responses BIGINT NOT NULL DEFAULT 0;
ALTER TABLE collection_health ADD COLUMN dns_lost BIGINT NOT NULL DEFAULT 0;
ALTER TABLE collection_health ADD COLUMN dns_malformed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE collection_health ADD COLUMN names_hit BIGINT NOT NULL DEFAULT 0;
ALTER TABLE collection_health ADD COLUMN names_miss BIGINT NOT NULL DEFAULT 0;

DROP VIEW collection_health_hourly;
-- V6's view (in_flight from the hour's last row, honest complete_pct) with the DNS sums added.
CREATE VIEW collection_health_hourly AS
WITH health AS (
    SELECT strftime('%Y-%m-%dT%H:00Z', interval_start_ns / 1000000000, 'unixepoch') AS hour,
           received, written, in_flight, lost_at_source, dropped, sink_failed,
           dns_responses, dns_lost, dns_malformed, names_hit, names_miss,
           row_number() OVER (
               PARTITION BY strftime('%Y-%m-%dT%H:00Z', interval_start_ns / 1000000000, 'unixepoch')
               ORDER BY interval_end_ns DESC) AS from_end
    FROM collection_health
)
SELECT hour,
       sum(received)                                     AS received,
       sum(written)                                      AS written,
       sum(CASE WHEN from_end = 1 THEN in_flight END)    AS in_flight,
       sum(lost_at_source)                               AS lost_at_source,
       sum(dropped)                                      AS dropped,
       sum(sink_failed)                                  AS sink_failed,
       sum(lost_at_source) + sum(dropped) + sum(sink_failed) AS lost,
       round(100.0 * (sum(received) - sum(dropped) - sum(sink_failed))
                   / nullif(sum(received) + sum(lost_at_source), 0), 2)
                                                         AS complete_pct,
       sum(dns_responses)                                AS dns_responses,
       sum(dns_lost)                                     AS dns_lost,
       sum(dns_malformed)                                AS dns_malformed,
       sum(names_hit)                                    AS names_hit,
       sum(names_miss)                                   AS names_miss
FROM health
GROUP BY hour
ORDER BY hour;
