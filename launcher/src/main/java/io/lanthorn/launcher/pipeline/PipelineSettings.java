package io.lanthorn.launcher.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.lanthorn.launcher.ExitCodes;
import io.lanthorn.launcher.LauncherException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The pipeline's settings, read from the launcher's {@code lanthorn} section (see its
 * reference.conf for what each one means).
 *
 * @param queueCapacity events the hand-off from sources holds
 * @param sinkQueueCapacity events each sink's own queue holds
 * @param maxBatchSize most events per enricher call and per sink write
 * @param flushInterval how long a sink's batch may wait to fill before it is written
 * @param overflow what happens when a queue is full
 * @param enricherOrder enricher names in the order they run
 * @param retry how a sink's failed batch is retried
 * @param statusInterval how often the status line is logged; zero for never
 * @param drainTimeout the longest the agent waits at exit for sinks to catch up
 */
public record PipelineSettings(
    int queueCapacity,
    int sinkQueueCapacity,
    int maxBatchSize,
    Duration flushInterval,
    OverflowPolicy overflow,
    List<String> enricherOrder,
    RetryPolicy retry,
    Duration statusInterval,
    Duration drainTimeout) {

  /** Copies the list. */
  public PipelineSettings {
    enricherOrder = List.copyOf(enricherOrder);
  }

  /**
   * Reads the settings from the (validated) {@code lanthorn} section.
   *
   * @throws LauncherException for a value out of range
   */
  public static PipelineSettings from(Config lanthorn) {
    return new PipelineSettings(
        positive(lanthorn, "pipeline.queue-capacity"),
        positive(lanthorn, "pipeline.sink-queue-capacity"),
        positive(lanthorn, "pipeline.max-batch-size"),
        lanthorn.getDuration("pipeline.flush-interval"),
        overflow(lanthorn.getString("pipeline.overflow")),
        lanthorn.getStringList("enrichers.order"),
        new RetryPolicy(
            positive(lanthorn, "sinks.retry.max-attempts"),
            lanthorn.getDuration("sinks.retry.initial-backoff"),
            lanthorn.getDuration("sinks.retry.max-backoff")),
        lanthorn.getDuration("status.interval"),
        lanthorn.getDuration("shutdown.drain-timeout"));
  }

  private static int positive(Config config, String path) {
    int value;
    try {
      value = config.getInt(path);
    } catch (ConfigException e) {
      throw new LauncherException(ExitCodes.CONFIG, "configuration: " + e.getMessage(), e);
    }
    if (value < 1) {
      throw new LauncherException(
          ExitCodes.CONFIG,
          "configuration: lanthorn." + path + " must be at least 1, not " + value);
    }
    return value;
  }

  private static OverflowPolicy overflow(String value) {
    try {
      return OverflowPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new LauncherException(
          ExitCodes.CONFIG,
          "configuration: lanthorn.pipeline.overflow must be block or drop, not " + value,
          e);
    }
  }
}
