package io.lanthorn.sink.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.api.PluginException;
import io.lanthorn.sink.sqlite.store.DatabaseLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseLockTest {
  private static final Instant START = TestEvents.NOW.minus(Duration.ofMinutes(105));

  @TempDir Path dir;

  @Test
  void aSecondAgentOnTheSameFileIsRefusedNamingTheFirstsPidAndChangesNothing() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink first = new SqliteSinkFactory().create(context(file))) {
      first.write(TestEvents.hostBatch(START, 3));
      long sizeBefore = Files.size(file);

      assertThatThrownBy(() -> new SqliteSinkFactory().create(context(file)))
          .isInstanceOf(PluginException.class)
          .hasMessage(
              file
                  + " is in use by another Lanthorn agent (pid "
                  + ProcessHandle.current().pid()
                  + "): stop that one first, or choose another sink-sqlite.path (--db-path)");

      // The first keeps writing, and the refused one wrote nothing.
      first.write(TestEvents.hostBatch(START, 2));
      assertThat(Files.size(file)).isEqualTo(sizeBefore);
      assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(5);
    }
  }

  @Test
  void theLockFileIsPrivateHoldsThePidAndIsFreeAgainOnceTheAgentStops() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    Path lockFile = DatabaseLock.lockFileOf(file);
    try (SqliteSink first = new SqliteSinkFactory().create(context(file))) {
      assertThat(Files.readString(lockFile)).isEqualTo(ProcessHandle.current().pid() + "\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lockFile)))
          .isEqualTo("rw-------");
    }
    try (SqliteSink next = new SqliteSinkFactory().create(context(file))) {
      next.write(TestEvents.hostBatch(START, 1));
    }
    assertThat(Db.count(file, "SELECT count(*) FROM events")).isEqualTo(1);
  }

  @Test
  void agentsOnDifferentFilesWorkSideBySide() throws Exception {
    Path one = dir.resolve("one.db");
    Path two = dir.resolve("two.db");
    try (SqliteSink first = new SqliteSinkFactory().create(context(one));
        SqliteSink second = new SqliteSinkFactory().create(context(two))) {
      first.write(TestEvents.hostBatch(START, 2));
      second.write(TestEvents.hostBatch(START, 3));
    }
    assertThat(Db.count(one, "SELECT count(*) FROM events")).isEqualTo(2);
    assertThat(Db.count(two, "SELECT count(*) FROM events")).isEqualTo(3);
  }

  @Test
  void aRefusedStartReleasesTheLock() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    try (SqliteSink sink = new SqliteSinkFactory().create(context(file))) {}
    Db.execute(
        file,
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
            + " checksum, installed_by, installed_on, execution_time, success) VALUES (99, '99',"
            + " 'future', 'SQL', 'V99__future.sql', 0, 'test', '2026-11-25 10:00:00', 0, 1)");
    assertThatThrownBy(() -> new SqliteSinkFactory().create(context(file)))
        .hasMessageContaining("newer than this Lanthorn knows");

    // Nothing holds the file any more: the lock can be taken at once.
    try (DatabaseLock lock = DatabaseLock.acquire(file)) {
      assertThat(lock).isNotNull();
    }
  }

  /** The sink's context for this file, its clock at the events' time (retention keeps them). */
  private static TestContext context(Path file) {
    TestContext context = TestContext.forFile(file);
    context.setNow(START);
    return context;
  }
}
