package io.lanthorn.launcher.pipeline;

import io.lanthorn.api.Event;
import io.lanthorn.api.EventKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The kinds of event a sink or enricher declared it takes, checked per event. When it takes every
 * kind in a batch, the batch passes as it is, without copying.
 */
final class KindFilter {
  // An EnumSet's contains is one bit test.
  private final EnumSet<EventKind> accepted = EnumSet.noneOf(EventKind.class);
  private final boolean all;

  private KindFilter(Set<EventKind> kinds) {
    accepted.addAll(kinds);
    this.all = accepted.size() == EventKind.values().length;
  }

  /** The filter for the declared kinds ({@code null} or empty: none). */
  static KindFilter of(Set<EventKind> kinds) {
    return new KindFilter(kinds == null ? Set.of() : kinds);
  }

  boolean accepts(Event event) {
    return accepted.contains(event.kind());
  }

  /** Whether every event of the batch is accepted. */
  boolean acceptsAll(List<? extends Event> batch) {
    if (all) {
      return true;
    }
    for (Event event : batch) {
      if (!accepted.contains(event.kind())) {
        return false;
      }
    }
    return true;
  }

  /** The accepted events: the batch itself when all are. */
  List<Event> select(List<Event> batch) {
    if (acceptsAll(batch)) {
      return batch;
    }
    List<Event> selected = new ArrayList<>(batch.size());
    for (Event event : batch) {
      if (accepted.contains(event.kind())) {
        selected.add(event);
      }
    }
    return selected;
  }
}
