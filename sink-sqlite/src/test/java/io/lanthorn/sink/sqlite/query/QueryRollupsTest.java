package io.lanthorn.sink.sqlite.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.Db;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.sink.sqlite.TestContext;
import io.lanthorn.sink.sqlite.TestEvents;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code query top} from the rollups counts what a scan of the events would, minute by minute, from
 * whichever tiers the period is split into.
 */
class QueryRollupsTest {
  private static final Instant NOW = TestEvents.NOW;
  private static final long M = QueryRollups.MINUTE_NS;
  private static final long F = QueryRollups.FIVE_MINUTES_NS;
  private static final long H = QueryRollups.HOUR_NS;
  private static final long D = QueryRollups.DAY_NS;

  /** The destinations family's bucket lengths. */
  private static final long[] TIERS = {M, F, H, D};

  @TempDir static Path dir;
  private static Path file;

  /**
   * Events every 37 seconds over the last 9 days, from two containers to three ports, one in seven
   * refused: every tier has rows, and most buckets several keys.
   */
  @BeforeAll
  static void fill() throws Exception {
    file = dir.resolve("lanthorn.db");
    List<ConnectionEvent> events = new ArrayList<>();
    Instant start = NOW.minus(Duration.ofDays(9));
    for (int i = 0; start.plusSeconds(37L * i).isBefore(NOW); i++) {
      int port = i % 3 == 0 ? 443 : i % 3 == 1 ? 5432 : 6379;
      events.add(
          TestEvents.inContainer(i % 2 == 0 ? "web" : "db", start.plusSeconds(37L * i), port)
              .outcome(i % 7 == 0 ? Outcome.REFUSED : Outcome.ESTABLISHED)
              .build());
    }
    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(
                TestContext.forFile(
                    file,
                    Map.of(
                        "retention", "0",
                        "minute-rollup-retention", "0",
                        "rollup-retention", "0",
                        "day-rollup-retention", "0")))) {
      for (int from = 0; from < events.size(); from += 1_024) {
        sink.write(events.subList(from, Math.min(events.size(), from + 1_024)));
      }
    }
  }

  @ParameterizedTest(name = "{0} .. {1} {2}")
  @CsvSource({
    // Longer than six hours: every hour it touches; days in the middle.
    "2026-11-17T08:17:30Z, 2026-11-25T10:42:10Z, ''",
    "2026-11-22T11:42:37Z, 2026-11-25T11:42:37Z, ''",
    "2026-11-24T08:17:30Z, 2026-11-25T10:42:10Z, ''",
    // The same from the full rows (a flow filter needs them): days and hours, no 5-minute tier.
    "2026-11-17T08:17:30Z, 2026-11-25T10:42:10Z, --direction=outbound",
    "2026-11-25T05:17:30Z, 2026-11-25T10:42:10Z, --direction=outbound",
    // Whole hours, 5-minute buckets and minutes on both sides.
    "2026-11-25T05:17:30Z, 2026-11-25T10:42:10Z, ''",
    // An hour: 5-minute buckets and minutes.
    "2026-11-25T10:17:30Z, 2026-11-25T11:17:30Z, ''",
    // Within one hour: minutes only.
    "2026-11-25T09:05:00Z, 2026-11-25T09:55:00Z, ''",
    "2026-11-25T09:06:00Z, 2026-11-25T09:09:00Z, ''",
    // Exactly whole hours: hours only.
    "2026-11-24T20:00:00Z, 2026-11-25T02:00:00Z, ''",
    // Exactly whole days.
    "2026-11-20T00:00:00Z, 2026-11-23T00:00:00Z, ''",
    // Across one hour boundary, no whole hour.
    "2026-11-25T09:30:00Z, 2026-11-25T10:30:00Z, ''"
  })
  void topCountsWhatTheEventsOfEveryMinuteThePeriodTouchesCount(
      String since, String until, String filter) throws Exception {
    Instant from = Instant.parse(since);
    Instant to = Instant.parse(until);
    List<String> args =
        new ArrayList<>(
            List.of("top", "--since", since, "--until", until, "--per-container", "10", "--json"));
    if (!filter.isEmpty()) {
      args.add(filter);
    }
    List<Map<String, Object>> top =
        new ObjectMapper().readValue(run(args.toArray(String[]::new)), new TypeReference<>() {});

    // Up to six hours to the minute, longer periods to the hour.
    long unit = Duration.between(from, to).compareTo(Duration.ofHours(6)) > 0 ? H : M;
    long fromNs = Math.floorDiv(EpochNanos.of(from), unit) * unit;
    long toNs = -Math.floorDiv(-EpochNanos.of(to), unit) * unit;
    List<String> expected =
        Db.rows(
                file,
                "SELECT container_name || ' ' || dst_addr || ':' || dst_port || ' ' || count(*)"
                    + " || ' ' || sum(outcome = 'refused') || ' '"
                    + " || strftime('%Y-%m-%dT%H:%M:%fZ', min(timestamp_ns) / 1000000000.0,"
                    + " 'unixepoch') || ' ' || strftime('%Y-%m-%dT%H:%M:%fZ',"
                    + " max(timestamp_ns) / 1000000000.0, 'unixepoch') AS r"
                    + " FROM events WHERE timestamp_ns >= "
                    + fromNs
                    + " AND timestamp_ns < "
                    + toNs
                    + " GROUP BY container_name, dst_addr, dst_port")
            .stream()
            .map(row -> (String) row.get("r"))
            .toList();
    assertThat(top)
        .extracting(
            row ->
                row.get("container")
                    + " "
                    + row.get("dst_addr")
                    + ":"
                    + row.get("dst_port")
                    + " "
                    + row.get("connections")
                    + " "
                    + row.get("failed")
                    + " "
                    + row.get("first_seen")
                    + " "
                    + row.get("last_seen"))
        .isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  private static List<QueryRollups.Range> plan(long since, long until, Long... oldest) {
    return QueryRollups.Plan.of(since, until, TIERS, oldest).ranges();
  }

  private static QueryRollups.Range minutes(long from, long to) {
    return new QueryRollups.Range(0, from, to);
  }

  private static QueryRollups.Range fives(long from, long to) {
    return new QueryRollups.Range(1, from, to);
  }

  private static QueryRollups.Range hours(long from, long to) {
    return new QueryRollups.Range(2, from, to);
  }

  private static QueryRollups.Range days(long from, long to) {
    return new QueryRollups.Range(3, from, to);
  }

  @Test
  void aPlanReadsTheCoarsestBucketsThatFitInside() {
    long base = 1_000 * D;
    // An hour across an hour's start: minutes to the 5-minute buckets, then minutes again.
    assertThat(plan(base + 17 * M + 30, base + H + 17 * M + 30, 0L, 0L, 0L, 0L))
        .containsExactly(
            minutes(base + 17 * M, base + 20 * M),
            fives(base + 20 * M, base + H + 15 * M),
            minutes(base + H + 15 * M, base + H + 18 * M));
    // Up to six hours: whole hours in the middle.
    assertThat(plan(base + 17 * M + 30, base + 5 * H + 42 * M + 10, 0L, 0L, 0L, 0L))
        .containsExactly(
            minutes(base + 17 * M, base + 20 * M),
            fives(base + 20 * M, base + H),
            hours(base + H, base + 5 * H),
            fives(base + 5 * H, base + 5 * H + 40 * M),
            minutes(base + 5 * H + 40 * M, base + 5 * H + 43 * M));
    // Longer: to the hour, whole days in the middle.
    assertThat(plan(base + 5 * H + 17 * M + 30, base + 7 * D + 14 * H + 10, 0L, 0L, 0L, 0L))
        .containsExactly(
            hours(base + 5 * H, base + D),
            days(base + D, base + 7 * D),
            hours(base + 7 * D, base + 7 * D + 15 * H));
    assertThat(plan(base + 3 * H + 17 * M, base + D + 2 * H, 0L, 0L, 0L, 0L))
        .containsExactly(hours(base + 3 * H, base + D + 2 * H));
    // Within five minutes, and whole buckets.
    assertThat(plan(base + 6 * M, base + 9 * M, 0L, 0L, 0L, 0L))
        .containsExactly(minutes(base + 6 * M, base + 9 * M));
    assertThat(plan(base, base + 3 * H, 0L, 0L, 0L, 0L)).containsExactly(hours(base, base + 3 * H));
    assertThat(plan(base, base + 3 * D, 0L, 0L, 0L, 0L)).containsExactly(days(base, base + 3 * D));
  }

  @Test
  void whereATiersRowsAreGoneThePeriodStartsAtTheNextCoarserOne() {
    long base = 1_000 * D;
    // Minutes (and 5-minute buckets) kept from base + 2 h on: the first partial hour counts whole.
    assertThat(plan(base + 17 * M, base + 5 * H + 10 * M, base + 2 * H, base + 2 * H, 0L, 0L))
        .containsExactly(hours(base, base + 5 * H), fives(base + 5 * H, base + 5 * H + 10 * M));
    // 5-minute buckets from a later start than the minutes: minutes until then.
    assertThat(plan(base + 10 * M, base + H, 0L, base + 30 * M, 0L, 0L))
        .containsExactly(minutes(base + 10 * M, base + 30 * M), fives(base + 30 * M, base + H));
    // No minutes at all: whole hours on both sides.
    assertThat(plan(base + 17 * M, base + 5 * H + 10 * M, null, null, 0L, 0L))
        .containsExactly(hours(base, base + 6 * H));
    // Hours kept from base + 2 d on: a week counts its first partial day whole.
    assertThat(plan(base + 5 * H, base + 7 * D + 3 * H, 0L, 0L, base + 2 * D, 0L))
        .containsExactly(days(base, base + 7 * D), hours(base + 7 * D, base + 7 * D + 3 * H));
    // No daily rows (a file older than them, emptied since): hours.
    assertThat(plan(base + 5 * H, base + 3 * D, 0L, 0L, 0L, null))
        .containsExactly(hours(base + 5 * H, base + 3 * D));
  }

  private static String run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new SqliteSinkFactory()
            .commands()
            .getFirst()
            .run(
                TestPluginContext.forPlugin(SqliteSink.NAME)
                    .with(Map.of("path", file.toString()))
                    .withClock(Clock.fixed(NOW, ZoneOffset.UTC)),
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(status).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
