-- Threat-intelligence feeds (enricher-threat). Connections already have upstream's is_threat and
-- threat_source (V5); the feed entry that matched is in their attributes JSON as
-- "lanthorn.threat.indicator". DNS answers get the same three facts here. NULL everywhere means
-- nothing checked (the plugin off), 0 checked and not listed.
ALTER TABLE dns_events ADD COLUMN is_threat BOOLEAN;
-- The feeds that list the name or an answer's address, comma-separated, e.g. 'urlhaus'.
ALTER TABLE dns_events ADD COLUMN threat_source TEXT;
-- The entry that matched, as the feed wrote it: 'evil.example', '203.0.113.0/24'.
ALTER TABLE dns_events ADD COLUMN threat_indicator TEXT;

-- Flagged rows are few: partial indexes keep `lanthorn query threats` fast at no cost to the
-- other rows' inserts.
CREATE INDEX event_rows_threats ON event_rows (timestamp_ns) WHERE is_threat = 1;
CREATE INDEX dns_events_threats ON dns_events (timestamp_ns) WHERE is_threat = 1;

-- Every flagged connection and DNS answer, one row each: who (container or process), what
-- (destination, domain), which feed and entry. Join on feed or indicator as needed, e.g.
--   SELECT feed, count(*) FROM threat_events GROUP BY feed;
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
