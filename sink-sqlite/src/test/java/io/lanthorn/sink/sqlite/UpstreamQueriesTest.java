package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.ConnectionEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Rust Lanthorn's own queries, as its code runs them (prepared, with parameters), against a
 * file this sink wrote: its {@code events} columns are all there with their meaning.
 */
class UpstreamQueriesTest {
  /** Every column of upstream's events table, after all of its migrations. */
  private static final List<String> UPSTREAM_COLUMNS =
      List.of(
          "id",
          "timestamp",
          "event_type",
          "protocol",
          "dst_addr",
          "dst_port",
          "pid",
          "cgroup_id",
          "container_id",
          "container_name",
          "image_name",
          "domain_name",
          "process_name",
          "process_cmdline",
          "is_threat",
          "threat_source");

  @TempDir Path dir;

  @Test
  void upstreamsQueriesRunUnchanged() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    // Times relative to now, as upstream's datetime('now') is: the test passes on any date.
    Instant now = Instant.now();
    ConnectionEvent old =
        TestEvents.inContainer("web", now.minus(Duration.ofDays(4)), 5432).build();
    ConnectionEvent recent =
        TestEvents.inContainer("web", now.minus(Duration.ofHours(1)), 5432).build();
    ConnectionEvent elsewhere = TestEvents.host(now.minus(Duration.ofMinutes(5)), 443).build();
    // Retention off: the sink must not delete the old event itself.
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(List.of(old, recent, elsewhere));
    }

    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      List<Map<String, Object>> destination =
          query(db, "SELECT * FROM events WHERE dst_addr = ? AND dst_port = ?", "127.0.0.1", 5432);
      assertThat(destination).hasSize(2);
      assertThat(destination.getFirst().keySet()).containsAll(UPSTREAM_COLUMNS);
      assertThat(destination.getFirst())
          .containsEntry("event_type", "tcp_connect")
          .containsEntry("protocol", "tcp")
          .containsEntry("dst_port", 5432)
          .containsEntry("container_name", "web")
          .containsEntry("image_name", "lanthorn-test:busybox")
          .containsEntry("process_name", "wget");
      // Upstream's timestamp: UTC text to the second, as datetime('now') writes it.
      assertThat((String) destination.getFirst().get("timestamp"))
          .isEqualTo(
              query(
                      db,
                      "SELECT datetime(?, 'unixepoch') AS t",
                      old.timestampNanos() / 1_000_000_000L)
                  .getFirst()
                  .get("t"));

      assertThat(
              query(
                  db,
                  "SELECT is_threat, threat_source FROM events WHERE dst_addr = ?",
                  "127.0.0.1"))
          .hasSize(3)
          .allSatisfy(
              row -> {
                assertThat(row.get("is_threat")).isNull();
                assertThat(row.get("threat_source")).isNull();
              });

      // SQLite reports 0 changed rows here: rows a view's trigger deletes are not counted.
      update(db, "DELETE FROM events WHERE timestamp < datetime('now', '-3 days')");
    }
    assertThat(Db.rows(file, "SELECT timestamp_ns FROM event_rows ORDER BY id"))
        .extracting(row -> row.get("timestamp_ns"))
        .containsExactly(recent.timestampNanos(), elsewhere.timestampNanos());
  }

  private static List<Map<String, Object>> query(Connection db, String sql, Object... parameters)
      throws Exception {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        ResultSetMetaData meta = result.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnLabel(i), result.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }

  private static void update(Connection db, String sql) throws Exception {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      statement.executeUpdate();
    }
  }
}
