package io.lanthorn.sink.sqlite.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.DnsAnswer;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.Db;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.sink.sqlite.TestContext;
import io.lanthorn.sink.sqlite.TestEvents;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
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

/**
 * A central Lanthorn's file holds several hosts' events: the questions then show the host first and
 * {@code --host} narrows them to one; a file of one named host keeps the single-agent columns.
 */
class QueryHostsTest {
  private static final Instant NOW = TestEvents.NOW;

  @TempDir static Path dir;
  private static Path fleet;
  private static Path single;

  @BeforeAll
  static void fill() throws Exception {
    Instant recent = NOW.minus(Duration.ofMinutes(30));
    List<Event> a = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      a.add(TestEvents.inContainer("web", recent.plusSeconds(i), 5432).hostName("a").build());
    }
    a.add(
        TestEvents.inContainer("web", recent.plusSeconds(5), 8080)
            .hostName("a")
            .outcome(Outcome.REFUSED)
            .errno(111)
            .build());
    a.add(dns("a", recent.plusSeconds(6), "db.lanthorn.test"));
    List<Event> b = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      b.add(TestEvents.inContainer("web", recent.plusSeconds(10 + i), 5432).hostName("b").build());
    }
    b.add(
        TestEvents.host(recent.plusSeconds(12), 443)
            .hostName("b")
            .outcome(Outcome.TIMED_OUT)
            .errno(110)
            .build());
    b.add(dns("b", recent.plusSeconds(13), "cache.lanthorn.test"));

    fleet = dir.resolve("fleet.db");
    write(fleet, a, b);
    single = dir.resolve("single.db");
    write(single, a);
  }

  @Test
  void topRanksEachHostsContainersWithTheHostFirst() throws Exception {
    String out = run(fleet, "top");

    assertThat(out)
        .contains("|host|container|domain|dst_addr |dst_port|connections|failed|")
        .contains("|a   |web      |-     |127.0.0.1|    5432|          3|     0|")
        .contains("|a   |web      |-     |127.0.0.1|    8080|          1|     1|")
        .contains("|b   |-        |-     |127.0.0.1|     443|          1|     1|")
        .contains("|b   |web      |-     |127.0.0.1|    5432|          2|     0|");
  }

  @Test
  void hostNarrowsEveryQuestionToOneHost() throws Exception {
    assertThat(json(fleet, "top", "--host", "b"))
        .extracting(
            row -> row.get("host") + " " + row.get("dst_port") + "=" + row.get("connections"))
        .containsExactly("b 443=1", "b 5432=2");
    assertThat(json(fleet, "container", "web", "--host", "a"))
        .extracting(row -> row.get("host") + " " + row.get("dst_port"))
        .containsExactly("a 8080", "a 5432", "a 5432", "a 5432");
    assertThat(json(fleet, "failed", "--host", "b"))
        .extracting(row -> row.get("host") + " " + row.get("outcome"))
        .containsExactly("b timed_out");
    assertThat(json(fleet, "dns", "--host", "a"))
        .extracting(row -> row.get("host") + " " + row.get("domain"))
        .containsExactly("a db.lanthorn.test");
  }

  @Test
  void withoutHostEachRowSaysWhichHostCapturedIt() throws Exception {
    List<Map<String, Object>> container = json(fleet, "container", "web");
    assertThat(container).hasSize(6).allSatisfy(row -> assertThat(row).containsKey("host"));
    assertThat(container.getFirst().keySet()).first().isEqualTo("host");
    assertThat(json(fleet, "failed"))
        .extracting(row -> row.get("host") + " " + row.get("dst_port"))
        .containsExactly("b 443", "a 8080");
    assertThat(json(fleet, "dns"))
        .extracting(row -> row.get("host") + " " + row.get("domain"))
        .containsExactly("b cache.lanthorn.test", "a db.lanthorn.test");
    assertThat(run(fleet, "failed")).startsWith("+----+").contains("|host|time");
  }

  @Test
  void oneNamedHostKeepsTheSingleAgentColumns() throws Exception {
    assertThat(run(single, "top")).contains("|container|domain").doesNotContain("host");
    assertThat(json(single, "container", "web"))
        .hasSize(4)
        .allSatisfy(row -> assertThat(row).doesNotContainKey("host"));
    assertThat(json(single, "dns").getFirst()).doesNotContainKey("host");
    // --host still filters.
    assertThat(json(single, "failed", "--host", "b")).isEmpty();
    assertThat(json(single, "failed", "--host", "a")).hasSize(1);
  }

  @Test
  void theHostCheckReadsNoEvents() throws Exception {
    List<String> plan =
        Db.rows(
                fleet,
                "EXPLAIN QUERY PLAN SELECT count(*) FROM (SELECT DISTINCT host_name FROM"
                    + " rollup_minute_totals WHERE host_name <> '' LIMIT 2)")
            .stream()
            .map(row -> (String) row.get("detail"))
            .toList();

    assertThat(plan).as(String.join("\n", plan)).noneMatch(step -> step.contains("event_rows"));
  }

  private static DnsEvent dns(String host, Instant at, String domain) {
    return new DnsEvent(
        EventHeader.builder()
            .timestampNanos(EpochNanos.of(at))
            .pid(31)
            .tid(32)
            .comm("nslookup")
            .cgroupId(99)
            .hostName(host)
            .build(),
        domain,
        DnsEvent.TYPE_A,
        0,
        List.of(DnsAnswer.address(domain, 60, InetAddress.ofLiteral("10.0.0.1"))),
        InetAddress.ofLiteral("127.0.0.11"),
        53,
        Protocol.UDP,
        Attributes.empty().toBuilder().put(StandardAttributes.CONTAINER_NAME, "web").build());
  }

  @SafeVarargs
  private static void write(Path file, List<Event>... hosts) throws Exception {
    TestContext context = TestContext.forFile(file, Map.of("retention", "0"));
    context.setNow(NOW.minusSeconds(60));
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      for (List<Event> events : hosts) {
        sink.write(events);
      }
    }
  }

  private static List<Map<String, Object>> json(Path file, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--json");
    return new ObjectMapper()
        .readValue(run(file, all.toArray(String[]::new)), new TypeReference<>() {});
  }

  private static String run(Path file, String... args) throws Exception {
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
