-- Inbound TCP, connection lifetimes and UDP destinations (issue 15).
--
-- event_type (upstream's values): 'tcp_connect' an outbound attempt, 'tcp_accept' a connection a
-- listening socket of this host accepted, 'udp_send' UDP datagrams to one destination. In every
-- kind src_* is the end that opened the flow and dst_* the end it went to: for 'tcp_accept' rows
-- dst_addr/dst_port are this host's service (the listening port) and src_* the remote client, so
-- "WHERE dst_port = 5432" finds connections to a port in both directions, and a loopback
-- connection's 'tcp_connect' and 'tcp_accept' rows have the same four values.
--
-- A 'tcp_accept' row names the cgroup (and so the container) of the accepted socket; its pid,
-- process_name, uid and gid are those of the task that called listen() on the port, 0 and '' when
-- that was not seen (a listener older than the agent).

-- From the end of the handshake to the close, in nanoseconds; NULL while open (or never
-- established).
ALTER TABLE event_rows ADD COLUMN duration_ns BIGINT;
-- What this host's end sent (acknowledged by the peer) and received, at the close; NULL until then.
ALTER TABLE event_rows ADD COLUMN bytes_sent BIGINT;
ALTER TABLE event_rows ADD COLUMN bytes_received BIGINT;
-- 1 closed, 0 established and no close seen (still open, open when the agent stopped, or the
-- probe's lifetime tracking off or overflowed), NULL for attempts that never established.
ALTER TABLE event_rows ADD COLUMN closed BOOLEAN;
-- For 'udp_send': datagrams sent to the destination in the row's interval (one row when the
-- destination is first seen, then one per interval with traffic).
ALTER TABLE event_rows ADD COLUMN datagrams BIGINT;

-- The sink finds the row a close refers to by the opening event's kernel time; only open rows are
-- indexed, and a close takes its row out again.
CREATE INDEX event_rows_open ON event_rows (kernel_time_ns) WHERE closed = 0;
CREATE INDEX event_rows_event_type ON event_rows (event_type, timestamp_ns)
    WHERE event_type <> 'tcp_connect';

-- The views as V8 defined them (V9 left them alone), with the new columns last.
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
       event_rows.host_name,
       -- CAST: a typed column for the generated code.
       CAST(CASE event_rows.event_type WHEN 'tcp_accept' THEN 'inbound' ELSE 'outbound' END
            AS TEXT) AS direction,
       event_rows.duration_ns,
       event_rows.bytes_sent,
       event_rows.bytes_received,
       event_rows.closed,
       event_rows.datagrams
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
