package io.lanthorn.sink.sqlite.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.PluginException;
import io.lanthorn.sink.sqlite.Db;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.sink.sqlite.TestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SchemaMigrator#requireCurrent}, which readers ({@code lanthorn query}) run before asking
 * anything, reads the migrations' names and the file's history itself, without Flyway: it must
 * agree with Flyway.
 */
class ReaderSchemaCheckTest {
  @TempDir Path dir;

  @Test
  void knowsTheSameMigrationsAsFlyway() throws Exception {
    Path empty = dir.resolve("empty.db");
    var flyway =
        Arrays.stream(
                Flyway.configure()
                    .dataSource("jdbc:sqlite:" + empty, null, null)
                    .locations(SchemaMigrator.MIGRATIONS)
                    .load()
                    .info()
                    .all())
            .map(MigrationInfo::getVersion)
            .map(version -> Integer.parseInt(version.getVersion()))
            .toList();

    assertThat(KnownMigrations.versions(SchemaMigrator.class.getClassLoader()))
        .hasValueSatisfying(versions -> assertThat(versions).containsExactlyElementsOf(flyway));
  }

  @Test
  void acceptsAFileTheSinkMigrated() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink = new SqliteSinkFactory().create(TestContext.forFile(file))) {}

    assertThatCode(() -> check(file)).doesNotThrowAnyException();
  }

  @Test
  void refusesAnOlderFileSayingToStartTheAgent() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    Flyway.configure()
        .dataSource("jdbc:sqlite:" + file, null, null)
        .locations(SchemaMigrator.MIGRATIONS)
        .target("9")
        .load()
        .migrate();

    assertThatThrownBy(() -> check(file))
        .isInstanceOf(PluginException.class)
        .hasMessage(
            file
                + " was written by an older Lanthorn (schema 9): start the agent once to upgrade it");
  }

  @Test
  void refusesANewerFile() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink =
        new SqliteSinkFactory().create(TestContext.forFile(file, Map.of("retention", "0")))) {}
    Db.execute(
        file,
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
            + " installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL',"
            + " 'V99__future.sql', 'test', 0, 1)");

    assertThatThrownBy(() -> check(file))
        .isInstanceOf(PluginException.class)
        .hasMessageStartingWith(file + " has schema version 99, newer than this Lanthorn knows (");
  }

  @Test
  void refusesAFileWithoutLanthornsHistory() throws Exception {
    Path file = dir.resolve("other.db");
    Db.execute(file, "CREATE TABLE notes (text TEXT)");

    assertThatThrownBy(() -> check(file))
        .isInstanceOf(PluginException.class)
        .hasMessage(file + " holds no Lanthorn history: check --db-path (sink-sqlite.path)");
  }

  private static void check(Path file) throws PluginException {
    new SchemaMigrator(DatabaseFile.forReading(file, Duration.ofSeconds(1))).requireCurrent();
  }
}
