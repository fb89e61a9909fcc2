package io.lanthorn.sink.sqlite.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.ConnectionEvent;
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

/** {@code query top} from the rollups counts what a scan of the events would, minute by minute. */
class QueryRollupsTest {
  private static final Instant NOW = TestEvents.NOW;
  private static final long M = QueryRollups.MINUTE_NS;
  private static final long H = QueryRollups.HOUR_NS;

  @TempDir static Path dir;
  private static Path file;

  /** Events every 37 seconds over the last 30 hours, to two destinations. */
  @BeforeAll
  static void fill() throws Exception {
    file = dir.resolve("lanthorn.db");
    List<ConnectionEvent> events = new ArrayList<>();
    Instant start = NOW.minus(Duration.ofHours(30));
    for (int i = 0; start.plusSeconds(37L * i).isBefore(NOW); i++) {
      events.add(
          TestEvents.inContainer("web", start.plusSeconds(37L * i), i % 3 == 0 ? 443 : 5432)
              .build());
    }
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(events);
    }
  }

  @ParameterizedTest(name = "{0} .. {1}")
  @CsvSource({
    // Longer than six hours: every hour it touches.
    "2026-11-24T08:17:30Z, 2026-11-25T10:42:10Z",
    // Whole hours and minutes on both sides.
    "2026-11-25T05:17:30Z, 2026-11-25T10:42:10Z",
    // Within one hour: minutes only.
    "2026-11-25T09:05:00Z, 2026-11-25T09:55:00Z",
    // Exactly whole hours: hours only.
    "2026-11-24T20:00:00Z, 2026-11-25T02:00:00Z",
    // Across one hour boundary, no whole hour.
    "2026-11-25T09:30:00Z, 2026-11-25T10:30:00Z"
  })
  void topCountsEveryMinuteThePeriodTouches(String since, String until) throws Exception {
    Instant from = Instant.parse(since);
    Instant to = Instant.parse(until);
    List<Map<String, Object>> top =
        new ObjectMapper()
            .readValue(
                run("top", "--since", since, "--until", until, "--json"), new TypeReference<>() {});

    // Up to six hours to the minute, longer periods to the hour.
    long unit = Duration.between(from, to).compareTo(Duration.ofHours(6)) > 0 ? H : M;
    long fromMinute = Math.floorDiv(EpochNanos.of(from), unit) * unit;
    long toMinute = -Math.floorDiv(-EpochNanos.of(to), unit) * unit;
    for (int port : new int[] {443, 5432}) {
      String inPeriod =
          " FROM events WHERE dst_port = "
              + port
              + " AND timestamp_ns >= "
              + fromMinute
              + " AND timestamp_ns < "
              + toMinute;
      assertThat(top)
          .filteredOn(row -> row.get("dst_port").equals(port))
          .singleElement()
          .satisfies(
              row -> {
                assertThat(((Number) row.get("connections")).longValue())
                    .isEqualTo(Db.count(file, "SELECT count(*)" + inPeriod));
                assertThat(row.get("first_seen"))
                    .isEqualTo(
                        Db.rows(
                                file,
                                "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', min(timestamp_ns)"
                                    + " / 1000000000.0, 'unixepoch') AS t"
                                    + inPeriod)
                            .getFirst()
                            .get("t"));
              });
    }
  }

  @Test
  void aPlanSplitsThePeriodIntoMinutesHoursAndMinutes() {
    long base = 1_000 * H;
    assertThat(QueryRollups.Plan.of(base + 17 * M + 30, base + 5 * H + 42 * M + 10, 0L))
        .isEqualTo(
            new QueryRollups.Plan(base + 17 * M, base + H, base + 5 * H, base + 5 * H + 43 * M));
    // Longer than six hours: whole hours only.
    assertThat(QueryRollups.Plan.of(base + 17 * M + 30, base + 26 * H + 42 * M + 10, 0L))
        .isEqualTo(new QueryRollups.Plan(base, base, base + 27 * H, base + 27 * H));
    // Within an hour: all minutes.
    assertThat(QueryRollups.Plan.of(base + 5 * M, base + 55 * M, 0L))
        .isEqualTo(
            new QueryRollups.Plan(base + 5 * M, base + 55 * M, base + 55 * M, base + 55 * M));
    // Whole hours: no minutes.
    assertThat(QueryRollups.Plan.of(base, base + 3 * H, 0L))
        .isEqualTo(new QueryRollups.Plan(base, base, base + 3 * H, base + 3 * H));
  }

  @Test
  void whereTheMinutesAreGoneThePeriodsFirstHourCountsWhole() {
    long base = 1_000 * H;
    // Minutes kept from base + 2 h on: the first partial hour comes from the hourly rollup.
    assertThat(QueryRollups.Plan.of(base + 17 * M, base + 5 * H + 10 * M, base + 2 * H))
        .isEqualTo(new QueryRollups.Plan(base, base, base + 5 * H, base + 5 * H + 10 * M));
    // No minutes at all: whole hours on both sides.
    assertThat(QueryRollups.Plan.of(base + 17 * M, base + 5 * H + 10 * M, null))
        .isEqualTo(new QueryRollups.Plan(base, base, base + 6 * H, base + 6 * H));
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
