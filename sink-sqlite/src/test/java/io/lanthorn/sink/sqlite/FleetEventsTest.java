package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events from other hosts (through Kafka): the host stored, a replayed copy stored once. */
class FleetEventsTest {
  private static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  private static final AttributeKey<String> HOST_ID = AttributeKey.stringKey("host.id");
  private static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("lanthorn.event.id");

  @TempDir Path dir;

  private static ConnectionEvent remote(String host, int port) {
    ConnectionEvent event = TestEvents.host(TestEvents.NOW, port).build();
    return event
        .withAttribute(HOST_NAME, host)
        .withAttribute(HOST_ID, host + "-id")
        .withAttribute(EVENT_ID, host + "-id:" + event.kernelTimeNanos() + ":" + event.tid());
  }

  @Test
  void storesTheHostAndEachEventOnceHoweverOftenItArrives() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    ConnectionEvent a1 = remote("a", 1);
    ConnectionEvent a2 = remote("a", 2);
    ConnectionEvent b1 = remote("b", 1);
    ConnectionEvent local = TestEvents.host(TestEvents.NOW, 3).build();
    TestContext context = TestContext.forFile(file);

    try (SqliteSink sink = new SqliteSink()) {
      sink.start(context);
      sink.write(List.of(a1, b1, local, a1)); // repeated within a batch
      sink.write(List.of(a2, b1, local)); // b1 replayed; the local event has no id: kept
    }

    assertThat(
            Db.rows(
                file,
                "SELECT host_name, dst_port, event_uid IS NOT NULL AS has_uid"
                    + " FROM event_rows ORDER BY id"))
        .extracting(row -> row.get("host_name") + "/" + row.get("dst_port"))
        .containsExactly("a/1", "b/1", "null/3", "a/2", "null/3");
    assertThat(Db.count(file, "SELECT count(*) FROM event_rows WHERE attributes LIKE '%host.%'"))
        .as("the host is a column, not repeated in the attributes")
        .isZero();
    assertThat(context.metric("events.duplicates")).isEqualTo(2);

    // Several hosts in the file: lanthorn query names each row's host ("-": this agent's own).
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        new QueryCommand(Clock.fixed(TestEvents.NOW.plusSeconds(60), ZoneOffset.UTC))
            .run(
                ConfigFactory.parseResources("reference.conf").getConfig(SqliteSink.NAME),
                List.of("container", "-", "--since", "1h", "--db-path", file.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("|host|time")
        .contains("|a   |")
        .contains("|b   |")
        .contains("|-   |");
  }
}
