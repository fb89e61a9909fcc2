package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.PipelineStats;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthTest {
  private static final Instant START = TestEvents.NOW.minus(Duration.ofMinutes(105));

  @TempDir Path dir;

  @Test
  void closingRecordsTheLastIntervalWithEverythingWritten() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    TestContext context = TestContext.forFile(file, Map.of("health-interval", "1h"));
    context.setNow(START);
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(TestEvents.hostBatch(START, 10));
      context.setStats(
          new PipelineStats(
              11,
              Map.of("kernel_ring_full", 2L, "other", 1L),
              Map.of("queue_full", 1L),
              Map.of(SqliteSink.NAME, 10L),
              Map.of(SqliteSink.NAME, 0L, "sink-jsonl", 5L)));
      context.setNow(START.plusSeconds(42));
    }

    assertThat(
            Db.rows(
                file,
                "SELECT interval_start_ns, interval_end_ns, received, written, lost_at_source,"
                    + " dropped, sink_failed FROM collection_health"))
        .containsExactly(
            Map.of(
                "interval_start_ns", EpochNanos.of(START),
                "interval_end_ns", EpochNanos.of(START.plusSeconds(42)),
                "received", 11L,
                "written", 10L,
                "lost_at_source", 3L,
                "dropped", 1L,
                "sink_failed", 0L));
    assertThat(
            Db.rows(
                file,
                "SELECT hour, received, written, in_flight, lost_at_source, dropped, sink_failed,"
                    + " lost, complete_pct FROM collection_health_hourly"))
        .containsExactly(
            Map.of(
                "hour", "2026-11-25T10:00Z",
                "received", 11L,
                "written", 10L,
                "in_flight", 0L,
                "lost_at_source", 3L,
                "dropped", 1L,
                "sink_failed", 0L,
                "lost", 4L,
                // 14 events, 4 of them lost.
                "complete_pct", 71.43));
  }

  @Test
  void recordsWhatProbeDnsCountedInTheInterval() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    TestContext context = TestContext.forFile(file, Map.of("health-interval", "1h"));
    context.setNow(START);
    // probe-dns's metrics as the agent's registry names them; values change between rows.
    long[] responses = {0};
    context.metrics().gauge("probe-dns.responses", "", () -> responses[0]);
    context.metrics().gauge("probe-dns.lost.ring_full", "", () -> 2);
    context.metrics().gauge("probe-dns.malformed", "", () -> 1);
    context.metrics().gauge("probe-dns.names.hit", "", () -> 5);
    context.metrics().gauge("probe-dns.names.host_wide", "", () -> 1);
    context.metrics().gauge("probe-dns.names.miss", "", () -> 4);
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      responses[0] = 100;
      context.setNow(START.plusSeconds(42));
    }

    assertThat(
            Db.rows(
                file,
                "SELECT dns_responses, dns_lost, dns_malformed, names_hit, names_miss"
                    + " FROM collection_health"))
        .containsExactly(
            Map.of(
                "dns_responses", 100L,
                "dns_lost", 2L,
                "dns_malformed", 1L,
                "names_hit", 6L,
                "names_miss", 4L));
  }

  @Test
  void anEventStillQueuedIsInFlightNotLost() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    TestContext context = TestContext.forFile(file, Map.of("health-interval", "1h"));
    context.setNow(START);
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      // The drill's hour: 7 received, 6 written, the 7th still queued when the row is written.
      sink.write(TestEvents.hostBatch(START, 6));
      context.setStats(
          new PipelineStats(
              7, Map.of(), Map.of(), Map.of(SqliteSink.NAME, 6L), Map.of(SqliteSink.NAME, 0L)));
      context.setNow(START.plusSeconds(30));
    }

    assertThat(Db.rows(file, "SELECT in_flight FROM collection_health"))
        .containsExactly(Map.of("in_flight", 1L));
    assertThat(Db.rows(file, "SELECT in_flight, lost, complete_pct FROM collection_health_hourly"))
        .containsExactly(Map.of("in_flight", 1L, "lost", 0L, "complete_pct", 100.0));
  }

  @Test
  void theHoursInFlightIsItsLastRowsAndWhatWasWrittenLaterCountsFully() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {}
    long hour = EpochNanos.of(START.minusSeconds(15 * 60));
    long minute = 60_000_000_000L;
    Db.execute(
        file,
        "DELETE FROM collection_health",
        // 10:00-10:01 receives 5 and writes 2 (3 queued); 10:01-10:02 writes those 3.
        insert(hour, hour + minute, 5, 2, 3),
        insert(hour + minute, hour + 2 * minute, 0, 3, 0));

    assertThat(
            Db.rows(
                file,
                "SELECT received, written, in_flight, lost, complete_pct"
                    + " FROM collection_health_hourly"))
        .containsExactly(
            Map.of(
                "received", 5L, "written", 5L, "in_flight", 0L, "lost", 0L, "complete_pct", 100.0));
  }

  private static String insert(long start, long end, long received, long written, long inFlight) {
    return "INSERT INTO collection_health (interval_start_ns, interval_end_ns, received, written,"
        + " lost_at_source, dropped, sink_failed, in_flight) VALUES ("
        + start
        + ", "
        + end
        + ", "
        + received
        + ", "
        + written
        + ", 0, 0, 0, "
        + inFlight
        + ")";
  }

  @Test
  void recordsDeltasEveryIntervalThatAddUpToTheTotals() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    TestContext context = TestContext.forFile(file, Map.of("health-interval", "30ms"));
    context.setNow(START);
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      for (int i = 1; i <= 3; i++) {
        List<io.lanthorn.api.ConnectionEvent> batch = TestEvents.hostBatch(START, 5);
        sink.write(batch);
        context.setStats(
            new PipelineStats(
                5L * i,
                Map.of("kernel_ring_full", (long) i),
                Map.of(),
                Map.of(),
                Map.of(SqliteSink.NAME, 0L)));
        long rowsBefore = Db.count(file, "SELECT count(*) FROM collection_health");
        context.setNow(START.plusSeconds(i));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Db.count(file, "SELECT count(*) FROM collection_health") > rowsBefore);
      }
    }

    List<Map<String, Object>> rows =
        Db.rows(file, "SELECT * FROM collection_health ORDER BY interval_start_ns");
    assertThat(rows.size()).isGreaterThanOrEqualTo(3);
    assertThat(
            Db.rows(
                file,
                "SELECT sum(received) AS received, sum(written) AS written,"
                    + " sum(lost_at_source) AS lost FROM collection_health"))
        .containsExactly(Map.of("received", 15L, "written", 15L, "lost", 3L));
    // Intervals follow each other without gaps or overlaps.
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i).get("interval_start_ns"))
          .isEqualTo(rows.get(i - 1).get("interval_end_ns"));
    }
  }
}
