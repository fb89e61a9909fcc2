package io.lanthorn.sink.sqlite;

import io.lanthorn.api.PluginConfig;
import io.lanthorn.api.PluginException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code sink-sqlite} configuration section, read once and checked.
 *
 * @param path the database file
 * @param retention how long events are kept; {@link Duration#ZERO} keeps them forever
 * @param minuteRollupRetention how long per-minute rollups are kept; zero keeps them forever
 * @param rollupRetention how long per-hour rollups are kept; zero keeps them forever
 * @param dayRollupRetention how long daily rollups are kept; zero keeps them forever
 * @param retentionInterval how often retention runs
 * @param retentionChunk events deleted per retention transaction
 * @param healthInterval how often a {@code collection_health} row is written
 * @param busyTimeout how long a statement waits for another connection's lock
 * @param rollupFlushInterval longest committed rollup tallies wait before they are written; zero
 *     writes every batch's
 */
public record SinkSettings(
    Path path,
    Duration retention,
    Duration minuteRollupRetention,
    Duration rollupRetention,
    Duration dayRollupRetention,
    Duration retentionInterval,
    int retentionChunk,
    Duration healthInterval,
    Duration busyTimeout,
    Duration rollupFlushInterval) {

  /** Reads the section the launcher validated against {@code reference.conf}. */
  public static SinkSettings from(PluginConfig config) throws PluginException {
    SinkSettings settings =
        new SinkSettings(
            path(config.getString("path")),
            config.getDuration("retention"),
            config.getDuration("minute-rollup-retention"),
            config.getDuration("rollup-retention"),
            config.getDuration("day-rollup-retention"),
            config.getDuration("retention-interval"),
            config.getInt("retention-chunk"),
            config.getDuration("health-interval"),
            config.getDuration("busy-timeout"),
            config.getDuration("rollup-flush-interval"));
    requireNonNegative("retention", settings.retention);
    requireNonNegative("minute-rollup-retention", settings.minuteRollupRetention);
    requireNonNegative("rollup-retention", settings.rollupRetention);
    requireNonNegative("day-rollup-retention", settings.dayRollupRetention);
    requirePositive("retention-interval", settings.retentionInterval);
    requirePositive("health-interval", settings.healthInterval);
    requireNonNegative("busy-timeout", settings.busyTimeout);
    requireNonNegative("rollup-flush-interval", settings.rollupFlushInterval);
    if (settings.retentionChunk <= 0) {
      throw new PluginException(
          "sink-sqlite.retention-chunk must be positive, got " + settings.retentionChunk);
    }
    return settings;
  }

  /** Whether retention deletes events. */
  boolean retentionEnabled() {
    return !retention.isZero();
  }

  /** Whether retention deletes anything at all: events or rollups. */
  boolean anyRetention() {
    return retentionEnabled()
        || !minuteRollupRetention.isZero()
        || !rollupRetention.isZero()
        || !dayRollupRetention.isZero();
  }

  private static Path path(String value) throws PluginException {
    if (value.isBlank()) {
      throw new PluginException("sink-sqlite.path is empty: set it (or --db-path) to a file");
    }
    try {
      return Path.of(value).toAbsolutePath();
    } catch (InvalidPathException e) {
      throw new PluginException("sink-sqlite.path '" + value + "' is not a valid path", e);
    }
  }

  private static void requirePositive(String key, Duration value) throws PluginException {
    if (value.isNegative() || value.isZero()) {
      throw new PluginException("sink-sqlite." + key + " must be positive, got " + value);
    }
  }

  private static void requireNonNegative(String key, Duration value) throws PluginException {
    if (value.isNegative()) {
      throw new PluginException("sink-sqlite." + key + " must not be negative, got " + value);
    }
  }
}
