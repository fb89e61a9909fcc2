package io.lanthorn.sink.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.testkit.TestPluginContext;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  private static ConnectionEvent event(int port) {
    return ConnectionEvent.builder()
        .family(AddressFamily.INET6)
        .sourceAddress(InetAddress.ofLiteral("::1"))
        .sourcePort(40_000)
        .destinationAddress(InetAddress.ofLiteral("2001:db8:0:0:0:0:0:1"))
        .destinationPort(port)
        .timestampNanos(1_764_000_000_123_456_789L)
        .kernelTimeNanos(42)
        .pid(7)
        .tid(8)
        .uid(1000)
        .gid(1001)
        .comm("curl")
        .cgroupId(99)
        .outcome(Outcome.REFUSED)
        .errno(111)
        .handshakeNanos(12_345)
        .build();
  }

  private JsonlSink started(String config, TestPluginContext[] context) throws Exception {
    TestPluginContext ctx = TestPluginContext.forPlugin("sink-jsonl").with(config);
    context[0] = ctx;
    return new JsonlSinkFactory().create(ctx);
  }

  private List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      nodes.add(MAPPER.readTree(line));
    }
    return nodes;
  }

  @Test
  void writesEveryFieldAndTypedAttributesOneLinePerEvent() throws Exception {
    Path file = dir.resolve("out/events.jsonl");
    TestPluginContext[] ctx = new TestPluginContext[1];
    ConnectionEvent enriched =
        event(443).toBuilder()
            .attributes(
                io.lanthorn.api.Attributes.builder()
                    .put(StandardAttributes.CONTAINER_NAME, "web")
                    .put(StandardAttributes.CONTAINER_LABELS, Map.of("tier", "front"))
                    .put(AttributeKey.longKey("acme.retries"), 3L)
                    .put(AttributeKey.doubleKey("acme.score"), 0.5)
                    .put(AttributeKey.booleanKey("acme.internal"), true)
                    .build())
            .build();
    try (JsonlSink sink = started("path = \"" + file + "\"", ctx)) {
      sink.write(List.of(enriched, event(80)));
    }

    assertThat(Files.readAllLines(file)).hasSize(2).allMatch(line -> line.startsWith("{\"time\":"));
    List<JsonNode> lines = lines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = lines.getFirst();
    assertThat(first.get("time").asText()).isEqualTo("2025-11-24T16:00:00.123456789Z");
    assertThat(first.get("time_unix_nano").asLong()).isEqualTo(1_764_000_000_123_456_789L);
    assertThat(first.get("event.name").asText()).isEqualTo("tcp_connect");
    assertThat(first.get("network.type").asText()).isEqualTo("ipv6");
    assertThat(first.get("network.transport").asText()).isEqualTo("tcp");
    assertThat(first.get("client.address").asText()).isEqualTo("::1");
    assertThat(first.get("server.address").asText()).isEqualTo("2001:db8::1");
    assertThat(first.get("server.port").asInt()).isEqualTo(443);
    assertThat(first.get("process.pid").asInt()).isEqualTo(7);
    assertThat(first.get("process.real_group.id").asInt()).isEqualTo(1001);
    assertThat(first.get("lanthorn.connect.outcome").asText()).isEqualTo("refused");
    assertThat(first.get("lanthorn.connect.errno").asInt()).isEqualTo(111);
    assertThat(first.get("lanthorn.connect.handshake_nanos").asLong()).isEqualTo(12_345);
    assertThat(first.get("process.command_line").isNull()).isTrue();
    JsonNode attributes = first.get("attributes");
    assertThat(attributes.get("container.name").asText()).isEqualTo("web");
    assertThat(attributes.get("container.labels").get("tier").asText()).isEqualTo("front");
    assertThat(attributes.get("acme.retries").isIntegralNumber()).isTrue();
    assertThat(attributes.get("acme.score").isDouble()).isTrue();
    assertThat(attributes.get("acme.internal").isBoolean()).isTrue();
    assertThat(lines.get(1).get("attributes").isEmpty()).isTrue();
    assertThat(ctx[0].metrics().value("bytes")).isEqualTo(Files.size(file));
  }

  @Test
  void theFileIsPrivateAndAppendedToAcrossRestarts() throws Exception {
    Path file = dir.resolve("events.jsonl");
    TestPluginContext[] ctx = new TestPluginContext[1];
    try (JsonlSink sink = started("path = \"" + file + "\"", ctx)) {
      sink.write(List.of(event(1)));
    }
    try (JsonlSink sink = started("path = \"" + file + "\"", ctx)) {
      sink.write(List.of(event(2)));
    }

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(lines(file)).extracting(n -> n.get("server.port").asInt()).containsExactly(1, 2);
  }

  @Test
  void anExistingFileReadableByOthersIsMadePrivate() throws Exception {
    Path file = dir.resolve("events.jsonl");
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    TestPluginContext[] ctx = new TestPluginContext[1];
    try (JsonlSink sink = started("path = \"" + file + "\"", ctx)) {
      sink.write(List.of(event(1)));
    }

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void anIncompleteLastLineLeftByACrashIsRemovedAtStart() throws Exception {
    Path file = dir.resolve("events.jsonl");
    TestPluginContext[] ctx = new TestPluginContext[1];
    try (JsonlSink sink = started("path = \"" + file + "\"", ctx)) {
      sink.write(List.of(event(1)));
    }
    Files.writeString(file, "{\"time\":\"20", java.nio.file.StandardOpenOption.APPEND);

    try (JsonlSink sink = started("path = \"" + file + "\"", ctx)) {
      sink.write(List.of(event(2)));
    }

    assertThat(lines(file)).extracting(n -> n.get("server.port").asInt()).containsExactly(1, 2);
  }

  @Test
  void rotatesBySizeKeepingMaxFilesAndLosingNoLineWithinThem() throws Exception {
    Path file = dir.resolve("events.jsonl");
    TestPluginContext[] ctx = new TestPluginContext[1];
    int lineLength;
    try (JsonlSink sink =
        started("path = \"" + file + "\"\nmax-file-size = 2K\nmax-files = 2", ctx)) {
      sink.write(List.of(event(0)));
      lineLength = (int) Files.size(file);
      for (int port = 1; port < 20; port++) {
        sink.write(List.of(event(port)));
      }
    }

    int perFile = 2048 / lineLength;
    assertThat(ctx[0].metrics().value("rotations")).isGreaterThanOrEqualTo(2);
    assertThat(Files.exists(dir.resolve("events.jsonl.3"))).isFalse();
    List<Integer> ports = new ArrayList<>();
    for (String name : List.of("events.jsonl.2", "events.jsonl.1", "events.jsonl")) {
      Path part = dir.resolve(name);
      assertThat(Files.size(part)).isLessThanOrEqualTo(2048);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(part)))
          .isEqualTo("rw-------");
      lines(part).forEach(n -> ports.add(n.get("server.port").asInt()));
    }
    // The newest files hold the newest events, consecutive and in order.
    assertThat(ports).isEqualTo(IntStream.range(20 - ports.size(), 20).boxed().toList());
    assertThat(ports.size()).isGreaterThanOrEqualTo(2 * perFile);
  }

  @Test
  void rotationWithoutKeptFilesIsRefusedBecauseItWouldDeleteEvents() {
    assertThatThrownBy(
            () ->
                new JsonlSinkFactory()
                    .create(
                        TestPluginContext.forPlugin("sink-jsonl")
                            .with("path = \"" + dir.resolve("x") + "\"\nmax-files = 0")))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("sink-jsonl.max-files must be at least 1");
  }

  @Test
  void anUnwritablePathFailsStartWithAClearMessage() throws Exception {
    Path blocker = Files.createFile(dir.resolve("not-a-dir"));
    String path = blocker.resolve("events.jsonl").toString();
    assertThatThrownBy(
            () ->
                new JsonlSinkFactory()
                    .create(
                        TestPluginContext.forPlugin("sink-jsonl").with("path = \"" + path + "\"")))
        .isInstanceOf(PluginException.class)
        .hasMessageStartingWith("sink-jsonl: cannot open " + path)
        .hasMessageEndingWith("choose a writable sink-jsonl.path");
  }

  @Test
  void theReferenceShipsTheSinkDisabledAndWritingToStandardOutput() {
    var reference =
        com.typesafe.config.ConfigFactory.parseResources("reference.conf").getConfig("sink-jsonl");
    assertThat(reference.getBoolean("enabled")).isFalse();
    assertThat(reference.getString("path")).isEqualTo("-");
    assertThat(reference.root().keySet())
        .containsExactlyInAnyOrder("enabled", "path", "fsync", "max-file-size", "max-files");
  }
}
