package io.lanthorn.web.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Read-only questions to sink-sqlite's file, one per page. Every statement is fixed text with bound
 * parameters: a client chooses values, never SQL. Results are rows of plain values, ready for JSON.
 *
 * <p>Each call opens its own read-only connection (a few hundred microseconds) so requests never
 * share a statement and a database that appears or is replaced later is simply found.
 */
public final class History {
  /** Outcomes that count as failures, as connection_aggregations.failed_count counts them. */
  static final String FAILED = "outcome NOT IN ('established', 'pending')";

  private static final int TOP = 10;

  private final Path file;

  public History(Path file) {
    this.file = file;
  }

  /** The file this reads. */
  public Path file() {
    return file;
  }

  /** The overview page: activity, top and failing destinations, what is new, threats, health. */
  public Map<String, Object> overview(Period period) {
    return overview(period, null);
  }

  /**
   * The same, for one host of a fleet's file when {@code host} is given: the activity, top and
   * failing destinations narrow to it (the summary behind what is new knows no hosts).
   */
  public Map<String, Object> overview(Period period, String host) {
    String onlyHost = blankToNull(host);
    String hostCondition = onlyHost == null ? "" : "host_name = ?";
    List<Object> hostValues = onlyHost == null ? List.of() : List.of(onlyHost);
    return read(
        connection -> {
          Set<String> columns = eventColumns(connection);
          boolean manyHosts = manyHosts(connection);
          // In a fleet's file each destination says which hosts' processes reached it.
          String hosts = manyHosts ? ", group_concat(DISTINCT nullif(host_name, '')) AS hosts" : "";
          long from = period.fromNanos();
          long to = period.toNanos();
          long bucket = period.bucket().toNanos();
          Map<String, Object> page = new LinkedHashMap<>();
          page.put("period", describe(period));
          page.put("manyHosts", manyHosts);
          // Activity, top and failing destinations come from the rollups (schema 11): their
          // cost follows the period's length and the distinct destinations, not its events.
          page.put(
              "activity",
              rows(
                  connection,
                  "SELECT (bucket_ns / ?) * ? / 1000000 AS bucket_ms, outcome,"
                      + " sum(connection_count) AS count FROM rollup_minute_totals"
                      + " WHERE bucket_ns >= ? AND bucket_ns < ?"
                      + (onlyHost == null ? "" : " AND host_name = ?")
                      + " GROUP BY 1, outcome ORDER BY 1",
                  withValues(
                      List.of(
                          bucket,
                          bucket,
                          Math.floorDiv(from, RollupPeriod.MINUTE_NS) * RollupPeriod.MINUTE_NS,
                          to),
                      hostValues)));
          RollupPeriod destinations =
              RollupPeriod.of(connection, period, RollupPeriod.Family.DESTINATIONS);
          RollupPeriod rollups = RollupPeriod.of(connection, period, RollupPeriod.Family.FULL);
          page.put(
              "topDestinations",
              rows(
                  connection,
                  "SELECT dst_addr AS address, dst_port AS port, max(nullif(domain_name, ''))"
                      + " AS domain, sum(connection_count) AS count, sum(failed_count) AS failed"
                      + hosts
                      + " FROM "
                      + destinations.rows(
                          "host_name, dst_addr, dst_port, domain_name, connection_count,"
                              + " failed_count",
                          hostCondition)
                      + " GROUP BY dst_addr, dst_port ORDER BY count DESC, address, port LIMIT "
                      + TOP,
                  destinations.parameters(hostValues).toArray()));
          page.put(
              "failingDestinations",
              rows(
                  connection,
                  "SELECT dst_addr AS address, dst_port AS port, max(nullif(domain_name, ''))"
                      + " AS domain, sum(failed_count) AS failed, group_concat(DISTINCT outcome)"
                      + " AS outcomes, count(DISTINCT nullif(container_name, '')) AS containers"
                      + hosts
                      + " FROM "
                      + rollups.rows(
                          "host_name, dst_addr, dst_port, domain_name, container_name, outcome,"
                              + " failed_count",
                          "failed_count > 0" + (onlyHost == null ? "" : " AND " + hostCondition))
                      + " GROUP BY dst_addr, dst_port ORDER BY failed DESC, address, port LIMIT "
                      + TOP,
                  rollups.parameters(hostValues).toArray()));
          page.put("newDestinations", newDestinations(connection, from, to));
          page.put("threats", threats(connection, columns, from, to));
          page.put(
              "health",
              rows(
                  connection,
                  "SELECT interval_start_ns / 3600000000000 * 3600000 AS hour_ms,"
                      + " sum(received) AS received, sum(written) AS written,"
                      + " sum(lost_at_source) AS lost_at_source, sum(dropped) AS dropped,"
                      + " sum(sink_failed) AS sink_failed FROM collection_health"
                      + " WHERE interval_start_ns >= ? AND interval_start_ns < ?"
                      + " GROUP BY 1 ORDER BY 1",
                  from,
                  to));
          return page;
        });
  }

  /**
   * Every container the file knows, running or gone: its facts, when it was first and last seen,
   * and its connection and failure counts since first seen (from the summary, kept past retention).
   */
  public Map<String, Object> containers(Period period) {
    return read(
        connection -> {
          Map<String, Object> page = new LinkedHashMap<>();
          page.put("period", describe(period));
          boolean manyHosts = manyHosts(connection);
          page.put("manyHosts", manyHosts);
          List<Map<String, Object>> containers =
              rows(
                  connection,
                  "WITH facts AS (SELECT container_name, max(container_id) AS container_id,"
                      + " max(image_name) AS image, max(compose_project) AS compose_project,"
                      + " max(compose_service) AS compose_service,"
                      + " min(first_seen_ns) / 1000000 AS first_seen_ms,"
                      + " max(last_seen_ns) / 1000000 AS last_seen_ms FROM containers"
                      + " WHERE container_name IS NOT NULL GROUP BY container_name),"
                      + " counts AS (SELECT container_name, sum(connection_count) AS connections,"
                      + " sum(failed_count) AS failed, count(DISTINCT dst_addr || ' ' || dst_port)"
                      + " AS destinations FROM connection_aggregations WHERE container_name <> ''"
                      + " GROUP BY container_name)"
                      + " SELECT f.container_name AS name, f.container_id, f.image,"
                      + " f.compose_project, f.compose_service, f.first_seen_ms, f.last_seen_ms,"
                      + " f.last_seen_ms >= ? AS active, coalesce(c.connections, 0) AS connections,"
                      + " coalesce(c.failed, 0) AS failed, coalesce(c.destinations, 0) AS"
                      + " destinations FROM facts f LEFT JOIN counts c USING (container_name)"
                      + " ORDER BY f.last_seen_ms DESC, f.container_name",
                  period.to().minus(Duration.ofMinutes(5)).toEpochMilli());
          // SQLite has no boolean type: say true/false in JSON.
          containers.forEach(c -> c.put("active", ((Number) c.get("active")).intValue() == 1));
          if (manyHosts) {
            addHosts(connection, period, containers);
          }
          page.put("containers", containers);
          return page;
        });
  }

  /**
   * One container: its facts, the graph of its destinations (since first seen) and its attempts in
   * the period, newest first, optionally of one outcome or destination.
   *
   * @return null when the file never saw a container of that name
   */
  public Map<String, Object> container(
      String name, Period period, String outcome, String destination, int limit) {
    return container(name, period, outcome, destination, null, limit);
  }

  /** The same, its attempts narrowed to one host of a fleet's file when {@code host} is given. */
  public Map<String, Object> container(
      String name, Period period, String outcome, String destination, String host, int limit) {
    String onlyHost = blankToNull(host);
    DestinationFilter filter =
        destination == null || destination.isBlank() ? null : DestinationFilter.parse(destination);
    String outcomeFilter = outcome(outcome);
    return read(
        connection -> {
          List<Map<String, Object>> facts =
              rows(
                  connection,
                  "SELECT container_id, image_name AS image, image_id, container_runtime AS"
                      + " runtime, compose_project, compose_service, container_labels AS labels,"
                      + " first_seen_ns / 1000000 AS first_seen_ms, last_seen_ns / 1000000 AS"
                      + " last_seen_ms FROM containers WHERE container_name = ?"
                      + " ORDER BY last_seen_ns DESC",
                  name);
          if (facts.isEmpty()) {
            return null;
          }
          Set<String> columns = eventColumns(connection);
          boolean manyHosts = manyHosts(connection);
          Map<String, Object> page = new LinkedHashMap<>();
          page.put("name", name);
          page.put("period", describe(period));
          page.put("manyHosts", manyHosts);
          page.put("facts", facts);
          page.put(
              "destinations",
              rows(
                  connection,
                  "SELECT dst_addr AS address, dst_port AS port, sum(connection_count) AS count,"
                      + " sum(failed_count) AS failed, min(first_seen_ns) / 1000000 AS"
                      + " first_seen_ms, max(last_seen_ns) / 1000000 AS last_seen_ms,"
                      + " group_concat(DISTINCT process_name) AS processes"
                      + " FROM connection_aggregations WHERE container_name = ?"
                      + " GROUP BY dst_addr, dst_port ORDER BY count DESC LIMIT 200",
                  name));
          Query query = new Query(columns, manyHosts);
          query.where("container_name = ?", name);
          if (onlyHost != null) {
            query.where("host_name = ?", onlyHost);
          }
          query.where("timestamp_ns >= ?", period.fromNanos());
          query.where("timestamp_ns < ?", period.toNanos());
          if (outcomeFilter != null) {
            query.where("outcome = ?", outcomeFilter);
          }
          query.destination(filter);
          page.put("attempts", query.page(connection, 0, limit));
          return page;
        });
  }

  /** Connection search, newest first, {@code size} rows per page. */
  public Map<String, Object> search(SearchCriteria criteria, Period period, int page, int size) {
    DestinationFilter filter =
        criteria.destination() == null || criteria.destination().isBlank()
            ? null
            : DestinationFilter.parse(criteria.destination());
    String outcomeFilter = outcome(criteria.outcome());
    return read(
        connection -> {
          boolean manyHosts = manyHosts(connection);
          Query query = new Query(eventColumns(connection), manyHosts);
          query.where("timestamp_ns >= ?", period.fromNanos());
          query.where("timestamp_ns < ?", period.toNanos());
          if (criteria.host() != null && !criteria.host().isBlank()) {
            query.where("host_name = ?", criteria.host());
          }
          if (criteria.container() != null && !criteria.container().isBlank()) {
            query.where("container_name = ?", criteria.container());
          }
          if (criteria.process() != null && !criteria.process().isBlank()) {
            query.where("process_name = ?", criteria.process());
          }
          if (criteria.port() != null) {
            query.where("dst_port = ?", criteria.port());
          }
          if (outcomeFilter != null) {
            query.where("outcome = ?", outcomeFilter);
          }
          flows(query, criteria);
          query.destination(filter);
          Map<String, Object> result = new LinkedHashMap<>();
          result.put("period", describe(period));
          result.put("manyHosts", manyHosts);
          result.put("page", page);
          result.put("size", size);
          List<Map<String, Object>> rows = query.page(connection, page, size + 1);
          result.put("more", rows.size() > size);
          result.put("rows", rows.size() > size ? rows.subList(0, size) : rows);
          return result;
        });
  }

  /** {@code direction} and {@code protocol} (issue 15): accepted connections are the inbound. */
  private static void flows(Query query, SearchCriteria criteria) {
    String direction = criteria.direction();
    if (direction != null && !direction.isBlank()) {
      switch (direction) {
        case "inbound" -> query.where("event_type = ?", "tcp_accept");
        case "outbound" -> query.where("event_type <> ?", "tcp_accept");
        default ->
            throw new BadQueryException(
                "direction must be inbound or outbound, not '" + direction + "'");
      }
    }
    String protocol = criteria.protocol();
    if (protocol != null && !protocol.isBlank()) {
      if (!protocol.equals("tcp") && !protocol.equals("udp")) {
        throw new BadQueryException("protocol must be tcp or udp, not '" + protocol + "'");
      }
      query.where("protocol = ?", protocol);
    }
  }

  private static List<Map<String, Object>> newDestinations(Connection c, long from, long to)
      throws SQLException {
    // The summary keeps each pair's first sighting past retention: new = first seen in the period.
    // Rows first seen in the period (index on first_seen_ns, schema 11) whose pair has no row seen
    // before it (index on the destination), so the cost follows what is new, not the summary's
    // size.
    return rows(
        c,
        "SELECT container_name AS container, dst_addr AS address, dst_port AS port,"
            + " min(first_seen_ns) / 1000000 AS first_seen_ms, sum(connection_count) AS count"
            + " FROM connection_aggregations n WHERE first_seen_ns >= ? AND first_seen_ns < ?"
            + " AND NOT EXISTS (SELECT 1 FROM connection_aggregations o"
            + " WHERE o.dst_addr = n.dst_addr AND o.dst_port = n.dst_port"
            + " AND o.container_name = n.container_name AND o.first_seen_ns < ?)"
            + " GROUP BY container_name, dst_addr, dst_port"
            + " ORDER BY first_seen_ms DESC LIMIT 50",
        from,
        to,
        from);
  }

  private static Map<String, Object> threats(Connection c, Set<String> columns, long from, long to)
      throws SQLException {
    Map<String, Object> threats = new LinkedHashMap<>();
    boolean recorded = columns.contains("is_threat");
    threats.put("recorded", recorded);
    threats.put(
        "hits",
        recorded
            ? rows(
                c,
                "SELECT container_name AS container, dst_addr AS address, dst_port AS port, "
                    + (columns.contains("threat_source") ? "max(threat_source)" : "NULL")
                    + " AS source, count(*) AS count FROM events"
                    + " WHERE timestamp_ns >= ? AND timestamp_ns < ? AND is_threat = 1"
                    + " GROUP BY container_name, dst_addr, dst_port ORDER BY count DESC LIMIT 50",
                from,
                to)
            : List.of());
    return threats;
  }

  /**
   * Whether the file holds events of more than one named host (a central Lanthorn's): then rows say
   * which host captured them. Reads rollup_minute_totals, the smallest table naming hosts (a
   * handful of rows per minute and host, kept 7 days), and stops at the second host; as {@code
   * lanthorn query} decides.
   */
  private static boolean manyHosts(Connection connection) throws SQLException {
    return rows(
                connection,
                "SELECT DISTINCT host_name FROM rollup_minute_totals WHERE host_name <> '' LIMIT 2")
            .size()
        > 1;
  }

  /** Each container's hosts in the period, from the rollups, as {@code hosts}. */
  private static void addHosts(
      Connection connection, Period period, List<Map<String, Object>> containers)
      throws SQLException {
    RollupPeriod rollups = RollupPeriod.of(connection, period, RollupPeriod.Family.DESTINATIONS);
    Map<Object, Object> hosts = new HashMap<>();
    for (Map<String, Object> row :
        rows(
            connection,
            "SELECT container_name, group_concat(DISTINCT nullif(host_name, '')) AS hosts FROM "
                + rollups.rows("host_name, container_name", "container_name <> ''")
                + " GROUP BY container_name",
            rollups.parameters().toArray())) {
      hosts.put(row.get("container_name"), row.get("hosts"));
    }
    containers.forEach(c -> c.put("hosts", hosts.get(c.get("name"))));
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static Object[] withValues(List<Object> first, List<Object> more) {
    List<Object> all = new ArrayList<>(first);
    all.addAll(more);
    return all.toArray();
  }

  private static String outcome(String outcome) {
    if (outcome == null || outcome.isBlank()) {
      return null;
    }
    String value = outcome.toLowerCase(Locale.ROOT);
    if (!Set.of("established", "refused", "timed_out", "unreachable", "other", "pending")
        .contains(value)) {
      throw new BadQueryException(
          "outcome '"
              + outcome
              + "' is not one of established, refused, timed_out, unreachable, other, pending");
    }
    return value;
  }

  private static Map<String, Object> describe(Period period) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("name", period.name());
    described.put("from", period.from().toString());
    described.put("to", period.to().toString());
    described.put("bucketMinutes", period.bucket().toMinutes());
    return described;
  }

  /**
   * Columns of the events view, so columns a later schema adds (domain_name …) are used when there.
   */
  private static Set<String> eventColumns(Connection connection) throws SQLException {
    Set<String> names = new HashSet<>();
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT name FROM pragma_table_info('events')");
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        names.add(result.getString(1));
      }
    }
    return names;
  }

  static List<Map<String, Object>> rows(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        ResultSetMetaData meta = result.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int column = 1; column <= meta.getColumnCount(); column++) {
            row.put(meta.getColumnLabel(column), result.getObject(column));
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }

  private interface Reading<T> {
    T apply(Connection connection) throws SQLException;
  }

  private <T> T read(Reading<T> reading) {
    if (!Files.isRegularFile(file)) {
      throw new HistoryUnavailableException(
          "no history at "
              + file
              + " yet: start sink-sqlite, or point web.path at its file (as sink-sqlite.path or --db-path)",
          null);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setBusyTimeout(2_000);
    try (Connection connection = config.createConnection("jdbc:sqlite:" + file)) {
      return reading.apply(connection);
    } catch (SQLException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      if (message.contains("no such table: rollup_")) {
        // A file the agent has not upgraded yet: sink-sqlite adds the rollups when it starts.
        throw new HistoryUnavailableException(
            file
                + " was written by an older Lanthorn (no rollups yet): start the agent with"
                + " sink-sqlite once to upgrade it",
            e);
      }
      throw new HistoryUnavailableException(
          "cannot read " + file + ": " + message.lines().findFirst().orElse(""), e);
    }
  }

  /** A search's conditions, built from fixed fragments with bound values. */
  private static final class Query {
    private final Set<String> columns;
    private final boolean manyHosts;
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();
    private DestinationFilter.Cidr cidr;

    Query(Set<String> columns, boolean manyHosts) {
      this.columns = columns;
      this.manyHosts = manyHosts;
    }

    void where(String condition, Object value) {
      conditions.add(condition);
      values.add(value);
    }

    void destination(DestinationFilter filter) {
      switch (filter) {
        case null -> {}
        case DestinationFilter.Cidr block -> {
          cidr = block;
          conditions.add("in_cidr(dst_addr)");
        }
        case DestinationFilter.Domain domain -> {
          if (!columns.contains("domain_name")) {
            throw new BadQueryException(
                "this database records no domains (the DNS plugin fills them): search by address"
                    + " or CIDR instead of '"
                    + domain.name()
                    + "'");
          }
          conditions.add("(domain_name = ? OR domain_name LIKE ? ESCAPE '\\')");
          values.add(domain.name());
          values.add("%." + domain.name().replace("\\", "\\\\").replace("_", "\\_"));
        }
      }
    }

    List<Map<String, Object>> page(Connection connection, int page, int rows) throws SQLException {
      if (cidr != null) {
        DestinationFilter.Cidr block = cidr;
        Function.create(
            connection,
            "in_cidr",
            new Function() {
              @Override
              protected void xFunc() throws SQLException {
                result(block.contains(value_text(0)) ? 1 : 0);
              }
            },
            1,
            Function.FLAG_DETERMINISTIC);
      }
      String domain = columns.contains("domain_name") ? "domain_name" : "NULL";
      List<Object> parameters = new ArrayList<>(values);
      parameters.add(rows);
      parameters.add((long) page * (rows - 1));
      return rows(
          connection,
          "SELECT e.id, e.timestamp_ns / 1000000 AS time_ms, "
              + (manyHosts ? "e.host_name AS host, " : "")
              + "e.container_name AS container,"
              + " e.process_name AS process, e.pid, e.process_cmdline AS cmdline,"
              + " e.dst_addr AS address, e.dst_port AS port, "
              + domain
              + " AS domain, e.outcome, e.errno, e.handshake_ns / 1000 AS handshake_us"
              // The view: schema 15 stores codes and numbers in event_rows; the view decodes them.
              + " FROM events e WHERE "
              + String.join(" AND ", conditions.stream().map(c -> "(" + c + ")").toList())
              + " ORDER BY e.timestamp_ns DESC, e.id DESC LIMIT ? OFFSET ?",
          parameters.toArray());
    }
  }
}
