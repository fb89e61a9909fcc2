package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.lanthorn.api.PluginContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCommandTest {
  private static final Instant START = TestEvents.NOW.minus(Duration.ofMinutes(105));

  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  @Test
  void copiesAConsistentPrivateDatabaseWhileTheAgentKeepsWriting() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    TestContext context = TestContext.forFile(file);
    context.setNow(START);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong batches = new AtomicLong();
    try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
      sink.write(TestEvents.hostBatch(START, 50));
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                while (writing.get()) {
                  try {
                    sink.write(TestEvents.hostBatch(START, 20));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  batches.incrementAndGet();
                }
              });
      for (int i = 0; i < 3; i++) {
        long batchesBefore = batches.get();
        Path copy = dir.resolve("copy-" + i + ".db");
        Run run = run(section(file), copy.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("lanthorn backup: copied " + file + " to " + copy + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
            .isEqualTo("rw-------");
        assertThat(Db.rows(copy, "PRAGMA integrity_check"))
            .containsExactly(java.util.Map.of("integrity_check", "ok"));
        // As of one commit: the summary counts exactly the events up to rollup_progress (the
        // rest wait in the agent's memory, and a sink opening the copy counts them).
        long events = Db.count(copy, "SELECT count(*) FROM events");
        assertThat(events % 10).isZero();
        assertThat(events).isGreaterThanOrEqualTo(50 + 20 * batchesBefore);
        assertThat(
                Db.count(
                    copy, "SELECT coalesce(sum(connection_count), 0) FROM connection_aggregations"))
            .isEqualTo(
                Db.count(
                    copy,
                    "SELECT count(*) FROM event_rows"
                        + " WHERE id <= (SELECT event_rows_through FROM rollup_progress)"));
      }
      writing.set(false);
      writer.get();
    }
    // The agent lost nothing to the backups.
    assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(50 + 20 * batches.get());
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".partial"));
    }
  }

  @Test
  void anExistingFileIsNeverOverwritten() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    new SqliteSinkFactory().create(TestContext.forFile(file)).close();
    Path existing = Files.writeString(dir.resolve("keep.db"), "mine");

    Run run = run(section(file), existing.toString());

    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "lanthorn backup: "
                + existing
                + " exists: name a new file (a backup never overwrites one)\n");
    assertThat(Files.readString(existing)).isEqualTo("mine");
  }

  @Test
  void aMissingDatabaseOrFileNameIsOneLine() throws Exception {
    Run missing = run(section(dir.resolve("none.db")), dir.resolve("copy.db").toString());
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).startsWith("lanthorn backup: no database at ").hasLineCount(1);

    Run usage = run(section(dir.resolve("none.db")));
    assertThat(usage.status()).isEqualTo(2);
    assertThat(usage.err()).contains("FILE").contains("lanthorn backup --help").hasLineCount(1);
  }

  private static Run run(PluginContext context, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new BackupCommand()
            .run(
                context,
                List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The command's context as the launcher builds it for {@code --db-path FILE}. */
  private static PluginContext section(Path file) {
    return TestContext.forFile(file);
  }
}
