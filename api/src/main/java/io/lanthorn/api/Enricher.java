package io.lanthorn.api;

import java.util.List;
import java.util.Set;

/**
 * Adds facts to events, e.g. the container behind a cgroup.
 *
 * <p>Enrichers run in the configured order on the agent's pipeline thread, so they must be fast:
 * answer from memory and bound any wait on an external service (tens of milliseconds per batch, not
 * seconds). An enricher that cannot answer leaves the event as it is, ideally with an attribute
 * that says why. An exception thrown from {@code enrich} is logged and counted, and the events pass
 * on unenriched. The agent hands an enricher only events of the {@linkplain #kinds() kinds} it
 * declares.
 */
public interface Enricher extends PluginInstance {

  /** The kinds of event this enricher enriches; others pass it by. */
  Set<EventKind> kinds();

  /** Returns the event with facts added, or the same event when there is nothing to add. */
  Event enrich(Event event);

  /**
   * Enriches a batch in place, replacing each element with its enriched copy. Override it to do
   * batch-wide work once, such as one bounded wait for metadata several events are missing.
   */
  default void enrichAll(List<Event> batch) {
    batch.replaceAll(this::enrich);
  }
}
