package io.lanthorn.sink.sqlite.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.PluginException;
import io.lanthorn.sink.sqlite.Db;
import io.lanthorn.sink.sqlite.store.SchemaMigrator.Outcome;
import io.lanthorn.sink.sqlite.store.SchemaMigrator.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SchemaMigrator#migrate} without Flyway: an empty file becomes a copy of the build's
 * template, which must be what Flyway makes of it; a file with the template's history is left
 * alone; every other file still goes through Flyway.
 */
class SchemaTemplateTest {
  private static final String OBJECTS =
      "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master ORDER BY type, name";
  private static final String HISTORY =
      "SELECT installed_rank, version, description, type, script, checksum, installed_by, success"
          + " FROM flyway_schema_history ORDER BY installed_rank";

  @TempDir Path dir;

  @Test
  void anEmptyFileBecomesWhatFlywayMakesOfIt() throws Exception {
    Path flyway = dir.resolve("flyway.db");
    flyway(flyway).load().migrate();
    Path copied = dir.resolve("copied.db");
    // Flyway's own stamp format, in UTC like SQLite's 'now'; seconds, so the copy's is not earlier.
    String before =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    Outcome outcome = migrate(copied);

    assertThat(outcome).isEqualTo(new Outcome(latestKnownVersion(), Route.COPIED_TEMPLATE));
    assertThat(Db.rows(copied, OBJECTS)).isNotEmpty().isEqualTo(Db.rows(flyway, OBJECTS));
    assertThat(Db.rows(copied, HISTORY)).isNotEmpty().isEqualTo(Db.rows(flyway, HISTORY));
    for (String pragma :
        List.of("page_size", "auto_vacuum", "encoding", "user_version", "application_id")) {
      assertThat(Db.rows(copied, "PRAGMA " + pragma))
          .as(pragma)
          .isEqualTo(Db.rows(flyway, "PRAGMA " + pragma));
    }
    assertThat(Db.rows(copied, "SELECT installed_on FROM flyway_schema_history"))
        .as("stamped when copied, not when built")
        .allSatisfy(row -> assertThat((String) row.get("installed_on")).isGreaterThan(before));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copied)))
        .isEqualTo("rw-------");
    assertThat(dir.resolve("copied.db.new")).doesNotExist();
  }

  @Test
  void aFileWithTheTemplatesHistoryIsLeftAsItIs() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file).load().migrate();
    byte[] before = Files.readAllBytes(file);

    assertThat(migrate(file)).isEqualTo(new Outcome(latestKnownVersion(), Route.ALREADY_CURRENT));
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void anOlderFileIsUpgradedByFlyway() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file).target("3").load().migrate();

    assertThat(migrate(file)).isEqualTo(new Outcome(latestKnownVersion(), Route.FLYWAY));
    Path fresh = dir.resolve("fresh.db");
    migrate(fresh);
    assertThat(Db.rows(file, HISTORY)).isEqualTo(Db.rows(fresh, HISTORY));
  }

  @Test
  void aNewerFileIsStillRefusedUnchanged() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file)
        .locations(SchemaMigrator.MIGRATIONS, "classpath:db/migration/lanthorn-future")
        .load()
        .migrate();
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> migrate(file))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("schema version 99, newer than this Lanthorn knows");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void anEditedMigrationIsNotTakenForCurrent() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file).load().migrate();
    // As if V3 had been edited after this file was migrated: Flyway's validation must see it.
    Db.execute(
        file, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '3'");

    assertThatThrownBy(() -> migrate(file))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void aFailedMigrationInTheHistoryIsLeftToFlyway() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    flyway(file).load().migrate();
    Db.execute(
        file,
        "UPDATE flyway_schema_history SET success = 0"
            + " WHERE installed_rank = (SELECT max(installed_rank) FROM flyway_schema_history)");

    assertThatThrownBy(() -> migrate(file))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void anotherApplicationsDatabaseIsLeftToFlywaysRefusal() throws Exception {
    Path file = dir.resolve("other.db");
    Db.execute(file, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");

    assertThatThrownBy(() -> migrate(file))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("is a SQLite database but not Lanthorn's");
    assertThat(Db.rows(file, "SELECT name FROM sqlite_master"))
        .containsExactly(Map.of("name", "invoices"));
  }

  private static Outcome migrate(Path file) throws PluginException {
    return new SchemaMigrator(DatabaseFile.forWriting(file, Duration.ofSeconds(1))).migrate();
  }

  private static FluentConfiguration flyway(Path file) {
    return Flyway.configure()
        .dataSource("jdbc:sqlite:" + file, null, null)
        .locations(SchemaMigrator.MIGRATIONS);
  }

  private String latestKnownVersion() {
    return Arrays.stream(flyway(dir.resolve("versions.db")).load().info().all())
        .map(MigrationInfo::getVersion)
        .max(Comparator.naturalOrder())
        .orElseThrow()
        .getVersion();
  }
}
