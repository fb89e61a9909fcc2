package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.CONNECTION_AGGREGATIONS;

import io.lanthorn.api.AttributeKey;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.StandardAttributes;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Insert;
import org.jooq.impl.DSL;

/**
 * Folds a batch into {@code connection_aggregations} rows, and the UPSERT that adds them to what
 * the table already holds. Not thread-safe: the sink's writing thread only.
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

    private void add(ConnectionEvent event) {
      connections++;
      if (EventColumns.failed(event.outcome())) {
        failed++;
      }
      firstSeenNs = Math.min(firstSeenNs, event.timestampNanos());
      lastSeenNs = Math.max(lastSeenNs, event.timestampNanos());
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

  private final Map<Key, Tally> tallies = new HashMap<>();

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
    tally.add(event);
  }

  /** Adds every tally to the statement {@link #upsert} rendered, then starts afresh. */
  void bindBatch(PreparedStatement statement) throws SQLException {
    for (Tally tally : tallies.values()) {
      Column.bind(statement, ALL, tally);
      statement.addBatch();
    }
    tallies.clear();
  }

  /** Forgets the tallies, e.g. of a batch that failed. */
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
