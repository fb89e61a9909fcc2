package io.lanthorn.enricher.threat;

import java.time.Instant;
import java.util.Properties;

/**
 * What the agent last knew about a feed, saved beside its copy.
 *
 * @param url where the saved copy came from ({@code null}: nothing saved yet)
 * @param etag the server's validator for a conditional GET, or {@code null}
 * @param lastModified the server's {@code Last-Modified}, or {@code null}
 * @param lastGood when a good version last arrived (or was confirmed unchanged), or {@code null}
 * @param lastError the last refresh failure, or {@code null} when the last refresh succeeded
 * @param lastErrorAt when it happened, or {@code null}
 */
record FeedStatus(
    String url,
    String etag,
    String lastModified,
    int entries,
    int malformed,
    Instant lastGood,
    String lastError,
    Instant lastErrorAt) {
  static final FeedStatus NONE = new FeedStatus(null, null, null, 0, 0, null, null, null);

  FeedStatus succeeded(
      String newUrl, String newEtag, String newLastModified, FeedContent content, Instant at) {
    return new FeedStatus(
        newUrl, newEtag, newLastModified, content.entries(), content.malformed(), at, null, null);
  }

  FeedStatus unchanged(Instant at) {
    return new FeedStatus(url, etag, lastModified, entries, malformed, at, null, null);
  }

  FeedStatus failed(String error, Instant at) {
    return new FeedStatus(url, etag, lastModified, entries, malformed, lastGood, error, at);
  }

  Properties toProperties() {
    Properties properties = new Properties();
    put(properties, "url", url);
    put(properties, "etag", etag);
    put(properties, "last-modified", lastModified);
    properties.setProperty("entries", Integer.toString(entries));
    properties.setProperty("malformed", Integer.toString(malformed));
    put(properties, "last-good", lastGood == null ? null : lastGood.toString());
    put(properties, "last-error", lastError);
    put(properties, "last-error-at", lastErrorAt == null ? null : lastErrorAt.toString());
    return properties;
  }

  static FeedStatus from(Properties properties) {
    return new FeedStatus(
        properties.getProperty("url"),
        properties.getProperty("etag"),
        properties.getProperty("last-modified"),
        Integer.parseInt(properties.getProperty("entries", "0")),
        Integer.parseInt(properties.getProperty("malformed", "0")),
        instant(properties.getProperty("last-good")),
        properties.getProperty("last-error"),
        instant(properties.getProperty("last-error-at")));
  }

  private static void put(Properties properties, String key, String value) {
    if (value != null) {
      properties.setProperty(key, value);
    }
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
