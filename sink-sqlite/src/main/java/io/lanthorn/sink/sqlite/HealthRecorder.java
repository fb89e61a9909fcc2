package io.lanthorn.sink.sqlite;

import static io.lanthorn.sink.sqlite.schema.Tables.COLLECTION_HEALTH;

import io.lanthorn.api.Counter;
import io.lanthorn.api.PipelineStats;
import java.util.function.Supplier;
import org.jooq.DSLContext;

/**
 * Writes one {@code collection_health} row per interval: what the pipeline received, lost and
 * dropped, and what this sink committed, as deltas since the previous row, and what was still in
 * flight (queued) at its end, so that an event on its way is never mistaken for a lost one.
 *
 * <p>A row is written even when nothing happened: a quiet interval with the agent running differs
 * from one with the agent down, which leaves no row.
 */
final class HealthRecorder {
  private final DSLContext dsl;
  private final String sinkName;
  private final Supplier<PipelineStats> stats;
  private final Counter written;

  private long intervalStartNs;
  private Totals previous = new Totals(0, 0, 0, 0, 0);

  /** Running totals at one moment. */
  private record Totals(
      long received, long written, long lostAtSource, long dropped, long sinkFailed) {
    /**
     * Received but not yet written, dropped or failed: still queued. The counters are read one
     * after the other while events move, so the difference can be briefly negative; never below 0.
     */
    long inFlight() {
      return Math.max(0, received - written - dropped - sinkFailed);
    }
  }

  /**
   * @param sinkName the sink's name in {@link PipelineStats#failedBySink()}
   * @param stats the pipeline's running totals since the agent started
   * @param written this sink's count of committed events
   * @param startNs when the first interval starts, in nanoseconds since the epoch
   */
  HealthRecorder(
      DSLContext dsl,
      String sinkName,
      Supplier<PipelineStats> stats,
      Counter written,
      long startNs) {
    this.dsl = dsl;
    this.sinkName = sinkName;
    this.stats = stats;
    this.written = written;
    this.intervalStartNs = startNs;
  }

  /** Writes the row for the interval ending now. */
  synchronized void record(long nowNs) {
    PipelineStats pipeline = stats.get();
    Totals now =
        new Totals(
            pipeline.received(),
            written.get(),
            pipeline.totalLostAtSource(),
            pipeline.totalDropped(),
            pipeline.failedBySink().getOrDefault(sinkName, 0L));
    dsl.insertInto(COLLECTION_HEALTH)
        .set(COLLECTION_HEALTH.INTERVAL_START_NS, intervalStartNs)
        .set(COLLECTION_HEALTH.INTERVAL_END_NS, nowNs)
        .set(COLLECTION_HEALTH.RECEIVED, now.received - previous.received)
        .set(COLLECTION_HEALTH.WRITTEN, now.written - previous.written)
        .set(COLLECTION_HEALTH.LOST_AT_SOURCE, now.lostAtSource - previous.lostAtSource)
        .set(COLLECTION_HEALTH.DROPPED, now.dropped - previous.dropped)
        .set(COLLECTION_HEALTH.SINK_FAILED, now.sinkFailed - previous.sinkFailed)
        .set(COLLECTION_HEALTH.IN_FLIGHT, now.inFlight())
        .execute();
    previous = now;
    intervalStartNs = nowNs;
  }
}
