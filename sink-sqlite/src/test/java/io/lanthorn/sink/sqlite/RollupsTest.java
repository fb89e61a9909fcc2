package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import io.lanthorn.sink.sqlite.store.SchemaMigrator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The per-minute and per-hour rollups (V11) agree with the events they count. */
class RollupsTest {
  private static final long DAY_NS = Duration.ofDays(1).toNanos();

  private static final Instant NOW = TestEvents.NOW;

  /** The minute rollups as a GROUP BY over the events would compute them. */
  private static final String MINUTES_FROM_EVENTS =
      "SELECT timestamp_ns / 60000000000 * 60000000000, coalesce(host_name, ''),"
          + " coalesce(container_name, ''), process_name, dst_addr, coalesce(domain_name, ''),"
          + " dst_port, protocol, 'outbound', event_type, outcome, count(*),"
          + " sum(outcome NOT IN ('established', 'pending')), min(timestamp_ns), max(timestamp_ns),"
          + " count(handshake_ns), coalesce(sum(handshake_ns), 0), coalesce(max(handshake_ns), 0)"
          + " FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11";

  private static final String MINUTE_ROWS =
      "SELECT bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,"
          + " protocol, direction, event_type, outcome, connection_count, failed_count,"
          + " first_seen_ns, last_seen_ns, handshake_count, handshake_sum_ns, handshake_max_ns"
          + " FROM rollup_minute";

  private static final String HOURS_FROM_MINUTES =
      "SELECT bucket_ns / 3600000000000 * 3600000000000, host_name, container_name, process_name,"
          + " dst_addr, domain_name, dst_port, protocol, direction, event_type, outcome,"
          + " sum(connection_count), sum(failed_count), min(first_seen_ns), max(last_seen_ns),"
          + " sum(handshake_count), sum(handshake_sum_ns), max(handshake_max_ns)"
          + " FROM rollup_minute GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11";

  private static final String HOUR_ROWS = MINUTE_ROWS.replace("rollup_minute", "rollup_hour");

  private static final String DESTINATIONS_FROM_HOURS =
      "SELECT bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,"
          + " sum(connection_count), sum(failed_count), min(first_seen_ns), max(last_seen_ns)"
          + " FROM rollup_hour GROUP BY 1, 2, 3, 4, 5, 6, 7";

  private static final String DESTINATION_ROWS =
      "SELECT bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,"
          + " connection_count, failed_count, first_seen_ns, last_seen_ns"
          + " FROM rollup_hour_destinations";

  private static final String TOTALS_FROM_MINUTES =
      "SELECT bucket_ns, host_name, direction, event_type, outcome, sum(connection_count),"
          + " sum(failed_count) FROM rollup_minute GROUP BY 1, 2, 3, 4, 5";

  private static final String TOTAL_ROWS =
      "SELECT bucket_ns, host_name, direction, event_type, outcome, connection_count, failed_count"
          + " FROM rollup_minute_totals";

  /** V13's tiers as sums of the V11 rows they refine or coarsen. */
  private static final String DESTINATION_COLUMNS =
      "bucket_ns, host_name, container_name, process_name, dst_addr, domain_name, dst_port,"
          + " connection_count, failed_count, first_seen_ns, last_seen_ns";

  private static final String FIVE_MINUTE_DESTINATIONS_FROM_MINUTES =
      DESTINATIONS_FROM_HOURS
          .replace("rollup_hour", "rollup_minute")
          .replaceFirst("bucket_ns", "bucket_ns / 300000000000 * 300000000000");

  private static final String DAY_DESTINATIONS_FROM_HOURS =
      DESTINATIONS_FROM_HOURS.replaceFirst(
          "bucket_ns", "bucket_ns / 86400000000000 * 86400000000000");

  private static final String DAYS_FROM_HOURS =
      HOURS_FROM_MINUTES
          .replace("3600000000000", "86400000000000")
          .replace("rollup_minute", "rollup_hour");

  /** Every tier's rows, in a fixed order, for comparing a whole file's rollups. */
  private static final List<String> TIERS =
      List.of(
          MINUTE_ROWS,
          HOUR_ROWS,
          MINUTE_ROWS.replace("rollup_minute", "rollup_day"),
          DESTINATION_ROWS,
          "SELECT " + DESTINATION_COLUMNS + " FROM rollup_five_minute_destinations",
          "SELECT " + DESTINATION_COLUMNS + " FROM rollup_day_destinations",
          TOTAL_ROWS);

  @TempDir Path dir;

  @Test
  void everyBatchAddsItsEventsToTheirMinuteAndHour() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    List<ConnectionEvent> events = mixedEvents(NOW.minus(Duration.ofMinutes(150)));
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      // Two batches that share minutes and hours: the second adds to the first one's rows.
      sink.write(events.subList(0, events.size() / 2));
      sink.write(events.subList(events.size() / 2, events.size()));
    }

    assertSameRows(file, MINUTE_ROWS, MINUTES_FROM_EVENTS);
    assertSameRows(file, HOUR_ROWS, HOURS_FROM_MINUTES);
    assertSameRows(file, DESTINATION_ROWS, DESTINATIONS_FROM_HOURS);
    assertSameRows(file, TOTAL_ROWS, TOTALS_FROM_MINUTES);
    assertSameRows(file, TIERS.get(4), FIVE_MINUTE_DESTINATIONS_FROM_MINUTES);
    assertSameRows(file, TIERS.get(2), DAYS_FROM_HOURS);
    assertSameRows(file, TIERS.get(5), DAY_DESTINATIONS_FROM_HOURS);
    for (String table :
        List.of(
            "rollup_hour",
            "rollup_five_minute_destinations",
            "rollup_day",
            "rollup_day_destinations")) {
      assertThat(Db.count(file, "SELECT sum(connection_count) FROM " + table))
          .as(table)
          .isEqualTo(events.size());
    }
    // Spot checks of what the comparison cannot show: the key's empty values, the handshakes.
    assertThat(
            Db.rows(
                file,
                "SELECT DISTINCT container_name, domain_name, direction, handshake_count,"
                    + " handshake_sum_ns, handshake_max_ns FROM rollup_hour"
                    + " WHERE dst_port = 443 AND outcome = 'pending'"))
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .containsEntry("container_name", "")
                    .containsEntry("domain_name", "")
                    .containsEntry("direction", "outbound")
                    .containsEntry("handshake_count", 0L)
                    .containsEntry("handshake_sum_ns", 0L)
                    .containsEntry("handshake_max_ns", 0L));
    assertThat(
            Db.rows(
                file,
                "SELECT sum(connection_count) AS c, sum(handshake_count) AS h,"
                    + " max(handshake_max_ns) AS m, group_concat(DISTINCT domain_name) AS d"
                    + " FROM rollup_hour WHERE container_name = 'web' AND dst_port = 5432"))
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .containsEntry("c", 60L)
                    .containsEntry("h", 60L)
                    .containsEntry("m", 45_059L)
                    .containsEntry("d", "db.lanthorn.test"));
  }

  @ParameterizedTest(name = "from version {0}")
  @ValueSource(strings = {"3", "9"})
  void anUpgradedFileIsRolledUpFromTheEventsItHolds(String version) throws Exception {
    Path file = dir.resolve("lanthorn.db");
    Flyway.configure()
        .dataSource("jdbc:sqlite:" + file, null, null)
        .locations(SchemaMigrator.MIGRATIONS)
        .target(version)
        .load()
        .migrate();
    // What an older agent wrote: three attempts in two minutes, one of them refused.
    String table = version.equals("3") ? "events" : "event_rows";
    String type = version.equals("3") ? "connect" : "tcp_connect";
    for (long at : new long[] {1_764_079_387_000_000_000L, 1_764_079_388_000_000_000L}) {
      insertOld(file, table, type, at, "established");
    }
    insertOld(file, table, type, 1_764_079_447_000_000_000L, "refused");

    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(
                TestContext.forFile(
                    file,
                    Map.of(
                        "retention",
                        "0",
                        "minute-rollup-retention",
                        "0",
                        "rollup-retention",
                        "0")))) {
      sink.write(List.of(TestEvents.inContainer("db", NOW, 5432).comm("psql").build()));
    }

    assertSameRows(file, MINUTE_ROWS, MINUTES_FROM_EVENTS);
    assertSameRows(file, HOUR_ROWS, HOURS_FROM_MINUTES);
    assertSameRows(file, DESTINATION_ROWS, DESTINATIONS_FROM_HOURS);
    assertSameRows(file, TOTAL_ROWS, TOTALS_FROM_MINUTES);
    assertThat(
            Db.rows(
                file,
                "SELECT minute, outcome, connection_count FROM rollup_minute_view"
                    + " WHERE process_name = 'psql' AND bucket_ns < 1764100000000000000"
                    + " ORDER BY bucket_ns"))
        .extracting(
            row -> row.get("minute") + " " + row.get("outcome") + " " + row.get("connection_count"))
        .containsExactly("2025-11-25T14:03Z established 2", "2025-11-25T14:04Z refused 1");
  }

  @Test
  void retentionKeepsMinutesLongerThanEventsHoursLongerAndDaysLongerStill() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    List<Instant> times =
        List.of(
            NOW.minus(Duration.ofMinutes(10)),
            NOW.minus(Duration.ofHours(2)),
            NOW.minus(Duration.ofDays(2)),
            NOW.minus(Duration.ofDays(5)),
            NOW.minus(Duration.ofDays(20)));
    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(
                TestContext.forFile(
                    file,
                    Map.of(
                        "retention",
                        "0",
                        "minute-rollup-retention",
                        "0",
                        "rollup-retention",
                        "0",
                        "day-rollup-retention",
                        "0")))) {
      for (Instant at : times) {
        sink.write(List.of(TestEvents.host(at, 443).build()));
      }
    }

    TestContext context =
        TestContext.forFile(
            file,
            Map.of(
                "retention",
                "1h",
                "minute-rollup-retention",
                "1d",
                "rollup-retention",
                "3d",
                "day-rollup-retention",
                "10d"));
    context.setNow(NOW);
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Db.count(file, "SELECT count(*) FROM rollup_hour") == 3);
      await().until(() -> Db.count(file, "SELECT count(*) FROM rollup_minute") == 2);
      await().until(() -> Db.count(file, "SELECT count(*) FROM rollup_hour_destinations") == 3);
      await().until(() -> Db.count(file, "SELECT count(*) FROM rollup_minute_totals") == 2);
      await().until(() -> Db.count(file, "SELECT count(*) FROM events") == 1);
      // The 5-minute destinations go with the minutes, the daily rows after 10 days.
      await()
          .until(() -> Db.count(file, "SELECT count(*) FROM rollup_five_minute_destinations") == 2);
      await().until(() -> Db.count(file, "SELECT count(*) FROM rollup_day") == 3);
      await().until(() -> Db.count(file, "SELECT count(*) FROM rollup_day_destinations") == 3);
    }

    assertThat(Db.count(file, "SELECT min(bucket_ns) FROM rollup_hour"))
        .isEqualTo(hour(NOW.minus(Duration.ofDays(2))));
    assertThat(Db.count(file, "SELECT min(bucket_ns) FROM rollup_minute"))
        .isEqualTo(EpochNanos.of(NOW.minus(Duration.ofHours(2))));
    // The all-time summary keeps everything.
    assertThat(Db.count(file, "SELECT sum(connection_count) FROM connection_aggregations"))
        .isEqualTo(5);
    assertThat(Db.count(file, "SELECT min(bucket_ns) FROM rollup_day"))
        .isEqualTo(EpochNanos.of(NOW.minus(Duration.ofDays(5))) / DAY_NS * DAY_NS);
  }

  @Test
  void aNegativeRollupRetentionIsRefusedInOneLine() {
    Path file = dir.resolve("lanthorn.db");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new SqliteSinkFactory()
                    .create(TestContext.forFile(file, Map.of("rollup-retention", "-1d"))))
        .hasMessage("sink-sqlite.rollup-retention must not be negative, got PT-24H");
  }

  /**
   * Host and container events over a few hours: established, refused and pending attempts, with and
   * without a domain, handshakes of different lengths.
   */
  private static List<ConnectionEvent> mixedEvents(Instant start) {
    List<ConnectionEvent> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Instant at = start.plus(Duration.ofSeconds(97L * i));
      events.add(
          TestEvents.inContainer("web", at, 5432)
              .handshakeNanos(45_000 + i)
              .build()
              .withAttribute(StandardAttributes.DOMAIN_NAME, "db.lanthorn.test"));
      events.add(
          TestEvents.inContainer("web", at.plusMillis(5), 6379)
              .outcome(i % 4 == 0 ? Outcome.REFUSED : Outcome.ESTABLISHED)
              .errno(i % 4 == 0 ? 111 : 0)
              .build());
      if (i % 10 == 0) {
        events.add(
            TestEvents.host(at.plusMillis(9), 443)
                .outcome(Outcome.PENDING)
                .handshakeNanos(-1)
                .build());
      }
    }
    return events;
  }

  private static void insertOld(Path file, String table, String type, long at, String outcome) {
    Db.execute(
        file,
        "INSERT INTO "
            + table
            + " (timestamp_ns, kernel_time_ns, event_type, protocol, address_family,"
            + " src_addr, src_port, dst_addr, dst_port, outcome, errno, handshake_ns, pid, tid,"
            + " uid, gid, process_name, cgroup_id, container_name) VALUES ("
            + at
            + ", 1, '"
            + type
            + "', 'tcp', 'ipv4', '127.0.0.1', 40000, '127.0.0.1', 5432, '"
            + outcome
            + "', 0, 30000, 7, 7, 0, 0, 'psql', 9, 'db')");
  }

  private static long hour(Instant at) {
    long nanos = EpochNanos.of(at);
    return nanos - Math.floorMod(nanos, java.time.Duration.ofHours(1).toNanos());
  }

  /**
   * V13 fills its tiers of an upgraded file from the V11 rollups it holds: the same rows as the
   * sink writes batch by batch.
   */
  @Test
  void theUpgradeFillsTheNewTiersAsTheSinkWritesThem() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    List<ConnectionEvent> events = mixedEvents(NOW.minus(Duration.ofMinutes(150)));
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(events.subList(0, events.size() / 3));
      sink.write(events.subList(events.size() / 3, events.size()));
    }
    List<List<Map<String, Object>>> written = new ArrayList<>();
    for (String tier : TIERS) {
      written.add(Db.rows(file, tier + " ORDER BY 1, 2, 3, 4, 5, 6, 7"));
    }

    String migration;
    try (var in =
        getClass()
            .getResourceAsStream(
                "/"
                    + SchemaMigrator.MIGRATIONS.substring("classpath:".length())
                    + "/V13__rollup_tiers.sql")) {
      migration = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String backfill = migration.substring(migration.indexOf("INSERT INTO"));
    Db.execute(
        file,
        "DELETE FROM rollup_five_minute_destinations",
        "DELETE FROM rollup_day",
        "DELETE FROM rollup_day_destinations");
    Db.execute(
        file,
        java.util.Arrays.stream(backfill.split(";"))
            .filter(sql -> !sql.isBlank())
            .toArray(String[]::new));

    for (int i = 0; i < TIERS.size(); i++) {
      assertThat(Db.rows(file, TIERS.get(i) + " ORDER BY 1, 2, 3, 4, 5, 6, 7"))
          .as(TIERS.get(i))
          .isNotEmpty()
          .isEqualTo(written.get(i));
    }
  }

  /** Both queries give the same rows (as multisets of distinct rows: keys are unique in each). */
  private static void assertSameRows(Path file, String actual, String expected) {
    assertThat(Db.count(file, "SELECT count(*) FROM (" + actual + ")"))
        .isEqualTo(Db.count(file, "SELECT count(*) FROM (" + expected + ")"))
        .isPositive();
    assertThat(Db.rows(file, actual + " EXCEPT " + expected)).as(actual).isEmpty();
    assertThat(Db.rows(file, expected + " EXCEPT " + actual)).as(expected).isEmpty();
  }
}
