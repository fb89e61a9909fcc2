package io.lanthorn.web.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connection attempts by container and outcome, and by container and destination, with bounded
 * cardinality: past {@code containerCap} distinct containers (or {@code destinationCap} distinct
 * container × destination pairs) new ones are counted under {@code other}, so a host starting
 * thousands of short-lived containers, or a scanner, cannot grow the scrape without limit.
 */
public final class ConnectionCounters {
  /** The label value for everything past a cap. */
  public static final String OTHER = "other";

  private final Counter byOutcome;
  private final Counter byDestination;
  private final int containerCap;
  private final int destinationCap;
  private final Set<String> containers = ConcurrentHashMap.newKeySet();
  private final Set<String> pairs = ConcurrentHashMap.newKeySet();

  public ConnectionCounters(PrometheusRegistry registry, int containerCap, int destinationCap) {
    this.containerCap = containerCap;
    this.destinationCap = destinationCap;
    this.byOutcome =
        Counter.builder()
            .name("lanthorn_connections")
            .help("connection attempts by container (empty: host processes) and outcome")
            .labelNames("container", "outcome")
            .register(registry);
    this.byDestination =
        Counter.builder()
            .name("lanthorn_connections_by_destination")
            .help("connection attempts by container and destination address:port, capped")
            .labelNames("container", "destination")
            .register(registry);
  }

  /**
   * Counts one attempt.
   *
   * @param container the container's name, or null for a host process
   * @param outcome the outcome's label, e.g. {@code refused}
   * @param destination {@code address:port}
   */
  public void record(String container, String outcome, String destination) {
    String name = containerLabel(container);
    byOutcome.labelValues(name, outcome).inc();
    if (destinationCap == 0) {
      return;
    }
    String pair = name + '\u0000' + destination;
    boolean counted = pairs.contains(pair) || admit(pairs, pair, destinationCap);
    byDestination.labelValues(name, counted ? destination : OTHER).inc();
  }

  private String containerLabel(String container) {
    if (container == null) {
      return "";
    }
    return containers.contains(container) || admit(containers, container, containerCap)
        ? container
        : OTHER;
  }

  /** Adds under the cap; a race may pass it by a few entries, never without bound. */
  private static boolean admit(Set<String> seen, String value, int cap) {
    if (seen.size() >= cap) {
      return false;
    }
    seen.add(value);
    return true;
  }
}
