package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.AddressFamily;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.Attributes;
import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventHeader;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.UdpFlowEvent;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events from other hosts (through Kafka): each row names its host (the header's), in {@code
 * event_rows} and the {@code events} view, and a replayed copy is stored once.
 */
class FleetEventsTest {
  private static final AttributeKey<String> HOST_ID = AttributeKey.stringKey("host.id");
  private static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("lanthorn.event.id");

  @TempDir Path dir;

  private static ConnectionEvent remote(String host, int port) {
    ConnectionEvent event = TestEvents.host(TestEvents.NOW, port).hostName(host).build();
    return event
        .withAttribute(HOST_ID, host + "-id")
        .withAttribute(EVENT_ID, host + "-id:" + event.kernelTimeNanos() + ":" + event.tid());
  }

  @Test
  void storesTheHostAndEachEventOnceHoweverOftenItArrives() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    ConnectionEvent a1 = remote("a", 1);
    ConnectionEvent a2 = remote("a", 2);
    ConnectionEvent b1 = remote("b", 1);
    ConnectionEvent local = TestEvents.host(TestEvents.NOW, 3).hostName("central").build();
    TestContext context = TestContext.forFile(file);

    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(List.of(a1, b1, local, a1)); // repeated within a batch
      sink.write(List.of(a2, b1, local)); // b1 replayed; the local event has no id: kept
    }

    assertThat(Db.rows(file, "SELECT host_name, dst_port FROM events ORDER BY id"))
        .extracting(row -> row.get("host_name") + "/" + row.get("dst_port"))
        .containsExactly("a/1", "b/1", "central/3", "a/2", "central/3");
    assertThat(Db.count(file, "SELECT count(*) FROM events_view WHERE host_name = 'a'"))
        .isEqualTo(2);
    assertThat(Db.count(file, "SELECT count(DISTINCT event_uid) FROM event_rows")).isEqualTo(3);
    assertThat(Db.count(file, "SELECT count(*) FROM event_rows WHERE attributes LIKE '%event.id%'"))
        .as("the id is a column, not repeated in the attributes")
        .isZero();
    assertThat(context.metric("events.duplicates")).isEqualTo(2);
    assertThat(context.metric("events.written")).isEqualTo(5);
    // The replay check finds ids through the unique index, which lists only rows that have one
    // (V14): a host's own rows cost it nothing.
    assertThat(
            Db.rows(
                file,
                "EXPLAIN QUERY PLAN SELECT event_uid FROM event_rows WHERE event_uid IN ('x', 'y')"))
        .extracting(row -> row.get("detail"))
        .containsExactly(
            "SEARCH event_rows USING COVERING INDEX event_rows_event_uid (event_uid=?)");
    assertThat(
            Db.count(
                file,
                "SELECT count(*) FROM event_rows INDEXED BY event_rows_event_uid"
                    + " WHERE event_uid IS NOT NULL"))
        .isEqualTo(3);
  }

  private static <E extends Event> E identified(E event, String id) {
    @SuppressWarnings("unchecked") // withAttribute returns the event's own type
    E copy = (E) event.withAttribute(HOST_ID, "a-id").withAttribute(EVENT_ID, id);
    return copy;
  }

  @Test
  void replayedAcceptsFlowsAndClosesAreStoredOnceAndTheirBytesAddedOnce() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    InboundAcceptEvent accept =
        identified(FlowRowsTest.accept(1_000, 50_001), "a-id:1000:900:tcp_accept:50001-8080");
    UdpFlowEvent udp =
        identified(
            new UdpFlowEvent(
                EventHeader.builder()
                    .timestampNanos(EpochNanos.of(TestEvents.NOW))
                    .kernelTimeNanos(2_000)
                    .tid(31)
                    .comm("dig")
                    .build(),
                AddressFamily.INET,
                TestEvents.address("127.0.0.1"),
                40_000,
                TestEvents.address("127.0.0.53"),
                53,
                3,
                120,
                500,
                Attributes.empty()),
            "a-id:2000:31:udp_send");
    ConnectionCloseEvent close =
        identified(
            FlowRowsTest.close(true, 1_000, 8080, 50_001, 300, 700),
            "a-id:6000:0:tcp_close:50001-8080");
    TestContext context = TestContext.forFile(file);

    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(List.of(accept, udp, close, close)); // the close repeated within the batch
      sink.write(List.of(accept, udp, close)); // all replayed
    }

    assertThat(
            Db.rows(
                file,
                "SELECT e.event_type, r.event_uid, e.closed, e.duration_ns, e.bytes_sent,"
                    + " e.bytes_received, e.datagrams FROM events e JOIN event_rows r USING (id)"
                    + " ORDER BY id"))
        .extracting(row -> (List<Object>) new ArrayList<Object>(row.values()))
        .containsExactly(
            Arrays.<Object>asList(
                "tcp_accept", "a-id:1000:900:tcp_accept:50001-8080", 1L, 4_000L, 300L, 700L, null),
            Arrays.<Object>asList("udp_send", "a-id:2000:31:udp_send", null, null, 120L, null, 3L));
    for (String rollup : List.of("rollup_minute", "rollup_hour")) {
      assertThat(Db.count(file, "SELECT sum(bytes_sent) FROM " + rollup))
          .as("%s: the close's bytes and the flow's, once each", rollup)
          .isEqualTo(300 + 120);
      assertThat(Db.count(file, "SELECT sum(bytes_received) FROM " + rollup)).isEqualTo(700);
    }
    // The accept and the flow replayed, the close repeated within its batch; the replayed close
    // found no open row to update (closes keep no id).
    assertThat(context.metric("events.duplicates")).isEqualTo(3);
  }

  @Test
  void theEventsViewStillDeletesThroughItsTrigger() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {
      sink.write(List.of(remote("a", 1), remote("b", 2)));
    }

    Db.execute(file, "DELETE FROM events WHERE host_name = 'a'");

    assertThat(Db.count(file, "SELECT count(*) FROM event_rows")).isEqualTo(1);
  }
}
