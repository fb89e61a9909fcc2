package io.lanthorn.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lanthorn.web.http.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The JSON API and the server's rules, over HTTP against a file sink-sqlite wrote. */
class WebApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static Path database;
  private static WebServer server;

  @BeforeAll
  static void serve() throws Exception {
    database = dir.resolve("lanthorn.db");
    TestHistory.write(database);
    server = start(settings("127.0.0.1:0", "", ""));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void containersListsEveryContainerWithItsFactsAndCounts() throws Exception {
    JsonNode containers = json("/api/containers").get("containers");
    assertThat(containers.findValuesAsText("name"))
        .containsExactlyInAnyOrder(TestHistory.PAYMENTS, TestHistory.WORKER);
    JsonNode payments = find(containers, "name", TestHistory.PAYMENTS);
    assertThat(payments.get("connections").asLong()).isEqualTo(52);
    assertThat(payments.get("failed").asLong()).isEqualTo(6);
    assertThat(payments.get("image").asText()).isEqualTo("lanthorn-test:busybox");
    assertThat(payments.get("compose_project").asText()).isEqualTo("shop");
    assertThat(payments.get("active").asBoolean()).isTrue();
    assertThat(find(containers, "name", TestHistory.WORKER).get("active").asBoolean()).isFalse();
  }

  @Test
  void overviewShowsTopFailingAndNewDestinations() throws Exception {
    JsonNode overview = json("/api/overview?period=1h");
    JsonNode top = overview.get("topDestinations").get(0);
    assertThat(top.get("address").asText()).isEqualTo("10.0.0.5");
    assertThat(top.get("count").asLong()).isEqualTo(40 + 12 + 1);
    assertThat(overview.get("failingDestinations").findValuesAsText("address"))
        .containsExactly("192.168.7.1", "10.0.9.9");
    // 10.0.0.5 was first seen by payments two hours ago, by the worker within the hour.
    assertThat(overview.get("newDestinations").findValuesAsText("address"))
        .containsExactlyInAnyOrder("10.0.9.9", "192.168.7.1", "10.0.0.5", "127.0.0.1");
    assertThat(
            find(overview.get("newDestinations"), "address", "10.0.0.5").get("container").asText())
        .isEqualTo(TestHistory.WORKER);
    long inHour = 0;
    for (JsonNode bucket : overview.get("activity")) {
      inHour += bucket.get("count").asLong();
    }
    assertThat(inHour).isEqualTo(40 + 6 + 24 + 1 + 1);
    // Schema 5 has the is_threat column; no threat plugin filled it.
    assertThat(overview.get("threats").get("recorded").asBoolean()).isTrue();
    assertThat(overview.get("threats").get("hits")).isEmpty();
  }

  /**
   * The overview reads rollups: over a period of leading minutes, a whole hour and trailing
   * minutes, it counts what a scan of the events in every minute the period touches counts.
   */
  @Test
  void overviewFromRollupsAgreesWithTheEvents() throws Exception {
    // Times within the history TestHistory writes on its fixed clock (NOW = 12:00).
    Instant from = TestHistory.NOW.minus(Duration.ofMinutes(139).plusSeconds(30)); // 09:40:30
    Instant to = TestHistory.NOW.minus(Duration.ofMinutes(25).plusSeconds(20)); // 11:34:40
    JsonNode overview = json("/api/overview?period=custom&from=" + from + "&to=" + to);
    // Every minute the period touches: 09:40:00 up to 11:35:00.
    String inPeriod =
        " FROM events WHERE timestamp_ns >= "
            + from.minusSeconds(30).getEpochSecond() * 1_000_000_000L
            + " AND timestamp_ns < "
            + to.plusSeconds(20).getEpochSecond() * 1_000_000_000L;
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        Statement statement = connection.createStatement()) {
      assertThat(rows(overview.get("topDestinations"), "address", "port", "count"))
          .isNotEmpty()
          .containsExactlyElementsOf(
              rows(
                  statement,
                  "SELECT dst_addr, dst_port, count(*) AS c"
                      + inPeriod
                      + " GROUP BY dst_addr, dst_port ORDER BY c DESC, dst_addr, dst_port"));
      assertThat(rows(overview.get("failingDestinations"), "address", "port", "failed"))
          .isNotEmpty()
          .containsExactlyElementsOf(
              rows(
                  statement,
                  "SELECT dst_addr, dst_port, count(*) AS c"
                      + inPeriod
                      + " AND outcome NOT IN ('established', 'pending')"
                      + " GROUP BY dst_addr, dst_port ORDER BY c DESC, dst_addr, dst_port"));
      long charted = 0;
      for (JsonNode bucket : overview.get("activity")) {
        charted += bucket.get("count").asLong();
      }
      assertThat(charted)
          .isEqualTo(
              rows(statement, "SELECT count(*)" + inPeriod).getFirst().transform(Long::parseLong))
          .isPositive();
    }
  }

  private static List<String> rows(JsonNode array, String... fields) {
    List<String> rows = new java.util.ArrayList<>();
    for (JsonNode row : array) {
      List<String> values = new java.util.ArrayList<>();
      for (String field : fields) {
        values.add(row.get(field).asText());
      }
      rows.add(String.join(" ", values));
    }
    return rows;
  }

  private static List<String> rows(Statement statement, String sql) throws Exception {
    List<String> rows = new java.util.ArrayList<>();
    try (ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new java.util.ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(result.getString(i));
        }
        rows.add(String.join(" ", values));
      }
    }
    return rows;
  }

  @Test
  void containerPageHasItsDestinationsAndFilteredAttempts() throws Exception {
    JsonNode page =
        json("/api/containers/" + TestHistory.PAYMENTS + "?period=24h&outcome=refused&limit=3");
    assertThat(page.get("destinations").findValuesAsText("address"))
        .containsExactly("10.0.0.5", "10.0.9.9");
    assertThat(page.get("attempts")).hasSize(3);
    assertThat(page.get("attempts").findValuesAsText("outcome")).containsOnly("refused");
    assertThat(get("/api/containers/nobody").statusCode()).isEqualTo(404);
  }

  @Test
  void searchFiltersByCidrPortAndPaginates() throws Exception {
    JsonNode first = json("/api/connections?period=24h&destination=10.0.0.0/16&size=20");
    assertThat(first.get("rows")).hasSize(20);
    assertThat(first.get("more").asBoolean()).isTrue();
    assertThat(first.get("rows").findValuesAsText("address")).allMatch(a -> a.startsWith("10.0."));
    JsonNode last = json("/api/connections?period=24h&destination=10.0.0.0/16&size=20&page=3");
    assertThat(last.get("rows")).hasSize(5 + 40 + 1 + 6 + 12 - 60);
    assertThat(last.get("more").asBoolean()).isFalse();
    JsonNode byPort = json("/api/connections?period=24h&port=443&container=" + TestHistory.WORKER);
    assertThat(byPort.get("rows")).hasSize(12);
    assertThat(json("/api/connections?period=24h&process=curl").get("rows")).hasSize(1);
    // Every row here is an outbound TCP connect (tcp_accept and udp_send rows are the others).
    assertThat(
            json("/api/connections?period=24h&port=443&direction=outbound&protocol=tcp&container="
                    + TestHistory.WORKER)
                .get("rows"))
        .hasSize(12);
    assertThat(json("/api/connections?period=24h&direction=inbound").get("rows")).isEmpty();
    assertThat(json("/api/connections?period=24h&protocol=udp").get("rows")).isEmpty();
    // Schema 5 has domain_name; sink-sqlite leaves it NULL until a DNS plugin fills it.
    assertThat(json("/api/connections?period=24h&destination=example.org").get("rows")).isEmpty();
  }

  @Test
  void badParametersAnswer400InOneLine() throws Exception {
    for (String query :
        List.of(
            "/api/overview?period=2y",
            "/api/connections?destination=10.0.0.0/99",
            "/api/connections?outcome=maybe",
            "/api/connections?direction=sideways",
            "/api/connections?protocol=sctp",
            "/api/connections?port=70000",
            "/api/connections?destination=not%20a%20name!",
            "/api/overview?period=custom&from=yesterday&to=" + TestHistory.NOW)) {
      HttpResponse<String> response = get(query);
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(response.body().strip()).as(query).doesNotContain("\n").isNotEmpty();
    }
  }

  @Test
  void readOnlyWithSecurityHeaders() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'none'", "script-src 'self'")
        .doesNotContain("http");
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(uri(server, "/api/containers"))
                .POST(HttpRequest.BodyPublishers.ofString("DELETE FROM events"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(get("/assets/chart.umd.min.js").body()).contains("Chart");
    assertThat(get("/assets/../reference.conf").statusCode()).isEqualTo(404);
  }

  @Test
  void missingDatabaseAnswers503SayingWhatToDo() throws Exception {
    try (WebServer other =
        start(
            new WebSettings(
                settings("127.0.0.1:0", "", "").listen(),
                dir.resolve("absent.db"),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                10,
                10))) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri(other, "/api/containers")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("absent.db", "--db-path");
    }
  }

  @Test
  void aFileWithoutRollupsAnswers503SayingToUpgradeIt() throws Exception {
    Path old = dir.resolve("old.db");
    Files.copy(database, old);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + old);
        Statement statement = connection.createStatement()) {
      // As a file of schema 10 or earlier would be, before the agent upgraded it.
      for (String table :
          List.of(
              "rollup_minute", "rollup_hour", "rollup_hour_destinations", "rollup_minute_totals")) {
        statement.execute("DROP TABLE " + table);
      }
    }
    try (WebServer other =
        start(
            new WebSettings(
                settings("127.0.0.1:0", "", "").listen(),
                old,
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                10,
                10))) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(uri(other, "/api/overview")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body().strip())
          .isEqualTo(
              old
                  + " was written by an older Lanthorn (no rollups yet): start the agent with"
                  + " sink-sqlite once to upgrade it");
    }
  }

  @Test
  void nonLoopbackWithoutAuthenticationIsRefusedInOneLine() {
    assertThatThrownBy(() -> start(settings("0.0.0.0:0", "", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "web.listen 0.0.0.0 is not a loopback address: set web.token or web.password-file"
                + " (a 0600 user:password file) to serve beyond this host, or listen on 127.0.0.1");
  }

  @Test
  void tokenIsRequiredOnEveryRequest() throws Exception {
    try (WebServer guarded = start(settings("0.0.0.0:0", "s3cret-token", ""))) {
      URI api = URI.create("http://127.0.0.1:" + guarded.address().getPort() + "/api/containers");
      assertThat(send(HttpRequest.newBuilder(api)).statusCode()).isEqualTo(401);
      assertThat(
              send(HttpRequest.newBuilder(api).header("Authorization", "Bearer wrong"))
                  .statusCode())
          .isEqualTo(401);
      HttpResponse<String> ok =
          send(HttpRequest.newBuilder(api).header("Authorization", "Bearer s3cret-token"));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains(TestHistory.PAYMENTS);
    }
  }

  @Test
  void passwordFileMustBePrivateAndGivesBasicAuthentication() throws Exception {
    Path file = dir.resolve("web.password");
    Files.writeString(file, "admin:correct horse\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> start(settings("127.0.0.1:0", "", file.toString())))
        .hasMessage("web.password-file " + file + " is readable by others: chmod 600 " + file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    try (WebServer guarded = start(settings("127.0.0.1:0", "", file.toString()))) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(guarded, "/"));
      HttpResponse<String> challenge = send(request);
      assertThat(challenge.statusCode()).isEqualTo(401);
      assertThat(challenge.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
      String basic =
          Base64.getEncoder()
              .encodeToString("admin:correct horse".getBytes(StandardCharsets.UTF_8));
      assertThat(
              send(HttpRequest.newBuilder(uri(guarded, "/"))
                      .header("Authorization", "Basic " + basic))
                  .statusCode())
          .isEqualTo(200);
    }
  }

  private static WebSettings settings(String listen, String token, String passwordFile) {
    return WebSettings.of(listen, database.toString(), token, passwordFile, 10, 10);
  }

  static WebServer start(WebSettings settings) throws Exception {
    return WebServer.start(
        settings, new PrometheusRegistry(), TestHistory.CLOCK, LoggerFactory.getLogger("web-test"));
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (node.get(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  private static JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(server, path)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(WebServer target, String path) {
    return URI.create("http://127.0.0.1:" + target.address().getPort() + path);
  }
}
