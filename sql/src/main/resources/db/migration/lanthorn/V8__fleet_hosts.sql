-- Many hosts in one file (issue 14): a central Lanthorn collects other agents' events through
-- Kafka (source-kafka), so a row says which host captured it, and a replayed copy of an event is
-- recognised by its stable id and stored once.

-- The host that captured the event (OpenTelemetry's host.name).
ALTER TABLE event_rows ADD COLUMN host_name TEXT;
-- The event's stable id, "<host.id>:<kernel time ns>:<tid>:<kind>", carried by events that came
-- through Kafka; NULL for this host's own events (SQLite's unique indexes let NULLs repeat).
ALTER TABLE event_rows ADD COLUMN event_uid TEXT;
CREATE UNIQUE INDEX event_rows_event_uid ON event_rows (event_uid);

-- The views as V5 defined them (V6 and V7 left them alone), with host_name last. Dropping the
-- events view drops its INSTEAD OF trigger too, so the trigger is created again as well.
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
       event_rows.threat_source,
       event_rows.host_name
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
