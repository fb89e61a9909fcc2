package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.PluginException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaMigrationTest {
  @TempDir Path dir;

  @Test
  void migratesAnEmptyFileToTheLatestVersion() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink = new SqliteSink()) {
      sink.start(TestContext.forFile(file));
    }

    assertThat(appliedVersions(file)).isEqualTo(knownVersions());
    assertThat(Db.rows(file, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"))
        .extracting(row -> row.get("name"))
        .contains(
            "event_rows",
            "containers",
            "processes",
            "events",
            "events_view",
            "connection_aggregations",
            "connection_aggregations_view",
            "collection_health",
            "collection_health_hourly");
  }

  static Stream<String> earlierVersions() {
    List<String> known = knownVersions();
    return known.subList(0, known.size() - 1).stream();
  }

  @ParameterizedTest(name = "from version {0}")
  @MethodSource("earlierVersions")
  void upgradesEveryEarlierVersionKeepingItsRows(String version) throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file, SchemaMigrator.MIGRATIONS).target(version).load().migrate();
    // event_rows exists since version 1 with these columns: a row an older agent wrote.
    Db.execute(
        file,
        "INSERT INTO event_rows (timestamp_ns, kernel_time_ns, event_type, protocol, address_family,"
            + " src_addr, src_port, dst_addr, dst_port, outcome, errno, pid, tid, uid, gid,"
            + " process_name, cgroup_id, container_name)"
            + " VALUES (1764079387000000000, 1, 'connect', 'tcp', 'ipv4', '127.0.0.1', 40000,"
            + " '127.0.0.1', 5432, 'refused', 111, 7, 7, 0, 0, 'psql', 9, 'db')");
    // Without a summary table yet, the upgrade creates one from the events already there.
    boolean summarisedByUpgrade =
        Db.count(file, "SELECT count(*) FROM sqlite_master WHERE name = 'connection_aggregations'")
            == 0;

    try (SqliteSink sink = new SqliteSink()) {
      // Retention off: the old agent's row is older than the default three days.
      sink.start(TestContext.forFile(file, Map.of("retention", "0")));
      sink.write(List.of(TestEvents.inContainer("db", Instant.now(), 5432).comm("psql").build()));
    }

    assertThat(appliedVersions(file)).isEqualTo(knownVersions());
    assertThat(Db.count(file, "SELECT count(*) FROM events WHERE process_name = 'psql'"))
        .isEqualTo(2);
    // A summary created by the upgrade includes what the older agent had written.
    assertThat(
            Db.rows(
                file,
                "SELECT connection_count, failed_count FROM connection_aggregations"
                    + " WHERE container_name = 'db' AND dst_port = 5432"))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get("connection_count")).isEqualTo(summarisedByUpgrade ? 2L : 1L);
              assertThat(row.get("failed_count")).isEqualTo(summarisedByUpgrade ? 1L : 0L);
            });
  }

  @Test
  void refusesANewerSchemaAndLeavesTheFileAlone() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file, SchemaMigrator.MIGRATIONS, "classpath:db/migration/lanthorn-future")
        .load()
        .migrate();
    byte[] before = Files.readAllBytes(file);

    SqliteSink sink = new SqliteSink();
    assertThatThrownBy(() -> sink.start(TestContext.forFile(file)))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("schema version 99, newer than this Lanthorn knows")
        .hasMessageContaining("upgrade Lanthorn")
        .hasMessageNotContaining("\n");
    sink.close();

    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void refusesAnotherApplicationsDatabase() throws Exception {
    Path file = dir.resolve("other.db");
    Db.execute(file, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");

    SqliteSink sink = new SqliteSink();
    assertThatThrownBy(() -> sink.start(TestContext.forFile(file)))
        .isInstanceOf(PluginException.class)
        .hasMessage(
            file
                + " is a SQLite database but not Lanthorn's: choose another sink-sqlite.path (--db-path)");
    sink.close();
    assertThat(Db.count(file, "SELECT count(*) FROM sqlite_master WHERE name = 'events'")).isZero();
  }

  private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(
      Path file, String... locations) {
    return Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null).locations(locations);
  }

  /** The versions of lanthorn-sql's migrations, oldest first. */
  private static List<String> knownVersions() {
    try {
      Path empty = Files.createTempFile("lanthorn-versions", ".db");
      try {
        return Arrays.stream(flyway(empty, SchemaMigrator.MIGRATIONS).load().info().all())
            .map(MigrationInfo::getVersion)
            .map(MigrationVersion::getVersion)
            .toList();
      } finally {
        Files.delete(empty);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> appliedVersions(Path file) {
    return Db.rows(file, "SELECT version FROM flyway_schema_history ORDER BY installed_rank")
        .stream()
        .map(row -> (String) row.get("version"))
        .toList();
  }
}
