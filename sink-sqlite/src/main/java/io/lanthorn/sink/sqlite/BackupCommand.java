package io.lanthorn.sink.sqlite;

import io.lanthorn.api.PluginCommand;
import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginContext;
import io.lanthorn.api.PluginException;
import io.lanthorn.sink.sqlite.store.DatabaseFile;
import io.lanthorn.sink.sqlite.store.SqliteErrors;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import org.sqlite.SQLiteConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanthorn backup FILE}: a consistent copy of the history while the agent keeps writing,
 * made with SQLite's online backup API in a single step (one read transaction: WAL lets the agent
 * go on committing meanwhile, and the copy is the database as of one commit).
 *
 * <p>The copy is written to a private ({@code 0600}) temporary file beside {@code FILE} and renamed
 * into place only once complete, so {@code FILE} is either absent or a whole database.
 */
public final class BackupCommand implements PluginCommand {
  // sqlite3_backup_step(-1): every page in one step. SQLITE_OK or SQLITE_DONE mean success.
  private static final int ALL_PAGES = -1;
  private static final int SQLITE_OK = 0;
  private static final int SQLITE_DONE = 101;
  // When the source is busy (a checkpoint restarting the log): retry every 100 ms, for 10 s.
  private static final int BUSY_SLEEP_MILLIS = 100;
  private static final int BUSY_RETRIES = 100;

  /** Does nothing: the command is built when it runs. */
  public BackupCommand() {}

  @Override
  public String name() {
    return "backup";
  }

  @Override
  public String description() {
    return "Copy the SQLite history to a file, consistently, while the agent runs";
  }

  @Override
  public int run(PluginContext context, List<String> args, PrintStream out, PrintStream err) {
    return CommandRunner.run(
        "lanthorn backup",
        output -> new CommandLine(new Cli(context.config(), output)),
        args,
        out,
        err);
  }

  @Command(
      name = "lanthorn backup",
      description =
          "Copies the SQLite history to FILE (mode 0600) with SQLite's online backup API: a"
              + " consistent database as of one moment, also while the agent writes. FILE must not"
              + " exist yet.",
      footer = {"", "Example:", "  lanthorn backup /var/backups/lanthorn-$(date +%F).db"})
  static final class Cli implements Callable<Integer> {
    private final PluginConfig config;
    private final PrintWriter out;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help and exit.")
    boolean help;

    @Parameters(paramLabel = "FILE", description = "Where the copy goes.")
    Path target;

    Cli(PluginConfig config, PrintWriter out) {
      this.config = config;
      this.out = out;
    }

    @Override
    public Integer call() throws PluginException {
      SinkSettings settings = SinkSettings.from(config);
      // sink-sqlite.path, which --db-path (the plugin's flag) sets, before or after "backup".
      Path source = settings.path();
      Path destination = target.toAbsolutePath();
      if (Files.exists(destination)) {
        throw new PluginException(
            destination + " exists: name a new file (a backup never overwrites one)");
      }
      Path directory = destination.getParent();
      if (directory == null || !Files.isDirectory(directory)) {
        throw new PluginException(
            "no directory " + directory + " for " + destination + ": create it first");
      }
      DatabaseFile file = DatabaseFile.forReading(source, settings.busyTimeout());
      Path partial = createPrivateTemporary(directory, destination);
      try {
        copy(file, partial);
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        Files.move(partial, destination, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new PluginException(
            "cannot write " + destination + ": " + e.getMessage() + "; choose another FILE", e);
      } finally {
        deleteQuietly(partial);
      }
      out.println("lanthorn backup: copied " + source + " to " + destination);
      return 0;
    }

    private static void copy(DatabaseFile file, Path partial) throws PluginException {
      try (Connection connection = file.connect()) {
        int result =
            connection
                .unwrap(SQLiteConnection.class)
                .getDatabase()
                .backup(
                    "main", partial.toString(), null, BUSY_SLEEP_MILLIS, BUSY_RETRIES, ALL_PAGES);
        if (result != SQLITE_OK && result != SQLITE_DONE) {
          throw new PluginException(
              "cannot back up "
                  + file.path()
                  + ": SQLite result code "
                  + result
                  + "; try again, or check the free space where the copy goes");
        }
      } catch (SQLException e) {
        throw new PluginException(SqliteErrors.explain(file.path(), e, "back up"), e);
      }
    }

    private static Path createPrivateTemporary(Path directory, Path destination)
        throws PluginException {
      try {
        // On POSIX systems a temporary file is created rw------- (0600).
        return Files.createTempFile(directory, "." + destination.getFileName(), ".partial");
      } catch (IOException e) {
        throw new PluginException(
            "cannot create a file in "
                + directory
                + ": "
                + e.getMessage()
                + "; choose another FILE",
            e);
      }
    }

    private static void deleteQuietly(Path path) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // Only a leftover temporary file; the outcome is already reported.
      }
    }
  }
}
