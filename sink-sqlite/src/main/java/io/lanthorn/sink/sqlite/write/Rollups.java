package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_DAY;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_DAY_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_FIVE_MINUTE_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_HOUR;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_HOUR_DESTINATIONS;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_MINUTE;
import static io.lanthorn.sink.sqlite.schema.Tables.ROLLUP_MINUTE_TOTALS;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.Vocabulary;
import io.lanthorn.sink.sqlite.store.Jooq;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Insert;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;

/**
 * Folds events into the rollups (V11's {@code rollup_minute}, {@code rollup_hour}, {@code
 * rollup_hour_destinations}, {@code rollup_minute_totals}; V13's 5-minute and daily tiers) and the
 * UPSERTs that add them to what the tables hold. Each event is tallied once, by minute, here and
 * nowhere else in Java; every other row is summed from the minute tallies, so its cost grows with
 * the distinct keys, not the events. The tallies of committed batches wait here and are added
 * together once per flush interval ({@link #flushDue}), with {@code rollup_progress} saying which
 * rows they count (V15). Not thread-safe: the sink's writing thread only.
 */
final class Rollups implements AutoCloseable {
  static final long MINUTE_NS = 60_000_000_000L;
  static final long FIVE_MINUTES_NS = 5 * MINUTE_NS;
  static final long HOUR_NS = 60 * MINUTE_NS;
  static final long DAY_NS = 24 * HOUR_NS;

  /** Where the key has no value: primary keys treat NULLs as distinct, so '' stands for none. */
  private static final String NONE = "";

  private static final Map<EventKind, String> EVENT_TYPES = new EnumMap<>(EventKind.class);

  static {
    for (EventKind kind : EventKind.values()) {
      EVENT_TYPES.put(kind, kind.label());
    }
  }

  /** A rollup row's key: which bucket, and who talked to what how. */
  record Key(
      long bucketNs,
      String hostName,
      String containerName,
      String processName,
      String dstAddr,
      String domainName,
      int dstPort,
      String protocol,
      String direction,
      String eventType,
      String outcome) {

    Key inBucket(long bucket) {
      return new Key(
          bucket,
          hostName,
          containerName,
          processName,
          dstAddr,
          domainName,
          dstPort,
          protocol,
          direction,
          eventType,
          outcome);
    }

    /** The key of this row's {@code rollup_hour_destinations} row: no protocol, kind or outcome. */
    Key destination() {
      return new Key(
          bucketNs,
          hostName,
          containerName,
          processName,
          dstAddr,
          domainName,
          dstPort,
          NONE,
          NONE,
          NONE,
          NONE);
    }

    TotalsKey totals() {
      return new TotalsKey(bucketNs, hostName, direction, eventType, outcome);
    }
  }

  /** A {@code rollup_minute_totals} row's key. */
  record TotalsKey(
      long bucketNs, String hostName, String direction, String eventType, String outcome) {}

  /** What a batch adds to one rollup row. */
  static final class Tally {
    final Key key;
    long connections;
    long failed;
    long firstSeenNs = Long.MAX_VALUE;
    long lastSeenNs = Long.MIN_VALUE;
    long handshakes;
    long handshakeSumNs;
    long handshakeMaxNs;
    long bytesSent;
    long bytesReceived;

    Tally(Key key) {
      this.key = key;
    }

    void add(long timestampNs, boolean failedAttempt, long count, Long handshake) {
      connections += count;
      if (failedAttempt) {
        failed += count;
      }
      seen(timestampNs);
      if (handshake != null) {
        handshakes++;
        handshakeSumNs += handshake;
        handshakeMaxNs = Math.max(handshakeMaxNs, handshake);
      }
    }

    void seen(long timestampNs) {
      firstSeenNs = Math.min(firstSeenNs, timestampNs);
      lastSeenNs = Math.max(lastSeenNs, timestampNs);
    }

    /** For {@link Map#merge}: this tally with the other added. */
    static Tally sum(Tally waiting, Tally other) {
      waiting.add(other);
      return waiting;
    }

    void add(Tally other) {
      connections += other.connections;
      failed += other.failed;
      firstSeenNs = Math.min(firstSeenNs, other.firstSeenNs);
      lastSeenNs = Math.max(lastSeenNs, other.lastSeenNs);
      handshakes += other.handshakes;
      handshakeSumNs += other.handshakeSumNs;
      handshakeMaxNs = Math.max(handshakeMaxNs, other.handshakeMaxNs);
      bytesSent += other.bytesSent;
      bytesReceived += other.bytesReceived;
    }
  }

  /** What a batch adds to one {@code rollup_minute_totals} row. */
  static final class Totals {
    final TotalsKey key;
    long connections;
    long failed;

    Totals(TotalsKey key) {
      this.key = key;
    }
  }

  private static final List<Column<Tally, ?>> MINUTE = columns(ROLLUP_MINUTE);
  private static final List<Column<Tally, ?>> HOUR = columns(ROLLUP_HOUR);
  private static final List<Column<Totals, ?>> TOTALS =
      List.of(
          new Column<>(ROLLUP_MINUTE_TOTALS.BUCKET_NS, t -> t.key.bucketNs()),
          new Column<>(ROLLUP_MINUTE_TOTALS.HOST_NAME, t -> t.key.hostName()),
          new Column<>(ROLLUP_MINUTE_TOTALS.DIRECTION, t -> t.key.direction()),
          new Column<>(ROLLUP_MINUTE_TOTALS.EVENT_TYPE, t -> t.key.eventType()),
          new Column<>(ROLLUP_MINUTE_TOTALS.OUTCOME, t -> t.key.outcome()),
          new Column<>(ROLLUP_MINUTE_TOTALS.CONNECTION_COUNT, t -> t.connections),
          new Column<>(ROLLUP_MINUTE_TOTALS.FAILED_COUNT, t -> t.failed));

  private static final List<Column<Tally, ?>> DESTINATIONS =
      destinationColumns(ROLLUP_HOUR_DESTINATIONS);

  /**
   * The tiers of V13, which {@link #bindBatch} writes itself: each a table, its bucket, its columns
   * and its UPSERT, rendered once.
   */
  private static final List<Tier> TIERS =
      List.of(
          Tier.destinations(ROLLUP_FIVE_MINUTE_DESTINATIONS, FIVE_MINUTES_NS),
          new Tier(
              ROLLUP_DAY,
              DAY_NS,
              false,
              columns(ROLLUP_DAY),
              render(upsert(Jooq.renderer(), ROLLUP_DAY, columns(ROLLUP_DAY)))),
          Tier.destinations(ROLLUP_DAY_DESTINATIONS, DAY_NS));

  /**
   * A table whose rows are sums of the batch's minute tallies.
   *
   * @param bucketNs the length of its buckets
   * @param destinations whether its key has only the destination (no protocol, direction, kind,
   *     outcome)
   */
  private record Tier(
      Table<?> table,
      long bucketNs,
      boolean destinations,
      List<Column<Tally, ?>> columns,
      String upsert) {

    static Tier destinations(Table<?> table, long bucketNs) {
      List<Column<Tally, ?>> columns = destinationColumns(table);
      return new Tier(
          table,
          bucketNs,
          true,
          columns,
          render(upsertDestinations(Jooq.renderer(), table, columns)));
    }

    /** The key of the row a minute tally adds to. */
    Key keyOf(Key minute) {
      Key key = minute.inBucket(Math.floorDiv(minute.bucketNs(), bucketNs) * bucketNs);
      return destinations ? key.destination() : key;
    }
  }

  /** The batch being written: its minute tallies. */
  private final Map<Key, Tally> minutes = new HashMap<>();

  /**
   * Minute tallies of batches committed since the last flush: their rows are in event_rows, not yet
   * in the rollup tables ({@code rollup_progress} says up to which row they are).
   */
  private final Map<Key, Tally> pending = new HashMap<>();

  private final long flushIntervalNanos;
  private long lastFlushNanos;
  private long flushedThrough;

  /** {@link #TIERS}' UPSERTs, prepared once on the writer's connection, in the same order. */
  private final List<PreparedStatement> tierUpserts = new ArrayList<>();

  /**
   * @param connection the writer's: the tiers' statements join the batch's transaction on it
   * @param flushInterval how long committed tallies may wait before they are added to the tables;
   *     zero adds every batch's
   */
  Rollups(Connection connection, Duration flushInterval) throws SQLException {
    this.flushIntervalNanos = flushInterval.toNanos();
    this.lastFlushNanos = System.nanoTime();
    try {
      for (Tier tier : TIERS) {
        tierUpserts.add(connection.prepareStatement(tier.upsert()));
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  /**
   * Adds one event, whose row the writer has worked out, to its minute's tally.
   *
   * @param kind what the row is ({@code row.event} stands in for accepts and UDP flows too)
   * @param count connections, or a UDP flow interval's datagrams
   */
  void add(EventColumns.EventRow row, EventKind kind, String outcome, long count) {
    ConnectionEvent event = row.event;
    String domain = event.attribute(Summaries.DOMAIN);
    String host = event.hostName();
    Key key =
        new Key(
            Math.floorDiv(event.timestampNanos(), MINUTE_NS) * MINUTE_NS,
            host == null ? NONE : host,
            row.containerName == null ? NONE : row.containerName,
            event.comm(),
            row.destinationAddress,
            domain == null ? NONE : domain,
            event.destinationPort(),
            EventColumns.protocol(event.protocol()),
            direction(kind),
            EVENT_TYPES.get(kind),
            outcome);
    Tally tally = minutes.get(key);
    if (tally == null) {
      tally = new Tally(key);
      minutes.put(key, tally);
    }
    tally.add(
        event.timestampNanos(),
        EventColumns.failed(event.outcome()),
        count,
        Vocabulary.handshakeNanos(event));
    if (row.close != null) {
      // The connection closed within the batch: its bytes count here, not in a later update.
      tally.bytesSent += row.close.bytesSent();
      tally.bytesReceived += row.close.bytesReceived();
    }
    if (row.bytesSent != null) {
      tally.bytesSent += row.bytesSent; // a UDP interval's; TCP bytes come with the close
    }
  }

  /**
   * Adds a row already stored, as the {@code events} view shows it, to its minute's tally: a row
   * whose tally was lost (the agent stopped before it was flushed), found again at start.
   */
  void addStored(ResultSet row) throws SQLException {
    long timestamp = row.getLong("timestamp_ns");
    Tally tally = minutes.computeIfAbsent(storedKey(row), Tally::new);
    long datagrams = row.getLong("datagrams");
    boolean udp = !row.wasNull();
    long handshake = row.getLong("handshake_ns");
    Long handshakeNs = row.wasNull() ? null : handshake;
    tally.add(
        timestamp,
        row.getLong("outcome_code") >= EventCodes.FIRST_FAILED,
        udp ? datagrams : 1,
        handshakeNs);
    tally.bytesSent += row.getLong("bytes_sent");
    tally.bytesReceived += row.getLong("bytes_received");
  }

  /**
   * Adds a close's bytes to the tally of its opening row, when that row is not in the tables yet
   * (see {@link #flushedThrough}).
   */
  void addBytes(ResultSet openingRow, long sent, long received) throws SQLException {
    Tally tally = minutes.computeIfAbsent(storedKey(openingRow), Tally::new);
    tally.seen(openingRow.getLong("timestamp_ns"));
    tally.bytesSent += sent;
    tally.bytesReceived += received;
  }

  /** The columns of the {@code events} view {@link #addStored} and {@link #addBytes} read. */
  static final String STORED_COLUMNS =
      "id, timestamp_ns, coalesce(host_name, '') AS host, coalesce(container_name, '') AS"
          + " container, process_name, dst_addr, coalesce(domain_name, '') AS domain, dst_port,"
          + " protocol, direction, event_type, event_type_code, outcome, outcome_code, handshake_ns,"
          + " datagrams,"
          + " bytes_sent, bytes_received";

  private static Key storedKey(ResultSet row) throws SQLException {
    return new Key(
        Math.floorDiv(row.getLong("timestamp_ns"), MINUTE_NS) * MINUTE_NS,
        row.getString("host"),
        row.getString("container"),
        row.getString("process_name"),
        row.getString("dst_addr"),
        row.getString("domain"),
        row.getInt("dst_port"),
        row.getString("protocol"),
        row.getString("direction"),
        row.getString("event_type"),
        row.getString("outcome"));
  }

  /**
   * Whether the tallies are due to be added to the tables with the batch being written: every batch
   * when the interval is zero, otherwise once the interval has passed or many keys wait.
   */
  boolean flushDue() {
    if (minutes.isEmpty() && pending.isEmpty()) {
      return false;
    }
    return flushIntervalNanos == 0
        || System.nanoTime() - lastFlushNanos >= flushIntervalNanos
        || pending.size() + minutes.size() >= MAX_PENDING;
  }

  /** Beyond this many waiting minute tallies they are flushed whatever the interval. */
  static final int MAX_PENDING = 50_000;

  /**
   * The largest {@code event_rows.id} whose tally is in the tables: a close of a later row adds its
   * bytes here ({@link #addBytes}), not to the tables.
   */
  long flushedThrough() {
    return flushedThrough;
  }

  /** What {@code rollup_progress} holds, read when the writer starts. */
  void flushedThrough(long id) {
    flushedThrough = id;
  }

  /**
   * The batch committed: its tallies wait for the next flush, or, when {@link #bindBatch} wrote
   * them with the waiting ones, nothing waits any more.
   *
   * @param flushedThroughId the id {@code rollup_progress} now holds, or -1 when not flushed
   */
  void committed(long flushedThroughId) {
    if (flushedThroughId >= 0) {
      pending.clear();
      flushedThrough = flushedThroughId;
      lastFlushNanos = System.nanoTime();
    } else {
      minutes.values().forEach(tally -> pending.merge(tally.key, tally, Tally::sum));
    }
    minutes.clear();
  }

  /** {@code inbound} for accepted connections, {@code outbound} for every other kind. */
  static String direction(EventKind kind) {
    return kind == EventKind.TCP_ACCEPT ? "inbound" : "outbound";
  }

  /**
   * Adds the batch's tallies to the four statements {@link #upsertMinute}, {@link #upsertHour},
   * {@link #upsertDestinations} and {@link #upsertTotals} rendered (the caller executes them),
   * writes the tiers of V13 ({@code rollup_five_minute_destinations}, {@code rollup_day}, {@code
   * rollup_day_destinations}) itself on the same connection, then starts afresh. Every row of every
   * tier is a sum of the batch's minute tallies, so the key is worked out once per event, in {@link
   * #add}.
   */
  void bindBatch(
      PreparedStatement minute,
      PreparedStatement hour,
      PreparedStatement destinations,
      PreparedStatement totals)
      throws SQLException {
    Map<Key, Tally> hours = new HashMap<>();
    Map<Key, Tally> pairs = new HashMap<>();
    Map<TotalsKey, Totals> sums = new HashMap<>();
    List<Map<Key, Tally>> tiers = new ArrayList<>();
    for (int i = 0; i < TIERS.size(); i++) {
      tiers.add(new HashMap<>());
    }
    // The waiting tallies and the batch's, summed into new objects: if the transaction fails,
    // the waiting ones are still what they were.
    Map<Key, Tally> all = new HashMap<>();
    for (Map<Key, Tally> source : List.of(pending, minutes)) {
      for (Tally tally : source.values()) {
        all.computeIfAbsent(tally.key, Tally::new).add(tally);
      }
    }
    for (Tally tally : all.values()) {
      Column.bind(minute, MINUTE, tally);
      minute.addBatch();
      Key hourKey = tally.key.inBucket(Math.floorDiv(tally.key.bucketNs(), HOUR_NS) * HOUR_NS);
      hours.computeIfAbsent(hourKey, Tally::new).add(tally);
      pairs.computeIfAbsent(hourKey.destination(), Tally::new).add(tally);
      for (int i = 0; i < TIERS.size(); i++) {
        tiers.get(i).computeIfAbsent(TIERS.get(i).keyOf(tally.key), Tally::new).add(tally);
      }
      Totals sum = sums.computeIfAbsent(tally.key.totals(), Totals::new);
      sum.connections += tally.connections;
      sum.failed += tally.failed;
    }
    for (Tally tally : hours.values()) {
      Column.bind(hour, HOUR, tally);
      hour.addBatch();
    }
    for (Tally tally : pairs.values()) {
      Column.bind(destinations, DESTINATIONS, tally);
      destinations.addBatch();
    }
    for (Totals sum : sums.values()) {
      Column.bind(totals, TOTALS, sum);
      totals.addBatch();
    }
    if (!all.isEmpty()) {
      // The writer needs to know nothing of these tables: their statements join its transaction.
      for (int i = 0; i < TIERS.size(); i++) {
        PreparedStatement upsert = tierUpserts.get(i);
        try {
          for (Tally tally : tiers.get(i).values()) {
            Column.bind(upsert, TIERS.get(i).columns(), tally);
            upsert.addBatch();
          }
          upsert.executeBatch();
        } finally {
          upsert.clearBatch();
        }
      }
    }
  }

  /** Forgets the batch's tallies, of a batch that failed; those waiting stay. */
  void clear() {
    minutes.clear();
  }

  /** Whether the batch being written has tallies (or recovery found some). */
  boolean tallying() {
    return !minutes.isEmpty();
  }

  /** Whether committed tallies wait to be flushed. */
  boolean waiting() {
    return !pending.isEmpty();
  }

  @Override
  public void close() throws SQLException {
    SQLException failure = null;
    for (PreparedStatement upsert : tierUpserts) {
      try {
        upsert.close();
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  static Insert<?> upsertMinute(DSLContext dsl) {
    return upsert(dsl, ROLLUP_MINUTE, MINUTE);
  }

  static Insert<?> upsertHour(DSLContext dsl) {
    return upsert(dsl, ROLLUP_HOUR, HOUR);
  }

  static Insert<?> upsertDestinations(DSLContext dsl) {
    return upsertDestinations(dsl, ROLLUP_HOUR_DESTINATIONS, DESTINATIONS);
  }

  /** The UPSERT of a destinations table (V11's hourly one, V13's 5-minute and daily ones). */
  private static <R extends Record> Insert<R> upsertDestinations(
      DSLContext dsl, Table<R> table, List<Column<Tally, ?>> columns) {
    Field<Long> connections = field(table, "connection_count", Long.class);
    Field<Long> failed = field(table, "failed_count", Long.class);
    Field<Long> first = field(table, "first_seen_ns", Long.class);
    Field<Long> last = field(table, "last_seen_ns", Long.class);
    return Column.insert(dsl, table, columns)
        .onConflict(table.getPrimaryKey().getFields())
        .doUpdate()
        .set(connections, connections.plus(DSL.excluded(connections)))
        .set(failed, failed.plus(DSL.excluded(failed)))
        .set(first, DSL.least(first, DSL.excluded(first)))
        .set(last, DSL.greatest(last, DSL.excluded(last)));
  }

  /** The columns of a destinations table: the key without protocol, direction, kind, outcome. */
  private static List<Column<Tally, ?>> destinationColumns(Table<?> table) {
    return List.of(
        new Column<>(field(table, "bucket_ns", Long.class), t -> t.key.bucketNs()),
        new Column<>(field(table, "host_name", String.class), t -> t.key.hostName()),
        new Column<>(field(table, "container_name", String.class), t -> t.key.containerName()),
        new Column<>(field(table, "process_name", String.class), t -> t.key.processName()),
        new Column<>(field(table, "dst_addr", String.class), t -> t.key.dstAddr()),
        new Column<>(field(table, "domain_name", String.class), t -> t.key.domainName()),
        new Column<>(field(table, "dst_port", Integer.class), t -> t.key.dstPort()),
        new Column<>(field(table, "connection_count", Long.class), t -> t.connections),
        new Column<>(field(table, "failed_count", Long.class), t -> t.failed),
        new Column<>(field(table, "first_seen_ns", Long.class), t -> t.firstSeenNs),
        new Column<>(field(table, "last_seen_ns", Long.class), t -> t.lastSeenNs));
  }

  private static String render(Insert<?> insert) {
    return Jooq.renderer().render(insert);
  }

  static Insert<?> upsertTotals(DSLContext dsl) {
    var table = ROLLUP_MINUTE_TOTALS;
    return Column.insert(dsl, table, TOTALS)
        .onConflict(table.getPrimaryKey().getFields())
        .doUpdate()
        .set(
            table.CONNECTION_COUNT,
            table.CONNECTION_COUNT.plus(DSL.excluded(table.CONNECTION_COUNT)))
        .set(table.FAILED_COUNT, table.FAILED_COUNT.plus(DSL.excluded(table.FAILED_COUNT)));
  }

  /**
   * The rollup columns of {@code rollup_minute}, {@code rollup_hour} or {@code rollup_day}, which
   * have the same but for the bytes (not in {@code rollup_day}).
   */
  private static <R extends Record> List<Column<Tally, ?>> columns(Table<R> table) {
    List<Column<Tally, ?>> columns =
        new ArrayList<>(
            List.of(
                new Column<>(field(table, "bucket_ns", Long.class), t -> t.key.bucketNs()),
                new Column<>(field(table, "host_name", String.class), t -> t.key.hostName()),
                new Column<>(
                    field(table, "container_name", String.class), t -> t.key.containerName()),
                new Column<>(field(table, "process_name", String.class), t -> t.key.processName()),
                new Column<>(field(table, "dst_addr", String.class), t -> t.key.dstAddr()),
                new Column<>(field(table, "domain_name", String.class), t -> t.key.domainName()),
                new Column<>(field(table, "dst_port", Integer.class), t -> t.key.dstPort()),
                new Column<>(field(table, "protocol", String.class), t -> t.key.protocol()),
                new Column<>(field(table, "direction", String.class), t -> t.key.direction()),
                new Column<>(field(table, "event_type", String.class), t -> t.key.eventType()),
                new Column<>(field(table, "outcome", String.class), t -> t.key.outcome()),
                new Column<>(field(table, "connection_count", Long.class), t -> t.connections),
                new Column<>(field(table, "failed_count", Long.class), t -> t.failed),
                new Column<>(field(table, "first_seen_ns", Long.class), t -> t.firstSeenNs),
                new Column<>(field(table, "last_seen_ns", Long.class), t -> t.lastSeenNs),
                new Column<>(field(table, "handshake_count", Long.class), t -> t.handshakes),
                new Column<>(field(table, "handshake_sum_ns", Long.class), t -> t.handshakeSumNs),
                new Column<>(field(table, "handshake_max_ns", Long.class), t -> t.handshakeMaxNs)));
    if (hasBytes(table)) {
      columns.add(new Column<>(field(table, "bytes_sent", Long.class), t -> t.bytesSent));
      columns.add(new Column<>(field(table, "bytes_received", Long.class), t -> t.bytesReceived));
    }
    return List.copyOf(columns);
  }

  private static boolean hasBytes(Table<?> table) {
    return table.field("bytes_sent") != null;
  }

  /**
   * A generated column of the table, by name and checked type: the two tables share their columns,
   * so one list serves both, and a column renamed or retyped in a migration still fails here, once,
   * when the class loads (every sink test loads it).
   */
  private static <T> Field<T> field(Table<?> table, String name, Class<T> type) {
    Field<?> field = table.field(name);
    if (!(field instanceof TableField<?, ?>) || field.getType() != type) {
      throw new IllegalStateException(table.getName() + "." + name + " is not a " + type);
    }
    return field.coerce(type);
  }

  private static <R extends Record> Insert<R> upsert(
      DSLContext dsl, Table<R> table, List<Column<Tally, ?>> columns) {
    Field<Long> connections = field(table, "connection_count", Long.class);
    Field<Long> failed = field(table, "failed_count", Long.class);
    Field<Long> first = field(table, "first_seen_ns", Long.class);
    Field<Long> last = field(table, "last_seen_ns", Long.class);
    Field<Long> handshakes = field(table, "handshake_count", Long.class);
    Field<Long> handshakeSum = field(table, "handshake_sum_ns", Long.class);
    Field<Long> handshakeMax = field(table, "handshake_max_ns", Long.class);
    var update =
        Column.insert(dsl, table, columns)
            .onConflict(table.getPrimaryKey().getFields())
            .doUpdate()
            .set(connections, connections.plus(DSL.excluded(connections)))
            .set(failed, failed.plus(DSL.excluded(failed)))
            .set(first, DSL.least(first, DSL.excluded(first)))
            .set(last, DSL.greatest(last, DSL.excluded(last)))
            .set(handshakes, handshakes.plus(DSL.excluded(handshakes)))
            .set(handshakeSum, handshakeSum.plus(DSL.excluded(handshakeSum)))
            .set(handshakeMax, DSL.greatest(handshakeMax, DSL.excluded(handshakeMax)));
    if (!hasBytes(table)) {
      return update;
    }
    Field<Long> sent = field(table, "bytes_sent", Long.class);
    Field<Long> received = field(table, "bytes_received", Long.class);
    return update
        .set(sent, sent.plus(DSL.excluded(sent)))
        .set(received, received.plus(DSL.excluded(received)));
  }
}
