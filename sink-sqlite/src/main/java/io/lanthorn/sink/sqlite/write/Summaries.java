package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.CONNECTION_AGGREGATIONS;

import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.StandardAttributes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Insert;
import org.jooq.impl.DSL;

/**
 * Folds outbound connections into {@code connection_aggregations} rows, and the UPSERT that adds
 * them to what the table already holds. Like {@link Rollups}, the tallies of committed batches wait
 * in memory and are added with the rollups' ({@code rollup_progress} covers both). Not thread-safe:
 * the sink's writing thread only.
 */
final class Summaries {
  private static final String NO_CONTAINER = "";

  /** The domain the connection's process resolved for its destination (probe-dns). */
  static final AttributeKey<String> DOMAIN = StandardAttributes.DOMAIN_NAME;

  /** One summary row: the key and what this batch adds to it. */
  static final class Tally {
    final String containerName;
    final String processName;
    final String dstAddr;
    final int dstPort;
    final String protocol;
    long connections;
    long failed;
    long firstSeenNs = Long.MAX_VALUE;
    long lastSeenNs = Long.MIN_VALUE;

    private Tally(Key key) {
      containerName = key.containerName;
      processName = key.processName;
      dstAddr = key.dstAddr;
      dstPort = key.dstPort;
      protocol = key.protocol;
    }

    private void add(long timestampNs, boolean failedAttempt) {
      connections++;
      if (failedAttempt) {
        failed++;
      }
      firstSeenNs = Math.min(firstSeenNs, timestampNs);
      lastSeenNs = Math.max(lastSeenNs, timestampNs);
    }

    /** For {@link Map#merge}: this tally with the other added. */
    private static Tally sum(Tally waiting, Tally other) {
      waiting.add(other);
      return waiting;
    }

    private void add(Tally other) {
      connections += other.connections;
      failed += other.failed;
      firstSeenNs = Math.min(firstSeenNs, other.firstSeenNs);
      lastSeenNs = Math.max(lastSeenNs, other.lastSeenNs);
    }

    private Key key() {
      return new Key(containerName, processName, dstAddr, dstPort, protocol);
    }
  }

  private record Key(
      String containerName, String processName, String dstAddr, int dstPort, String protocol) {}

  private static final List<Column<Tally, ?>> ALL =
      List.of(
          new Column<>(CONNECTION_AGGREGATIONS.CONTAINER_NAME, t -> t.containerName),
          new Column<>(CONNECTION_AGGREGATIONS.PROCESS_NAME, t -> t.processName),
          new Column<>(CONNECTION_AGGREGATIONS.DST_ADDR, t -> t.dstAddr),
          new Column<>(CONNECTION_AGGREGATIONS.DST_PORT, t -> t.dstPort),
          new Column<>(CONNECTION_AGGREGATIONS.PROTOCOL, t -> t.protocol),
          new Column<>(CONNECTION_AGGREGATIONS.CONNECTION_COUNT, t -> t.connections),
          new Column<>(CONNECTION_AGGREGATIONS.FAILED_COUNT, t -> t.failed),
          new Column<>(CONNECTION_AGGREGATIONS.FIRST_SEEN_NS, t -> t.firstSeenNs),
          new Column<>(CONNECTION_AGGREGATIONS.LAST_SEEN_NS, t -> t.lastSeenNs));

  /** The batch being written. */
  private final Map<Key, Tally> tallies = new HashMap<>();

  /** Tallies of committed batches not yet in the table. */
  private final Map<Key, Tally> pending = new HashMap<>();

  /** Adds one event, whose row the writer has worked out, to its tally. */
  void add(EventColumns.EventRow row) {
    ConnectionEvent event = row.event;
    // Like the Rust Lanthorn's summary: the domain is the destination when known (probe-dns).
    String domain = event.attribute(DOMAIN);
    Key key =
        new Key(
            row.containerName == null ? NO_CONTAINER : row.containerName,
            event.comm(),
            domain != null ? domain : row.destinationAddress,
            event.destinationPort(),
            EventColumns.protocol(event.protocol()));
    Tally tally = tallies.get(key);
    if (tally == null) {
      tally = new Tally(key);
      tallies.put(key, tally);
    }
    tally.add(event.timestampNanos(), EventColumns.failed(event.outcome()));
  }

  /**
   * Adds a stored row, as {@link Rollups#STORED_COLUMNS} reads it from the {@code events} view,
   * when it is an outbound connection: a row whose tally was lost, found again at start.
   */
  void addStored(ResultSet row) throws SQLException {
    if (row.getInt("event_type_code") != EventCodes.CONNECT) {
      return;
    }
    String domain = row.getString("domain");
    Key key =
        new Key(
            row.getString("container"),
            row.getString("process_name"),
            domain.isEmpty() ? row.getString("dst_addr") : domain,
            row.getInt("dst_port"),
            row.getString("protocol"));
    tallies
        .computeIfAbsent(key, Tally::new)
        .add(row.getLong("timestamp_ns"), row.getLong("outcome_code") >= EventCodes.FIRST_FAILED);
  }

  /**
   * Adds the waiting tallies and the batch's to the statement {@link #upsert} rendered, summed into
   * new objects so that the waiting ones stay as they were if the transaction fails.
   */
  void bindBatch(PreparedStatement statement) throws SQLException {
    Map<Key, Tally> all = new HashMap<>();
    for (Map<Key, Tally> source : List.of(pending, tallies)) {
      for (Tally tally : source.values()) {
        all.computeIfAbsent(tally.key(), Tally::new).add(tally);
      }
    }
    for (Tally tally : all.values()) {
      Column.bind(statement, ALL, tally);
      statement.addBatch();
    }
  }

  /**
   * The batch committed: its tallies wait for the next flush, or nothing waits any more when {@link
   * #bindBatch} wrote them.
   */
  void committed(boolean flushed) {
    if (flushed) {
      pending.clear();
    } else {
      tallies.values().forEach(tally -> pending.merge(tally.key(), tally, Tally::sum));
    }
    tallies.clear();
  }

  /** Forgets the batch's tallies, of a batch that failed; those waiting stay. */
  void clear() {
    tallies.clear();
  }

  /** The UPSERT adding one tally to its row, to be bound with {@link #bindBatch}. */
  static Insert<?> upsert(DSLContext dsl) {
    var table = CONNECTION_AGGREGATIONS;
    return Column.insert(dsl, table, ALL)
        .onConflict(
            table.CONTAINER_NAME,
            table.PROCESS_NAME,
            table.DST_ADDR,
            table.DST_PORT,
            table.PROTOCOL)
        .doUpdate()
        .set(
            table.CONNECTION_COUNT,
            table.CONNECTION_COUNT.plus(DSL.excluded(table.CONNECTION_COUNT)))
        .set(table.FAILED_COUNT, table.FAILED_COUNT.plus(DSL.excluded(table.FAILED_COUNT)))
        .set(table.FIRST_SEEN_NS, DSL.least(table.FIRST_SEEN_NS, DSL.excluded(table.FIRST_SEEN_NS)))
        .set(
            table.LAST_SEEN_NS, DSL.greatest(table.LAST_SEEN_NS, DSL.excluded(table.LAST_SEEN_NS)));
  }
}
