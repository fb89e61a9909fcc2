-- Honest health: events still queued are not lost. Until this version complete_pct was
-- written / (received + lost_at_source), so an hour whose last event was still on its way to the
-- file looked incomplete (6 of 7 written: 85.71 %) although nothing was lost.

-- Events received but, at the interval's end, neither written by this sink nor dropped nor failed:
-- still in flight (queued in the pipeline). A level at the end of the interval, not a delta. Rows
-- written before this version have 0.
ALTER TABLE collection_health ADD COLUMN in_flight BIGINT NOT NULL DEFAULT 0;

-- Per hour: lost = lost_at_source + dropped + sink_failed, in_flight = the hour's last row's, and
-- complete_pct = 100 * (every event - lost) / every event, with every event = received +
-- lost_at_source: 100 whenever nothing was lost, whatever was still queued. An hour whose last row
-- has in_flight > 0 and that no later row follows ended with the agent killed before it could
-- deliver them (a quiet stop delivers everything first).
DROP VIEW collection_health_hourly;
CREATE VIEW collection_health_hourly AS
WITH health AS (
    SELECT strftime('%Y-%m-%dT%H:00Z', interval_start_ns / 1000000000, 'unixepoch') AS hour,
           received, written, in_flight, lost_at_source, dropped, sink_failed,
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
                                                         AS complete_pct
FROM health
GROUP BY hour
ORDER BY hour;
