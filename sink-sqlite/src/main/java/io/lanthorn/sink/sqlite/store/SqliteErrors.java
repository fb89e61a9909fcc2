package io.lanthorn.sink.sqlite.store;

import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns SQLite failures into the one line a user acts on: which file, what is wrong, what to do.
 */
public final class SqliteErrors {
  private static final String CHOOSE_ANOTHER = "choose another sink-sqlite.path (--db-path)";

  private SqliteErrors() {}

  /**
   * Explains a failure on the file. The first {@link SQLiteException} in the cause chain decides
   * the wording; without one the message reads "cannot {@code doing} {@code file}: …".
   *
   * @param doing what failed, e.g. {@code "write to"}
   */
  public static String explain(Path file, Throwable failure, String doing) {
    Throwable reason = null;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLiteException sqlite) {
        return explain(file, sqlite.getResultCode(), sqlite.getMessage());
      }
      if (reason == null && cause instanceof SQLException) {
        // jOOQ wraps what the sink's own code threw in a transaction ("Rollback caused").
        reason = cause;
      }
    }
    return "cannot "
        + doing
        + " "
        + file
        + ": "
        + oneLine((reason == null ? failure : reason).getMessage());
  }

  private static String explain(Path file, SQLiteErrorCode code, String message) {
    // Extended codes (SQLITE_IOERR_WRITE …) share their primary code's low byte.
    return switch (code.code & 0xff) {
      case 13 /* SQLITE_FULL */ ->
          "disk full writing "
              + file
              + ": free space on its file system, lower sink-sqlite.retention, or "
              + CHOOSE_ANOTHER;
      case 8 /* SQLITE_READONLY */, 3 /* SQLITE_PERM */, 23 /* SQLITE_AUTH */ ->
          file + " is read-only: make it and its directory writable, or " + CHOOSE_ANOTHER;
      case 11 /* SQLITE_CORRUPT */, 26 /* SQLITE_NOTADB */ ->
          file
              + " is corrupt or not a SQLite database: move it aside (a new one is then created;"
              + " 'sqlite3 FILE .recover' may save its rows), or "
              + CHOOSE_ANOTHER;
      case 14 /* SQLITE_CANTOPEN */ ->
          "cannot open "
              + file
              + ": check that it and its directory are writable, or "
              + CHOOSE_ANOTHER;
      case 5 /* SQLITE_BUSY */, 6 /* SQLITE_LOCKED */ ->
          file
              + " stayed locked by another connection for longer than sink-sqlite.busy-timeout:"
              + " stop the other writer (a second agent?) or raise the timeout";
      case 10 /* SQLITE_IOERR */ ->
          "I/O error on " + file + " (" + oneLine(message) + "): check the disk";
      default -> "SQLite failed on " + file + ": " + oneLine(message);
    };
  }

  private static String oneLine(String message) {
    return message == null ? "unknown error" : message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
