-- One row per interval (sink-sqlite.health-interval) saying how complete that interval's data is.
-- Counts are deltas for the interval, so sums over any period are meaningful.
CREATE TABLE collection_health (
    id                INTEGER PRIMARY KEY,
    interval_start_ns BIGINT NOT NULL,
    interval_end_ns   BIGINT NOT NULL,
    -- Events the sources handed to the agent's pipeline.
    received          BIGINT NOT NULL,
    -- Events this sink committed to this file.
    written           BIGINT NOT NULL,
    -- Events the sources lost before handing them over (e.g. the kernel ring buffer was full).
    lost_at_source    BIGINT NOT NULL,
    -- Events the pipeline accepted but did not deliver to every sink (e.g. a full queue).
    dropped           BIGINT NOT NULL,
    -- Events this sink failed to write after the pipeline's retries.
    sink_failed       BIGINT NOT NULL
);

CREATE INDEX collection_health_interval_start ON collection_health (interval_start_ns);

-- "How complete is this hour": complete_pct is written / (received + lost_at_source).
-- Events received near an interval's end may be written in the next, so look at hours, not rows.
CREATE VIEW collection_health_hourly AS
SELECT strftime('%Y-%m-%dT%H:00Z', interval_start_ns / 1000000000, 'unixepoch') AS hour,
       sum(received)       AS received,
       sum(written)        AS written,
       sum(lost_at_source) AS lost_at_source,
       sum(dropped)        AS dropped,
       sum(sink_failed)    AS sink_failed,
       round(100.0 * sum(written) / nullif(sum(received) + sum(lost_at_source), 0), 2)
                           AS complete_pct
FROM collection_health
GROUP BY hour
ORDER BY hour;
