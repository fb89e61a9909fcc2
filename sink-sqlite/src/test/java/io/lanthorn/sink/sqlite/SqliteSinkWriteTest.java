package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSinkWriteTest {
  private static final Instant T0 =
      TestEvents.NOW.plusSeconds(2 * 3600 + 3 * 60 + 7).plusNanos(123_456_789);

  @TempDir Path dir;

  @Test
  void writesAndReadsBackEveryField() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    ConnectionEvent container =
        TestEvents.inContainer("web", T0, 443)
            .uid(-2) // 4294967294: ids are unsigned
            .gid(65534)
            .build()
            .withAttribute(StandardAttributes.CONTAINER_RUNTIME, "docker")
            .withAttribute(StandardAttributes.CONTAINER_IMAGE_ID, "sha256:abc")
            .withAttribute(
                StandardAttributes.CONTAINER_LABELS,
                Map.of("com.docker.compose.project", "shop", "quote", "say \"hi\" ü"))
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
            .sourcePort(0)
            .destinationAddress(TestEvents.address("2001:db8:0:0:0:0:0:7"))
            .destinationPort(8080)
            .timestampNanos(EpochNanos.of(T0) + 1)
            .kernelTimeNanos(Long.MAX_VALUE)
            .pid(1)
            .tid(2)
            .uid(0)
            .gid(0)
            .comm("java")
            .commandLine(null)
            .cgroupId(Long.MAX_VALUE)
            .cgroupName(null)
            .outcome(Outcome.PENDING)
            .errno(0)
            .build();
    ConnectionEvent refused =
        TestEvents.host(T0.plusSeconds(1), 9).outcome(Outcome.REFUSED).errno(111).build();

    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(List.of(container, ipv6Pending, refused));
    }

    List<Map<String, Object>> rows = Db.rows(file, "SELECT * FROM events ORDER BY id");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0))
        .contains(
            entry("timestamp_ns", EpochNanos.of(T0)),
            entry("kernel_time_ns", 1_000_000_443L),
            entry("event_type", "tcp_connect"),
            entry("protocol", "tcp"),
            entry("address_family", "ipv4"),
            entry("src_addr", "127.0.0.1"),
            entry("src_port", 40_443L),
            entry("dst_addr", "127.0.0.1"),
            entry("dst_port", 443L),
            entry("outcome", "established"),
            entry("errno", 0L),
            entry("handshake_ns", 45_000L),
            entry("pid", 4242L),
            entry("tid", 4243L),
            entry("uid", 4_294_967_294L),
            entry("gid", 65_534L),
            entry("process_name", "wget"),
            entry("process_cmdline", "curl http://127.0.0.1:443/"),
            entry("process_exe_path", "/bin/busybox"),
            entry("cgroup_id", 77L),
            entry("cgroup_name", "session-1.scope"),
            entry("container_id", "c0ffee" + "web".hashCode()),
            entry("container_name", "web"),
            entry("container_runtime", "docker"),
            entry("image_name", "lanthorn-test:busybox"),
            entry("image_id", "sha256:abc"),
            entry(
                "container_labels",
                "{\"com.docker.compose.project\":\"shop\",\"quote\":\"say \\\"hi\\\" ü\"}"),
            entry("compose_project", "shop"),
            entry("compose_service", "web"),
            entry("attribution_status", "attributed"),
            // The Rust Lanthorn's columns: its timestamp text, and what no plugin fills yet.
            entry("timestamp", "2026-11-25 14:03:07"),
            entry("domain_name", null),
            entry("is_threat", null),
            entry("threat_source", null),
            entry(
                "attributes",
                "{\"acme.flagged\":true,\"acme.rack\":7,\"acme.score\":0.5,"
                    + "\"acme.tags\":{\"a\":\"1\",\"b\":\"2\"},\"acme.zone\":\"eu-1\"}"));
    assertThat(rows.get(1))
        .contains(
            entry("address_family", "ipv6"),
            entry("src_addr", "::1"),
            entry("src_port", 0L),
            entry("dst_addr", "2001:db8::7"),
            entry("kernel_time_ns", Long.MAX_VALUE),
            entry("cgroup_id", Long.MAX_VALUE),
            entry("outcome", "pending"),
            entry("handshake_ns", null),
            entry("process_cmdline", null),
            entry("cgroup_name", null),
            entry("container_name", null),
            entry("container_labels", null),
            entry("attribution_status", null),
            entry("attributes", null));
    assertThat(rows.get(2)).contains(entry("outcome", "refused"), entry("errno", 111L));
  }

  @Test
  void sqlSeesLabelsAndReadableTimes() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(List.of(TestEvents.inContainer("web", T0, 443).build()));
    }

    assertThat(
            Db.rows(
                file,
                "SELECT time, json_extract(container_labels, '$.team') AS team FROM events_view"))
        .containsExactly(Map.of("time", "2026-11-25T14:03:07.123Z", "team", "payments"));
  }

  @Test
  void keepsASummaryPerContainerProcessAndDestination() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(
          List.of(
              TestEvents.inContainer("web", T0.plusSeconds(5), 443).build(),
              TestEvents.inContainer("web", T0, 443).outcome(Outcome.TIMED_OUT).build(),
              TestEvents.host(T0, 22).build()));
      sink.write(
          List.of(
              TestEvents.inContainer("web", T0.plusSeconds(60), 443)
                  .outcome(Outcome.REFUSED)
                  .build(),
              TestEvents.inContainer("web", T0.plusSeconds(1), 443)
                  .outcome(Outcome.PENDING)
                  .build(),
              TestEvents.host(T0.minusSeconds(10), 22).build()));
    }

    assertThat(
            Db.rows(
                file,
                "SELECT container_name, process_name, dst_addr, dst_port, protocol,"
                    + " connection_count, failed_count, first_seen_ns, last_seen_ns"
                    + " FROM connection_aggregations ORDER BY container_name"))
        .containsExactly(
            row("", "curl", 22, 2, 0, T0.minusSeconds(10), T0),
            row("web", "wget", 443, 4, 2, T0, T0.plusSeconds(60)));
  }

  @Test
  void closeAfterWriteLeavesEverythingCommittedAndCheckpointed() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    TestContext context = TestContext.forFile(file);
    SqliteSink sink = new SqliteSinkFactory().create(context);
    sink.write(TestEvents.hostBatch(T0, 500));
    sink.write(TestEvents.hostBatch(T0.plusSeconds(1), 250));
    sink.close();

    assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(750);
    assertThat(Db.count(file, "SELECT sum(connection_count) FROM connection_aggregations"))
        .isEqualTo(750);
    assertThat(context.metric("events.written")).isEqualTo(750);
    // The last connection to close copies the WAL into the database and removes it.
    assertThat(dir.resolve("lanthorn.db-wal")).doesNotExist();
  }

  @Test
  void createsTheFileAndItsCompanionsForTheOwnerOnly() throws Exception {
    Path file = dir.resolve("new/sub/lanthorn.db");
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(TestEvents.hostBatch(T0, 10));

      for (String name : List.of("lanthorn.db", "lanthorn.db-wal", "lanthorn.db-shm")) {
        assertThat(
                PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file.resolveSibling(name))))
            .as(name)
            .isEqualTo("rw-------");
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void tightensAnExistingFileReadableByOthers() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {}

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  private static Map<String, Object> row(
      String container,
      String process,
      int port,
      long count,
      long failed,
      Instant first,
      Instant last) {
    return Map.of(
        "container_name",
        container,
        "process_name",
        process,
        "dst_addr",
        "127.0.0.1",
        "dst_port",
        (long) port,
        "protocol",
        "tcp",
        "connection_count",
        count,
        "failed_count",
        failed,
        "first_seen_ns",
        EpochNanos.of(first),
        "last_seen_ns",
        EpochNanos.of(last));
  }
}
