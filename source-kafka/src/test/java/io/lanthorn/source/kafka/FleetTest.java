package io.lanthorn.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.UdpFlowEvent;
import io.lanthorn.api.testkit.RecordingEmitter;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.fleet.schema.EventCodec;
import io.lanthorn.sink.kafka.KafkaSink;
import io.lanthorn.sink.kafka.KafkaSinkFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many hosts, one view, on a real broker: host agents' sink-kafka, a central collector with
 * source-kafka and sink-sqlite, and the failures in between (broker killed, collector SIGKILLed,
 * broker unreachable at start, foreign messages).
 */
class FleetTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  private static Broker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = Broker.start(shared.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  /** An attempt on host {@code host}: kernel time and port tell the events apart. */
  static ConnectionEvent event(String host, int sequence, String container) {
    ConnectionEvent event =
        ConnectionEvent.builder()
            .family(AddressFamily.INET)
            .sourceAddress(InetAddress.getLoopbackAddress())
            .sourcePort(40_000 + sequence % 20_000)
            .destinationAddress(InetAddress.getLoopbackAddress())
            .destinationPort(1 + sequence % 60_000)
            .timestampNanos(1_764_000_000_000_000_000L + sequence)
            .kernelTimeNanos(1_000_000L + sequence)
            .pid(100)
            .tid(101)
            .comm("storm")
            .hostName(host)
            .outcome(Outcome.REFUSED)
            .errno(111)
            .handshakeNanos(1000)
            .build();
    return container == null
        ? event
        : event.withAttribute(StandardAttributes.CONTAINER_NAME, container);
  }

  static List<ConnectionEvent> batch(String host, int from, int size, String container) {
    List<ConnectionEvent> batch = new ArrayList<>(size);
    for (int i = from; i < from + size; i++) {
      batch.add(event(host, i, container));
    }
    return batch;
  }

  /** A host agent's sink-kafka; the host's name is on the events (the agent's --host-name). */
  private KafkaSink hostSink(String host, String topic, String bootstrap, String... more)
      throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap-servers", bootstrap);
    config.put("topic", topic);
    config.put("host-id", "id-" + host);
    config.put("spool.path", dir.resolve("spool-" + host).toString());
    for (int i = 0; i < more.length; i += 2) {
      config.put(more[i], more[i + 1]);
    }
    return new KafkaSinkFactory().create(TestPluginContext.forPlugin("sink-kafka").with(config));
  }

  /** A collector process (SIGKILL-able) reading {@code topic} into {@code db}. */
  private Process collector(String topic, Path db) throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                Collector.class.getName(),
                broker.bootstrap(),
                topic,
                "collector-" + topic,
                db.toString())
            .redirectError(dir.resolve("collector-" + topic + ".err").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("collecting");
    return process;
  }

  static long count(Path db, String sql) {
    if (!Files.exists(db)) {
      return 0;
    }
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      return result.next() ? result.getLong(1) : 0;
    } catch (SQLException e) {
      return 0; // not migrated yet, or busy
    }
  }

  @Test
  void twoHostsLandInOneFileEachEventOnceWithTheirContainers() throws Exception {
    Path db = dir.resolve("central.db");
    try (KafkaSink a = hostSink("a", "fleet.two", broker.bootstrap());
        KafkaSink b = hostSink("b", "fleet.two", broker.bootstrap())) {
      for (int i = 0; i < 3; i++) {
        a.write(batch("a", i * 100, 100, null));
        b.write(batch("b", i * 100, 100, "web"));
      }
    }
    Process central = collector("fleet.two", db);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> count(db, "SELECT count(*) FROM event_rows") >= 600);
    } finally {
      central.destroyForcibly().waitFor();
    }

    assertThat(count(db, "SELECT count(*) FROM event_rows")).isEqualTo(600);
    assertThat(count(db, "SELECT count(DISTINCT event_uid) FROM event_rows")).isEqualTo(600);
    assertThat(count(db, "SELECT count(*) FROM event_rows WHERE host_name = 'a'")).isEqualTo(300);
    assertThat(
            count(
                db, "SELECT count(*) FROM events WHERE host_name = 'b' AND container_name = 'web'"))
        .isEqualTo(300);
  }

  /** A header of host {@code host}: a task's, or a close's (softirq: no task). */
  private static EventHeader header(String host, long kernelTime, int tid) {
    return EventHeader.builder()
        .timestampNanos(1_764_000_000_000_000_000L + kernelTime)
        .kernelTimeNanos(kernelTime)
        .pid(tid)
        .tid(tid)
        .comm(tid == 0 ? "" : "svc")
        .hostName(host)
        .build();
  }

  @Test
  void acceptsFlowsAndClosesArriveOnceWithTheirFields() throws Exception {
    Path db = dir.resolve("central.db");
    InetAddress here = InetAddress.ofLiteral("127.0.0.1");
    InetAddress peer = InetAddress.ofLiteral("127.0.0.2");
    List<Event> host =
        List.of(
            new InboundAcceptEvent(
                    header("k", 5_000, 7),
                    AddressFamily.INET,
                    Protocol.TCP,
                    here,
                    8080,
                    peer,
                    50_001,
                    Attributes.empty())
                .withAttribute(StandardAttributes.CONTAINER_NAME, "web"),
            ConnectionEvent.builder()
                .header(header("k", 6_000, 8))
                .family(AddressFamily.INET)
                .sourceAddress(here)
                .sourcePort(40_001)
                .destinationAddress(peer)
                .destinationPort(5432)
                .outcome(Outcome.ESTABLISHED)
                .handshakeNanos(900)
                .build(),
            new UdpFlowEvent(
                header("k", 7_000, 9),
                AddressFamily.INET,
                here,
                33_000,
                peer,
                53,
                4,
                160,
                2_500,
                Attributes.empty()),
            new ConnectionCloseEvent(
                header("k", 9_000, 0),
                AddressFamily.INET,
                true,
                here,
                8080,
                peer,
                50_001,
                5_000,
                3_000,
                111,
                222,
                Attributes.empty()),
            new ConnectionCloseEvent(
                header("k", 9_500, 0),
                AddressFamily.INET,
                false,
                here,
                40_001,
                peer,
                5432,
                6_000,
                3_400,
                333,
                444,
                Attributes.empty()));
    try (KafkaSink sink = hostSink("k", "fleet.kinds", broker.bootstrap())) {
      assertThat(sink.kinds()).doesNotContain(EventKind.THREAT_FEED);
      sink.write(host);
      sink.write(host); // a replay: every message twice on the topic
      sink.write(List.of(event("k", 99, null))); // last in the host's partition
    }
    Process central = collector("fleet.kinds", db);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  count(db, "SELECT count(*) FROM event_rows WHERE dst_port = 100") == 1
                      // The rollups follow within sink-sqlite's rollup-flush-interval.
                      && count(db, "SELECT coalesce(sum(bytes_sent), 0) FROM rollup_minute")
                          >= 444 + 160);
    } finally {
      central.destroyForcibly().waitFor();
    }

    assertThat(
            rows(
                db,
                "SELECT event_type, host_name, src_addr, src_port, dst_addr, dst_port,"
                    + " container_name, closed, duration_ns, bytes_sent, bytes_received, datagrams"
                    + " FROM events WHERE dst_port <> 100 ORDER BY kernel_time_ns"))
        .containsExactly(
            "tcp_accept|k|127.0.0.2|50001|127.0.0.1|8080|web|1|3000|111|222|null",
            "tcp_connect|k|127.0.0.1|40001|127.0.0.2|5432|null|1|3400|333|444|null",
            "udp_send|k|127.0.0.1|33000|127.0.0.2|53|null|null|null|160|null|4");
    assertThat(count(db, "SELECT count(DISTINCT event_uid) FROM event_rows")).isEqualTo(4);
    // The closes' bytes and the UDP flow's, each once.
    assertThat(count(db, "SELECT sum(bytes_sent) FROM rollup_minute"))
        .as("once")
        .isEqualTo(444 + 160);
    assertThat(count(db, "SELECT sum(bytes_received) FROM rollup_hour")).isEqualTo(666);
  }

  /** Every row of a query, its columns joined by {@code |}. */
  static List<String> rows(Path db, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? "|" : "").append(result.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  @Test
  void aCollectorKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
    Path db = dir.resolve("central.db");
    int batches = 30;
    int size = 100;
    long total = (long) batches * size;
    AtomicInteger sent = new AtomicInteger();
    try (KafkaSink host = hostSink("storm", "fleet.crash", broker.bootstrap())) {
      Process central = collector("fleet.crash", db);
      Thread storm =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < batches; i++) {
                        host.write(batch("storm", i * size, size, null));
                        sent.incrementAndGet();
                      }
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> count(db, "SELECT count(*) FROM event_rows") >= 500);
      central.destroyForcibly().waitFor(); // SIGKILL, mid-stream
      long beforeKill = count(db, "SELECT count(*) FROM event_rows");
      central = collector("fleet.crash", db);
      try {
        storm.join();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> count(db, "SELECT count(*) FROM event_rows") >= total);
      } finally {
        central.destroyForcibly().waitFor();
      }
      assertThat(beforeKill).as("killed mid-stream").isLessThan(total);
    }

    assertThat(count(db, "SELECT count(*) FROM event_rows")).isEqualTo(total);
    assertThat(count(db, "SELECT count(DISTINCT kernel_time_ns) FROM event_rows")).isEqualTo(total);
  }

  @Test
  void aBrokerKilledMidStormLosesAndDuplicatesNothing() throws Exception {
    Path db = dir.resolve("central.db");
    int size = 100;
    int batches = 0;
    try (KafkaSink host =
        hostSink(
            "storm",
            "fleet.outage",
            broker.bootstrap(),
            "delivery-timeout",
            "3s",
            "retry-interval",
            "500ms")) {
      for (; batches < 10; batches++) {
        host.write(batch("storm", batches * size, size, null));
      }
      broker.kill();
      for (; batches < 12; batches++) {
        host.write(batch("storm", batches * size, size, null)); // spooled
      }
      try (Stream<Path> files = Files.list(dir.resolve("spool-storm"))) {
        assertThat(files).as("spooled while the broker is away").isNotEmpty();
      }
      broker.restart();
      for (; batches < 15; batches++) {
        host.write(batch("storm", batches * size, size, null));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                host.write(List.of()); // an idle sink drains on its next batch
                try (Stream<Path> files = Files.list(dir.resolve("spool-storm"))) {
                  return files.findAny().isEmpty();
                }
              });
    }
    long total = (long) batches * size;
    Process central = collector("fleet.outage", db);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> count(db, "SELECT count(*) FROM event_rows") >= total);
    } finally {
      central.destroyForcibly().waitFor();
    }

    assertThat(count(db, "SELECT count(*) FROM event_rows")).isEqualTo(total);
    assertThat(count(db, "SELECT count(DISTINCT kernel_time_ns) FROM event_rows")).isEqualTo(total);
  }

  @Test
  void anUnreachableBrokerAtStartSpoolsAndWarnsOnce() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    TestPluginContext context =
        TestPluginContext.forPlugin("sink-kafka")
            .with(
                Map.of(
                    "bootstrap-servers",
                    "127.0.0.1:" + closedPort,
                    "delivery-timeout",
                    "2s",
                    "retry-interval",
                    "1h",
                    "spool.path",
                    dir.resolve("spool").toString()));
    KafkaSink sink = new KafkaSinkFactory().create(context); // never a failed start
    try {
      sink.write(batch("lonely", 0, 10, null));
      sink.write(batch("lonely", 10, 10, null));
      sink.write(batch("lonely", 20, 10, null));
    } finally {
      sink.close();
    }

    assertThat(context.metrics().value("spool_events")).isEqualTo(30);
    assertThat(context.metrics().value("outages")).as("one WARN per outage").isEqualTo(1);
    try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
      assertThat(files)
          .isNotEmpty()
          .allSatisfy(
              file ->
                  assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                      .isEqualTo("rw-------"));
    }
  }

  @Test
  void foreignMessagesAreSkippedAndCounted() throws Exception {
    String topic = "fleet.foreign";
    EventCodec codec = new EventCodec();
    String host = "id-a";
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      List<byte[]> messages =
          List.of(
              codec.encode(event("a", 1, null), host),
              "not json at all".getBytes(StandardCharsets.UTF_8),
              "{\"greeting\":\"hello\"}".getBytes(StandardCharsets.UTF_8),
              "{\"lanthorn.schema\":99}".getBytes(StandardCharsets.UTF_8),
              codec.encode(event("a", 2, null), host));
      for (byte[] message : messages) {
        producer.send(new ProducerRecord<>(topic, message)).get();
      }
      producer.send(new ProducerRecord<>(topic, (byte[]) null)).get(); // a tombstone
    }
    RecordingEmitter emitter = new RecordingEmitter();
    TestPluginContext context =
        TestPluginContext.forPlugin("source-kafka")
            .with(
                Map.of(
                    "bootstrap-servers", broker.bootstrap(), "topic", topic, "group-id", "foreign"))
            .withPipelineStats(
                () ->
                    new PipelineStats(
                        emitter.events().size(),
                        Map.of(),
                        Map.of(),
                        Map.of("test", (long) emitter.events().size()),
                        Map.of()))
            .withEmitter(emitter);
    KafkaSource source = new KafkaSourceFactory().create(context);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> emitter.events().size() == 2);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> source.foreignMessages().values().stream().mapToLong(v -> v).sum() == 4);
    } finally {
      source.stop();
      source.close();
    }

    assertThat(source.foreignMessages())
        .containsEntry("not_json", 1L)
        .containsEntry("not_lanthorn", 2L)
        .containsEntry("unsupported_version", 1L);
    assertThat(emitter.events())
        .extracting(e -> e.kernelTimeNanos())
        .containsExactly(1_000_001L, 1_000_002L);
  }
}
