package io.lanthorn.sink.sqlite.store;

import io.lanthorn.api.PluginException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Brings a database to the schema in {@code lanthorn-sql}'s migrations, the same ones the build
 * generated its table references from, and refuses one written by a newer Lanthorn.
 */
public final class SchemaMigrator {
  /** Where {@code lanthorn-sql} keeps its migrations on the class path. */
  public static final String MIGRATIONS = "classpath:db/migration/lanthorn";

  private final DatabaseFile file;

  public SchemaMigrator(DatabaseFile file) {
    this.file = file;
  }

  /** Flyway, configured when first needed: a reader's {@link #requireCurrent} does without. */
  private Flyway flyway() {
    return Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(file.dataSource())
        .locations(MIGRATIONS)
        // A plugin jar missing its migrations must fail, not create an empty database.
        .failOnMissingLocations(true)
        .load();
  }

  /** How {@link #migrate} brought the file to its schema. */
  public enum Route {
    /** The file was empty: it is now a copy of the build's template, without Flyway. */
    COPIED_TEMPLATE,
    /** The file's history was the template's already: nothing to do, without Flyway. */
    ALREADY_CURRENT,
    /** Flyway upgraded the file (or found nothing to do in a history it had to check itself). */
    FLYWAY
  }

  /** The schema version now in the file, and how it got there. */
  public record Outcome(String version, Route route) {}

  /**
   * Applies pending migrations; refuses, changing nothing, a database whose schema is newer than
   * the migrations this build knows. An empty file becomes a copy of the build's template, and a
   * file whose history is the template's is left alone; only other files load Flyway.
   */
  public Outcome migrate() throws PluginException {
    Optional<SchemaTemplate> template = SchemaTemplate.onClassPath();
    if (template.isPresent()) {
      try {
        if (isEmpty(file.path())) {
          return new Outcome(template.get().copyTo(file.path()), Route.COPIED_TEMPLATE);
        }
        try (Connection connection = file.connect()) {
          Optional<String> current = template.get().versionIfCurrent(connection);
          if (current.isPresent()) {
            return new Outcome(current.get(), Route.ALREADY_CURRENT);
          }
        }
      } catch (IOException | SQLException e) {
        throw new PluginException(SqliteErrors.explain(file.path(), e, "create"), e);
      }
    }
    try {
      Flyway flyway = flyway();
      MigrationInfoService info = flyway.info();
      refuseNewer(info);
      flyway.migrate();
      return new Outcome(latestKnown(info).getVersion(), Route.FLYWAY);
    } catch (FlywayException e) {
      throw new PluginException(explain(e), e);
    }
  }

  /** No byte written yet, and no write-ahead log that SQLite would replay into it. */
  private static boolean isEmpty(Path path) throws IOException {
    Path wal = path.resolveSibling(path.getFileName() + "-wal");
    return Files.size(path) == 0 && (!Files.exists(wal) || Files.size(wal) == 0);
  }

  /**
   * Checks, without changing anything, that the file holds exactly this build's schema, for readers
   * that cannot migrate. Compares the migrations' file names with the file's {@code
   * flyway_schema_history} directly: Flyway's own check costs a cold JVM about a second, most of
   * what {@code lanthorn query} would otherwise spend before its answer.
   */
  public void requireCurrent() throws PluginException {
    Optional<SortedSet<Integer>> known =
        KnownMigrations.versions(SchemaMigrator.class.getClassLoader());
    if (known.isEmpty()) {
      requireCurrentWithFlyway();
      return;
    }
    SortedSet<Integer> applied = new TreeSet<>();
    try (Connection connection = file.connect();
        Statement statement = connection.createStatement()) {
      try (ResultSet table =
          statement.executeQuery(
              "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                  + " AND name = 'flyway_schema_history'")) {
        if (!table.next()) {
          throw new PluginException(noHistory());
        }
      }
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
        while (rows.next()) {
          String version = rows.getString(1);
          if (!version.chars().allMatch(Character::isDigit)) {
            requireCurrentWithFlyway();
            return;
          }
          applied.add(Integer.parseInt(version));
        }
      }
    } catch (SQLException e) {
      throw new PluginException(SqliteErrors.explain(file.path(), e, "read"), e);
    }
    if (applied.isEmpty()) {
      throw new PluginException(noHistory());
    }
    if (applied.last() > known.get().last()) {
      throw new PluginException(newer(String.valueOf(applied.last()), known.get().last()));
    }
    if (!applied.containsAll(known.get())) {
      throw new PluginException(older(String.valueOf(applied.last())));
    }
  }

  /** {@link #requireCurrent} by Flyway, for migrations whose versions are not plain numbers. */
  private void requireCurrentWithFlyway() throws PluginException {
    try {
      MigrationInfoService info = flyway().info();
      refuseNewer(info);
      if (info.current() == null) {
        throw new PluginException(noHistory());
      }
      if (info.pending().length > 0) {
        throw new PluginException(older(info.current().getVersion().toString()));
      }
    } catch (FlywayException e) {
      throw new PluginException(explain(e), e);
    }
  }

  private void refuseNewer(MigrationInfoService info) throws PluginException {
    boolean newer =
        Arrays.stream(info.applied())
            .map(MigrationInfo::getState)
            .anyMatch(s -> s == MigrationState.FUTURE_SUCCESS || s == MigrationState.FUTURE_FAILED);
    if (newer) {
      throw new PluginException(newer(info.current().getVersion().toString(), latestKnown(info)));
    }
  }

  private String noHistory() {
    return file.path() + " holds no Lanthorn history: check --db-path (sink-sqlite.path)";
  }

  private String newer(String version, Object known) {
    return file.path()
        + " has schema version "
        + version
        + ", newer than this Lanthorn knows ("
        + known
        + "): upgrade Lanthorn, or choose another sink-sqlite.path (--db-path); the file"
        + " was left as it is";
  }

  private String older(String version) {
    return file.path()
        + " was written by an older Lanthorn (schema "
        + version
        + "): start the agent once to upgrade it";
  }

  private static MigrationVersion latestKnown(MigrationInfoService info) {
    return Arrays.stream(info.all())
        .filter(m -> m.getState().isResolved())
        .map(MigrationInfo::getVersion)
        .max(Comparator.naturalOrder())
        .orElse(MigrationVersion.EMPTY);
  }

  private String explain(FlywayException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.contains("non-empty schema") && message.contains("no schema history table")) {
      return file.path()
          + " is a SQLite database but not Lanthorn's: choose another sink-sqlite.path"
          + " (--db-path)";
    }
    return SqliteErrors.explain(file.path(), e, "migrate");
  }
}
