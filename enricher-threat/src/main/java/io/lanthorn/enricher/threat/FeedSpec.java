package io.lanthorn.enricher.threat;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One configured feed.
 *
 * @param name what {@code threat_source} says and the cache file's name
 * @param url {@code https:}, {@code http:} or {@code file:}
 */
record FeedSpec(String name, URI url, FeedFormat format, Duration refresh) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  static final Duration DEFAULT_REFRESH = Duration.ofHours(1);

  boolean remote() {
    return !"file".equals(url.getScheme());
  }

  /** The refresh interval as configured: {@code 1h}, {@code 90m}, {@code 30s}. */
  String refreshText() {
    long seconds = refresh.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  /** The metric name's word for this feed ({@code -} is not allowed there). */
  String metricWord() {
    return name.replace('-', '_');
  }

  static FeedSpec from(PluginConfig feed) throws PluginException {
    String where = feed.section();
    if (!feed.hasPath("name") || !feed.hasPath("url") || !feed.hasPath("format")) {
      throw new PluginException(
          where
              + ": a feed needs name, url and format, e.g. { name = \"local\", url ="
              + " \"file:///etc/lanthorn/list.txt\", format = \"ip\" }");
    }
    String name = feed.getString("name");
    if (!NAME.matcher(name).matches()) {
      throw new PluginException(
          where
              + ".name: '"
              + name
              + "' is not a feed name; use lower-case letters, digits, - or _");
    }
    URI url;
    try {
      url = new URI(feed.getString("url"));
    } catch (URISyntaxException e) {
      throw new PluginException(where + ".url: not a URL (" + e.getMessage() + ")", e);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") && !scheme.equals("file")) {
      throw new PluginException(
          where + ".url: '" + url + "' must start with https:, http: or file:");
    }
    FeedFormat format;
    try {
      format = FeedFormat.of(feed.getString("format"));
    } catch (IllegalArgumentException e) {
      throw new PluginException(where + ".format: " + e.getMessage(), e);
    }
    Duration refresh = feed.hasPath("refresh") ? feed.getDuration("refresh") : DEFAULT_REFRESH;
    if (refresh.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new PluginException(where + ".refresh: " + refresh + " is too short; use 1s or more");
    }
    return new FeedSpec(name, url, format, refresh);
  }
}
