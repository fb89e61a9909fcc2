package io.lanthorn.enricher.docker;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginConfigException;
import io.lanthorn.api.PluginException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * The {@code enricher-docker} configuration section; see {@code reference.conf} for each key.
 *
 * @param socket the daemon's unix socket as a {@code unix://} URI
 * @param callTimeout bound on version, list and ping calls
 * @param inspectTimeout bound on one inspection
 * @param maxWaitPerBatch the longest a batch waits for containers it does not know yet
 * @param tombstoneTtl how long an exited container keeps resolving
 * @param unknownTtl how long an id Docker does not know is answered without asking again
 * @param cacheSize the most containers held
 * @param healthInterval how often the daemon is pinged
 * @param reconnectBackoffMin the first delay before reconnecting
 * @param reconnectBackoffMax the longest delay before reconnecting
 */
record DockerEnricherConfig(
    URI socket,
    Duration callTimeout,
    Duration inspectTimeout,
    Duration maxWaitPerBatch,
    Duration tombstoneTtl,
    Duration unknownTtl,
    int cacheSize,
    Duration healthInterval,
    Duration reconnectBackoffMin,
    Duration reconnectBackoffMax) {

  private static final String SECTION = "enricher-docker.";

  /**
   * Reads and checks the section.
   *
   * @throws PluginException naming the key and what to do, for a value that cannot work
   */
  static DockerEnricherConfig from(PluginConfig config) throws PluginException {
    try {
      return new DockerEnricherConfig(
          socket(config.getString("socket")),
          positive(config, "call-timeout"),
          positive(config, "inspect-timeout"),
          notNegative(config, "max-wait-per-batch"),
          positive(config, "tombstone-ttl"),
          positive(config, "unknown-ttl"),
          cacheSize(config.getInt("cache-size")),
          positive(config, "health-interval"),
          positive(config, "reconnect-backoff-min"),
          positive(config, "reconnect-backoff-max"));
    } catch (PluginConfigException e) {
      throw new PluginException("invalid enricher-docker configuration: " + e.getMessage(), e);
    }
  }

  /** Accepts {@code unix:///path} or a bare absolute path. */
  static URI socket(String value) throws PluginException {
    String text = value.trim();
    if (text.startsWith("/")) {
      text = "unix://" + text;
    }
    try {
      URI uri = new URI(text);
      if ("unix".equals(uri.getScheme())
          && uri.getPath() != null
          && uri.getPath().startsWith("/")
          && uri.getPath().length() > 1) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Reported below with the same message as any other unusable value.
    }
    throw new PluginException(
        SECTION
            + "socket '"
            + value
            + "' is not a unix socket: use unix:///var/run/docker.sock or another absolute path");
  }

  private static Duration positive(PluginConfig config, String key) throws PluginException {
    Duration value = config.getDuration(key);
    if (value.isNegative() || value.isZero()) {
      throw new PluginException(
          SECTION + key + " must be positive, got " + config.getString(key) + ": use e.g. 1s");
    }
    return value;
  }

  private static Duration notNegative(PluginConfig config, String key) throws PluginException {
    Duration value = config.getDuration(key);
    if (value.isNegative()) {
      throw new PluginException(
          SECTION + key + " must not be negative, got " + config.getString(key) + ": use e.g. 0ms");
    }
    return value;
  }

  private static int cacheSize(int value) throws PluginException {
    if (value < 16) {
      throw new PluginException(
          SECTION + "cache-size must be at least 16, got " + value + ": use e.g. 4096");
    }
    return value;
  }
}
