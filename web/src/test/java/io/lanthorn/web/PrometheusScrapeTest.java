package io.lanthorn.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.testkit.Requirements;
import io.lanthorn.api.testkit.TestPluginContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus, started on a loopback port with a temporary configuration, scrapes the web
 * plugin (started through its plugin adapter, as the agent starts it) and answers queries with the
 * numbers the agent's registry and the events held.
 */
class PrometheusScrapeTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static WebSink plugin;
  private static Process prometheus;
  private static int prometheusPort;
  private static List<ConnectionEvent> events;

  @BeforeAll
  static void start() throws Exception {
    Requirements.require(Files.isExecutable(PROMETHEUS), "Prometheus (apt-get install prometheus)");
    Path database = dir.resolve("lanthorn.db");
    events = TestHistory.write(database);
    TestPluginContext context =
        TestPluginContext.forPlugin("web")
            .with(
                Map.of("listen", "127.0.0.1:0", "path", database.toString(), "destination-cap", 2))
            .withClock(TestHistory.CLOCK);
    // What the agent's registry holds after the pipeline delivered these events.
    context.metrics().counter("lanthorn.received", "").add(events.size());
    context.metrics().counter("lanthorn.sink.sink-sqlite.written", "").add(events.size());
    context.metrics().counter("lanthorn.lost_at_source.probe-tcp", "").add(7);
    context.metrics().gauge("probe-tcp.kernel.ring_full", "", () -> 3);
    plugin = new WebFactory().create(context);
    plugin.write(events);

    prometheusPort = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: lanthorn
            static_configs:
              - targets: ['127.0.0.1:%d']
        """
            .formatted(plugin.address().getPort()));
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (plugin != null) {
      plugin.close();
    }
  }

  @Test
  void prometheusHasTheAgentsNumbers() {
    assertThat(scraped("lanthorn_received_total")).isEqualTo(events.size());
    assertThat(scraped("lanthorn_sink_written_total{sink=\"sink-sqlite\"}"))
        .isEqualTo(events.size());
    assertThat(scraped("lanthorn_lost_at_source_total{reason=\"probe-tcp\"}")).isEqualTo(7);
    assertThat(scraped("lanthorn_probe_tcp_kernel_ring_full")).isEqualTo(3);
  }

  @Test
  void connectionsAreCountedPerContainerAndOutcome() {
    assertThat(
            scraped(
                "lanthorn_connections_total{container=\"%s\",outcome=\"timed_out\"}"
                    .formatted(TestHistory.WORKER)))
        .isEqualTo(12);
    assertThat(
            scraped(
                "lanthorn_connections_total{container=\"%s\",outcome=\"refused\"}"
                    .formatted(TestHistory.PAYMENTS)))
        .isEqualTo(6);
    // destination-cap = 2: the first two pairs by name, every later one as "other".
    assertThat(scraped("count(lanthorn_connections_by_destination_total{destination!=\"other\"})"))
        .isEqualTo(2);
    assertThat(scraped("sum(lanthorn_connections_by_destination_total)")).isEqualTo(events.size());
    assertThat(scraped("sum(lanthorn_connections_by_destination_total{destination=\"other\"})"))
        .isPositive();
  }

  /** The query's single value, once Prometheus has scraped it. */
  private static long scraped(String query) {
    long[] value = new long[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              JsonNode result = query(query).path("data").path("result");
              if (result.size() != 1) {
                return false;
              }
              value[0] = Long.parseLong(result.get(0).path("value").get(1).asText());
              return true;
            });
    return value[0];
  }

  private static JsonNode query(String query) throws java.io.IOException, InterruptedException {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + prometheusPort
                + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response =
          HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (java.io.IOException e) {
      return JSON.createObjectNode(); // not listening yet
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
