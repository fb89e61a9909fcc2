package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.PluginException;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.sink.sqlite.store.DatabaseFile;
import io.lanthorn.sink.sqlite.store.DatabaseLock;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import io.lanthorn.sink.sqlite.store.Jooq;
import io.lanthorn.sink.sqlite.store.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container and process facts are stored once, referred to by number, and read back whole. */
class FactTablesTest {
  private static final Instant T0 = TestEvents.NOW.plus(Duration.ofHours(2));

  @TempDir Path dir;

  @Test
  void storesEachSetOfFactsOnceWithWhenItWasSeen() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(
          List.of(
              TestEvents.inContainer("web", T0.plusSeconds(5), 443).build(),
              TestEvents.inContainer("web", T0, 443).build(),
              TestEvents.inContainer("db", T0, 5432).build(),
              TestEvents.host(T0, 22).build()));
      sink.write(List.of(TestEvents.inContainer("web", T0.plusSeconds(60), 443).build()));
    }

    assertThat(
            Db.rows(
                file,
                "SELECT container_name, first_seen_ns, last_seen_ns FROM containers"
                    + " ORDER BY container_name"))
        .containsExactly(
            Map.of(
                "container_name",
                "db",
                "first_seen_ns",
                EpochNanos.of(T0),
                "last_seen_ns",
                EpochNanos.of(T0)),
            Map.of(
                "container_name",
                "web",
                "first_seen_ns",
                EpochNanos.of(T0),
                "last_seen_ns",
                EpochNanos.of(T0.plusSeconds(60))));
    // Three command lines (two ports in containers, one on the host), all in one cgroup.
    assertThat(Db.count(file, "SELECT count(*) FROM processes")).isEqualTo(3);
    assertThat(Db.count(file, "SELECT count(*) FROM event_rows WHERE container_ref IS NULL"))
        .as("the host process has no container facts")
        .isEqualTo(1);
    assertThat(
            Db.rows(
                file,
                "SELECT DISTINCT container_name, image_name, process_cmdline FROM events"
                    + " ORDER BY 1"))
        .containsExactly(
            row("container_name", null, "image_name", null, "process_cmdline", cmdline(22)),
            row(
                "container_name",
                "db",
                "image_name",
                "lanthorn-test:busybox",
                "process_cmdline",
                cmdline(5432)),
            row(
                "container_name",
                "web",
                "image_name",
                "lanthorn-test:busybox",
                "process_cmdline",
                cmdline(443)));
  }

  @Test
  void aRestartedSinkReusesTheRowsOfFactsItSeesAgain() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    ConnectionEvent labelled =
        TestEvents.inContainer("web", T0, 443)
            .build()
            .withAttribute(
                StandardAttributes.CONTAINER_LABELS,
                Map.of("com.docker.compose.project", "shop", "quote", "say \"hi\" ü"));
    for (int run = 0; run < 2; run++) {
      try (SqliteSink sink =
          new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
        sink.write(List.of(labelled, TestEvents.inContainer("db", T0, 5432).build()));
      }
    }
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(List.of(TestEvents.inContainer("new", T0, 80).build()));
    }

    assertThat(Db.rows(file, "SELECT id, container_name FROM containers ORDER BY id"))
        .containsExactly(
            Map.of("id", 1L, "container_name", "web"),
            Map.of("id", 2L, "container_name", "db"),
            Map.of("id", 3L, "container_name", "new"));
    assertThat(Db.count(file, "SELECT count(*) FROM processes")).isEqualTo(3);
    assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(5);
  }

  @Test
  void aChangedFactGetsARowOfItsOwnAndEveryEventKeepsItsOwnFacts() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    ConnectionEvent before = TestEvents.inContainer("web", T0, 443).build();
    ConnectionEvent renamed =
        TestEvents.inContainer("web", T0.plusSeconds(1), 443)
            .build()
            .withAttribute(StandardAttributes.CONTAINER_NAME, "web-old");
    ConnectionEvent relabelled =
        TestEvents.inContainer("web", T0.plusSeconds(2), 443)
            .build()
            .withAttribute(StandardAttributes.CONTAINER_LABELS, Map.of("team", "search"));
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(List.of(before, renamed, relabelled, before));
    }

    assertThat(Db.count(file, "SELECT count(*) FROM containers")).isEqualTo(3);
    assertThat(
            Db.rows(
                file,
                "SELECT container_name, json_extract(container_labels, '$.team') AS team"
                    + " FROM events ORDER BY id"))
        .extracting(r -> r.get("container_name") + "/" + r.get("team"))
        .containsExactly("web/payments", "web-old/payments", "web/search", "web/payments");
  }

  @Test
  void aFailedBatchLeavesNoEventWithoutItsFacts() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      // A real SQLite failure in the middle of the batch, after its facts were numbered.
      Db.execute(
          file,
          "CREATE TRIGGER refuse_port_666 BEFORE INSERT ON event_rows WHEN NEW.dst_port = 666"
              + " BEGIN SELECT RAISE(ABORT, 'port 666 refused by the test'); END");
      assertThatThrownBy(
              () ->
                  sink.write(
                      List.of(
                          TestEvents.inContainer("new", T0, 80).build(),
                          TestEvents.inContainer("new", T0, 666).build())))
          .isInstanceOf(PluginException.class);
      assertThat(Db.count(file, "SELECT count(*) FROM containers")).isZero();

      sink.write(List.of(TestEvents.inContainer("new", T0.plusSeconds(1), 80).build()));
    }

    assertThat(Db.rows(file, "SELECT container_id, image_name, process_cmdline FROM events"))
        .containsExactly(
            row(
                "container_id",
                "c0ffee" + "new".hashCode(),
                "image_name",
                "lanthorn-test:busybox",
                "process_cmdline",
                cmdline(80)));
  }

  @Test
  void retentionDeletesFactsNoKeptEventUsesAndTheSinkWritesThemAgainWhenTheyReturn()
      throws Exception {
    Path file = dir.resolve("lanthorn.db");
    Instant now = TestEvents.NOW;
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(
          List.of(
              TestEvents.inContainer("gone", now.minus(Duration.ofDays(5)), 80).build(),
              TestEvents.inContainer("kept", now.minus(Duration.ofDays(5)), 81).build(),
              TestEvents.inContainer("kept", now.minus(Duration.ofHours(1)), 81).build()));

      try (Connection connection = DatabaseFile.forWriting(file, Duration.ofSeconds(5)).connect()) {
        new Retention(Jooq.using(connection), 1000)
            .deleteOlderThan(EpochNanos.of(now.minus(Duration.ofDays(1))), () -> true);
      }
      assertThat(Db.rows(file, "SELECT container_name FROM containers"))
          .containsExactly(Map.of("container_name", "kept"));
      assertThat(Db.rows(file, "SELECT process_cmdline FROM processes"))
          .containsExactly(Map.of("process_cmdline", cmdline(81)));

      // This sink numbered the deleted facts before: using them again writes them again.
      sink.write(List.of(TestEvents.inContainer("gone", now, 80).build()));
    }

    assertThat(Db.rows(file, "SELECT container_name, process_cmdline FROM events ORDER BY id"))
        .containsExactly(
            row("container_name", "kept", "process_cmdline", cmdline(81)),
            row("container_name", "gone", "process_cmdline", cmdline(80)));
    assertThat(Db.count(file, "SELECT count(*) FROM containers")).isEqualTo(2);
    assertThat(Db.count(file, "SELECT count(*) FROM processes")).isEqualTo(2);
  }

  @Test
  void aSecondWriterBypassingTheLockFailsABatchRatherThanMixUpFactsAndThenCarriesOn()
      throws Exception {
    Path file = dir.resolve("lanthorn.db");
    Map<String, Object> noRetention = Map.of("retention", "0");
    // Both start on an empty file, so both would number their first container facts 1. The lock
    // (DatabaseLockTest) keeps a second agent out; a writer that ignores it, such as an older
    // Lanthorn, is played by deleting the first one's lock file.
    try (SqliteSink first =
        new SqliteSinkFactory().create(TestContext.forFile(file, noRetention))) {
      Files.delete(DatabaseLock.lockFileOf(file));
      try (SqliteSink second =
          new SqliteSinkFactory().create(TestContext.forFile(file, noRetention))) {
        first.write(List.of(TestEvents.inContainer("web", T0, 443).build()));

        ConnectionEvent db = TestEvents.inContainer("db", T0.plusSeconds(1), 5432).build();
        assertThatThrownBy(() -> second.write(List.of(db)))
            .isInstanceOf(PluginException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("is a second Lanthorn agent writing this file?")
            .hasMessageNotContaining("\n");
        // Retried, as the pipeline does: numbered after the other agent's rows this time.
        second.write(List.of(db));
        first.write(List.of(TestEvents.inContainer("web", T0.plusSeconds(2), 443).build()));
      }
    }

    assertThat(
            Db.rows(
                file,
                "SELECT container_name, container_id, process_cmdline FROM events ORDER BY id"))
        .containsExactly(
            row(
                "container_name",
                "web",
                "container_id",
                "c0ffee" + "web".hashCode(),
                "process_cmdline",
                cmdline(443)),
            row(
                "container_name",
                "db",
                "container_id",
                "c0ffee" + "db".hashCode(),
                "process_cmdline",
                cmdline(5432)),
            row(
                "container_name",
                "web",
                "container_id",
                "c0ffee" + "web".hashCode(),
                "process_cmdline",
                cmdline(443)));
    assertThat(Db.count(file, "SELECT count(*) FROM containers")).isEqualTo(2);
  }

  private static String cmdline(int port) {
    return "curl http://127.0.0.1:" + port + "/";
  }

  /** A row that may hold nulls, which Map.of cannot. */
  private static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return row;
  }
}
