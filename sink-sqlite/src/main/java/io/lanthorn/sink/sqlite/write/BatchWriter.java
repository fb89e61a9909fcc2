package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.DNS_EVENTS;
import static io.lanthorn.sink.sqlite.schema.Tables.EVENT_ROWS;

import io.lanthorn.api.ConnectionCloseEvent;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.DnsEvent;
import io.lanthorn.api.Event;
import io.lanthorn.api.EventKind;
import io.lanthorn.api.InboundAcceptEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.StandardAttributes;
import io.lanthorn.api.ThreatFeedEvent;
import io.lanthorn.api.UdpFlowEvent;
import io.lanthorn.sink.sqlite.store.Jooq;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;

/**
 * Writes a batch of events, the {@code containers} and {@code processes} rows they refer to, and
 * the summary and rollup rows they change, in one transaction.
 *
 * <p>jOOQ renders the statements once from the generated table references and manages the
 * transaction; the rows are bound to plain JDBC batches, which is several times faster than
 * building jOOQ records or queries per row (see README, "Benchmark"). Not thread-safe: the sink's
 * writing thread only.
 */
public final class BatchWriter implements AutoCloseable {
  private final Connection connection;
  private final DSLContext dsl;
  private final PreparedStatement insertEvent;
  private final PreparedStatement insertAccept;
  private final PreparedStatement insertUdp;
  private final PreparedStatement upsertProcess;
  private final PreparedStatement upsertContainer;
  private final PreparedStatement upsertDomain;
  private final PreparedStatement upsertSummary;
  private final PreparedStatement upsertMinute;
  private final PreparedStatement upsertHour;
  private final PreparedStatement upsertDestinations;
  private final PreparedStatement upsertTotals;
  private final FactTable<ProcessFacts> processes = ProcessFacts.table();
  private final FactTable<ContainerFacts> containers = ContainerFacts.table();
  private final FactTable<String> domains = DomainFacts.table();
  private final Summaries summaries = new Summaries();
  private final Rollups rollups;
  private final AddressCache addresses = new AddressCache();
  private final EventColumns.EventRow row = new EventColumns.EventRow();
  private final DnsEventWriter dnsEvents;
  private final List<DnsRow> dnsRows = new ArrayList<>();
  private final ThreatFeedWriter feeds;
  private final List<ThreatFeedEvent> feedReports = new ArrayList<>();
  private final CloseWriter closes;
  private final PreparedStatement readProgress;
  private final PreparedStatement writeProgress;

  private final List<ConnectionCloseEvent> closeRows = new ArrayList<>();
  private final Map<OpeningKey, ConnectionCloseEvent> pairedCloses = new HashMap<>();

  /**
   * @param rollupFlushInterval longest the tallies of committed batches wait before they are added
   *     to the rollup tables ({@link Rollups#flushDue}); zero adds every batch's
   */
  public BatchWriter(Connection connection, Duration rollupFlushInterval) throws SQLException {
    this.connection = connection;
    this.dsl = Jooq.using(connection);
    this.insertEvent = prepareInsert(EventCodes.CONNECT);
    this.insertAccept = prepareInsert(EventCodes.ACCEPT);
    this.insertUdp = prepareInsert(EventCodes.UDP_SEND);
    this.rollups = new Rollups(connection, rollupFlushInterval);
    this.closes = new CloseWriter(connection, dsl, rollups);
    this.readProgress = connection.prepareStatement(READ_PROGRESS);
    this.writeProgress = connection.prepareStatement(WRITE_PROGRESS);
    this.upsertProcess = connection.prepareStatement(dsl.render(processes.upsert(dsl)));
    this.upsertContainer = connection.prepareStatement(dsl.render(containers.upsert(dsl)));
    this.upsertDomain = connection.prepareStatement(dsl.render(domains.upsert(dsl)));
    this.upsertSummary = connection.prepareStatement(dsl.render(Summaries.upsert(dsl)));
    this.upsertMinute = connection.prepareStatement(dsl.render(Rollups.upsertMinute(dsl)));
    this.upsertHour = connection.prepareStatement(dsl.render(Rollups.upsertHour(dsl)));
    this.upsertDestinations =
        connection.prepareStatement(dsl.render(Rollups.upsertDestinations(dsl)));
    this.upsertTotals = connection.prepareStatement(dsl.render(Rollups.upsertTotals(dsl)));
    this.dnsEvents = new DnsEventWriter(connection, dsl);
    this.feeds = new ThreatFeedWriter(connection, dsl);
    startFactTables();
    recoverRollups();
  }

  /** The INSERT of one kind's rows: the kind is a literal, every other column bound. */
  private PreparedStatement prepareInsert(int kind) throws SQLException {
    return connection.prepareStatement(
        dsl.render(
            Column.insert(dsl, EVENT_ROWS, EventColumns.ALL, Map.of(EVENT_ROWS.KIND, kind))));
  }

  private static final String READ_PROGRESS =
      "SELECT event_rows_through FROM rollup_progress WHERE id = 1";
  private static final String WRITE_PROGRESS =
      "UPDATE rollup_progress SET event_rows_through = (SELECT coalesce(max(id), 0) FROM event_rows)"
          + " WHERE id = 1";

  /**
   * Tallies again the rows whose tallies were never added to the rollup tables (the agent stopped
   * before their flush), and adds them.
   */
  private void recoverRollups() throws SQLException {
    long through = progress();
    rollups.flushedThrough(through);
    try (PreparedStatement unflushed =
        connection.prepareStatement(
            "SELECT " + Rollups.STORED_COLUMNS + " FROM events WHERE id > ? ORDER BY id")) {
      unflushed.setLong(1, through);
      try (ResultSet rows = unflushed.executeQuery()) {
        while (rows.next()) {
          rollups.addStored(rows);
          summaries.addStored(rows);
        }
      }
    }
    if (rollups.tallying()) {
      flushRollups();
    }
  }

  /** Adds every waiting tally to the rollup tables, in a transaction of its own. */
  private void flushRollups() throws SQLException {
    try {
      long flushedThrough = dsl.transactionResult(transaction -> writeRollups());
      rollups.committed(flushedThrough);
      summaries.committed(true);
    } finally {
      rollups.clear();
      summaries.clear();
      clearRollupStatements();
    }
  }

  /**
   * Adds the waiting tallies and the batch's to the rollup tables and moves {@code rollup_progress}
   * to the last row, in the caller's transaction.
   *
   * @return the id {@code rollup_progress} now holds
   */
  private long writeRollups() throws SQLException {
    summaries.bindBatch(upsertSummary);
    upsertSummary.executeBatch();
    rollups.bindBatch(upsertMinute, upsertHour, upsertDestinations, upsertTotals);
    upsertMinute.executeBatch();
    upsertHour.executeBatch();
    upsertDestinations.executeBatch();
    upsertTotals.executeBatch();
    writeProgress.executeUpdate();
    return progress();
  }

  /** The largest id of event_rows counted in the rollup tables. */
  private long progress() throws SQLException {
    try (ResultSet progress = readProgress.executeQuery()) {
      return progress.next() ? progress.getLong(1) : 0;
    }
  }

  private void clearRollupStatements() throws SQLException {
    upsertSummary.clearBatch();
    upsertMinute.clearBatch();
    upsertHour.clearBatch();
    upsertDestinations.clearBatch();
    upsertTotals.clearBatch();
  }

  /**
   * Commits the batch, or throws having written none of it.
   *
   * @return how many events of the batch were copies of stored ones (same {@link
   *     EventColumns#EVENT_ID}), not stored again
   * @throws org.jooq.exception.DataAccessException wrapping SQLite's failure
   */
  public int write(List<? extends Event> batch) throws SQLException {
    relearnIfForgotten();
    List<? extends Event> fresh = withoutStored(batch);
    pairCloses(fresh);
    try {
      // The id rollup_progress holds when the batch also flushed the waiting tallies, else -1.
      long flushedThrough =
          dsl.transactionResult(
              transaction -> {
                // Statements prepared on the same connection join the transaction jOOQ began.
                for (Event event : fresh) {
                  // The kinds SqliteSink.kinds() declares; the pipeline passes no other.
                  if (event instanceof DnsEvent answer) {
                    dnsRows.add(DnsRows.of(answer));
                    continue;
                  }
                  if (event instanceof ThreatFeedEvent feed) {
                    feedReports.add(feed);
                    continue;
                  }
                  if (event instanceof ConnectionCloseEvent) {
                    continue; // paired with its opening row, or in closeRows (pairCloses)
                  }
                  if (event instanceof InboundAcceptEvent accept) {
                    // Not in the outbound summary (connection_aggregations): query summary adds
                    // the inbound side from the rows.
                    describe(EventColumns.asRow(accept));
                    row.close = pairedCloses.remove(OpeningKey.of(row.event, true));
                    Column.bind(insertAccept, EventColumns.ALL, row);
                    insertAccept.addBatch();
                    rollups.add(
                        row, EventKind.TCP_ACCEPT, EventColumns.outcome(row.event.outcome()), 1);
                    continue;
                  }
                  if (event instanceof UdpFlowEvent udp) {
                    // Not in the summary either: a row per interval is no connection count.
                    describe(EventColumns.asRow(udp));
                    row.close = null;
                    row.datagrams = udp.datagrams();
                    row.bytesSent = udp.bytes();
                    Column.bind(insertUdp, EventColumns.ALL, row);
                    insertUdp.addBatch();
                    // A flow's interval counts its datagrams, and its bytes as sent.
                    rollups.add(row, EventKind.UDP_SEND, EventColumns.UDP_OUTCOME, udp.datagrams());
                    row.datagrams = null;
                    row.bytesSent = null;
                    continue;
                  }
                  describe((ConnectionEvent) event);
                  row.close = pairedCloses.remove(OpeningKey.of(row.event, false));
                  Column.bind(insertEvent, EventColumns.ALL, row);
                  insertEvent.addBatch();
                  summaries.add(row);
                  rollups.add(
                      row, EventKind.TCP_CONNECT, EventColumns.outcome(row.event.outcome()), 1);
                }
                insertEvent.executeBatch();
                insertAccept.executeBatch();
                insertUdp.executeBatch();
                dnsEvents.write(dnsRows);
                feeds.write(feedReports);
                closes.write(closeRows);
                if (processes.usedAny()) {
                  processes.bindBatch(upsertProcess);
                  processes.requireOwnRows(upsertProcess.executeBatch());
                }
                if (containers.usedAny()) {
                  containers.bindBatch(upsertContainer);
                  containers.requireOwnRows(upsertContainer.executeBatch());
                }
                if (domains.usedAny()) {
                  domains.bindBatch(upsertDomain);
                  domains.requireOwnRows(upsertDomain.executeBatch());
                }
                return rollups.flushDue() ? writeRollups() : -1L;
              });
      rollups.committed(flushedThrough);
      summaries.committed(flushedThrough >= 0);
    } finally {
      // After a failure, rows bound but not executed must not leak into the next batch.
      insertEvent.clearBatch();
      insertAccept.clearBatch();
      insertUdp.clearBatch();
      row.datagrams = null;
      row.close = null;
      row.bytesSent = null;
      closeRows.clear();
      pairedCloses.clear();
      upsertProcess.clearBatch();
      upsertContainer.clearBatch();
      upsertDomain.clearBatch();
      upsertSummary.clearBatch();
      clearRollupStatements();
      summaries.clear();
      rollups.clear();
      dnsRows.clear();
      feedReports.clear();
      processes.endBatch();
      containers.endBatch();
      domains.endBatch();
      row.event = null;
    }
    return batch.size() - fresh.size();
  }

  /**
   * Sorts the batch's closes: one whose opening event is in the same batch goes to {@link
   * #pairedCloses}, and the opening row is inserted closed, with its lifetime; any other to {@link
   * #closeRows}, to update a stored row. Short connections open and close within one batch when
   * traffic is heavy, so an insert replaces the three statements of an update exactly when it
   * matters.
   */
  private void pairCloses(List<? extends Event> events) {
    Set<OpeningKey> openings = null;
    for (Event event : events) {
      if (event instanceof ConnectionCloseEvent close) {
        if (openings == null) {
          openings = new HashSet<>();
          for (Event other : events) {
            if (other instanceof InboundAcceptEvent accept) {
              openings.add(
                  new OpeningKey(
                      accept.hostName(),
                      accept.kernelTimeNanos(),
                      true,
                      accept.remotePort(),
                      accept.localPort()));
            } else if (other instanceof ConnectionEvent connect
                && connect.outcome() == Outcome.ESTABLISHED) {
              openings.add(OpeningKey.of(connect, false));
            }
          }
        }
        OpeningKey key = OpeningKey.of(close);
        if (openings.remove(key)) {
          pairedCloses.put(key, close);
        } else {
          closeRows.add(close);
        }
      }
    }
  }

  /**
   * What joins a close to the row of its opening event, as {@link CloseWriter} finds it: the
   * opening's host (a central agent's batch holds several), kernel time, direction and the row's
   * two ports (source = the end that opened).
   */
  private record OpeningKey(
      String host, long kernelTimeNanos, boolean inbound, int srcPort, int dstPort) {
    static OpeningKey of(ConnectionEvent opening, boolean inbound) {
      return new OpeningKey(
          opening.hostName(),
          opening.kernelTimeNanos(),
          inbound,
          opening.sourcePort(),
          opening.destinationPort());
    }

    static OpeningKey of(ConnectionCloseEvent close) {
      long opened = close.openedKernelTimeNanos();
      return close.inbound()
          ? new OpeningKey(close.hostName(), opened, true, close.remotePort(), close.localPort())
          : new OpeningKey(close.hostName(), opened, false, close.localPort(), close.remotePort());
    }
  }

  /**
   * The batch without the events stored before or repeated within it, recognised by their stable id
   * (events from other hosts carry one; a consumer replays after a crash): connection attempts,
   * accepts and UDP flows ({@code event_rows.event_uid}), DNS answers ({@code
   * dns_events.event_uid}), and closes repeated within the batch (a close is an update of {@code
   * closed = 0} rows, so a copy in a later batch matches nothing; two in one batch would both add
   * their bytes to the rollups, which run before the update). The unique indexes on {@code
   * event_uid} back this up; asking first keeps one copy from failing the whole batch. The ids name
   * their kind, so no two kinds share one.
   */
  private List<? extends Event> withoutStored(List<? extends Event> batch) {
    Set<String> rowIds = new HashSet<>();
    Set<String> dnsIds = new HashSet<>();
    boolean closes = false;
    for (Event event : batch) {
      String id = event.attribute(EventColumns.EVENT_ID);
      if (id != null && inEventRows(event)) {
        rowIds.add(id);
      } else if (id != null && event instanceof DnsEvent) {
        dnsIds.add(id);
      } else if (id != null && event instanceof ConnectionCloseEvent) {
        closes = true;
      }
    }
    if (rowIds.isEmpty() && dnsIds.isEmpty() && !closes) {
      return batch;
    }
    Set<String> seen = new HashSet<>(storedAmong(EVENT_ROWS, EVENT_ROWS.EVENT_UID, rowIds));
    seen.addAll(storedAmong(DNS_EVENTS, DNS_EVENTS.EVENT_UID, dnsIds));
    List<Event> fresh = new ArrayList<>(batch.size());
    for (Event event : batch) {
      String id = event.attribute(EventColumns.EVENT_ID);
      boolean identified =
          inEventRows(event) || event instanceof DnsEvent || event instanceof ConnectionCloseEvent;
      if (id == null || !identified || seen.add(id)) {
        fresh.add(event);
      }
    }
    return fresh;
  }

  /** The kinds stored as a row of {@code event_rows}, with their id in {@code event_uid}. */
  private static boolean inEventRows(Event event) {
    return event instanceof ConnectionEvent
        || event instanceof InboundAcceptEvent
        || event instanceof UdpFlowEvent;
  }

  private List<String> storedAmong(Table<?> table, Field<String> uid, Set<String> ids) {
    List<String> stored = new ArrayList<>();
    List<String> all = new ArrayList<>(ids);
    // SQLite allows 32766 parameters per statement; stay well below.
    for (int from = 0; from < all.size(); from += 500) {
      stored.addAll(
          dsl.select(uid)
              .from(table)
              .where(uid.in(all.subList(from, Math.min(all.size(), from + 500))))
              .fetch(uid));
    }
    return stored;
  }

  /** Closes that found no open row to update (see {@link CloseWriter#unmatched()}). */
  public long unmatchedCloses() {
    return closes.unmatched();
  }

  /**
   * After a batch failed because another writer took numbers: learns the file's numbers again, in
   * every fact table (the failure stopped the batch before it reached the others).
   */
  private void relearnIfForgotten() {
    if (processes.forgotten() || containers.forgotten() || domains.forgotten()) {
      startFactTables();
    }
  }

  private void startFactTables() {
    processes.start(dsl);
    containers.start(dsl);
    domains.start(dsl);
  }

  private void describe(ConnectionEvent event) {
    long timestamp = event.timestampNanos();
    row.event = event;
    AddressCache.Address source = addresses.of(event.sourceAddress());
    AddressCache.Address destination = addresses.of(event.destinationAddress());
    row.sourceAddress = source.text();
    row.sourceIp = source.stored();
    row.destinationAddress = destination.text();
    row.destinationIp = destination.stored();
    row.containerName = event.attribute(StandardAttributes.CONTAINER_NAME);
    row.processRef = processes.idOf(ProcessFacts.of(event), timestamp);
    row.containerRef = containers.idOf(ContainerFacts.of(event.attributes()), timestamp);
    row.domainRef = domains.idOf(event.attribute(Summaries.DOMAIN), timestamp);
  }

  /**
   * Adds the tallies still waiting to the rollup tables, before {@link #close}; tallies that never
   * get there are counted from the events when the next writer starts.
   */
  public void flushWaitingRollups() throws SQLException {
    if (rollups.waiting()) {
      flushRollups();
    }
  }

  /** Adds the waiting tallies to the rollup tables when they have waited the flush interval. */
  public void flushRollupsIfDue() throws SQLException {
    if (rollups.waiting() && rollups.flushDue()) {
      flushRollups();
    }
  }

  @Override
  public void close() throws SQLException {
    try (connection;
        insertEvent;
        insertAccept;
        insertUdp;
        closes;
        rollups;
        upsertProcess;
        upsertContainer;
        upsertDomain;
        upsertSummary;
        upsertMinute;
        upsertHour;
        upsertDestinations;
        upsertTotals;
        readProgress;
        writeProgress;
        dnsEvents;
        feeds) {
      // Closing the last connection checkpoints the WAL into the database file.
    }
  }
}
