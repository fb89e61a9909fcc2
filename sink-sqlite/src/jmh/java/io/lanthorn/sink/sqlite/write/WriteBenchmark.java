package io.lanthorn.sink.sqlite.write;

import io.lanthorn.api.AddressText;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.AttributesJson;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.sink.sqlite.TestContext;
import io.lanthorn.sink.sqlite.TestEvents;
import io.lanthorn.sink.sqlite.store.DatabaseFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rows per second into {@code events}, one transaction per batch of {@value #BATCH}, on a fresh
 * file (WAL, {@code synchronous=NORMAL}, the migrations' indexes) every iteration:
 *
 * <ul>
 *   <li>{@code sinkWrite}: the sink's own path, {@link SqliteSink#write}, including the summary
 *       UPSERT and the {@code containers}/{@code processes} rows in the same transaction;
 *   <li>{@code plainJdbc}: a hand-written INSERT into {@code event_rows} with typed setters and a
 *       JDBC batch, inserting each new set of container or process facts once; no summary. The
 *       reference.
 * </ul>
 *
 * <p>Run with {@code bench/sqlite/run.sh}; the figures are in the module README.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Thread)
public class WriteBenchmark {
  static final int BATCH = 1000;
  private static final int BATCHES = 64;
  private static final Instant START = Instant.parse("2026-11-25T00:00:00Z");

  private final List<List<ConnectionEvent>> batches = new ArrayList<>();
  private int next;
  private Path dir;
  private SqliteSink sink;
  private Connection connection;
  private PreparedStatement plainInsert;
  private PreparedStatement plainProcess;
  private PreparedStatement plainContainer;

  /**
   * Realistic events, as the TCP probe and the Docker enricher make them: three in four from one of
   * three containers (64-hex-digit ids, image ids, four labels), 60 destinations, 5% refused.
   */
  @Setup(Level.Trial)
  public void makeEvents() {
    int n = 0;
    for (int b = 0; b < BATCHES; b++) {
      List<ConnectionEvent> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++, n++) {
        Instant at = START.plusMillis(n);
        int port = 5000 + n % 60;
        ConnectionEvent event =
            n % 4 == 3
                ? TestEvents.host(at, port)
                    .build()
                    .withAttribute(
                        StandardAttributes.ATTRIBUTION_STATUS,
                        StandardAttributes.ATTRIBUTION_NOT_IN_CONTAINER)
                : inContainer(n % 3, at, port);
        batch.add(
            event.toBuilder().outcome(n % 20 == 0 ? Outcome.REFUSED : Outcome.ESTABLISHED).build());
      }
      batches.add(List.copyOf(batch));
    }
  }

  private static ConnectionEvent inContainer(int container, Instant at, int port) {
    String id = HexFormat.of().formatHex(new byte[32]).replace('0', (char) ('a' + container));
    String service = "app-" + container;
    return TestEvents.host(at, port)
        .comm("wget")
        .commandLine("wget -q -O- http://127.0.0.1:" + port + "/")
        .cgroupId(1000 + container)
        .cgroupName(id)
        .build()
        .withAttributes(
            Attributes.builder()
                .put(StandardAttributes.CONTAINER_ID, id)
                .put(StandardAttributes.CONTAINER_NAME, "shop-" + service + "-1")
                .put(StandardAttributes.CONTAINER_RUNTIME, "docker")
                .put(
                    StandardAttributes.CONTAINER_IMAGE_NAME,
                    "registry.example/shop/" + service + ":1.4")
                .put(StandardAttributes.CONTAINER_IMAGE_ID, "sha256:" + id)
                .put(
                    StandardAttributes.CONTAINER_LABELS,
                    Map.of(
                        "com.docker.compose.project", "shop",
                        "com.docker.compose.service", service,
                        "team", "payments",
                        "tier", "backend"))
                .put(StandardAttributes.COMPOSE_PROJECT, "shop")
                .put(StandardAttributes.COMPOSE_SERVICE, service)
                .put(
                    StandardAttributes.ATTRIBUTION_STATUS,
                    StandardAttributes.ATTRIBUTION_ATTRIBUTED)
                .build());
  }

  /**
   * A fresh migrated file per iteration, so every iteration inserts into the same size of table.
   */
  @Setup(Level.Iteration)
  public void openFile() throws Exception {
    dir = Files.createTempDirectory("lanthorn-bench");
    Path file = dir.resolve("lanthorn.db");
    // Retention off and health rare: only the write path is measured.
    TestContext context =
        TestContext.forFile(file, Map.of("retention", "0", "health-interval", "1h"));
    sink = new SqliteSinkFactory().create(context);
    connection = DatabaseFile.forWriting(file, Duration.ofSeconds(5)).connect();
    plainInsert = connection.prepareStatement(PLAIN_INSERT);
    plainProcess = connection.prepareStatement(PLAIN_PROCESS);
    plainContainer = connection.prepareStatement(PLAIN_CONTAINER);
    plainProcesses.clear();
    plainContainers.clear();
  }

  @TearDown(Level.Iteration)
  public void deleteFile() throws Exception {
    plainInsert.close();
    plainProcess.close();
    plainContainer.close();
    connection.close();
    sink.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void sinkWrite(CpuTime cpu) throws Exception {
    long start = CpuTime.now();
    sink.write(nextBatch());
    cpu.add(start, BATCH);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void plainJdbc(CpuTime cpu) throws SQLException {
    // Setters and the facts' rows run inside the transaction the batch commits.
    long start = CpuTime.now();
    // One transaction per batch, begun and ended as the sink's are: the writer's connections
    // begin IMMEDIATE, so a connection left out of auto-commit would hold the write lock.
    connection.setAutoCommit(false);
    for (ConnectionEvent e : nextBatch()) {
      bindPlain(plainInsert, e);
      plainInsert.addBatch();
    }
    plainInsert.executeBatch();
    connection.commit();
    connection.setAutoCommit(true);
    cpu.add(start, BATCH);
  }

  /**
   * The writing thread's CPU time, reported beside rows/s: on a machine others are loading, rows
   * per CPU-second of the writer (SQLite runs in the same thread) varies far less than rows/s.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds the writing thread spent in the iteration. */
    public long cpuNanos;

    /** Rows written in the iteration. */
    public long rows;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      cpuNanos = 0;
      rows = 0;
    }

    static long now() {
      return THREADS.getCurrentThreadCpuTime();
    }

    void add(long start, int count) {
      cpuNanos += now() - start;
      rows += count;
    }
  }

  private List<ConnectionEvent> nextBatch() {
    return batches.get(next++ % BATCHES);
  }

  // The reference: what a careful hand-written JDBC writer of the same tables would do: typed
  // setters, a map from container and process facts to their rows, which it inserts once; no
  // summary.
  private static final String PLAIN_INSERT =
      "INSERT INTO event_rows (timestamp_ns, kernel_time_ns, kind, src_ip, src_port, dst_ip,"
          + " dst_port, outcome, errno, handshake_ns, pid, tid, attribution, attributes,"
          + " process_ref, container_ref)"
          + " VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String PLAIN_PROCESS =
      "INSERT INTO processes (id, process_name, uid, gid, cgroup_id, process_cmdline,"
          + " process_exe_path, cgroup_name, first_seen_ns, last_seen_ns)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String PLAIN_CONTAINER =
      "INSERT INTO containers (id, container_id, container_name, container_runtime, image_name,"
          + " image_id, container_labels, compose_project, compose_service, first_seen_ns,"
          + " last_seen_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Map<List<Object>, Long> plainProcesses = new HashMap<>();
  private final Map<List<Object>, Long> plainContainers = new HashMap<>();

  private void bindPlain(PreparedStatement s, ConnectionEvent e) throws SQLException {
    s.setLong(1, e.timestampNanos());
    s.setLong(2, e.kernelTimeNanos());
    s.setObject(3, EventCodes.address(e.sourceAddress(), AddressText.of(e.sourceAddress())));
    s.setInt(4, e.sourcePort());
    s.setObject(
        5, EventCodes.address(e.destinationAddress(), AddressText.of(e.destinationAddress())));
    s.setInt(6, e.destinationPort());
    s.setInt(7, EventCodes.outcome(e.outcome()));
    s.setInt(8, e.errno());
    if (e.handshakeNanos() < 0) {
      s.setNull(9, Types.BIGINT);
    } else {
      s.setLong(9, e.handshakeNanos());
    }
    s.setInt(10, e.pid());
    s.setInt(11, e.tid());
    s.setObject(12, EventCodes.attribution(e.attribute(StandardAttributes.ATTRIBUTION_STATUS)));
    s.setString(13, AttributesJson.except(e.attributes(), EventColumns.STORED_ATTRIBUTES));
    s.setLong(14, plainProcess(e));
    Long container = plainContainer(e);
    if (container == null) {
      s.setNull(15, Types.BIGINT);
    } else {
      s.setLong(15, container);
    }
  }

  private long plainProcess(ConnectionEvent e) throws SQLException {
    List<Object> facts =
        Arrays.asList(
            e.comm(),
            Integer.toUnsignedLong(e.uid()),
            Integer.toUnsignedLong(e.gid()),
            e.cgroupId(),
            e.commandLine(),
            e.attribute(StandardAttributes.PROCESS_EXECUTABLE_PATH),
            e.cgroupName());
    Long id = plainProcesses.get(facts);
    if (id == null) {
      id = plainProcesses.size() + 1L;
      plainProcesses.put(facts, id);
      plainProcess.setLong(1, id);
      for (int i = 0; i < facts.size(); i++) {
        plainProcess.setObject(i + 2, facts.get(i));
      }
      plainProcess.setLong(9, e.timestampNanos());
      plainProcess.setLong(10, e.timestampNanos());
      plainProcess.executeUpdate();
    }
    return id;
  }

  private Long plainContainer(ConnectionEvent e) throws SQLException {
    String containerId = e.attribute(StandardAttributes.CONTAINER_ID);
    if (containerId == null) {
      return null;
    }
    List<Object> facts =
        Arrays.asList(
            containerId,
            e.attribute(StandardAttributes.CONTAINER_NAME),
            e.attribute(StandardAttributes.CONTAINER_RUNTIME),
            e.attribute(StandardAttributes.CONTAINER_IMAGE_NAME),
            e.attribute(StandardAttributes.CONTAINER_IMAGE_ID),
            e.attribute(StandardAttributes.CONTAINER_LABELS),
            e.attribute(StandardAttributes.COMPOSE_PROJECT),
            e.attribute(StandardAttributes.COMPOSE_SERVICE));
    Long id = plainContainers.get(facts);
    if (id == null) {
      id = plainContainers.size() + 1L;
      plainContainers.put(facts, id);
      plainContainer.setLong(1, id);
      for (int i = 0; i < 8; i++) {
        Object value = facts.get(i);
        plainContainer.setObject(
            i + 2,
            value instanceof Map<?, ?> labels ? AttributesJson.ofMap(strings(labels)) : value);
      }
      plainContainer.setLong(10, e.timestampNanos());
      plainContainer.setLong(11, e.timestampNanos());
      plainContainer.executeUpdate();
    }
    return id;
  }

  @SuppressWarnings("unchecked") // container labels are a string map
  private static Map<String, String> strings(Map<?, ?> map) {
    return (Map<String, String>) map;
  }
}
