package io.lanthorn.enricher.threat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves fixture feeds on 127.0.0.1 (never anything beyond loopback): each path answers as set,
 * with an ETag honoured by {@code If-None-Match}, or as a broken server would.
 */
final class FeedServer implements AutoCloseable {
  /** How a path answers. */
  record Answer(int status, String body, String etag, String contentType, boolean truncate) {
    static Answer list(String body, String etag) {
      return new Answer(200, body, etag, "text/plain", false);
    }

    static Answer html(String body) {
      return new Answer(200, body, null, "text/html", false);
    }

    /** Announces the whole body's length, sends a tenth of it and closes the connection. */
    static Answer truncated(String body) {
      return new Answer(200, body, null, "text/plain", true);
    }
  }

  /** A request the server received. */
  record Request(String path, String ifNoneMatch) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  FeedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  void answer(String path, Answer answer) {
    answers.put(path, answer);
  }

  List<Request> requests() {
    return requests;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    requests.add(new Request(path, ifNoneMatch));
    Answer answer = answers.get(path);
    try (exchange) {
      if (answer == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (answer.etag() != null && answer.etag().equals(ifNoneMatch)) {
        exchange.getResponseHeaders().set("ETag", answer.etag());
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      if (answer.etag() != null) {
        exchange.getResponseHeaders().set("ETag", answer.etag());
      }
      exchange.sendResponseHeaders(answer.status(), body.length);
      OutputStream out = exchange.getResponseBody();
      out.write(body, 0, answer.truncate() ? body.length / 10 : body.length);
      out.flush();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
