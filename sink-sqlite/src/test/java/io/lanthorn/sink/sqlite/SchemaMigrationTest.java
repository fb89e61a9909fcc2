package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.PluginException;
import io.lanthorn.sink.sqlite.store.EpochNanos;
import io.lanthorn.sink.sqlite.store.SchemaMigrator;
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
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {}

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
    // A row an older agent wrote: into the table events up to version 3, event_rows after.
    boolean eventsIsATable =
        Db.count(
                file, "SELECT count(*) FROM sqlite_master WHERE name = 'events' AND type = 'table'")
            == 1;
    // Agents before version 5 wrote 'connect'; from version 5 on, the Rust Lanthorn's value.
    String eventType = Integer.parseInt(version) < 5 ? "connect" : "tcp_connect";
    Db.execute(
        file,
        "INSERT INTO "
            + (eventsIsATable ? "events" : "event_rows")
            + " (timestamp_ns, kernel_time_ns, event_type, protocol, address_family,"
            + " src_addr, src_port, dst_addr, dst_port, outcome, errno, pid, tid, uid, gid,"
            + " process_name, cgroup_id, container_name)"
            + " VALUES (1764079387000000000, 1, '"
            + eventType
            + "', 'tcp', 'ipv4', '127.0.0.1', 40000,"
            + " '127.0.0.1', 5432, 'refused', 111, 7, 7, 0, 0, 'psql', 9, 'db')");
    // Without a summary table yet, the upgrade creates one from the events already there.
    boolean summarisedByUpgrade =
        Db.count(file, "SELECT count(*) FROM sqlite_master WHERE name = 'connection_aggregations'")
            == 0;

    // Retention off: the old agent's row is older than the default three days.
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      sink.write(List.of(TestEvents.inContainer("db", TestEvents.NOW, 5432).comm("psql").build()));
    }

    assertThat(appliedVersions(file)).isEqualTo(knownVersions());
    assertThat(Db.count(file, "SELECT count(*) FROM events WHERE process_name = 'psql'"))
        .isEqualTo(2);
    // The older agent's 'connect' is the Rust Lanthorn's 'tcp_connect' now, like the new row's.
    assertThat(Db.rows(file, "SELECT DISTINCT event_type FROM events"))
        .containsExactly(Map.of("event_type", "tcp_connect"));
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
  void movingEventsIntoFactTablesKeepsEveryValueAndTheSinkReusesTheFacts() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    // Version 3: events is a table holding every fact in every row, as the first agents wrote it.
    flyway(file, SchemaMigrator.MIGRATIONS).target("3").load().migrate();
    Instant t0 = TestEvents.NOW.minusSeconds(600);
    String columns =
        "INSERT INTO events (id, timestamp_ns, kernel_time_ns, event_type, protocol,"
            + " address_family, src_addr, src_port, dst_addr, dst_port, outcome, errno,"
            + " handshake_ns, pid, tid, uid, gid, process_name, process_cmdline, process_exe_path,"
            + " cgroup_id, cgroup_name, container_id, container_name, container_runtime,"
            + " image_name, image_id, container_labels, compose_project, compose_service,"
            + " attribution_status, attributes) VALUES ";
    // What TestEvents.inContainer("db", …, 5432) makes, as the version-3 sink stored it.
    String dbContainer =
        "'curl http://127.0.0.1:5432/', NULL, 77, 'session-1.scope', 'c0ffee"
            + "db".hashCode()
            + "', 'db', NULL, 'lanthorn-test:busybox', NULL, '{\"team\":\"payments\"}', NULL,"
            + " NULL, 'attributed', NULL)";
    Db.execute(
        file,
        columns
            + "(5, "
            + EpochNanos.of(t0)
            + ", 1, 'connect', 'tcp', 'ipv4', '127.0.0.1', 45432, '127.0.0.1', 5432,"
            + " 'established', 0, 45000, 4242, 4243, 1000, 1000, 'wget', "
            + dbContainer,
        columns
            + "(6, "
            + EpochNanos.of(t0.plusSeconds(1))
            + ", 2, 'connect', 'tcp', 'ipv6', '::1', 0, '2001:db8::1', 443, 'refused', 111,"
            + " NULL, 4242, 4243, 1000, 1000, 'wget', "
            + dbContainer,
        // No facts at all: no process or container row, NULLs through the view.
        columns
            + "(9, "
            + EpochNanos.of(t0.plusSeconds(2))
            + ", 3, 'connect', 'tcp', 'ipv4', '127.0.0.1', 0, '127.0.0.1', 22, 'timed_out', 110,"
            + " NULL, 1, 1, 4294967294, 0, 'ssh', NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL, '{\"k8s.pod\":\"p\"}')",
        // The same container renamed, an executable but no command line, compose facts.
        columns
            + "(12, "
            + EpochNanos.of(t0.plusSeconds(3))
            + ", 4, 'connect', 'tcp', 'ipv4', '127.0.0.1', 40001, '127.0.0.1', 80, 'established',"
            + " 0, 1, 4242, 4243, 1000, 1000, 'wget', NULL, '/bin/wget', 77, 'session-1.scope',"
            + " 'c0ffee', 'db-old', 'docker', 'busybox', 'sha256:ab', '{}', 'shop', 'db',"
            + " 'attributed', NULL)");
    List<Map<String, Object>> before = Db.rows(file, "SELECT * FROM events_view ORDER BY id");
    long processes;

    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {
      // Every value kept; only event_type took upstream's name, and upstream's columns (V5) and
      // host_name (V8) came last.
      List<Map<String, Object>> expected =
          before.stream()
              .map(
                  row -> {
                    Map<String, Object> upgraded = new java.util.LinkedHashMap<>(row);
                    upgraded.put("event_type", "tcp_connect");
                    return upgraded;
                  })
              .toList();
      assertThat(
              Db.rows(file, "SELECT * FROM events_view ORDER BY id").stream()
                  .map(
                      row -> {
                        Map<String, Object> old = new java.util.LinkedHashMap<>(row);
                        old.keySet()
                            .removeAll(
                                List.of(
                                    "timestamp",
                                    "domain_name",
                                    "is_threat",
                                    "threat_source",
                                    "host_name",
                                    // V10: NULL for rows written before it.
                                    "direction",
                                    "duration_ns",
                                    "bytes_sent",
                                    "bytes_received",
                                    "closed",
                                    "datagrams",
                                    // V15: the stored codes.
                                    "event_type_code",
                                    "outcome_code"));
                        return old;
                      })
                  .toList())
          .isEqualTo(expected);
      assertThat(Db.count(file, "SELECT count(*) FROM containers")).isEqualTo(2);
      // Since V15 a process's name, ids and cgroup are among its facts: every event has some.
      processes = Db.count(file, "SELECT count(*) FROM processes");
      assertThat(
              Db.rows(
                  file,
                  "SELECT process_ref IS NULL AS p, container_ref IS NULL AS c FROM event_rows"
                      + " WHERE id = 9"))
          .containsExactly(Map.of("p", 0L, "c", 1L));

      // The upgraded agent goes on where the old one stopped, with the facts the upgrade stored.
      sink.write(List.of(TestEvents.inContainer("db", t0.plusSeconds(60), 5432).build()));
    }

    assertThat(Db.count(file, "SELECT count(*) FROM containers")).isEqualTo(2);
    assertThat(Db.count(file, "SELECT count(*) FROM processes")).isEqualTo(processes);
    assertThat(Db.rows(file, "SELECT id, container_name, process_cmdline FROM events ORDER BY id"))
        .extracting(row -> row.get("id") + " " + row.get("container_name"))
        .containsExactly("5 db", "6 db", "9 null", "12 db-old", "13 db");
    assertThat(Db.rows(file, "SELECT type FROM sqlite_master WHERE name = 'events'"))
        .containsExactly(Map.of("type", "view"));
    assertThat(
            Db.rows(
                file, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%facts'"))
        .as("the upgrade's own indexes are gone")
        .isEmpty();
  }

  @Test
  void anUpgradeThatFailsHalfWayLeavesTheOldTableAndVersion() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file, SchemaMigrator.MIGRATIONS).target("3").load().migrate();
    Db.execute(
        file,
        "INSERT INTO events (timestamp_ns, kernel_time_ns, event_type, protocol, address_family,"
            + " src_addr, src_port, dst_addr, dst_port, outcome, errno, pid, tid, uid, gid,"
            + " process_name, process_cmdline, cgroup_id)"
            + " VALUES (1, 1, 'connect', 'tcp', 'ipv4', '127.0.0.1', 40000, '127.0.0.1', 5432,"
            + " 'established', 0, 7, 7, 0, 0, 'psql', 'psql -h db', 9)",
        // Taken by a user: version 4 fails creating its own index of that name, after copying
        // the facts, before copying the events.
        "CREATE INDEX processes_facts ON events (pid)");

    assertThatThrownBy(
            () ->
                new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0"))))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(file.toString());

    assertThat(appliedVersions(file)).containsExactly("1", "2", "3");
    assertThat(Db.rows(file, "SELECT type FROM sqlite_master WHERE name = 'events'"))
        .containsExactly(Map.of("type", "table"));
    assertThat(Db.rows(file, "SELECT process_cmdline FROM events"))
        .containsExactly(Map.of("process_cmdline", "psql -h db"));
    assertThat(
            Db.count(
                file,
                "SELECT count(*) FROM sqlite_master"
                    + " WHERE name IN ('event_rows', 'processes', 'containers')"))
        .isZero();
  }

  /**
   * Schema 15 rebuilds event_rows with codes and numbers: every value of every kind of row an older
   * agent (or a user) wrote reads the same through the views afterwards.
   */
  @Test
  void leanRowsKeepEveryValueOfTheViews() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file, SchemaMigrator.MIGRATIONS).target("14").load().migrate();
    Db.execute(
        file,
        "INSERT INTO processes (id, process_cmdline, process_exe_path, cgroup_name,"
            + " first_seen_ns, last_seen_ns) VALUES (1, 'curl x', '/usr/bin/curl', 's.scope', 1, 2)",
        "INSERT INTO containers (id, container_id, container_name, image_name, container_labels,"
            + " first_seen_ns, last_seen_ns) VALUES (1, 'abc', 'web', 'nginx', '{}', 1, 2)",
        "INSERT INTO event_rows (timestamp_ns, kernel_time_ns, event_type, protocol,"
            + " address_family, src_addr, src_port, dst_addr, dst_port, outcome, errno,"
            + " handshake_ns, pid, tid, uid, gid, process_name, cgroup_id, container_name,"
            + " attribution_status, attributes, process_ref, container_ref, domain_name, is_threat,"
            + " threat_source, host_name, event_uid, duration_ns, bytes_sent, bytes_received,"
            + " closed, datagrams) VALUES"
            // An attributed, closed connection to a domain, from a high IPv4 address.
            + " (1764000000000000000, 5, 'tcp_connect', 'tcp', 'ipv4', '172.17.0.2', 40000,"
            + " '203.0.113.200', 443, 'established', 0, 1000, 10, 10, 0, 0, 'curl', 7, 'web',"
            + " 'attributed', NULL, 1, 1, 'example.org', 0, NULL, NULL, NULL, 5, 6, 7, 1, NULL),"
            // IPv6, refused, a name its containers row does not have, a threat.
            + " (1764000000000000001, 6, 'tcp_connect', 'tcp', 'ipv6', '::1', 40001, 'fe80::1',"
            + " 443, 'refused', 111, 1000, 10, 11, 4294967294, 1000, 'curl', 7, 'renamed',"
            + " 'not_in_container', '{\"k\":\"v\"}', 1, 1, NULL, 1, 'feodo', 'h1', 'u1', NULL,"
            + " NULL, NULL, NULL, NULL),"
            // An accept, a container name with no facts row, a third-party status, open.
            + " (1764000000000000002, 7, 'tcp_accept', 'tcp', 'ipv4', '127.0.0.1', 40002,"
            + " '127.0.0.1', 80, 'established', 0, NULL, 11, 11, 0, 0, 'nginx', 8, 'db', 'weird',"
            + " NULL, NULL, NULL, 'example.org', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0,"
            + " NULL),"
            // UDP from the unspecified address; every other outcome.
            + " (1764000000000000003, 8, 'udp_send', 'udp', 'ipv4', '0.0.0.0', 0,"
            + " '255.255.255.255', 53, 'sent', 0, NULL, 12, 12, 0, 0, '', 0, NULL, NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 64, NULL, NULL, 3),"
            + " (1764000000000000004, 9, 'tcp_connect', 'tcp', 'ipv4', '10.0.0.1', 0, '10.0.0.2',"
            + " 1, 'timed_out', 110, 5, 1, 1, 0, 0, 'a', 0, NULL, 'unknown_container', NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
            + " (1764000000000000005, 10, 'tcp_connect', 'tcp', 'ipv4', '10.0.0.1', 0,"
            + " '128.0.0.1', 1, 'unreachable', 113, 5, 1, 1, 0, 0, 'a', 0, NULL,"
            + " 'runtime_unavailable', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL),"
            + " (1764000000000000006, 11, 'tcp_connect', 'tcp', 'ipv4', '10.0.0.1', 0,"
            + " '255.0.0.0', 1, 'other', 1, 5, 1, 1, 0, 0, 'a', 0, NULL, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
            + " (1764000000000000007, 12, 'tcp_connect', 'tcp', 'ipv4', '10.0.0.1', 0,"
            + " '10.0.0.3', 1, 'pending', 0, NULL, 1, 1, 0, 0, 'a', 0, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    List<Map<String, Object>> events = Db.rows(file, "SELECT * FROM events_view ORDER BY id");
    List<Map<String, Object>> threats = Db.rows(file, "SELECT * FROM threat_events");

    flyway(file, SchemaMigrator.MIGRATIONS).target("15").load().migrate();

    assertThat(
            Db.rows(file, "SELECT * FROM events_view ORDER BY id").stream()
                .map(
                    row -> {
                      Map<String, Object> decoded = new java.util.LinkedHashMap<>(row);
                      decoded.keySet().removeAll(List.of("event_type_code", "outcome_code"));
                      return decoded;
                    })
                .toList())
        .isEqualTo(events);
    assertThat(Db.rows(file, "SELECT * FROM threat_events")).isEqualTo(threats).hasSize(1);
    assertThat(Db.rows(file, "SELECT typeof(src_ip) AS s, typeof(dst_ip) AS d FROM event_rows"))
        .extracting(row -> row.get("s") + " " + row.get("d"))
        .containsExactly(
            "integer integer",
            "text text",
            "integer integer",
            "integer integer",
            "integer integer",
            "integer integer",
            "integer integer",
            "integer integer");
    assertThat(Db.count(file, "SELECT count(*) FROM domains")).isEqualTo(1);
    assertThat(
            Db.count(
                file,
                "SELECT count(*) FROM sqlite_master WHERE name LIKE 'v15%' OR name LIKE '%_v15'"))
        .isZero();
  }

  @Test
  void refusesANewerSchemaAndLeavesTheFileAlone() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file, SchemaMigrator.MIGRATIONS, "classpath:db/migration/lanthorn-future")
        .load()
        .migrate();
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> new SqliteSinkFactory().create(TestContext.forFile(file)))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("schema version 99, newer than this Lanthorn knows")
        .hasMessageContaining("upgrade Lanthorn")
        .hasMessageNotContaining("\n");

    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void refusesAnotherApplicationsDatabase() throws Exception {
    Path file = dir.resolve("other.db");
    Db.execute(file, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");

    assertThatThrownBy(() -> new SqliteSinkFactory().create(TestContext.forFile(file)))
        .isInstanceOf(PluginException.class)
        .hasMessage(
            file
                + " is a SQLite database but not Lanthorn's: choose another sink-sqlite.path (--db-path)");
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
