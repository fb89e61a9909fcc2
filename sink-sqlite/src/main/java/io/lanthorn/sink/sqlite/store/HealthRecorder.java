package io.lanthorn.sink.sqlite.store;

import static io.lanthorn.sink.sqlite.schema.Tables.COLLECTION_HEALTH;

import io.lanthorn.api.Counter;
import io.lanthorn.api.PipelineStats;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Field;

/**
 * Writes one {@code collection_health} row per interval: what the pipeline received, lost and
 * dropped, and what this sink committed, as deltas since the previous row, and what was still in
 * flight (queued) at its end, so that an event on its way is never mistaken for a lost one.
 *
 * <p>A row is written even when nothing happened: a quiet interval with the agent running differs
 * from one with the agent down, which leaves no row.
 */
public final class HealthRecorder {
  private final DSLContext dsl;
  private final String sinkName;
  private final Supplier<PipelineStats> stats;
  private final Counter written;
  private final Supplier<Map<String, Long>> metrics;

  private long intervalStartNs;
  private Totals previous = new Totals(0, 0, 0, 0, 0);
  private long[] previousDns = new long[DNS.size()];

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

  /** A DNS column and the probe-dns metrics whose sum it records (absent metrics count 0). */
  private record DnsColumn(Field<Long> column, List<String> metrics) {}

  private static final List<DnsColumn> DNS =
      List.of(
          new DnsColumn(COLLECTION_HEALTH.DNS_RESPONSES, List.of("probe-dns.responses")),
          new DnsColumn(COLLECTION_HEALTH.DNS_LOST, List.of("probe-dns.lost.ring_full")),
          new DnsColumn(COLLECTION_HEALTH.DNS_MALFORMED, List.of("probe-dns.malformed")),
          new DnsColumn(
              COLLECTION_HEALTH.NAMES_HIT,
              List.of("probe-dns.names.hit", "probe-dns.names.host_wide")),
          new DnsColumn(COLLECTION_HEALTH.NAMES_MISS, List.of("probe-dns.names.miss")));

  /**
   * @param sinkName the sink's name in {@link PipelineStats#failedBySink()}
   * @param stats the pipeline's running totals since the agent started
   * @param written this sink's count of committed events
   * @param metrics every plugin's metrics by full name, read at each row: the DNS columns come from
   *     probe-dns's
   * @param startNs when the first interval starts, in nanoseconds since the epoch
   */
  public HealthRecorder(
      DSLContext dsl,
      String sinkName,
      Supplier<PipelineStats> stats,
      Counter written,
      Supplier<Map<String, Long>> metrics,
      long startNs) {
    this.dsl = dsl;
    this.sinkName = sinkName;
    this.stats = stats;
    this.written = written;
    this.metrics = metrics;
    this.intervalStartNs = startNs;
  }

  /** Writes the row for the interval ending now. */
  public synchronized void record(long nowNs) {
    PipelineStats pipeline = stats.get();
    Totals now =
        new Totals(
            pipeline.received(),
            written.get(),
            pipeline.totalLostAtSource(),
            pipeline.totalDropped(),
            pipeline.failedBySink().getOrDefault(sinkName, 0L));
    long[] dns = dns(metrics.get());
    var insert =
        dsl.insertInto(COLLECTION_HEALTH)
            .set(COLLECTION_HEALTH.INTERVAL_START_NS, intervalStartNs)
            .set(COLLECTION_HEALTH.INTERVAL_END_NS, nowNs)
            .set(COLLECTION_HEALTH.RECEIVED, now.received - previous.received)
            .set(COLLECTION_HEALTH.WRITTEN, now.written - previous.written)
            .set(COLLECTION_HEALTH.LOST_AT_SOURCE, now.lostAtSource - previous.lostAtSource)
            .set(COLLECTION_HEALTH.DROPPED, now.dropped - previous.dropped)
            .set(COLLECTION_HEALTH.SINK_FAILED, now.sinkFailed - previous.sinkFailed)
            .set(COLLECTION_HEALTH.IN_FLIGHT, now.inFlight());
    for (int i = 0; i < DNS.size(); i++) {
      insert = insert.set(DNS.get(i).column(), dns[i] - previousDns[i]);
    }
    insert.execute();
    previous = now;
    previousDns = dns;
    intervalStartNs = nowNs;
  }

  private static long[] dns(Map<String, Long> snapshot) {
    long[] totals = new long[DNS.size()];
    for (int i = 0; i < totals.length; i++) {
      for (String metric : DNS.get(i).metrics()) {
        totals[i] += snapshot.getOrDefault(metric, 0L);
      }
    }
    return totals;
  }
}
