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
