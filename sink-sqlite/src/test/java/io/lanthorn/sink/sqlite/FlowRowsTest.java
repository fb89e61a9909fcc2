package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Protocol;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tcp_accept rows and closes stored as updates of the row they close (V10). */
class FlowRowsTest {
  private static final InetAddress CLIENT = TestEvents.address("127.0.0.1");
  private static final InetAddress SERVICE = TestEvents.address("172.17.0.2");

  @TempDir Path dir;

  static InboundAcceptEvent accept(long kernelTime, int clientPort) {
    EventHeader header =
        EventHeader.builder()
            .timestampNanos(EpochNanos.of(TestEvents.NOW) + kernelTime)
            .kernelTimeNanos(kernelTime)
            .pid(900)
            .tid(900)
            .comm("nc")
            .cgroupId(55)
            .cgroupName("docker-abc.scope")
            .build();
    return new InboundAcceptEvent(
            header,
            AddressFamily.INET,
            Protocol.TCP,
            SERVICE,
            8080,
            CLIENT,
            clientPort,
            Attributes.empty())
        .withAttribute(StandardAttributes.CONTAINER_NAME, "web");
  }

  static ConnectionCloseEvent close(
      boolean inbound, long opened, int localPort, int remotePort, long sent, long received) {
    EventHeader header =
        EventHeader.builder()
            .timestampNanos(EpochNanos.of(TestEvents.NOW) + opened + 5_000)
            .kernelTimeNanos(opened + 5_000)
            .comm("")
            .build();
    return new ConnectionCloseEvent(
        header,
        AddressFamily.INET,
        inbound,
        inbound ? SERVICE : CLIENT,
        localPort,
        inbound ? CLIENT : SERVICE,
        remotePort,
        opened,
        4_000,
        sent,
        received,
        Attributes.empty());
  }

  @Test
  void udpDatagramsAreARowPerIntervalWithTheirCount() throws Exception {
    Path db = dir.resolve("udp.db");
    EventHeader header =
        EventHeader.builder()
            .timestampNanos(EpochNanos.of(TestEvents.NOW))
            .kernelTimeNanos(7)
            .pid(31)
            .tid(31)
            .comm("udpsend")
            .cgroupId(55)
            .build();
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(db, Map.of("retention", "0")))) {
      sink.write(
          List.of(
              new io.lanthorn.api.UdpFlowEvent(
                  header,
                  AddressFamily.INET,
                  CLIENT,
                  40_000,
                  SERVICE,
                  9001,
                  1_000,
                  37_000,
                  5,
                  Attributes.empty())));
    }
    assertThat(
            Db.rows(
                db,
                "SELECT event_type, protocol, direction, outcome, src_port, dst_port, datagrams,"
                    + " bytes_sent, bytes_received, closed, handshake_ns FROM events"))
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .containsEntry("event_type", "udp_send")
                    .containsEntry("protocol", "udp")
                    .containsEntry("direction", "outbound")
                    .containsEntry("outcome", "sent")
                    .containsEntry("src_port", 40_000L)
                    .containsEntry("dst_port", 9001L)
                    .containsEntry("datagrams", 1_000L)
                    .containsEntry("bytes_sent", 37_000L)
                    .containsEntry("bytes_received", null)
                    .containsEntry("closed", null)
                    .containsEntry("handshake_ns", null));
    assertThat(Db.count(db, "SELECT count(*) FROM connection_aggregations")).isZero();
    // A flow's interval counts its datagrams and bytes in the rollups, and no failure.
    for (String rollup : List.of("rollup_minute", "rollup_hour")) {
      assertThat(
              Db.rows(
                  db,
                  "SELECT direction, event_type, outcome, connection_count, failed_count,"
                      + " bytes_sent FROM "
                      + rollup))
          .as(rollup)
          .containsExactly(
              Map.of(
                  "direction",
                  "outbound",
                  "event_type",
                  "udp_send",
                  "outcome",
                  "sent",
                  "connection_count",
                  1_000L,
                  "failed_count",
                  0L,
                  "bytes_sent",
                  37_000L));
    }
  }

  @Test
  void anAcceptIsARowWithTheServiceAsDestinationAndACloseUpdatesIt() throws Exception {
    Path db = dir.resolve("lanthorn.db");
    ConnectionEvent outbound =
        TestEvents.host(TestEvents.NOW, 8080)
            .sourcePort(50_001)
            .destinationAddress(SERVICE)
            .kernelTimeNanos(1_000)
            .build();
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(db, Map.of("retention", "0")))) {
      // Opening and closing in separate batches, and in one.
      sink.write(List.of(outbound, accept(1_100, 50_001)));
      sink.write(
          List.of(
              close(false, 1_000, 50_001, 8080, 1_048_576, 10_240),
              accept(2_000, 50_002),
              close(true, 2_000, 8080, 50_002, 7, 6),
              // Refers to nothing stored (opened before the agent started): ignored.
              close(true, 3_000, 8080, 50_003, 1, 1)));
      sink.write(List.of(accept(4_000, 50_004)));
    }

    List<Map<String, Object>> rows =
        Db.rows(
            db,
            "SELECT event_type, direction, src_addr, src_port, dst_addr, dst_port, outcome,"
                + " handshake_ns, process_name, pid, cgroup_name, container_name, duration_ns,"
                + " bytes_sent, bytes_received, closed FROM events ORDER BY id");
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0))
        .containsEntry("event_type", "tcp_connect")
        .containsEntry("direction", "outbound")
        .containsEntry("src_port", 50_001L)
        .containsEntry("dst_port", 8080L)
        .containsEntry("duration_ns", 4_000L)
        .containsEntry("bytes_sent", 1_048_576L)
        .containsEntry("bytes_received", 10_240L)
        .containsEntry("closed", 1L);
    // The same 4-tuple as the outbound row; still open: its close is in no batch.
    assertThat(rows.get(1))
        .containsEntry("event_type", "tcp_accept")
        .containsEntry("direction", "inbound")
        .containsEntry("src_addr", "127.0.0.1")
        .containsEntry("src_port", 50_001L)
        .containsEntry("dst_addr", "172.17.0.2")
        .containsEntry("dst_port", 8080L)
        .containsEntry("outcome", "established")
        .containsEntry("handshake_ns", null)
        .containsEntry("process_name", "nc")
        .containsEntry("pid", 900L)
        .containsEntry("cgroup_name", "docker-abc.scope")
        .containsEntry("container_name", "web")
        .containsEntry("duration_ns", null)
        .containsEntry("closed", 0L);
    assertThat(rows.get(2))
        .containsEntry("src_port", 50_002L)
        .containsEntry("bytes_sent", 7L)
        .containsEntry("bytes_received", 6L)
        .containsEntry("closed", 1L);
    assertThat(rows.get(3)).containsEntry("closed", 0L).containsEntry("bytes_sent", null);
    // Accepts are not in the outbound summary.
    assertThat(Db.count(db, "SELECT count(*) FROM connection_aggregations")).isEqualTo(1);
    // The rollups count accepts as inbound, and carry the closed connections' bytes under the
    // opening row's key, per minute and per hour alike.
    for (String table : List.of("rollup_minute", "rollup_hour")) {
      assertThat(
              Db.rows(
                  db,
                  "SELECT direction, event_type, sum(connection_count) AS connections,"
                      + " sum(bytes_sent) AS sent, sum(bytes_received) AS received FROM "
                      + table
                      + " GROUP BY direction, event_type ORDER BY direction"))
          .as(table)
          .containsExactly(
              Map.of(
                  "direction",
                  "inbound",
                  "event_type",
                  "tcp_accept",
                  "connections",
                  3L,
                  "sent",
                  7L,
                  "received",
                  6L),
              Map.of(
                  "direction",
                  "outbound",
                  "event_type",
                  "tcp_connect",
                  "connections",
                  1L,
                  "sent",
                  1_048_576L,
                  "received",
                  10_240L));
    }
  }

  @Test
  void aCloseInItsOpeningsBatchIsStoredExactlyAsOneThatCameInALaterBatch() throws Exception {
    ConnectionEvent outbound =
        TestEvents.host(TestEvents.NOW, 8080)
            .sourcePort(50_001)
            .destinationAddress(SERVICE)
            .kernelTimeNanos(1_000)
            .build();
    List<io.lanthorn.api.Event> openings = List.of(outbound, accept(1_100, 50_001));
    List<io.lanthorn.api.Event> closes =
        List.of(
            close(false, 1_000, 50_001, 8080, 1_048_576, 10_240),
            close(true, 1_100, 8080, 50_001, 10_240, 1_048_576));
    Path together = dir.resolve("together.db");
    Path apart = dir.resolve("apart.db");
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(together, Map.of("retention", "0")))) {
      // The closes first: the kernel's rings do not order a close after its opening.
      sink.write(List.of(closes.get(0), closes.get(1), openings.get(0), openings.get(1)));
    }
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(apart, Map.of("retention", "0")))) {
      sink.write(openings);
      sink.write(closes);
    }
    for (String query :
        List.of(
            "SELECT * FROM events ORDER BY id",
            "SELECT * FROM rollup_minute ORDER BY direction",
            "SELECT * FROM rollup_hour ORDER BY direction",
            "SELECT * FROM rollup_hour_destinations ORDER BY dst_port",
            "SELECT * FROM rollup_minute_totals ORDER BY direction")) {
      assertThat(Db.rows(together, query)).as(query).isEqualTo(Db.rows(apart, query));
    }
    assertThat(Db.rows(together, "SELECT closed, bytes_sent FROM events ORDER BY id"))
        .containsExactly(
            Map.of("closed", 1L, "bytes_sent", 1_048_576L),
            Map.of("closed", 1L, "bytes_sent", 10_240L));
  }

  @Test
  void aCloseClosesOnlyItsOwnHostsRowInACentralFile() throws Exception {
    Path db = dir.resolve("central.db");
    List<io.lanthorn.api.Event> openings = new java.util.ArrayList<>();
    for (String host : List.of("a", "b")) {
      openings.add(
          TestEvents.host(TestEvents.NOW, 8080)
              .sourcePort(50_001)
              .destinationAddress(SERVICE)
              .kernelTimeNanos(1_000)
              .hostName(host)
              .build());
    }
    ConnectionCloseEvent fromB =
        new ConnectionCloseEvent(
            EventHeader.builder()
                .timestampNanos(EpochNanos.of(TestEvents.NOW) + 6_000)
                .kernelTimeNanos(6_000)
                .comm("")
                .hostName("b")
                .build(),
            AddressFamily.INET,
            false,
            CLIENT,
            50_001,
            SERVICE,
            8080,
            1_000,
            4_000,
            70,
            80,
            Attributes.empty());
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(db, Map.of("retention", "0")))) {
      sink.write(openings);
      sink.write(List.of(fromB));
      // Both openings and the close in one batch: paired by host as well.
      sink.write(List.of(openings.get(0), openings.get(1), fromB));
    }
    assertThat(Db.rows(db, "SELECT host_name, closed, bytes_sent FROM events ORDER BY id"))
        .extracting(
            row -> row.get("host_name") + "/" + row.get("closed") + "/" + row.get("bytes_sent"))
        .containsExactly("a/0/null", "b/1/70", "a/0/null", "b/1/70");
  }
}
