package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.Sink;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.Vocabulary;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.jsonl.JsonlSinkFactory;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same events written by sink-sqlite and sink-jsonl agree field by field: one vocabulary (the
 * api's), two layouts. Every column of {@code events_view} and every key of a JSON line is mapped
 * below, so a field added to one sink and not the other fails this test.
 */
class SinksAgreeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-25T14:03:07.123456789Z");

  /** Attributes the SQLite sink stores in columns of their own, by column. */
  private static final Map<String, String> ATTRIBUTE_COLUMNS =
      Map.of(
          "container_id", StandardAttributes.CONTAINER_ID.name(),
          "container_name", StandardAttributes.CONTAINER_NAME.name(),
          "container_runtime", StandardAttributes.CONTAINER_RUNTIME.name(),
          "image_name", StandardAttributes.CONTAINER_IMAGE_NAME.name(),
          "image_id", StandardAttributes.CONTAINER_IMAGE_ID.name(),
          "container_labels", StandardAttributes.CONTAINER_LABELS.name(),
          "compose_project", StandardAttributes.COMPOSE_PROJECT.name(),
          "compose_service", StandardAttributes.COMPOSE_SERVICE.name(),
          "attribution_status", StandardAttributes.ATTRIBUTION_STATUS.name(),
          "process_exe_path", StandardAttributes.PROCESS_EXECUTABLE_PATH.name());

  /** A column and the JSON key holding the same field. */
  private record Pair(String column, String key, Function<Object, Object> columnValue) {}

  private static final List<Pair> FIELDS =
      List.of(
          new Pair("timestamp_ns", Vocabulary.TIME_UNIX_NANO, v -> v),
          new Pair("kernel_time_ns", Vocabulary.KERNEL_TIME_NANOS, v -> v),
          new Pair("event_type", Vocabulary.EVENT_NAME, v -> v),
          new Pair("protocol", Vocabulary.NETWORK_TRANSPORT, v -> v),
          new Pair("address_family", Vocabulary.NETWORK_TYPE, v -> v),
          new Pair("src_addr", Vocabulary.CLIENT_ADDRESS, v -> v),
          new Pair("src_port", Vocabulary.CLIENT_PORT, v -> v),
          new Pair("dst_addr", Vocabulary.SERVER_ADDRESS, v -> v),
          new Pair("dst_port", Vocabulary.SERVER_PORT, v -> v),
          new Pair("outcome", Vocabulary.CONNECT_OUTCOME, v -> v),
          new Pair("errno", Vocabulary.CONNECT_ERRNO, v -> v),
          new Pair("handshake_ns", Vocabulary.CONNECT_HANDSHAKE_NANOS, v -> v),
          new Pair("pid", Vocabulary.PROCESS_PID, v -> v),
          new Pair("tid", Vocabulary.THREAD_ID, v -> v),
          new Pair("uid", Vocabulary.PROCESS_REAL_USER_ID, v -> v),
          new Pair("gid", Vocabulary.PROCESS_REAL_GROUP_ID, v -> v),
          new Pair("process_name", Vocabulary.PROCESS_EXECUTABLE_NAME, v -> v),
          new Pair("process_cmdline", Vocabulary.PROCESS_COMMAND_LINE, v -> v),
          new Pair("cgroup_id", Vocabulary.CGROUP_ID, v -> v),
          new Pair("cgroup_name", Vocabulary.CGROUP_NAME, v -> v),
          // events_view's readable time is to the millisecond; the JSON's to the nanosecond.
          new Pair("host_name", Vocabulary.HOST_NAME, v -> v),
          new Pair("direction", Vocabulary.NETWORK_DIRECTION, v -> v),
          new Pair("time", Vocabulary.TIME, v -> v));

  /** Columns of the Rust Lanthorn's that no plugin fills yet, and the one derived from time. */
  private static final Set<String> NOT_IN_JSON =
      Set.of(
          "id",
          "timestamp",
          "domain_name",
          "is_threat",
          "threat_source",
          "attributes",
          // A close is a JSON line of its own and an update of the row in SQLite: compared in
          // aCloseAgreesWithTheRowItUpdates. No UDP rows here.
          "duration_ns",
          "bytes_sent",
          "bytes_received",
          "closed",
          "datagrams",
          // The stored codes of event_type and outcome (schema 15; LeanRowsTest).
          "event_type_code",
          "outcome_code");

  /** JSON fields SQLite does not keep: none (a central agent's file holds several hosts). */
  private static final Set<String> NOT_IN_SQLITE = Set.of();

  @TempDir Path dir;

  private static List<ConnectionEvent> events() {
    ConnectionEvent container =
        TestEvents.inContainer("web", T0, 443)
            .uid(-2)
            .gid(65534)
            .hostName("host-a")
            .build()
            .withAttribute(StandardAttributes.CONTAINER_RUNTIME, "docker")
            .withAttribute(StandardAttributes.CONTAINER_IMAGE_ID, "sha256:abc")
            .withAttribute(
                StandardAttributes.CONTAINER_LABELS,
                Map.of("com.docker.compose.project", "shop", "quote", "say \"hi\" ü\n"))
            .withAttribute(StandardAttributes.COMPOSE_PROJECT, "shop")
            .withAttribute(StandardAttributes.COMPOSE_SERVICE, "web")
            .withAttribute(StandardAttributes.PROCESS_EXECUTABLE_PATH, "/bin/busybox")
            .withAttribute(AttributeKey.stringKey("acme.zone"), "eu-1")
            .withAttribute(AttributeKey.longKey("acme.rack"), 7L)
            .withAttribute(AttributeKey.doubleKey("acme.score"), 0.5)
            .withAttribute(AttributeKey.booleanKey("acme.flagged"), true)
            .withAttribute(AttributeKey.stringMapKey("acme.tags"), Map.of("b", "2", "a", "1"));
    ConnectionEvent ipv6Pending =
        ConnectionEvent.builder()
            .family(AddressFamily.INET6)
            .sourceAddress(TestEvents.address("::1"))
            .destinationAddress(TestEvents.address("2001:db8:0:0:0:0:0:7"))
            .destinationPort(8080)
            .timestampNanos(EpochNanos.of(T0) + 999_999)
            .kernelTimeNanos(Long.MAX_VALUE)
            .pid(1)
            .tid(2)
            .uid(-1)
            .comm("java")
            .cgroupId(Long.MAX_VALUE)
            .hostName("host-a")
            .outcome(Outcome.PENDING)
            .build();
    ConnectionEvent refused =
        TestEvents.host(T0.plusSeconds(1), 9)
            .outcome(Outcome.REFUSED)
            .errno(111)
            .handshakeNanos(0)
            .hostName("host-a")
            .build()
            .withAttribute(
                StandardAttributes.ATTRIBUTION_STATUS,
                StandardAttributes.ATTRIBUTION_NOT_IN_CONTAINER);
    return List.of(container, ipv6Pending, refused);
  }

  @Test
  void bothSinksWriteEveryFieldOfTheSameEventsAlike() throws Exception {
    List<ConnectionEvent> events = events();
    Path db = dir.resolve("lanthorn.db");
    Path lines = dir.resolve("events.jsonl");
    try (SqliteSink sqlite =
        new SqliteSinkFactory().create(TestContext.forFile(db, Map.of("retention", "0")))) {
      sqlite.write(events);
    }
    try (Sink jsonl =
        new JsonlSinkFactory()
            .create(TestPluginContext.forPlugin("sink-jsonl").with("path = \"" + lines + "\""))) {
      jsonl.write(events);
    }

    List<Map<String, Object>> rows = Db.rows(db, "SELECT * FROM events_view ORDER BY id");
    List<JsonNode> objects = new ArrayList<>();
    for (String line : Files.readAllLines(lines)) {
      objects.add(JSON.readTree(line));
    }
    assertThat(rows).hasSameSizeAs(events);
    assertThat(objects).hasSameSizeAs(events);

    for (int i = 0; i < events.size(); i++) {
      Map<String, Object> row = rows.get(i);
      JsonNode object = objects.get(i);
      Set<String> columnsSeen = new HashSet<>(NOT_IN_JSON);
      Set<String> keysSeen = new HashSet<>(NOT_IN_SQLITE);
      keysSeen.add(Vocabulary.ATTRIBUTES);
      for (Pair pair : FIELDS) {
        Object expected = pair.columnValue().apply(row.get(pair.column()));
        Object actual = value(object.get(pair.key()));
        if (pair.column().equals("time")) {
          actual = ((String) actual).substring(0, 23) + "Z"; // ISO to the millisecond
        }
        assertThat(actual)
            .as("event %d: %s vs %s", i, pair.column(), pair.key())
            .isEqualTo(expected);
        columnsSeen.add(pair.column());
        keysSeen.add(pair.key());
      }
      // Attributes: stored in columns of their own, or in the attributes JSON, never lost.
      JsonNode attributes = object.get(Vocabulary.ATTRIBUTES);
      Map<String, Object> unstored = new LinkedHashMap<>();
      attributes.properties().forEach(e -> unstored.put(e.getKey(), value(e.getValue())));
      ATTRIBUTE_COLUMNS.forEach(
          (column, key) -> {
            Object jsonValue = unstored.remove(key);
            Object columnValue = row.get(column);
            if (column.equals("container_labels") && columnValue != null) {
              columnValue = value(parse((String) columnValue));
            }
            assertThat(jsonValue).as("%s vs %s", column, key).isEqualTo(columnValue);
            columnsSeen.add(column);
          });
      Object restInSqlite =
          row.get("attributes") == null ? Map.of() : value(parse((String) row.get("attributes")));
      assertThat(restInSqlite).as("event %d: attributes", i).isEqualTo(unstored);
      // Upstream's columns no plugin fills yet, and its timestamp, derived from the same time.
      assertThat(row.get("domain_name")).isNull();
      assertThat(row.get("is_threat")).isNull();
      assertThat(row.get("threat_source")).isNull();
      assertThat((String) row.get("timestamp"))
          .isEqualTo(((String) row.get("time")).substring(0, 19).replace('T', ' '));
      assertThat(object.get(Vocabulary.HOST_NAME).asText()).isEqualTo(events.get(i).hostName());

      assertThat(row.keySet()).as("every column compared").isSubsetOf(columnsSeen);
      List<String> keys = new ArrayList<>();
      object.fieldNames().forEachRemaining(keys::add);
      assertThat(keys).as("every JSON key compared").isSubsetOf(keysSeen);
    }
  }

  @Test
  void aCloseAgreesWithTheRowItUpdates() throws Exception {
    ConnectionEvent opened =
        TestEvents.host(T0, 443).sourcePort(50_001).kernelTimeNanos(1_000).hostName("h").build();
    io.lanthorn.api.ConnectionCloseEvent close =
        new io.lanthorn.api.ConnectionCloseEvent(
            io.lanthorn.api.EventHeader.builder()
                .timestampNanos(EpochNanos.of(T0) + 9_000)
                .kernelTimeNanos(10_000)
                .comm("")
                .hostName("h")
                .build(),
            AddressFamily.INET,
            false,
            opened.sourceAddress(),
            50_001,
            opened.destinationAddress(),
            443,
            1_000,
            8_000,
            1_048_576,
            10_240,
            io.lanthorn.api.Attributes.empty());
    List<io.lanthorn.api.Event> events = List.of(opened, close);
    Path db = dir.resolve("close.db");
    Path lines = dir.resolve("close.jsonl");
    try (SqliteSink sqlite =
        new SqliteSinkFactory().create(TestContext.forFile(db, Map.of("retention", "0")))) {
      sqlite.write(events);
    }
    try (Sink jsonl =
        new JsonlSinkFactory()
            .create(TestPluginContext.forPlugin("sink-jsonl").with("path = \"" + lines + "\""))) {
      jsonl.write(events);
    }
    Map<String, Object> row = Db.rows(db, "SELECT * FROM events_view").getFirst();
    JsonNode line = JSON.readTree(Files.readAllLines(lines).get(1));
    assertThat(line.get(Vocabulary.EVENT_NAME).asText()).isEqualTo("tcp_close");
    assertThat(line.get(Vocabulary.CLOSE_OPENED_KERNEL_TIME_NANOS).asLong())
        .isEqualTo(row.get("kernel_time_ns"));
    assertThat(line.get(Vocabulary.CLIENT_PORT).asLong()).isEqualTo(row.get("src_port"));
    assertThat(line.get(Vocabulary.SERVER_PORT).asLong()).isEqualTo(row.get("dst_port"));
    assertThat(line.get(Vocabulary.NETWORK_DIRECTION).asText()).isEqualTo(row.get("direction"));
    assertThat(line.get(Vocabulary.CLOSE_DURATION_NANOS).asLong())
        .isEqualTo(row.get("duration_ns"));
    assertThat(line.get(Vocabulary.CLOSE_BYTES_SENT).asLong()).isEqualTo(row.get("bytes_sent"));
    assertThat(line.get(Vocabulary.CLOSE_BYTES_RECEIVED).asLong())
        .isEqualTo(row.get("bytes_received"));
    assertThat(row.get("closed")).isEqualTo(1L);
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(text, e);
    }
  }

  /**
   * A JSON value as the JDBC driver returns SQLite's: numbers as Long or Double, text as String.
   */
  private static Object value(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), value(e.getValue())));
      return map;
    }
    return node.asText();
  }
}
