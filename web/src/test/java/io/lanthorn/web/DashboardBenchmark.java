package io.lanthorn.web;

import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.web.http.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.LoggerFactory;

/**
 * How long each page's data takes over a generated history: writes {@code events} connection
 * attempts spread evenly over the {@code hours} before {@link TestHistory#NOW} through
 * sink-sqlite's own write path (50 containers, 2 000 destinations, 3% failures), then asks every
 * API behind a page five times and prints the median. Run by bench/web/run.sh; compiled with the
 * tests so it cannot rot.
 */
public final class DashboardBenchmark {
  private static final int CONTAINERS = 50;
  private static final int DESTINATIONS = 2_000;
  private static final int BATCH = 2_000;

  private DashboardBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = Long.parseLong(args[0]);
    int hours = Integer.parseInt(args[1]);
    Path dir = Files.createTempDirectory("lanthorn-web-bench");
    Path database = dir.resolve("lanthorn.db");
    long started = System.nanoTime();
    generate(database, events, Duration.ofHours(hours));
    System.out.printf(
        "generated %,d events over %d h in %.1f s (%,d bytes)%n",
        events, hours, (System.nanoTime() - started) / 1e9, Files.size(database));

    try (WebServer server =
        WebServer.start(
            WebSettings.of("127.0.0.1:0", database.toString(), "", "", 10, 10),
            new PrometheusRegistry(),
            TestHistory.CLOCK,
            LoggerFactory.getLogger("bench"))) {
      String base = "http://127.0.0.1:" + server.address().getPort();
      String period = hours >= 24 ? "24h" : "1h";
      // A set: with less than a day of history the second overview would repeat the first.
      for (String path :
          new LinkedHashSet<>(
              List.of(
                  "/api/overview?period=1h",
                  "/api/overview?period=" + period,
                  "/api/containers?period=" + period,
                  "/api/containers/bench-7?period=" + period,
                  "/api/containers/bench-7?period=" + period + "&outcome=refused",
                  "/api/connections?period=" + period,
                  "/api/connections?period=" + period + "&container=bench-7&port=443",
                  "/api/connections?period=" + period + "&destination=10.1.0.0/24",
                  "/api/connections?period=" + period + "&outcome=refused&page=20"))) {
        System.out.printf("%-70s median %6.0f ms%n", path, median(base + path));
      }
    }
    for (Path file :
        List.of(database, dir.resolve("lanthorn.db-wal"), dir.resolve("lanthorn.db-shm"))) {
      Files.deleteIfExists(file);
    }
    Files.delete(dir);
  }

  private static double median(String url) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    double[] millis = new double[5];
    for (int i = 0; i < millis.length; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      millis[i] = (System.nanoTime() - start) / 1e6;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            url + " answered " + response.statusCode() + ": " + response.body());
      }
    }
    Arrays.sort(millis);
    return millis[millis.length / 2];
  }

  private static void generate(Path database, long events, Duration span) throws Exception {
    SplittableRandom random = new SplittableRandom(42);
    Instant start = TestHistory.NOW.minus(span);
    long stepNanos = span.toNanos() / events;
    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(
                TestPluginContext.forPlugin("sink-sqlite")
                    .with(Map.of("path", database.toString(), "retention", "0"))
                    .withClock(TestHistory.CLOCK))) {
      List<ConnectionEvent> batch = new ArrayList<>(BATCH);
      for (long i = 0; i < events; i++) {
        int destination = random.nextInt(DESTINATIONS);
        Outcome outcome =
            random.nextInt(100) < 3
                ? (random.nextBoolean() ? Outcome.REFUSED : Outcome.TIMED_OUT)
                : Outcome.ESTABLISHED;
        batch.add(
            TestHistory.event(
                "bench-" + random.nextInt(CONTAINERS),
                start.plusNanos(i * stepNanos),
                "10."
                    + (destination / 256)
                    + "."
                    + (destination % 256 / 16)
                    + "."
                    + destination % 16,
                destination % 3 == 0 ? 443 : 5432,
                outcome));
        if (batch.size() == BATCH) {
          sink.write(batch);
          batch.clear();
        }
      }
      sink.write(batch);
    }
  }
}
