package io.lanthorn.sink.sqlite;

import io.lanthorn.api.PluginException;
import java.util.Arrays;
import java.util.Comparator;
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
  static final String MIGRATIONS = "classpath:db/migration/lanthorn";

  private final DatabaseFile file;
  private final Flyway flyway;

  public SchemaMigrator(DatabaseFile file) {
    this.file = file;
    this.flyway =
        Flyway.configure(SchemaMigrator.class.getClassLoader())
            .dataSource(file.dataSource())
            .locations(MIGRATIONS)
            // A plugin jar missing its migrations must fail, not create an empty database.
            .failOnMissingLocations(true)
            .load();
  }

  /**
   * Applies pending migrations; refuses, changing nothing, a database whose schema is newer than
   * the migrations this build knows.
   *
   * @return the schema version now in the file
   */
  MigrationVersion migrate() throws PluginException {
    try {
      MigrationInfoService info = flyway.info();
      refuseNewer(info);
      flyway.migrate();
      return latestKnown(info);
    } catch (FlywayException e) {
      throw new PluginException(explain(e), e);
    }
  }

  /**
   * Checks, without changing anything, that the file holds exactly this build's schema, for readers
   * that cannot migrate.
   */
  public void requireCurrent() throws PluginException {
    try {
      MigrationInfoService info = flyway.info();
      refuseNewer(info);
      if (info.current() == null) {
        throw new PluginException(
            file.path() + " holds no Lanthorn history: check --db-path (sink-sqlite.path)");
      }
      if (info.pending().length > 0) {
        throw new PluginException(
            file.path()
                + " was written by an older Lanthorn (schema "
                + info.current().getVersion()
                + "): start the agent once to upgrade it");
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
      throw new PluginException(
          file.path()
              + " has schema version "
              + info.current().getVersion()
              + ", newer than this Lanthorn knows ("
              + latestKnown(info)
              + "): upgrade Lanthorn, or choose another sink-sqlite.path (--db-path); the file"
              + " was left as it is");
    }
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
