package io.lanthorn.web.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.lanthorn.web.WebSettings;
import io.lanthorn.web.history.BadQueryException;
import io.lanthorn.web.history.History;
import io.lanthorn.web.history.HistoryUnavailableException;
import io.lanthorn.web.history.Period;
import io.lanthorn.web.history.SearchCriteria;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;

/**
 * The dashboard's HTTP server: pages, their JSON API, the assets they load and {@code /metrics}.
 *
 * <p>The JDK's own {@code com.sun.net.httpserver}: no dependency, starts in milliseconds, and the
 * Prometheus client's exporter plugs into it. A dashboard for one operator needs nothing more.
 * Read-only: every method but GET and HEAD is refused.
 */
public final class WebServer implements AutoCloseable {
  /** Cytoscape adds this one rule as a style element; the policy allows exactly it by hash. */
  private static final String CYTOSCAPE_STYLE =
      ".__________cytoscape_container { position: relative; }";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "png", "image/png",
          "svg", "image/svg+xml");

  private final HttpServer server;
  private final ExecutorService executor;
  private final History history;
  private final Access access;
  private final Clock clock;
  private final Logger logger;
  private final HttpHandler metrics;
  private final Map<String, String> vendor;
  private final String policy;

  private WebServer(
      HttpServer server,
      ExecutorService executor,
      History history,
      Access access,
      PrometheusRegistry registry,
      Clock clock,
      Logger logger) {
    this.server = server;
    this.executor = executor;
    this.history = history;
    this.access = access;
    this.clock = clock;
    this.logger = logger;
    this.metrics = new MetricsHandler(registry);
    this.vendor = vendorAssets();
    this.policy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'sha256-"
            + sha256(CYTOSCAPE_STYLE)
            + "'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";
  }

  /**
   * Binds and starts serving.
   *
   * @throws IllegalArgumentException with one line when the settings are not safe to serve
   * @throws IOException when the address cannot be bound
   */
  public static WebServer start(
      WebSettings settings, PrometheusRegistry registry, Clock clock, Logger logger)
      throws IOException {
    Access access = Access.of(settings);
    HttpServer server;
    try {
      server = HttpServer.create(settings.listen(), 0);
    } catch (IOException e) {
      throw new IOException(
          "cannot listen on "
              + settings.listen()
              + " ("
              + e.getMessage()
              + "): choose another web.listen (--web-listen)",
          e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            task -> {
              Thread thread = new Thread(task, "web-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    WebServer web =
        new WebServer(
            server, executor, new History(settings.database()), access, registry, clock, logger);
    server.createContext("/", web::handle);
    server.setExecutor(executor);
    server.start();
    return web;
  }

  /** Where it listens (the actual port when configured with port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Security-Policy", policy);
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Referrer-Policy", "no-referrer");
      headers.set("X-Frame-Options", "DENY");
      if (!access.allows(exchange.getRequestHeaders().getFirst("Authorization"))) {
        headers.set("WWW-Authenticate", "Basic realm=\"lanthorn\", charset=\"UTF-8\"");
        text(exchange, 401, "authentication required: a bearer token or the password");
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        headers.set("Allow", "GET, HEAD");
        text(exchange, 405, "read-only: only GET and HEAD");
        return;
      }
      route(exchange, exchange.getRequestURI().getRawPath());
    } catch (BadQueryException e) {
      text(exchange, 400, e.getMessage());
    } catch (HistoryUnavailableException e) {
      text(exchange, 503, e.getMessage());
    } catch (RuntimeException e) {
      logger.warn("web request {} failed", exchange.getRequestURI(), e);
      text(exchange, 500, "internal error: see the agent's log");
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange, String rawPath) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (rawPath.equals("/metrics")) {
      metrics.handle(exchange);
      return;
    }
    if (rawPath.startsWith("/api/")) {
      api(exchange, rawPath.substring(5), query);
      return;
    }
    if (rawPath.startsWith("/assets/")) {
      asset(exchange, rawPath.substring(8));
      return;
    }
    String page =
        switch (rawPath) {
          case "/" -> "overview";
          case "/containers" -> "containers";
          case "/search" -> "search";
          default -> rawPath.startsWith("/containers/") ? "container" : null;
        };
    if (page == null) {
      text(exchange, 404, "no page " + rawPath + ": try /, /containers, /search or /api/");
      return;
    }
    resource(exchange, "io/lanthorn/web/pages/" + page + ".html", "html");
  }

  private void api(HttpExchange exchange, String path, Map<String, String> query)
      throws IOException {
    Period period = Period.parse(query.get("period"), query.get("from"), query.get("to"), clock);
    Object body;
    if (path.equals("overview")) {
      body = history.overview(period, query.get("host"));
    } else if (path.equals("containers")) {
      body = history.containers(period);
    } else if (path.startsWith("containers/") && path.length() > 11) {
      String name = decode(path.substring(11));
      body =
          history.container(
              name,
              period,
              query.get("outcome"),
              query.get("destination"),
              query.get("host"),
              number(query, "limit", 100, 1, 1000));
      if (body == null) {
        text(exchange, 404, "no container named " + name + " in " + history.file());
        return;
      }
    } else if (path.equals("connections")) {
      String port = query.get("port");
      body =
          history.search(
              new SearchCriteria(
                  query.get("container"),
                  query.get("process"),
                  query.get("destination"),
                  port == null || port.isBlank() ? null : number(query, "port", 0, 0, 65_535),
                  query.get("outcome"),
                  query.get("direction"),
                  query.get("protocol"),
                  query.get("host")),
              period,
              number(query, "page", 0, 0, 10_000),
              number(query, "size", 50, 1, 500));
    } else {
      text(
          exchange,
          404,
          "no API /api/" + path + ": try overview, containers, containers/<name>, connections");
      return;
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, "application/json", Json.bytes(body));
  }

  private void asset(HttpExchange exchange, String name) throws IOException {
    String vendored = vendor.get(name);
    if (vendored != null) {
      resource(exchange, vendored, "js");
    } else if (name.matches("[a-z0-9-]+\\.(js|css|png|svg)")) {
      resource(
          exchange, "io/lanthorn/web/assets/" + name, name.substring(name.lastIndexOf('.') + 1));
    } else {
      text(exchange, 404, "no asset " + name);
    }
  }

  private void resource(HttpExchange exchange, String path, String type) throws IOException {
    try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        text(exchange, 404, "not found");
        return;
      }
      send(exchange, 200, TYPES.get(type), in.readAllBytes());
    }
  }

  private static int number(
      Map<String, String> query, String name, int fallback, int min, int max) {
    String text = query.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new BadQueryException(
        name + " '" + text + "' must be a number from " + min + " to " + max);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null) {
      return values;
    }
    for (String pair : raw.split("&", -1)) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        values.putIfAbsent(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
      }
    }
    return values;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadQueryException("'" + text + "' is not URL-encoded text");
    }
  }

  private static void text(HttpExchange exchange, int status, String message) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(
        exchange,
        status,
        "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The browser libraries, at the versions the build pinned (assets.properties, filtered). */
  private static Map<String, String> vendorAssets() {
    Properties versions = new Properties();
    try (InputStream in =
        WebServer.class.getClassLoader().getResourceAsStream("io/lanthorn/web/assets.properties")) {
      versions.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException(
          "io/lanthorn/web/assets.properties is missing from the jar", e);
    }
    Map<String, String> assets = new LinkedHashMap<>();
    assets.put(
        "chart.umd.min.js",
        "META-INF/resources/webjars/chart.js/"
            + versions.getProperty("chartjs")
            + "/dist/chart.umd.min.js");
    assets.put(
        "cytoscape.min.js",
        "META-INF/resources/webjars/cytoscape/"
            + versions.getProperty("cytoscape")
            + "/dist/cytoscape.min.js");
    return assets;
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
