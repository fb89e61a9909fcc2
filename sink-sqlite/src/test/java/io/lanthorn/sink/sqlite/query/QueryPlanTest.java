package io.lanthorn.sink.sqlite.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.Db;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.sink.sqlite.TestContext;
import io.lanthorn.sink.sqlite.TestEvents;
import io.lanthorn.sink.sqlite.store.DatabaseFile;
import io.lanthorn.sink.sqlite.store.Jooq;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The questions {@code lanthorn query} asks must not scan all of {@code event_rows} (behind the
 * view {@code events}): it grows large.
 */
class QueryPlanTest {
  @TempDir static Path dir;
  private static Path file;

  @BeforeAll
  static void migrate() throws Exception {
    file = dir.resolve("lanthorn.db");
    // A connection every 10 minutes over 9 days: every rollup tier has rows to plan with.
    List<ConnectionEvent> events = new ArrayList<>();
    for (Instant at = TestEvents.NOW.minus(Duration.ofDays(9));
        at.isBefore(TestEvents.NOW);
        at = at.plus(Duration.ofMinutes(10))) {
      events.add(TestEvents.inContainer("web", at, 443).build());
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
      sink.write(events);
    }
  }

  @ParameterizedTest(name = "{0} uses {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "container web | events_container_timestamp",
        "container - | events_",
        "failed | events_failed_timestamp",
        "failed --container web | events_",
        "container web --host a | events_container_timestamp",
        "failed --host a | events_failed_timestamp"
      })
  void usesAnIndexOnEvents(String args, String index) throws Exception {
    QueryQuestion question = question(args.split(" "));
    List<String> plan;
    try (Connection connection = DatabaseFile.forReading(file, Duration.ofSeconds(1)).connect()) {
      String sql = Jooq.using(connection).renderInlined(question.ask(Jooq.using(connection)));
      plan =
          Db.rows(file, "EXPLAIN QUERY PLAN " + sql).stream()
              .map(row -> (String) row.get("detail"))
              .toList();
    }

    assertThat(plan)
        .as(String.join("\n", plan))
        .anyMatch(step -> step.contains("USING INDEX " + index));
    assertThat(plan).noneMatch(step -> step.matches("SCAN event_rows\\b.*"));
  }

  /**
   * A period's question reads its rollups, a range scan of a table's primary key per tier, from the
   * coarsest tables that fit: 5-minute buckets for an hour, days for a week.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "top --since 1h | rollup_hour_destinations",
        "top --since 1h --until 2026-11-25T11:17:30 | rollup_minute"
            + " rollup_five_minute_destinations",
        "top --since 5h --until 2026-11-25T11:17:30 | rollup_minute"
            + " rollup_five_minute_destinations rollup_hour_destinations",
        "top | rollup_hour_destinations",
        "top --container web --since 3d | rollup_hour_destinations rollup_day_destinations",
        "top --since 7d --until 1h | rollup_hour_destinations rollup_day_destinations",
        "top --host a --since 7d | rollup_hour_destinations rollup_day_destinations",
        "top --direction outbound --since 7d | rollup_hour rollup_day",
        "top --protocol tcp --since 3h --until 2026-11-25T11:17:30 | rollup_minute rollup_hour"
      })
  void topReadsTheRollupsNeverTheEvents(String args, String tables) throws Exception {
    List<String> plan = plan(question(args.split(" ")));

    List<String> searches =
        Arrays.stream(tables.split(" "))
            .map(table -> "SEARCH " + table + " USING PRIMARY KEY (bucket_ns>? AND bucket_ns<?)")
            .toList();
    assertThat(plan)
        .as(String.join("\n", plan))
        .containsAll(searches)
        .noneMatch(step -> step.contains("event_rows"))
        .noneMatch(step -> step.matches("SCAN rollup_.*"))
        // No other tier than those expected.
        .allMatch(
            step -> !step.startsWith("SEARCH rollup_") || searches.stream().anyMatch(step::equals));
  }

  private static List<String> plan(QueryQuestion question) throws Exception {
    try (Connection connection = DatabaseFile.forReading(file, Duration.ofSeconds(1)).connect()) {
      String sql = Jooq.using(connection).renderInlined(question.ask(Jooq.using(connection)));
      return Db.rows(file, "EXPLAIN QUERY PLAN " + sql).stream()
          .map(row -> (String) row.get("detail"))
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT * FROM events WHERE timestamp_ns >= 1764000000000000000 | events_timestamp",
        "SELECT * FROM events WHERE container_name = 'web' | events_container_timestamp",
        "SELECT * FROM events WHERE dst_addr = '10.0.0.5' AND dst_port = 5432"
            + " AND timestamp_ns >= 1764000000000000000 | events_timestamp",
        // Schema 15 stores outcomes as codes: a condition on the code uses the partial index,
        // one on the decoded text reads the period's rows.
        "SELECT * FROM events_view WHERE outcome_code >= 3"
            + " AND timestamp_ns >= 1764000000000000000 | events_failed_timestamp",
        "SELECT * FROM events_view WHERE outcome NOT IN ('established', 'pending')"
            + " AND timestamp_ns >= 1764000000000000000 | events_timestamp",
        "SELECT * FROM events WHERE event_type_code = 1"
            + " AND timestamp_ns >= 1764000000000000000 | event_rows_accepts"
      })
  void usersQueriesOnTheViewUseTheIndexesAndLookUpFactsByNumber(String sql, String index) {
    List<String> plan =
        Db.rows(file, "EXPLAIN QUERY PLAN " + sql).stream()
            .map(row -> (String) row.get("detail"))
            .toList();

    assertThat(plan)
        .as(String.join("\n", plan))
        .anyMatch(step -> step.startsWith("SEARCH event_rows USING INDEX " + index + " ("))
        .anyMatch(step -> step.startsWith("SEARCH processes USING INTEGER PRIMARY KEY"))
        // By number, or first by name (containers_name) when the query names the container.
        .anyMatch(step -> step.startsWith("SEARCH containers USING"))
        .noneMatch(step -> step.startsWith("SCAN"));
  }

  @Test
  void whoTalksToADestinationUsesTheSummarysIndex() {
    List<String> plan =
        Db.rows(
                file,
                "EXPLAIN QUERY PLAN SELECT * FROM connection_aggregations_view"
                    + " WHERE dst_addr = '10.0.0.5' AND dst_port = 5432")
            .stream()
            .map(row -> (String) row.get("detail"))
            .toList();

    assertThat(plan)
        .as(String.join("\n", plan))
        .singleElement()
        .asString()
        .startsWith(
            "SEARCH connection_aggregations USING INDEX connection_aggregations_destination");
  }

  private static QueryQuestion question(String... args) {
    CommandLine commandLine =
        QueryCommand.commandLine(
            TestPluginContext.forPlugin(SqliteSink.NAME).config(),
            Clock.fixed(TestEvents.NOW, ZoneOffset.UTC));
    return commandLine.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();
  }
}
