package io.lanthorn.sink.sqlite.write;

import static io.lanthorn.sink.sqlite.schema.Tables.THREAT_DOMAIN_FEED;
import static io.lanthorn.sink.sqlite.schema.Tables.THREAT_FEEDS;
import static io.lanthorn.sink.sqlite.schema.Tables.THREAT_IP_FEED;

import io.lanthorn.api.ThreatFeedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Keeps {@code threat_ip_feed}, {@code threat_domain_feed} and {@code threat_feeds} as the agent's
 * threat plugin reports its feeds: a feed's rows are replaced whole when its version changes,
 * inside the caller's transaction (the sink's batch), so a reader sees the old list or the new one;
 * a report of the same version only updates the feed's status row. Not thread-safe.
 */
final class ThreatFeedWriter implements AutoCloseable {
  /** Upstream's {@code last_updated} form (SQLite's {@code CURRENT_TIMESTAMP}). */
  private static final DateTimeFormatter UPSTREAM_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /**
   * Rows bound per JDBC batch: sqlite-jdbc keeps a batch's parameters on the heap, and the agent's
   * heap is small (64 MB by default) while a feed can hold a million entries.
   */
  private static final int CHUNK = 5_000;

  private final PreparedStatement storedVersion;
  private final PreparedStatement deleteAddresses;
  private final PreparedStatement deleteDomains;
  private final PreparedStatement insertAddress;
  private final PreparedStatement insertDomain;
  private final PreparedStatement upsertStatus;

  ThreatFeedWriter(Connection connection, DSLContext dsl) throws SQLException {
    storedVersion =
        connection.prepareStatement(
            dsl.render(
                dsl.select(THREAT_FEEDS.VERSION)
                    .from(THREAT_FEEDS)
                    .where(THREAT_FEEDS.FEED.eq(DSL.param(THREAT_FEEDS.FEED)))));
    deleteAddresses =
        connection.prepareStatement(
            dsl.render(
                dsl.deleteFrom(THREAT_IP_FEED)
                    .where(THREAT_IP_FEED.SOURCE.eq(DSL.param(THREAT_IP_FEED.SOURCE)))));
    deleteDomains =
        connection.prepareStatement(
            dsl.render(
                dsl.deleteFrom(THREAT_DOMAIN_FEED)
                    .where(THREAT_DOMAIN_FEED.SOURCE.eq(DSL.param(THREAT_DOMAIN_FEED.SOURCE)))));
    // A feed may list an entry twice: one row.
    insertAddress =
        connection.prepareStatement(
            dsl.render(
                dsl.insertInto(THREAT_IP_FEED)
                    .columns(THREAT_IP_FEED.IP, THREAT_IP_FEED.SOURCE, THREAT_IP_FEED.LAST_UPDATED)
                    .values(
                        DSL.param(THREAT_IP_FEED.IP),
                        DSL.param(THREAT_IP_FEED.SOURCE),
                        DSL.param(THREAT_IP_FEED.LAST_UPDATED))
                    .onConflictDoNothing()));
    insertDomain =
        connection.prepareStatement(
            dsl.render(
                dsl.insertInto(THREAT_DOMAIN_FEED)
                    .columns(
                        THREAT_DOMAIN_FEED.DOMAIN,
                        THREAT_DOMAIN_FEED.SOURCE,
                        THREAT_DOMAIN_FEED.LAST_UPDATED)
                    .values(
                        DSL.param(THREAT_DOMAIN_FEED.DOMAIN),
                        DSL.param(THREAT_DOMAIN_FEED.SOURCE),
                        DSL.param(THREAT_DOMAIN_FEED.LAST_UPDATED))
                    .onConflictDoNothing()));
    upsertStatus =
        connection.prepareStatement(
            dsl.render(
                dsl.insertInto(THREAT_FEEDS)
                    .columns(
                        THREAT_FEEDS.FEED,
                        THREAT_FEEDS.URL,
                        THREAT_FEEDS.FORMAT,
                        THREAT_FEEDS.VERSION,
                        THREAT_FEEDS.ENTRIES,
                        THREAT_FEEDS.MALFORMED,
                        THREAT_FEEDS.LAST_GOOD_REFRESH_NS,
                        THREAT_FEEDS.LAST_ERROR,
                        THREAT_FEEDS.LAST_ERROR_NS,
                        THREAT_FEEDS.REPORTED_NS)
                    .values(
                        DSL.param(THREAT_FEEDS.FEED),
                        DSL.param(THREAT_FEEDS.URL),
                        DSL.param(THREAT_FEEDS.FORMAT),
                        DSL.param(THREAT_FEEDS.VERSION),
                        DSL.param(THREAT_FEEDS.ENTRIES),
                        DSL.param(THREAT_FEEDS.MALFORMED),
                        DSL.param(THREAT_FEEDS.LAST_GOOD_REFRESH_NS),
                        DSL.param(THREAT_FEEDS.LAST_ERROR),
                        DSL.param(THREAT_FEEDS.LAST_ERROR_NS),
                        DSL.param(THREAT_FEEDS.REPORTED_NS))
                    .onConflict(THREAT_FEEDS.FEED)
                    .doUpdate()
                    .set(THREAT_FEEDS.URL, DSL.excluded(THREAT_FEEDS.URL))
                    .set(THREAT_FEEDS.FORMAT, DSL.excluded(THREAT_FEEDS.FORMAT))
                    .set(THREAT_FEEDS.VERSION, DSL.excluded(THREAT_FEEDS.VERSION))
                    .set(THREAT_FEEDS.ENTRIES, DSL.excluded(THREAT_FEEDS.ENTRIES))
                    .set(THREAT_FEEDS.MALFORMED, DSL.excluded(THREAT_FEEDS.MALFORMED))
                    .set(
                        THREAT_FEEDS.LAST_GOOD_REFRESH_NS,
                        DSL.excluded(THREAT_FEEDS.LAST_GOOD_REFRESH_NS))
                    .set(THREAT_FEEDS.LAST_ERROR, DSL.excluded(THREAT_FEEDS.LAST_ERROR))
                    .set(THREAT_FEEDS.LAST_ERROR_NS, DSL.excluded(THREAT_FEEDS.LAST_ERROR_NS))
                    .set(THREAT_FEEDS.REPORTED_NS, DSL.excluded(THREAT_FEEDS.REPORTED_NS))));
  }

  /** Applies the reports in order, inside the caller's transaction. */
  void write(List<ThreatFeedEvent> feeds) throws SQLException {
    for (ThreatFeedEvent feed : feeds) {
      if (!Objects.equals(feed.version(), storedVersion(feed.feedName()))) {
        replaceEntries(feed);
      }
      int i = 1;
      upsertStatus.setString(i++, feed.feedName());
      upsertStatus.setString(i++, feed.url());
      upsertStatus.setString(i++, feed.format());
      upsertStatus.setString(i++, feed.version());
      upsertStatus.setInt(i++, feed.entries());
      upsertStatus.setInt(i++, feed.malformed());
      upsertStatus.setObject(i++, feed.lastGoodNanos() == 0 ? null : feed.lastGoodNanos());
      upsertStatus.setString(i++, feed.lastError());
      upsertStatus.setObject(i++, feed.lastError() == null ? null : feed.lastErrorNanos());
      upsertStatus.setLong(i, feed.timestampNanos());
      upsertStatus.executeUpdate();
    }
  }

  private String storedVersion(String feed) throws SQLException {
    storedVersion.setString(1, feed);
    try (ResultSet rows = storedVersion.executeQuery()) {
      return rows.next() ? rows.getString(1) : null;
    }
  }

  private void replaceEntries(ThreatFeedEvent feed) throws SQLException {
    String source = feed.feedName();
    deleteAddresses.setString(1, source);
    deleteAddresses.executeUpdate();
    deleteDomains.setString(1, source);
    deleteDomains.executeUpdate();
    long arrived = feed.lastGoodNanos() != 0 ? feed.lastGoodNanos() : feed.timestampNanos();
    String lastUpdated =
        UPSTREAM_TIME.format(Instant.ofEpochSecond(Math.floorDiv(arrived, 1_000_000_000L)));
    try {
      insertAll(insertAddress, feed.addresses(), source, lastUpdated);
      insertAll(insertDomain, feed.domains(), source, lastUpdated);
    } finally {
      // After a failure, rows bound but not executed must not leak into the next batch.
      insertAddress.clearBatch();
      insertDomain.clearBatch();
    }
  }

  private static void insertAll(
      PreparedStatement insert, List<String> entries, String source, String lastUpdated)
      throws SQLException {
    int bound = 0;
    for (String entry : entries) {
      insert.setString(1, entry);
      insert.setString(2, source);
      insert.setString(3, lastUpdated);
      insert.addBatch();
      if (++bound == CHUNK) {
        insert.executeBatch();
        bound = 0;
      }
    }
    insert.executeBatch();
  }

  @Override
  public void close() throws SQLException {
    try (storedVersion;
        deleteAddresses;
        deleteDomains;
        insertAddress;
        insertDomain;
        upsertStatus) {
      // Closing each statement.
    }
  }
}
