package io.lanthorn.probe.dns;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginConfigException;
import io.lanthorn.api.PluginException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code probe-dns} configuration section, checked.
 *
 * @param cgroupRoot the cgroup v2 mount, or empty to find it in /proc/self/mountinfo
 */
record ProbeDnsConfig(
    Optional<Path> cgroupRoot,
    long ringSize,
    long wakeupThreshold,
    Duration pollInterval,
    int ownerEntries,
    int cacheEntries,
    Duration ttlFloor) {

  private static final long MIN_RING = 4096;
  private static final long MAX_RING = 1L << 30;

  /** Reads and checks the section; every failure names the key and what is allowed. */
  static ProbeDnsConfig from(PluginConfig config) throws PluginException {
    try {
      String root = config.getString("cgroup-root");
      long ringSize = config.getBytes("ring-size");
      if (ringSize < MIN_RING || ringSize > MAX_RING || Long.bitCount(ringSize) != 1) {
        throw new PluginException(
            "probe-dns.ring-size must be a power of two from 4K to 1G (e.g. 4M), not " + ringSize);
      }
      long threshold = config.getBytes("wakeup-threshold");
      if (threshold < 0 || threshold >= ringSize) {
        throw new PluginException(
            "probe-dns.wakeup-threshold must be at least 0 and less than ring-size ("
                + ringSize
                + "), not "
                + threshold);
      }
      Duration poll = config.getDuration("poll-interval");
      if (poll.toMillis() < 1 || poll.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new PluginException(
            "probe-dns.poll-interval must be from 1ms to 10s (e.g. 20ms), not " + poll);
      }
      int owners = positive(config, "owner-entries");
      int cache = positive(config, "cache-entries");
      Duration floor = config.getDuration("ttl-floor");
      if (floor.isNegative()) {
        throw new PluginException("probe-dns.ttl-floor must not be negative, not " + floor);
      }
      return new ProbeDnsConfig(
          root.equals("auto") ? Optional.empty() : Optional.of(Path.of(root)),
          ringSize,
          threshold,
          poll,
          owners,
          cache,
          floor);
    } catch (PluginConfigException e) {
      throw new PluginException(e.getMessage(), e);
    }
  }

  private static int positive(PluginConfig config, String key) throws PluginException {
    int value = config.getInt(key);
    if (value < 1) {
      throw new PluginException("probe-dns." + key + " must be positive, not " + value);
    }
    return value;
  }
}
