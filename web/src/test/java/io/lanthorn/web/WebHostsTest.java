package io.lanthorn.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.api.ConnectionEvent;
import io.lanthorn.api.Outcome;
import io.lanthorn.api.testkit.TestPluginContext;
import io.lanthorn.sink.sqlite.SqliteSink;
import io.lanthorn.sink.sqlite.SqliteSinkFactory;
import io.lanthorn.web.http.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A central Lanthorn's file holds two hosts' events: the API says which host each row comes from
 * and narrows to one with {@code host=}; a file of one named host answers as before.
 */
class WebHostsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static WebServer fleet;
  private static WebServer single;

  @BeforeAll
  static void serve() throws Exception {
    Path fleetFile = dir.resolve("fleet.db");
    writeHosts(fleetFile, "a", "b");
    Path singleFile = dir.resolve("single.db");
    writeHosts(singleFile, "a");
    fleet = WebApiTest.start(WebSettings.of("127.0.0.1:0", fleetFile.toString(), "", "", 10, 10));
    single = WebApiTest.start(WebSettings.of("127.0.0.1:0", singleFile.toString(), "", "", 10, 10));
  }

  @AfterAll
  static void stop() {
    fleet.close();
    single.close();
  }

  @Test
  void overviewSaysWhichHostsReachEachDestinationAndNarrowsToOne() throws Exception {
    JsonNode all = json(fleet, "/api/overview?period=1h");
    assertThat(all.get("manyHosts").asBoolean()).isTrue();
    JsonNode database = find(all.get("topDestinations"), "10.0.0.5");
    assertThat(database.get("count").asLong()).isEqualTo(5);
    assertThat(hosts(database)).containsExactly("a", "b");
    assertThat(hosts(find(all.get("failingDestinations"), "192.168.7.1"))).containsExactly("b");

    JsonNode b = json(fleet, "/api/overview?period=1h&host=b");
    assertThat(find(b.get("topDestinations"), "10.0.0.5").get("count").asLong()).isEqualTo(2);
    assertThat(b.get("failingDestinations"))
        .extracting(row -> row.get("address").asText())
        .containsExactly("192.168.7.1");
    assertThat(sum(b.get("activity"))).isEqualTo(3);
    assertThat(sum(all.get("activity"))).isEqualTo(8);
  }

  @Test
  void searchAndContainerRowsCarryTheirHost() throws Exception {
    JsonNode search = json(fleet, "/api/connections?period=1h");
    assertThat(search.get("manyHosts").asBoolean()).isTrue();
    assertThat(search.get("rows"))
        .hasSize(8)
        .extracting(row -> row.get("host").asText())
        .containsOnly("a", "b");
    assertThat(json(fleet, "/api/connections?period=1h&host=a").get("rows"))
        .hasSize(5)
        .extracting(row -> row.get("host").asText())
        .containsOnly("a");

    JsonNode payments =
        json(fleet, "/api/containers/" + TestHistory.PAYMENTS + "?period=1h&host=b");
    assertThat(payments.get("attempts"))
        .extracting(row -> row.get("host").asText() + " " + row.get("port").asInt())
        .containsExactly("b 5432", "b 5432");

    JsonNode containers = json(fleet, "/api/containers?period=1h").get("containers");
    assertThat(hosts(findByName(containers, TestHistory.PAYMENTS))).containsExactly("a", "b");
    assertThat(hosts(findByName(containers, TestHistory.WORKER))).containsExactly("b");
  }

  @Test
  void oneNamedHostAnswersAsASingleAgentDoes() throws Exception {
    JsonNode overview = json(single, "/api/overview?period=1h");
    assertThat(overview.get("manyHosts").asBoolean()).isFalse();
    assertThat(find(overview.get("topDestinations"), "10.0.0.5").has("hosts")).isFalse();
    JsonNode search = json(single, "/api/connections?period=1h");
    assertThat(search.get("rows")).hasSize(5).noneMatch(row -> row.has("host"));
    assertThat(json(single, "/api/connections?period=1h&host=b").get("rows")).isEmpty();
    assertThat(json(single, "/api/containers?period=1h").get("containers"))
        .noneMatch(row -> row.has("hosts"));
  }

  /**
   * Writes what hosts a and b (of those named) captured through the sink: a's payments container
   * reaches the database 3 times and is refused twice; b's reaches it twice, b's worker times out.
   */
  static void writeHosts(Path file, String... hosts) throws Exception {
    List<String> named = List.of(hosts);
    List<ConnectionEvent> events = new ArrayList<>();
    if (named.contains("a")) {
      for (int i = 0; i < 3; i++) {
        events.add(event("a", TestHistory.PAYMENTS, 30 - i, "10.0.0.5", 5432, Outcome.ESTABLISHED));
      }
      for (int i = 0; i < 2; i++) {
        events.add(event("a", TestHistory.PAYMENTS, 20 - i, "10.0.9.9", 6379, Outcome.REFUSED));
      }
    }
    if (named.contains("b")) {
      for (int i = 0; i < 2; i++) {
        events.add(event("b", TestHistory.PAYMENTS, 25 - i, "10.0.0.5", 5432, Outcome.ESTABLISHED));
      }
      events.add(event("b", TestHistory.WORKER, 10, "192.168.7.1", 443, Outcome.TIMED_OUT));
    }
    try (SqliteSink sink =
        new SqliteSinkFactory()
            .create(
                TestPluginContext.forPlugin("sink-sqlite")
                    .with(Map.of("path", file.toString(), "retention", "0"))
                    .withClock(TestHistory.CLOCK))) {
      sink.write(events);
    }
  }

  private static ConnectionEvent event(
      String host, String container, int minutesAgo, String address, int port, Outcome outcome) {
    Instant at = TestHistory.NOW.minus(Duration.ofMinutes(minutesAgo));
    return TestHistory.event(container, at, address, port, outcome).toBuilder()
        .hostName(host)
        .build();
  }

  private static List<String> hosts(JsonNode row) {
    return Arrays.stream(row.get("hosts").asText().split(",")).sorted().toList();
  }

  private static long sum(JsonNode activity) {
    return StreamSupport.stream(activity.spliterator(), false)
        .mapToLong(row -> row.get("count").asLong())
        .sum();
  }

  private static JsonNode find(JsonNode rows, String address) {
    for (JsonNode row : rows) {
      if (row.get("address").asText().equals(address)) {
        return row;
      }
    }
    throw new AssertionError("no " + address + " in " + rows);
  }

  private static JsonNode findByName(JsonNode rows, String name) {
    for (JsonNode row : rows) {
      if (row.get("name").asText().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no " + name + " in " + rows);
  }

  private static JsonNode json(WebServer server, String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
