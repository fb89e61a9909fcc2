package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.Event;
import io.lanthorn.api.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink adds the rollup tallies of committed batches to the rollup tables together, once per
 * {@code rollup-flush-interval}; the rollup tables must end up exactly as if every batch had added
 * its own, also when the agent stops before a flush.
 */
class RollupFlushTest {
  private static final List<String> ROLLUP_TABLES =
      List.of(
          "rollup_minute",
          "rollup_hour",
          "rollup_hour_destinations",
          "rollup_minute_totals",
          "rollup_five_minute_destinations",
          "rollup_day",
          "rollup_day_destinations",
          "connection_aggregations");

  @TempDir Path dir;

  /**
   * Three batches: connections (two minutes, a refused one), an accept and its connect whose closes
   * with bytes come in the next batch (an update of a row whose tally still waits), and a close of
   * a row of the first batch.
   */
  private static List<List<Event>> batches() {
    List<Event> first = new ArrayList<>(TestEvents.hostBatch(TestEvents.NOW, 7));
    first.add(
        TestEvents.inContainer("web", TestEvents.NOW.plusSeconds(70), 5432)
            .outcome(Outcome.REFUSED)
            .build());
    first.add(FlowRowsTest.accept(1_000, 50_001));
    List<Event> second =
        List.of(
            FlowRowsTest.close(true, 1_000, 8080, 50_001, 300, 700),
            TestEvents.host(TestEvents.NOW.plusSeconds(3), 9000).build());
    List<Event> third =
        List.of(
            // The first batch's connection to port 8000 (kernel time 1_000_008_000).
            FlowRowsTest.close(false, 1_000_008_000L, 48_000, 8000, 11, 22));
    return List.of(first, second, third);
  }

  private Path write(String name, String interval, boolean close) throws Exception {
    Path file = dir.resolve(name);
    SqliteSink sink =
        new SqliteSinkFactory()
            .create(
                TestContext.forFile(
                    file, Map.of("retention", "0", "rollup-flush-interval", interval)));
    for (List<Event> batch : batches()) {
      sink.write(batch);
    }
    if (close) {
      sink.close();
      return file;
    }
    // What a crash leaves: the file and its write-ahead log as the last commit left them.
    Path image = dir.resolve(name + "-crash");
    Files.copy(file, image);
    Path wal = Path.of(file + "-wal");
    if (Files.exists(wal)) {
      Files.copy(wal, Path.of(image + "-wal"), StandardCopyOption.REPLACE_EXISTING);
    }
    sink.close();
    return image;
  }

  @Test
  void tallyingEveryBatchAndFlushingAtCloseGiveTheSameRollups() throws Exception {
    Path everyBatch = write("every.db", "0", true);
    Path atClose = write("close.db", "1h", true);

    assertThat(Db.count(everyBatch, "SELECT count(*) FROM rollup_minute")).isPositive();
    assertThat(Db.count(everyBatch, "SELECT sum(bytes_sent) FROM rollup_minute"))
        .as("the two closes' bytes")
        .isEqualTo(311);
    for (String table : ROLLUP_TABLES) {
      assertThat(rows(atClose, table)).as(table).isEqualTo(rows(everyBatch, table));
    }
    assertThat(progress(atClose)).isEqualTo(progress(everyBatch)).isEqualTo(10);
  }

  @Test
  void whileTalliesWaitTheRollupTablesLagAndTheEventsDoNot() throws Exception {
    Path file = dir.resolve("lag.db");
    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(TestContext.forFile(file, Map.of("rollup-flush-interval", "1h")))) {
      sink.write(TestEvents.hostBatch(TestEvents.NOW, 5));

      assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(5);
      assertThat(Db.count(file, "SELECT count(*) FROM rollup_minute")).isZero();
      assertThat(Db.count(file, "SELECT event_rows_through FROM rollup_progress")).isZero();
    }
    assertThat(Db.count(file, "SELECT sum(connection_count) FROM rollup_minute")).isEqualTo(5);
    assertThat(Db.count(file, "SELECT event_rows_through FROM rollup_progress")).isEqualTo(5);
  }

  @Test
  void talliesNoBatchCameToAddAreAddedWhenTheyHaveWaitedTheInterval() throws Exception {
    Path file = dir.resolve("idle.db");
    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(TestContext.forFile(file, Map.of("rollup-flush-interval", "200ms")))) {
      sink.write(TestEvents.hostBatch(TestEvents.NOW, 5));

      // No other batch comes: the maintenance thread adds them.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Db.count(file, "SELECT count(*) FROM rollup_minute") > 0);
      assertThat(Db.count(file, "SELECT sum(connection_count) FROM rollup_minute")).isEqualTo(5);
      assertThat(progress(file)).isEqualTo(5);
    }
  }

  @Test
  void talliesLostInACrashAreCountedAgainFromTheEventsAtTheNextStart() throws Exception {
    Path everyBatch = write("every.db", "0", true);
    Path crashed = write("crashed.db", "1h", false);
    assertThat(Db.count(crashed, "SELECT count(*) FROM rollup_minute"))
        .as("the crash left no rollups")
        .isZero();

    try (SqliteSink restarted =
        new SqliteSinkFactory().create(TestContext.forFile(crashed, Map.of("retention", "0")))) {
      for (String table : ROLLUP_TABLES) {
        assertThat(rows(crashed, table)).as(table).isEqualTo(rows(everyBatch, table));
      }
    }
    assertThat(progress(crashed)).isEqualTo(progress(everyBatch));
  }

  /** The last event_rows id counted in the rollup tables. */
  private static long progress(Path file) {
    return Db.count(file, "SELECT event_rows_through FROM rollup_progress");
  }

  private static List<Map<String, Object>> rows(Path file, String table) {
    if (table.equals("connection_aggregations")) {
      // Its id numbers rows in the order they were first written, which flushing changes.
      return Db.rows(
          file,
          "SELECT container_name, process_name, dst_addr, dst_port, protocol, connection_count,"
              + " failed_count, first_seen_ns, last_seen_ns FROM connection_aggregations"
              + " ORDER BY 1, 2, 3, 4, 5");
    }
    return Db.rows(file, "SELECT * FROM " + table + " ORDER BY 1, 2, 3, 4, 5, 6");
  }
}
