package io.lanthorn.web;

import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.web.http.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * How long the dashboard's pages and {@code lanthorn query top} take over a generated history:
 * {@link HistoryGenerator} writes {@code events} connection attempts over the {@code hours} before
 * {@link TestHistory#NOW} through sink-sqlite's own write path; then every API behind a page, and
 * {@code query top} in this JVM, are asked five times at {@link #NOW} and the median printed. With
 * {@code before}, {@code query top}'s earlier SQL (a scan of the period's events) is timed on the
 * same file too. Run by bench/web/run.sh; compiled with the tests so it cannot rot.
 *
 * <p>Arguments: {@code events hours [containers [destinations [file [before]]]]}. An existing
 * {@code file} is measured as it is (no generation), so one history serves several runs.
 */
public final class DashboardBenchmark {
  /**
   * The queries' "now": 17 min 23 s before the history ends, so periods start and end within a
   * minute and an hour, as they do for a user, and the rollups' edges are read too; or the instant
   * {@code -Dlanthorn.bench.now} names (for a history that ends elsewhere).
   */
  private static final Clock NOW =
      Clock.fixed(
          System.getProperty("lanthorn.bench.now") == null
              ? TestHistory.NOW.minus(Duration.ofSeconds(17 * 60 + 23))
              : java.time.Instant.parse(System.getProperty("lanthorn.bench.now")),
          ZoneOffset.UTC);

  private DashboardBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = Long.parseLong(args[0]);
    int hours = Integer.parseInt(args[1]);
    int containers = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    int destinations = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
    boolean keep = args.length > 4;
    Path database =
        keep
            ? Path.of(args[4])
            : Files.createTempDirectory("lanthorn-web-bench").resolve("lanthorn.db");
    boolean before = args.length > 5 && args[5].equals("before");
    if (!Files.exists(database)) {
      long started = System.nanoTime();
      new HistoryGenerator(containers, destinations)
          .write(database, events, Duration.ofHours(hours), TestHistory.NOW);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "generated %,d events over %d h (%d containers, %d destinations) in %.1f s"
              + " (%,.0f events/s)%n",
          events, hours, containers, destinations, seconds, events / seconds);
    } else {
      upgrade(database);
    }
    describe(database);

    String period = hours >= 24 ? "24h" : "1h";
    try (WebServer server =
        WebServer.start(
            WebSettings.of("127.0.0.1:0", database.toString(), "", "", 10, 10),
            new PrometheusRegistry(),
            NOW,
            LoggerFactory.getLogger("bench"))) {
      String base = "http://127.0.0.1:" + server.address().getPort();
      // A set: with less than a day of history the second overview would repeat the first.
      for (String path :
          new LinkedHashSet<>(
              List.of(
                  "/api/overview?period=1h",
                  "/api/overview?period=" + period,
                  "/api/overview?period=7d",
                  "/api/containers?period=" + period,
                  "/api/containers/shop-svc7-7?period=" + period,
                  "/api/containers/shop-svc7-7?period=" + period + "&outcome=refused",
                  "/api/connections?period=" + period,
                  "/api/connections?period=" + period + "&container=shop-svc7-7&port=443",
                  "/api/connections?period=" + period + "&destination=10.0.1.0/24",
                  "/api/connections?period=" + period + "&outcome=refused&page=20"))) {
        System.out.printf("%-60s %s%n", path, median(5, () -> get(base + path)));
      }
    }
    for (String since : List.of("1h", "1d", "3d", "7d")) {
      System.out.printf(
          "%-60s %s%n",
          "query top --since " + since + " (in this JVM)", median(5, () -> top(database, since)));
    }
    if (before) {
      // query top as it was before the rollups: a GROUP BY over the period's events.
      System.out.printf(
          "%-60s %s%n",
          "query top --since 1d, before (scan of the events)",
          median(3, () -> topFromEvents(database, Duration.ofDays(1))));
    }
    if (!keep) {
      for (Path file :
          List.of(
              database,
              database.resolveSibling("lanthorn.db-wal"),
              database.resolveSibling("lanthorn.db-shm"),
              database.resolveSibling("lanthorn.db.lock"))) {
        Files.deleteIfExists(file);
      }
      Files.delete(database.getParent());
    }
  }

  /**
   * Applies the migrations a file written by an earlier Lanthorn lacks, as the agent's sink does
   * when it starts (and prints how long they took): a file of an earlier schema, measured "before",
   * is then measured "after" as it is.
   */
  private static void upgrade(Path database) throws Exception {
    long started = System.nanoTime();
    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(
                TestPluginContext.forPlugin(SqliteSink.NAME)
                    .with(Map.of("path", database.toString(), "retention", "0"))
                    .withClock(NOW))) {
      // Opening it migrates it.
    }
    System.out.printf("opened (and upgraded) in %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  private static void describe(Path database) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement statement = connection.createStatement()) {
      StringBuilder line = new StringBuilder();
      for (String table :
          List.of(
              "event_rows",
              "rollup_minute",
              "rollup_hour",
              "rollup_minute_totals",
              "rollup_five_minute_destinations",
              "rollup_day",
              "rollup_day_destinations",
              "connection_aggregations")) {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
          line.append(String.format("%s %,d rows; ", table, result.getLong(1)));
        }
      }
      System.out.printf("%s%,d bytes%n", line, Files.size(database));
    }
  }

  private interface Timed {
    void run() throws Exception;
  }

  /**
   * "median N ms wall, M ms CPU": the wall time follows the machine's load, the CPU time of this
   * process (server, client and SQLite alike) much less.
   */
  private static String median(int runs, Timed timed) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double[] millis = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      long startCpu = os.getProcessCpuTime();
      timed.run();
      millis[i] = (System.nanoTime() - start) / 1e6;
      cpu[i] = (os.getProcessCpuTime() - startCpu) / 1e6;
    }
    Arrays.sort(millis);
    Arrays.sort(cpu);
    return String.format("median %8.1f ms wall %8.1f ms CPU", millis[runs / 2], cpu[runs / 2]);
  }

  private static void get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  private static void top(Path database, String since) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new SqliteSinkFactory()
            .commands()
            .getFirst()
            .run(
                TestPluginContext.forPlugin(SqliteSink.NAME)
                    .with(Map.of("path", database.toString()))
                    .withClock(NOW),
                List.of("top", "--since", since),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    if (status != 0) {
      throw new IllegalStateException("query top failed: " + err);
    }
  }

  private static void topFromEvents(Path database, Duration since) throws Exception {
    long to = NOW.instant().getEpochSecond() * 1_000_000_000L;
    long from = to - since.toNanos();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT * FROM (SELECT coalesce(container_name, '-') AS container,"
                    + " coalesce(max(domain_name), '-') AS domain, dst_addr, dst_port,"
                    + " count(*) AS connections,"
                    + " sum(outcome NOT IN ('established', 'pending')) AS failed,"
                    + " group_concat(DISTINCT process_name) AS processes,"
                    + " min(time) AS first_seen, max(time) AS last_seen,"
                    + " row_number() OVER (PARTITION BY coalesce(container_name, '-')"
                    + " ORDER BY count(*) DESC, dst_addr, dst_port) AS rank"
                    + " FROM events_view WHERE timestamp_ns >= "
                    + from
                    + " AND timestamp_ns < "
                    + to
                    + " GROUP BY 1, dst_addr, dst_port) WHERE rank <= 5"
                    + " ORDER BY container, rank")) {
      while (result.next()) {
        result.getString(1);
      }
    }
  }
}
