-- Threat-intelligence feeds in the file (issue 12) and DNS answers replayed through Kafka stored
-- once (issue 14).

-- The entries of each feed the agent matches with, as the Rust Lanthorn's threat_ip_feed and
-- threat_domain_feed hold them (same names), so its joins work unchanged:
--   SELECT events.dst_addr, threat_ip_feed.source FROM events
--   JOIN threat_ip_feed ON threat_ip_feed.ip = events.dst_addr;
-- A feed's rows are replaced whole, in one transaction, when a new version of it arrives
-- (enricher-threat reports each version to the sink). Several feeds may list the same entry, so
-- the key is (entry, feed) where upstream's was the entry alone.
CREATE TABLE threat_ip_feed (
    -- An address or a CIDR range, as the feed wrote it: '203.0.113.7', '198.51.100.0/24'. A range
    -- joins only on its own text; events.is_threat and threat_events say which addresses it holds.
    ip           TEXT NOT NULL,
    -- The feed's name (events.threat_source names it too).
    source       TEXT NOT NULL,
    -- When this version of the feed arrived, UTC, as upstream's CURRENT_TIMESTAMP wrote it:
    -- '2026-11-25 14:03:07'.
    last_updated TEXT NOT NULL,
    PRIMARY KEY (ip, source)
) WITHOUT ROWID;

CREATE INDEX threat_ip_feed_source ON threat_ip_feed (source);

CREATE TABLE threat_domain_feed (
    -- A listed domain, lower-case, without the trailing dot; names below it match too.
    domain       TEXT NOT NULL,
    -- Upstream's URL behind the entry; NULL, since the list formats read carry none.
    url          TEXT,
    source       TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    PRIMARY KEY (domain, source)
) WITHOUT ROWID;

CREATE INDEX threat_domain_feed_source ON threat_domain_feed (source);

-- One row per feed: which version its rows above are, and how refreshing it went.
CREATE TABLE threat_feeds (
    feed                 TEXT PRIMARY KEY,
    url                  TEXT    NOT NULL,
    format               TEXT    NOT NULL,
    -- Identifies the entries (a digest of the list); NULL while the agent has no version yet.
    version              TEXT,
    -- Lines that held an entry, and lines skipped as unreadable.
    entries              INTEGER NOT NULL,
    malformed            INTEGER NOT NULL,
    -- When a good version last arrived or was confirmed unchanged; NULL never.
    last_good_refresh_ns BIGINT,
    -- Why the last refresh failed and when; NULL when it succeeded.
    last_error           TEXT,
    last_error_ns        BIGINT,
    -- When the agent last reported on the feed.
    reported_ns          BIGINT  NOT NULL
);

-- The same with readable UTC times, e.g. SELECT * FROM threat_feeds_view;
CREATE VIEW threat_feeds_view AS
SELECT feed,
       url,
       format,
       entries,
       malformed,
       strftime('%Y-%m-%dT%H:%M:%SZ', last_good_refresh_ns / 1000000000, 'unixepoch')
           AS last_good_refresh,
       last_error,
       strftime('%Y-%m-%dT%H:%M:%SZ', last_error_ns / 1000000000, 'unixepoch') AS last_error_at,
       version
FROM threat_feeds;

-- As events got in V8: the host that captured the answer, and the answer's stable id for those
-- that came through Kafka ("<host.id>:<kernel time ns>:<tid>:dns_answer"), NULL for this host's
-- own. A replayed answer is recognised by it and stored once.
ALTER TABLE dns_events ADD COLUMN host_name TEXT;
ALTER TABLE dns_events ADD COLUMN event_uid TEXT;
CREATE UNIQUE INDEX dns_events_event_uid ON dns_events (event_uid);
