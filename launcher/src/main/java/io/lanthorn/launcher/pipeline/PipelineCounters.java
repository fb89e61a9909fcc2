package io.lanthorn.launcher.pipeline;

import io.lanthorn.api.Counter;
import io.lanthorn.api.PipelineStats;
import io.lanthorn.launcher.metrics.MetricsRegistry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipeline's counters, registered in the agent's {@link MetricsRegistry} under {@code
 * lanthorn.*}: {@code received}, {@code enriched}, {@code lost_at_source.<reason>}, {@code
 * dropped.<reason>}, {@code sink.<name>.written}, {@code sink.<name>.failed}, {@code
 * sink.<name>.unsupported_kind}.
 */
final class PipelineCounters {
  private final MetricsRegistry registry;
  private final Counter received;
  private final Counter enriched;
  private final Map<String, Counter> lostAtSource = new ConcurrentHashMap<>();
  private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
  private final Map<String, Counter> written = new LinkedHashMap<>();
  private final Map<String, Counter> failed = new LinkedHashMap<>();
  private final Map<String, Counter> unsupported = new LinkedHashMap<>();

  PipelineCounters(MetricsRegistry registry, Collection<String> sinkNames) {
    this.registry = registry;
    this.received = registry.counter("lanthorn.received");
    this.enriched = registry.counter("lanthorn.enriched");
    for (String sink : sinkNames) {
      written.put(sink, registry.counter("lanthorn.sink." + sink + ".written"));
      failed.put(sink, registry.counter("lanthorn.sink." + sink + ".failed"));
      unsupported.put(sink, registry.counter("lanthorn.sink." + sink + ".unsupported_kind"));
    }
  }

  Counter received() {
    return received;
  }

  Counter enriched() {
    return enriched;
  }

  Counter written(String sink) {
    return written.get(sink);
  }

  Counter failed(String sink) {
    return failed.get(sink);
  }

  /** Events of a kind the sink does not take, which it never saw. */
  Counter unsupported(String sink) {
    return unsupported.get(sink);
  }

  /** Counts events a source lost; the reason is normalised to a metric-safe word. */
  void lostAtSource(String reason, long count) {
    if (count > 0) {
      lostAtSource
          .computeIfAbsent(normalise(reason), r -> registry.counter("lanthorn.lost_at_source." + r))
          .add(count);
    }
  }

  /** Counts events the pipeline accepted but did not deliver (to one sink, or to any). */
  void dropped(String reason, long count) {
    if (count > 0) {
      dropped.computeIfAbsent(reason, r -> registry.counter("lanthorn.dropped." + r)).add(count);
    }
  }

  /** The totals now. */
  PipelineStats stats() {
    return new PipelineStats(
        received.get(),
        read(lostAtSource),
        read(dropped),
        read(written),
        read(failed),
        read(unsupported));
  }

  private static Map<String, Long> read(Map<String, Counter> counters) {
    Map<String, Long> values = new TreeMap<>();
    counters.forEach((name, counter) -> values.put(name, counter.get()));
    return values;
  }

  /** Plugin-supplied reasons become lower-case words of letters, digits and underscores. */
  static String normalise(String reason) {
    String word =
        reason == null ? "" : reason.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return word.isEmpty() ? "unspecified" : word;
  }
}
