package io.lanthorn.sink.sqlite.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.sink.sqlite.TestContext;
import io.lanthorn.sink.sqlite.TestEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryCommandTest {
  // Recent enough for the default --since 24h; whole seconds keep the expected times readable.
  private static Instant now;

  @TempDir static Path dir;
  private static Path file;

  /** What a run printed and returned. */
  private record Run(int status, String out, String err) {
    List<Map<String, Object>> json() throws Exception {
      return new ObjectMapper().readValue(out, new TypeReference<>() {});
    }
  }

  @BeforeAll
  static void fill() throws Exception {
    now = TestEvents.NOW;
    file = dir.resolve("lanthorn.db");
    List<ConnectionEvent> events = new ArrayList<>();
    Instant recent = now.minus(Duration.ofMinutes(30));
    for (int i = 0; i < 6; i++) {
      // Named by probe-dns.
      events.add(
          TestEvents.inContainer("web", recent.plusSeconds(i), 5432)
              .build()
              .withAttribute(StandardAttributes.DOMAIN_NAME, "db.lanthorn.test"));
    }
    for (int i = 0; i < 3; i++) {
      events.add(TestEvents.inContainer("web", recent.plusSeconds(10 + i), 6379).build());
    }
    events.add(
        TestEvents.inContainer("web", recent.plusSeconds(20), 8080)
            .outcome(Outcome.REFUSED)
            .errno(111)
            .build());
    events.add(
        TestEvents.inContainer("db", recent.plusSeconds(30), 53)
            .destinationAddress(TestEvents.address("::1"))
            .build());
    events.add(
        TestEvents.host(recent.plusSeconds(40), 443).outcome(Outcome.TIMED_OUT).errno(110).build());
    // Outside the default 24 hours: only --since 3d and the summary see it.
    events.add(TestEvents.inContainer("web", now.minus(Duration.ofDays(2)), 25).build());

    TestContext context = TestContext.forFile(file, Map.of("retention", "0"));
    // The sink's health interval ends a second before the queries' now, within the last hour.
    context.setNow(now.minusSeconds(60));
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(events);
      context.setStats(
          new PipelineStats(13, Map.of("kernel_ring_full", 1L), Map.of(), Map.of(), Map.of()));
      context.setNow(now.minusSeconds(1));
    }
  }

  @Test
  void topListsEachContainersBusiestDestinations() throws Exception {
    Run run = run("top", "--per-container", "2", "--db-path", file.toString());

    assertThat(run.status).isZero();
    assertThat(run.err).isEmpty();
    assertThat(run.out)
        .contains(
            "|container|domain          |dst_addr |dst_port|connections|failed|processes|first_seen")
        .contains("|-        |-               |127.0.0.1|     443|          1|     1|curl")
        .contains("|db       |-               |::1      |      53|          1|     0|wget")
        .contains("|web      |db.lanthorn.test|127.0.0.1|    5432|          6|     0|wget")
        .contains("|web      |-               |127.0.0.1|    6379|          3|     0|wget")
        .doesNotContain("8080")
        .doesNotContain("|      25|");
  }

  @Test
  void topAsJsonForOneContainerOverALongerPeriod() throws Exception {
    Run run =
        run("top", "--container", "web", "--since", "3d", "--json", "--db-path", file.toString());

    assertThat(run.status).isZero();
    assertThat(run.json())
        .extracting(
            row -> row.get("dst_port") + "=" + row.get("connections") + "/" + row.get("failed"))
        // Ties go by address, then port.
        .containsExactly("5432=6/0", "6379=3/0", "25=1/0", "8080=1/1");
    assertThat(run.json().getFirst())
        .containsEntry("container", "web")
        .containsEntry(
            "first_seen", now.minus(Duration.ofMinutes(30)).toString().replace("Z", ".000Z"));
  }

  @Test
  void containerListsOneContainersConnectionsNewestFirst() throws Exception {
    Run run = run("container", "web", "--limit", "3", "--json", "--db-path", file.toString());

    assertThat(run.status).isZero();
    assertThat(run.json())
        .extracting(row -> row.get("dst_port") + " " + row.get("outcome"))
        .containsExactly("8080 refused", "6379 established", "6379 established");
    assertThat(run.json().get(1))
        .containsEntry("process_name", "wget")
        .containsEntry("handshake_ms", 0.045);
  }

  @Test
  void failedListsRefusedAndTimedOutAttempts() throws Exception {
    Run run = run("failed", "--db-path", file.toString());

    assertThat(run.status).isZero();
    assertThat(run.out)
        .contains("|container|process_name| pid|dst_addr |dst_port|outcome  |errno|")
        .contains("|-        |curl        |4242|127.0.0.1|     443|timed_out|  110|")
        .contains("|web      |wget        |4242|127.0.0.1|    8080|refused  |  111|");
    assertThat(run.out.lines().filter(line -> line.startsWith("|20"))).hasSize(2);
  }

  @Test
  void summaryKeepsEverythingEverSeen() throws Exception {
    Run run = run("summary", "--container", "web", "--json", "--db-path", file.toString());

    assertThat(run.json())
        .extracting(row -> row.get("dst_port") + "=" + row.get("connections"))
        // Ties go to the most recently seen.
        .containsExactly("5432=6", "6379=3", "8080=1", "25=1");
  }

  @Test
  void healthShowsHowCompleteEachHourIs() throws Exception {
    Run run = run("health", "--json", "--db-path", file.toString());

    assertThat(run.json())
        .singleElement()
        .satisfies(
            hour -> {
              assertThat(hour).containsEntry("received", 13).containsEntry("written", 13);
              assertThat(hour)
                  .containsEntry("lost_at_source", 1)
                  .containsEntry("complete_pct", 92.86);
            });
  }

  @Test
  void anEmptyAnswerSaysSo() throws Exception {
    Run run = run("container", "nonexistent", "--db-path", file.toString());

    assertThat(run.status).isZero();
    assertThat(run.out).isEqualTo("(no rows)\n");
  }

  @Test
  void theConfiguredPathIsTheDefault() throws Exception {
    Run run = run(Map.of("path", file.toString()), "failed", "--json");

    assertThat(run.status).isZero();
    assertThat(run.json()).hasSize(2);
  }

  @Test
  void helpListsTheQuestions() throws Exception {
    Run run = run("--help");

    assertThat(run.status).isZero();
    assertThat(run.out).contains("top", "container", "failed", "summary", "health", "--help");
  }

  @Test
  void aMissingFileIsOneLineAndStatusOne() throws Exception {
    Path missing = dir.resolve("missing.db");

    Run run = run("top", "--db-path", missing.toString());

    assertThat(run.status).isEqualTo(1);
    assertThat(run.err)
        .isEqualTo(
            "lanthorn query: no database at "
                + missing
                + ": run the agent first, or pass --db-path\n");
    assertThat(missing).doesNotExist();
  }

  @Test
  void badUsageIsStatusTwoAndOneLine() throws Exception {
    Run badTime = run("top", "--since", "yesterday-ish");
    assertThat(badTime.status).isEqualTo(2);
    assertThat(badTime.err)
        .startsWith("lanthorn query: Invalid value for option '--since': 'yesterday-ish'")
        .endsWith(" (see lanthorn query top --help)\n")
        .hasLineCount(1);
    Run unknown = run("top", "--bogus");
    assertThat(unknown.status).isEqualTo(2);
    assertThat(unknown.err).contains("'--bogus'").hasLineCount(1);
    assertThat(run().status).isEqualTo(2);
  }

  @Test
  void theFactoryDeclaresQueryAndTheDbPathFlagItReads() {
    SqliteSinkFactory factory = new SqliteSinkFactory();

    assertThat(factory.commands())
        .extracting(PluginCommand::name)
        .containsExactly("query", "backup");
    assertThat(factory.flags())
        .singleElement()
        .satisfies(
            flag -> {
              assertThat(flag.name()).isEqualTo("--db-path");
              assertThat(flag.configKey()).isEqualTo("path");
              assertThat(flag.takesValue()).isTrue();
            });
  }

  /**
   * Runs {@code lanthorn query} as the launcher does: {@code --db-path FILE}, the plugin's flag,
   * wherever it is, sets {@code sink-sqlite.path}; every other argument goes to the command.
   */
  private static Run run(String... args) throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--db-path")) {
        overrides.put("path", args[++i]);
      } else {
        rest.add(args[i]);
      }
    }
    return run(overrides, rest.toArray(String[]::new));
  }

  private static Run run(Map<String, Object> overrides, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new SqliteSinkFactory()
            .commands()
            .getFirst()
            .run(
                TestPluginContext.forPlugin(SqliteSink.NAME)
                    .with(overrides)
                    .withClock(Clock.fixed(now, ZoneOffset.UTC)),
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
