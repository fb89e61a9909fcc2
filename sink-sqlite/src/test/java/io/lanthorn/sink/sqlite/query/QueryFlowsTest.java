package io.lanthorn.sink.sqlite.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Protocol;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --direction}, {@code --protocol} and the summary's two directions. */
class QueryFlowsTest {
  private static final Instant NOW = TestEvents.NOW;

  @TempDir static Path dir;
  private static Path file;

  @BeforeAll
  static void fill() throws Exception {
    file = dir.resolve("lanthorn.db");
    Instant at = NOW.minusSeconds(600);
    List<Event> events = new ArrayList<>();
    events.add(TestEvents.inContainer("web", at, 5432).build());
    events.add(TestEvents.inContainer("web", at.plusSeconds(1), 5432).build());
    for (int i = 0; i < 3; i++) {
      events.add(accept(at.plusSeconds(2 + i), 7_000 + i, 50_000 + i));
    }
    // A host service: one accept by a listener whose owner is unknown (''), one by sshd.
    for (String owner : List.of("", "sshd")) {
      events.add(
          new InboundAcceptEvent(
              EventHeader.builder()
                  .timestampNanos(nanos(at.plusSeconds(6)) + owner.length())
                  .kernelTimeNanos(8_000 + owner.length())
                  .comm(owner)
                  .build(),
              AddressFamily.INET,
              Protocol.TCP,
              TestEvents.address("10.0.0.1"),
              22,
              TestEvents.address("10.0.0.9"),
              51_000 + owner.length(),
              Attributes.empty()));
    }
    events.add(
        new ConnectionCloseEvent(
            EventHeader.builder()
                .timestampNanos(nanos(at) + 9)
                .kernelTimeNanos(7_009)
                .comm("")
                .build(),
            AddressFamily.INET,
            true,
            TestEvents.address("172.17.0.2"),
            8080,
            TestEvents.address("127.0.0.1"),
            50_000,
            7_000,
            2_500_000,
            10_240,
            1_048_576,
            Attributes.empty()));
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(events);
    }
  }

  private static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  private static InboundAcceptEvent accept(Instant at, long kernelTime, int clientPort) {
    EventHeader header =
        EventHeader.builder()
            .timestampNanos(nanos(at))
            .kernelTimeNanos(kernelTime)
            .pid(900)
            .tid(900)
            .comm("nc")
            .cgroupId(55)
            .build();
    return new InboundAcceptEvent(
            header,
            AddressFamily.INET,
            Protocol.TCP,
            TestEvents.address("172.17.0.2"),
            8080,
            TestEvents.address("127.0.0.1"),
            clientPort,
            Attributes.empty())
        .withAttribute(StandardAttributes.CONTAINER_NAME, "web");
  }

  @Test
  void containerNarrowsToOneDirectionAndShowsLifetimes() throws Exception {
    List<Map<String, Object>> inbound = json("container", "web", "--direction", "inbound");
    assertThat(inbound).hasSize(3).allMatch(row -> "inbound".equals(row.get("direction")));
    assertThat(inbound.getLast())
        .containsEntry("src_port", 50_000)
        .containsEntry("dst_port", 8080)
        .containsEntry("duration_ms", 2.5)
        .containsEntry("bytes_sent", 10_240)
        .containsEntry("bytes_received", 1_048_576);
    assertThat(json("container", "web", "--direction", "OUTBOUND"))
        .extracting(row -> row.get("dst_port"))
        .containsExactly(5432, 5432);
    assertThat(json("container", "web", "--protocol", "udp")).isEmpty();
  }

  @Test
  void theSummarySeparatesDirections() throws Exception {
    assertThat(json("summary"))
        .extracting(
            row -> row.get("direction") + " " + row.get("dst_port") + "=" + row.get("connections"))
        // One row per process: the host service's two owners ('' unknown, sshd) apart.
        .containsExactlyInAnyOrder(
            "inbound 8080=3", "outbound 5432=2", "inbound 22=1", "inbound 22=1");
    assertThat(json("summary", "--direction", "outbound"))
        .extracting(row -> row.get("direction"))
        .containsExactly("outbound");
  }

  @Test
  void topListsOnlyTheKnownProcessesOfADestination() throws Exception {
    assertThat(json("top", "--direction", "inbound"))
        .filteredOn(row -> Integer.valueOf(22).equals(row.get("dst_port")))
        .extracting(row -> row.get("processes"))
        .containsExactly("sshd");
  }

  @Test
  void anUnknownDirectionIsBadUsage() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = run(err, "top", "--direction", "sideways");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--direction");
  }

  private static List<Map<String, Object>> json(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--json", "--since", "1d"));
    if (args[0].equals("summary")) {
      all.removeAll(List.of("--since", "1d"));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = run(out, new ByteArrayOutputStream(), all.toArray(String[]::new));
    assertThat(status).isZero();
    return new ObjectMapper()
        .readValue(out.toString(StandardCharsets.UTF_8), new TypeReference<>() {});
  }

  private static int run(ByteArrayOutputStream err, String... args) throws Exception {
    return run(new ByteArrayOutputStream(), err, args);
  }

  private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args)
      throws Exception {
    // --db-path is the launcher's flag: it sets sink-sqlite.path.
    List<String> all = List.of(args);
    return new SqliteSinkFactory()
        .commands()
        .getFirst()
        .run(
            TestPluginContext.forPlugin(SqliteSink.NAME)
                .with(Map.of("path", file.toString()))
                .withClock(Clock.fixed(NOW, ZoneOffset.UTC)),
            all,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
