package io.lanthorn.sink.sqlite.store;

import io.lanthorn.api.PluginException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.SQLiteOpenMode;

/**
 * The SQLite file: created private to its owner before SQLite ever sees it, and opened with the
 * sink's pragmas.
 */
public final class DatabaseFile {
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private final Path path;
  private final SQLiteDataSource dataSource;

  private DatabaseFile(Path path, SQLiteConfig config) {
    this.path = path;
    this.dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + path);
  }

  /**
   * Creates the file (mode 0600) and its missing directories (mode 0700) unless they exist, and
   * prepares read-write connections with {@code synchronous=NORMAL}. Call {@link #useWal()} once
   * the schema is known to be one this build may write.
   */
  public static DatabaseFile forWriting(Path path, Duration busyTimeout) throws PluginException {
    requireNativeLibrary();
    createPrivately(path);
    SQLiteConfig config = baseConfig(busyTimeout);
    // With WAL, NORMAL loses no committed transaction on a process crash, only on power loss.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    // Transactions take the write lock when they begin, waiting up to the busy timeout. A deferred
    // one that reads first (the feed writer, the fact tables) would fail at once with SQLITE_BUSY
    // at its first write if maintenance's connection committed in between: WAL cannot move a
    // read snapshot forward inside a transaction, and no busy timeout applies to that.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // Never let SQLite create the file itself: it would use the umask, not 0600.
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    return new DatabaseFile(path, config);
  }

  /** Prepares read-only connections to an existing file, e.g. for {@code lanthorn query}. */
  public static DatabaseFile forReading(Path path, Duration busyTimeout) throws PluginException {
    requireNativeLibrary();
    if (!Files.isRegularFile(path)) {
      throw new PluginException(
          "no database at " + path + ": run the agent first, or pass --db-path");
    }
    SQLiteConfig config = baseConfig(busyTimeout);
    config.setReadOnly(true);
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    return new DatabaseFile(path, config);
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /** Connections as {@link #connect()} makes them, for Flyway. */
  DataSource dataSource() {
    return dataSource;
  }

  /**
   * Switches the file to write-ahead logging, which the file remembers: readers never block the
   * writer, and a commit appends to the log instead of rewriting pages. Not done on opening, so
   * that a file this build refuses is left exactly as it was.
   */
  public void useWal() throws PluginException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
      if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
        throw new PluginException(
            path + " cannot use write-ahead logging: put it on a local file system");
      }
    } catch (SQLException e) {
      throw new PluginException(SqliteErrors.explain(path, e, "switch to WAL"), e);
    }
  }

  /**
   * Opens a connection.
   *
   * @throws PluginException naming the file and what to do when SQLite cannot open it
   */
  public Connection connect() throws PluginException {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw new PluginException(SqliteErrors.explain(path, e, "open"), e);
    }
  }

  /**
   * Loads sqlite-jdbc's native library now, so that failing to do so is explained rather than
   * surfacing later as "Error opening connection".
   */
  private static void requireNativeLibrary() throws PluginException {
    try {
      SQLiteJDBCLoader.initialize();
    } catch (Exception e) {
      // sqlite-jdbc extracts the library to a temporary directory, which may be mounted noexec.
      String directory =
          System.getProperty("org.sqlite.tmpdir", System.getProperty("java.io.tmpdir"));
      throw new PluginException(
          "cannot load SQLite's native library from "
              + directory
              + " (mounted noexec?): start Java with -Dorg.sqlite.tmpdir=<a directory that allows"
              + " executables>",
          e);
    }
  }

  private static SQLiteConfig baseConfig(Duration busyTimeout) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    return config;
  }

  private static void createPrivately(Path path) throws PluginException {
    try {
      if (Files.isDirectory(path)) {
        throw new PluginException(
            path + " is a directory: set sink-sqlite.path (--db-path) to a file");
      }
      Path directory = path.getParent();
      if (directory != null && !Files.isDirectory(directory)) {
        Files.createDirectories(
            directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
      }
      try {
        Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
      } catch (FileAlreadyExistsException existing) {
        if (!Files.isWritable(path)) {
          throw new PluginException(
              path
                  + " is read-only: make it writable, or choose another sink-sqlite.path (--db-path)");
        }
      }
      // An older file, or SQLite's companions from an earlier run, may be readable by others.
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        restrictToOwner(path.resolveSibling(path.getFileName() + suffix));
      }
    } catch (IOException e) {
      throw new PluginException(
          "cannot create "
              + path
              + ": "
              + reason(e)
              + "; choose a writable sink-sqlite.path (--db-path)",
          e);
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    if (Files.exists(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY_FILE)) {
      Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
      return fileSystem.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
