package io.lanthorn.api;

import java.util.Collection;

/**
 * Where an {@link EventSource} hands its events. Implementations are thread-safe.
 *
 * <p>The agent never loses an event silently: when its pipeline is full it either waits
 * (backpressure, the default) or counts the drop with a reason, as configured.
 */
public interface EventEmitter {

  /** Hands one event to the pipeline. May block while the pipeline is full. */
  void emit(Event event);

  /** Hands several events to the pipeline, in order. Cheaper than one call per event. */
  default void emitAll(Collection<? extends Event> events) {
    for (Event event : events) {
      emit(event);
    }
  }

  /**
   * Reports events the source lost before it could emit them, e.g. because a kernel buffer was
   * full. The count is added to the agent's loss statistics under {@code reason}.
   *
   * @param reason a short, stable, lower-case identifier such as {@code kernel_ring_full}
   * @param count how many events were lost since the last report (not a running total)
   */
  void reportLost(String reason, long count);
}
