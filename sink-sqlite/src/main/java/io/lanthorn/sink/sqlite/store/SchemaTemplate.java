package io.lanthorn.sink.sqlite.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * The empty database at the latest schema that the build made by running {@code lanthorn-sql}'s
 * migrations through Flyway (the file jOOQ's references are generated from), history included. A
 * fresh file starts as a copy of it, and a file with the same history is current: neither needs
 * Flyway, whose scan, validation and migrations took most of the agent's start-up.
 */
final class SchemaTemplate {
  /** Beside this class; the build copies it there (sink-sqlite's pom). */
  private static final String RESOURCE = "schema-template.db";

  /** What Flyway writes alike in every run and validates: not who, when or how long. */
  private static final String HISTORY =
      "installed_rank, version, description, type, script, checksum, success";

  private static final String ALIAS = "lanthorn_template";

  private final byte[] image;

  private SchemaTemplate(byte[] image) {
    this.image = image;
  }

  /** The template, or empty when this build has none (then Flyway does it all). */
  static Optional<SchemaTemplate> onClassPath() {
    try (InputStream in = SchemaTemplate.class.getResourceAsStream(RESOURCE)) {
      return in == null ? Optional.empty() : Optional.of(new SchemaTemplate(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The schema version of the connection's database when its Flyway history is the template's, row
   * for row (versions, scripts, checksums, all successful); empty otherwise (older, newer, edited,
   * failed, no history), for Flyway to upgrade, refuse or explain.
   */
  Optional<String> versionIfCurrent(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet table =
          statement.executeQuery(
              "SELECT 1 FROM main.sqlite_master"
                  + " WHERE type = 'table' AND name = 'flyway_schema_history'")) {
        if (!table.next()) {
          return Optional.empty();
        }
      }
      statement.execute("ATTACH DATABASE ':memory:' AS " + ALIAS);
      try {
        connection.unwrap(SQLiteConnection.class).deserialize(ALIAS, image);
        try (ResultSet same =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM main.flyway_schema_history)"
                    + " = (SELECT count(*) FROM "
                    + ALIAS
                    + ".flyway_schema_history)"
                    + " AND NOT EXISTS (SELECT "
                    + HISTORY
                    + " FROM "
                    + ALIAS
                    + ".flyway_schema_history EXCEPT SELECT "
                    + HISTORY
                    + " FROM main.flyway_schema_history)")) {
          if (!same.next() || !same.getBoolean(1)) {
            return Optional.empty();
          }
        }
        return Optional.of(latestVersion(statement, ALIAS));
      } finally {
        statement.execute("DETACH DATABASE " + ALIAS);
      }
    }
  }

  /**
   * Makes {@code path}, an empty file, a copy of the template stamped as installed now, as Flyway
   * stamps its history rows. The copy is written beside it (mode 0600) and then renamed over it, so
   * that a crash leaves either the empty file or the whole copy.
   *
   * @return the schema version of the copy
   */
  String copyTo(Path path) throws IOException, SQLException {
    Path copy = path.resolveSibling(path.getFileName() + ".new");
    Files.deleteIfExists(copy);
    Files.createFile(
        copy, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    String version;
    try {
      Files.write(copy, image);
      // SQLite's defaults (rollback journal, synchronous FULL): the commit reaches the disk.
      try (Connection connection = new SQLiteConfig().createConnection("jdbc:sqlite:" + copy);
          Statement statement = connection.createStatement()) {
        // The expression that is the column's default, which Flyway's rows take.
        statement.executeUpdate(
            "UPDATE flyway_schema_history"
                + " SET installed_on = strftime('%Y-%m-%d %H:%M:%f', 'now')");
        version = latestVersion(statement, "main");
      }
      Files.move(copy, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(copy);
    }
    return version;
  }

  private static String latestVersion(Statement statement, String schema) throws SQLException {
    try (ResultSet latest =
        statement.executeQuery(
            "SELECT version FROM "
                + schema
                + ".flyway_schema_history WHERE version IS NOT NULL"
                + " ORDER BY installed_rank DESC LIMIT 1")) {
      if (!latest.next()) {
        throw new SQLException("the schema template has no history");
      }
      return latest.getString(1);
    }
  }
}
