package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.PluginException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSinkFailureTest {
  private static final Instant T0 = TestEvents.NOW.minus(Duration.ofHours(2));

  @TempDir Path dir;

  @Test
  void aPathBelowARegularFileCannotBeCreated() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    Path file = notADirectory.resolve("lanthorn.db");

    assertStartFails(
        file, "cannot create " + file, "choose a writable sink-sqlite.path (--db-path)");
  }

  @Test
  void aReadOnlyFileSystemIsExplained() throws Exception {
    Path mountPoint = Files.createDirectory(dir.resolve("ro"));
    try (TmpfsMount mount = TmpfsMount.on(mountPoint, "ro,size=64k")) {
      Path file = mountPoint.resolve("lanthorn.db");
      assertStartFails(file, "cannot create " + file + ": read-only file system");
    }
  }

  @Test
  void aCorruptFileIsExplainedAndKept() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    byte[] garbage =
        "this is not a database, but someone's file ".repeat(200).getBytes(StandardCharsets.UTF_8);
    Files.write(file, garbage);

    assertStartFails(file, file + " is corrupt or not a SQLite database", "move it aside");
    assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
  }

  @Test
  void aDirectoryIsNotADatabase() throws Exception {
    assertStartFails(dir, dir + " is a directory");
  }

  @Test
  void aFullDiskFailsTheBatchCountsItAndKeepsWhatWasCommitted() throws Exception {
    Path mountPoint = Files.createDirectory(dir.resolve("small"));
    try (TmpfsMount mount = TmpfsMount.on(mountPoint, "size=512k")) {
      Path file = mountPoint.resolve("lanthorn.db");
      TestContext context = TestContext.forFile(file);
      int batches = 0;
      PluginException failure = null;
      try (SqliteSink sink = new SqliteSinkFactory().create(context)) {
        while (failure == null && batches < 1000) {
          try {
            sink.write(TestEvents.hostBatch(T0.plusSeconds(batches), 100));
            batches++;
          } catch (PluginException e) {
            failure = e;
          }
        }
      }

      assertThat(failure)
          .isNotNull()
          .hasMessageStartingWith("disk full writing " + file)
          .hasMessageContaining("free space")
          .hasMessageNotContaining("\n");
      assertThat(context.metric("events.failed")).isEqualTo(100);
      assertThat(context.metric("events.written")).isEqualTo(batches * 100L);
      // Nothing of the failed batch, everything of the others.
      assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(batches * 100L);
      // The summary tallies that could not be added at close are counted at the next start.
      Path elsewhere = dir.resolve("moved.db");
      Files.copy(file, elsewhere);
      Path wal = Path.of(file + "-wal");
      if (Files.exists(wal)) {
        Files.copy(wal, Path.of(elsewhere + "-wal"));
      }
      new SqliteSinkFactory().create(TestContext.forFile(elsewhere)).close();
      assertThat(Db.count(elsewhere, "SELECT sum(connection_count) FROM connection_aggregations"))
          .isEqualTo(batches * 100L);
    }
  }

  private void assertStartFails(Path file, String... messageParts) throws Exception {
    assertThatThrownBy(() -> new SqliteSinkFactory().create(TestContext.forFile(file, Map.of())))
        .isInstanceOf(PluginException.class)
        .hasMessageNotContaining("\n")
        .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
  }
}
