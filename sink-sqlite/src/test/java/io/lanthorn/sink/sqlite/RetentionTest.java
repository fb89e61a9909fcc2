package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.sink.sqlite.store.DatabaseFile;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import io.lanthorn.sink.sqlite.store.Jooq;
import io.lanthorn.sink.sqlite.store.Retention;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  private static final Instant NOW = TestEvents.NOW;

  @TempDir Path dir;

  @Test
  void startingDeletesEventsOlderThanTheRetentionAndKeepsSummaries() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(TestEvents.hostBatch(NOW.minus(Duration.ofHours(3)), 25));
      sink.write(TestEvents.hostBatch(NOW.minus(Duration.ofMinutes(10)), 5));
    }

    TestContext context =
        TestContext.forFile(file, Map.of("retention", "1h", "retention-chunk", 4));
    context.setNow(NOW);
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Db.count(file, "SELECT count(*) FROM events") == 5);
      await().until(() -> context.metric("retention.deleted") == 25);
    }

    assertThat(Db.count(file, "SELECT min(timestamp_ns) FROM events"))
        .isEqualTo(EpochNanos.of(NOW.minus(Duration.ofMinutes(10))));
    assertThat(Db.count(file, "SELECT sum(connection_count) FROM connection_aggregations"))
        .isEqualTo(30);
  }

  @Test
  void runsAgainEveryInterval() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    TestContext context =
        TestContext.forFile(file, Map.of("retention", "1h", "retention-interval", "50ms"));
    context.setNow(NOW);
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(TestEvents.hostBatch(NOW.minus(Duration.ofMinutes(30)), 10));
      // Time passes: those events are now older than the retention.
      context.setNow(NOW.plus(Duration.ofHours(1)));
      sink.write(TestEvents.hostBatch(NOW.plus(Duration.ofMinutes(59)), 3));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Db.count(file, "SELECT count(*) FROM events") == 3);
    }
  }

  @Test
  void zeroKeepsEverything() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    TestContext context =
        TestContext.forFile(file, Map.of("retention", "0", "health-interval", "20ms"));
    context.setNow(NOW);
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(TestEvents.hostBatch(Instant.EPOCH, 10));
      // Maintenance has run several times by then.
      await().until(() -> Db.count(file, "SELECT count(*) FROM collection_health") >= 3);
    }

    assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(10);
    assertThat(context.metric("retention.deleted")).isZero();
  }

  @Test
  void deletesChunkByChunkAndStopsWhenAsked() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(TestEvents.hostBatch(NOW.minus(Duration.ofDays(10)), 10));
      sink.write(TestEvents.hostBatch(NOW, 2));
    }
    DatabaseFile database = DatabaseFile.forWriting(file, Duration.ofSeconds(5));
    long cutoff = EpochNanos.of(NOW.minus(Duration.ofDays(1)));

    try (Connection connection = database.connect()) {
      Retention retention = new Retention(Jooq.using(connection), 3);
      assertThat(retention.deleteOlderThan(cutoff, () -> false)).isEqualTo(3);
      assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(9);
      assertThat(retention.deleteOlderThan(cutoff, () -> true)).isEqualTo(7);
      assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(2);
    }
  }

  @Test
  void noEventEverRefersToAMissingFactRowWhileBatchesAndRetentionInterleave() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    Instant old = NOW.minus(Duration.ofDays(10));
    long cutoff = EpochNanos.of(NOW.minus(Duration.ofDays(1)));
    DatabaseFile database = DatabaseFile.forWriting(file, Duration.ofSeconds(30));
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong passes = new AtomicLong();
      Thread retention =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try (Connection connection = database.connect()) {
                      Retention pass = new Retention(Jooq.using(connection), 7);
                      while (writing.get()) {
                        pass.deleteOlderThan(cutoff, () -> true);
                        passes.incrementAndGet();
                      }
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      try {
        for (int batch = 0; batch < 300; batch++) {
          // Late events, older than the cutoff: the case where a fact row's last_seen_ns is old.
          sink.write(
              List.of(
                  TestEvents.inContainer("c" + batch % 5, old.plusMillis(batch), 80).build(),
                  TestEvents.inContainer("c" + (batch + 1) % 5, old.plusMillis(batch), 81)
                      .comm("p" + batch % 3)
                      .commandLine("p " + batch % 3)
                      .build()));
          assertThat(dangling(file)).as("events without their fact rows, batch %d", batch).isZero();
        }
      } finally {
        writing.set(false);
        retention.join();
      }
      assertThat(passes.get()).isPositive();
    }
    assertThat(dangling(file)).isZero();
  }

  private static long dangling(Path file) throws Exception {
    return Db.count(
        file,
        "SELECT count(*) FROM event_rows e WHERE (e.container_ref IS NOT NULL AND NOT EXISTS"
            + " (SELECT 1 FROM containers c WHERE c.id = e.container_ref))"
            + " OR (e.process_ref IS NOT NULL AND NOT EXISTS"
            + " (SELECT 1 FROM processes p WHERE p.id = e.process_ref))");
  }
}
