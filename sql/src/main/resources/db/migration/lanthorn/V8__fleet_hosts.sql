-- Many hosts in one file (issue 14): a central Lanthorn collects other agents' events through
-- Kafka (source-kafka), so a row says which host captured it, and a replayed copy of an event is
-- recognised by its stable id and stored once.
--
-- The views are left as they are: V5 redefines events, and a later migration adds host_name to it
-- once both are in one history. Until then, read host_name from event_rows (lanthorn query does).

-- The host that captured the event (OpenTelemetry's host.name); NULL for this host's own events.
ALTER TABLE event_rows ADD COLUMN host_name TEXT;
-- The event's stable id, "<host.id>:<kernel time ns>:<tid>:<kind>", carried by events that came
-- through Kafka; NULL for this host's own events (SQLite's unique indexes let NULLs repeat).
ALTER TABLE event_rows ADD COLUMN event_uid TEXT;
CREATE UNIQUE INDEX event_rows_event_uid ON event_rows (event_uid);
