package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import java.nio.file.Path;
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
