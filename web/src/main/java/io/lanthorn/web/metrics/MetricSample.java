package io.lanthorn.web.metrics;

/**
 * One agent or plugin metric as the agent's registry holds it, read now.
 *
 * @param name the registry's full name, e.g. {@code sink-sqlite.events.written}
 * @param kind what it is, when the registry says so
 * @param help one line for humans, or empty
 * @param value its current value
 */
public record MetricSample(String name, Kind kind, String help, long value) {

  /** Counters only go up; gauges go either way; unknown is for registries that do not say. */
  public enum Kind {
    COUNTER,
    GAUGE,
    UNKNOWN
  }
}
