package io.lanthorn.sink.sqlite.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lanthorn.sink.sqlite.Db;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink's batch and its maintenance run on two connections to one file. A batch that reads
 * before it writes must not fail at its first write because maintenance committed in between (WAL
 * answers SQLITE_BUSY at once then, whatever the busy timeout): its transaction holds the write
 * lock from its start.
 */
class WriterTransactionsTest {
  @TempDir Path dir;

  @Test
  void aWritersTransactionHoldsTheWriteLockFromItsFirstRead() throws Exception {
    Path file = dir.resolve("lanthorn.db");
    DatabaseFile writing = DatabaseFile.forWriting(file, Duration.ofSeconds(5));
    try (Connection setup = writing.connect();
        Statement statement = setup.createStatement()) {
      statement.execute("CREATE TABLE t (v INTEGER)");
    }
    writing.useWal();
    // The other connection gives up at once instead of waiting for the lock.
    DatabaseFile impatient = DatabaseFile.forWriting(file, Duration.ZERO);

    try (Connection batch = writing.connect();
        Connection maintenance = impatient.connect()) {
      DSLContext dsl = Jooq.using(batch);
      dsl.transaction(
          transaction -> {
            assertThat(transaction.dsl().fetchValue("SELECT count(*) FROM t")).isEqualTo(0);
            assertThatThrownBy(() -> insert(maintenance, 2))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("SQLITE_BUSY");
            transaction.dsl().execute("INSERT INTO t VALUES (1)");
          });
      insert(maintenance, 2);
    }
    assertThat(Db.rows(file, "SELECT v FROM t ORDER BY v"))
        .extracting(row -> row.get("v"))
        .containsExactly(1L, 2L);
  }

  private static void insert(Connection connection, int value) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO t VALUES (" + value + ")");
    }
  }
}
