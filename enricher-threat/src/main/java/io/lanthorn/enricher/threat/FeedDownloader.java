package io.lanthorn.enricher.threat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Fetches a feed's text: HTTP(S) with a conditional GET (the saved ETag and Last-Modified), or a
 * local file. Never more than the size limit.
 */
final class FeedDownloader implements AutoCloseable {
  /** What a fetch brought. */
  sealed interface Result {}

  /** A new version. */
  record Fetched(String text, String etag, String lastModified) implements Result {}

  /** The server says the saved version is current (304). */
  record NotModified() implements Result {}

  private final HttpClient client;
  private final long maxSize;
  private final Duration timeout;

  FeedDownloader(long maxSize, Duration timeout) {
    this.maxSize = maxSize;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /**
   * @throws IOException with a message fit for the feed's status line
   */
  Result fetch(URI url, FeedStatus saved) throws IOException, InterruptedException {
    if ("file".equals(url.getScheme())) {
      Path path = Path.of(url);
      if (Files.size(path) > maxSize) {
        throw new IOException(path + " is larger than max-size (" + maxSize + " bytes)");
      }
      return new Fetched(Files.readString(path, StandardCharsets.UTF_8), null, null);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "text/plain, */*").GET();
    if (saved.url() != null && saved.url().equals(url.toString())) {
      if (saved.etag() != null) {
        request.header("If-None-Match", saved.etag());
      }
      if (saved.lastModified() != null) {
        request.header("If-Modified-Since", saved.lastModified());
      }
    }
    HttpResponse<InputStream> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() == 304) {
        return new NotModified();
      }
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " from " + url);
      }
      byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxSize + 1));
      if (bytes.length > maxSize) {
        throw new IOException(url + " sent more than max-size (" + maxSize + " bytes)");
      }
      return new Fetched(
          new String(bytes, StandardCharsets.UTF_8),
          response.headers().firstValue("ETag").orElse(null),
          response.headers().firstValue("Last-Modified").orElse(null));
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
