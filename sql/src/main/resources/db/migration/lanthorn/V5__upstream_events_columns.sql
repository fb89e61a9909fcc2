-- The Rust Lanthorn's events table, column for column. Its queries keep working on a Lanthorn file:
--   SELECT * FROM events WHERE dst_addr = ? AND dst_port = ?
--   SELECT is_threat, threat_source FROM events WHERE dst_addr = ?
--   DELETE FROM events WHERE timestamp < datetime('now', '-3 days')
-- It had four columns this schema lacked (timestamp, domain_name, is_threat, threat_source) and
-- named the one kind of event here 'tcp_connect' where this schema wrote 'connect'.
--
-- domain_name, is_threat and threat_source stay NULL until the plugins that know them (DNS, threat
-- intelligence) fill them; they are here now so that upstream's queries run unchanged.

ALTER TABLE event_rows ADD COLUMN domain_name TEXT;
-- 1 when a threat feed lists the destination, 0 when it was checked and is not listed, NULL when
-- nothing checked it (upstream's BOOLEAN column, whose values SQLite stores as 0 and 1).
ALTER TABLE event_rows ADD COLUMN is_threat BOOLEAN;
-- The feed that listed it, e.g. 'feodo'.
ALTER TABLE event_rows ADD COLUMN threat_source TEXT;

-- Upstream's event_type values: 'tcp_connect' (this agent's only kind so far), 'tcp_accept' and
-- 'udp_send' for the kinds that come next.
UPDATE event_rows SET event_type = 'tcp_connect' WHERE event_type = 'connect';

-- The views, again, with the new columns last: a query that reads columns by position still finds
-- every earlier column where it was.
DROP VIEW events_view;
DROP VIEW events;

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
       event_rows.attributes,
       -- UTC, to the second, as upstream's DEFAULT (datetime('now')) wrote it: '2026-11-25 14:03:07'.
       -- Text of this form compares in time order, so datetime('now', '-3 days') works against it.
       strftime('%Y-%m-%d %H:%M:%S', event_rows.timestamp_ns / 1000000000, 'unixepoch')
           AS timestamp,
       event_rows.domain_name,
       event_rows.is_threat,
       event_rows.threat_source
FROM event_rows
LEFT JOIN processes ON processes.id = event_rows.process_ref
LEFT JOIN containers ON containers.id = event_rows.container_ref;

CREATE VIEW events_view AS
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', timestamp_ns / 1000000000.0, 'unixepoch') AS time, *
FROM events;

-- Upstream deletes old events from events itself; here that deletes the rows behind the view (the
-- facts in processes and containers stay for the sink's retention to collect).
CREATE TRIGGER events_delete INSTEAD OF DELETE ON events
BEGIN
    DELETE FROM event_rows WHERE id = OLD.id;
END;
