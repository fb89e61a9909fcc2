package io.lanthorn.api;

import java.util.Map;

/**
 * The agent's running totals since start, for plugins that record how complete their data is (a
 * sink's health table, for example). All counts are cumulative.
 *
 * @param received events sources handed to the pipeline
 * @param lostAtSource events sources reported lost before emitting them, by reason
 * @param dropped events the pipeline accepted but did not deliver to every sink, by reason
 * @param writtenBySink events each sink acknowledged as durable, by sink name
 * @param failedBySink events each sink failed to write after retries, by sink name
 * @param skippedBySink events each sink was not handed because it does not take their kind ({@code
 *     unsupported_kind}), by sink name: with written and failed, what the sink is done with
 */
public record PipelineStats(
    long received,
    Map<String, Long> lostAtSource,
    Map<String, Long> dropped,
    Map<String, Long> writtenBySink,
    Map<String, Long> failedBySink,
    Map<String, Long> skippedBySink) {

  /** Copies the maps so a snapshot never changes. */
  public PipelineStats {
    lostAtSource = Map.copyOf(lostAtSource);
    dropped = Map.copyOf(dropped);
    writtenBySink = Map.copyOf(writtenBySink);
    failedBySink = Map.copyOf(failedBySink);
    skippedBySink = Map.copyOf(skippedBySink);
  }

  /** Totals without skipped kinds, as API 2.0 had them. */
  public PipelineStats(
      long received,
      Map<String, Long> lostAtSource,
      Map<String, Long> dropped,
      Map<String, Long> writtenBySink,
      Map<String, Long> failedBySink) {
    this(received, lostAtSource, dropped, writtenBySink, failedBySink, Map.of());
  }

  /** The sum of {@link #lostAtSource()}. */
  public long totalLostAtSource() {
    return lostAtSource.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The sum of {@link #dropped()}. */
  public long totalDropped() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }
}
