-- event_uid is set only on events that came through Kafka (a central agent's file); a host's own
-- rows have none. The unique index listed every row anyway, NULLs included: one more B-tree
-- insert per row and ~10 bytes per event for nothing. Partial now: the replay check's
-- `event_uid IN (...)` implies `event_uid IS NOT NULL`, so SQLite still uses it.
DROP INDEX event_rows_event_uid;
CREATE UNIQUE INDEX event_rows_event_uid ON event_rows (event_uid) WHERE event_uid IS NOT NULL;
